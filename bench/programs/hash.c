/* hash: a 32-bit multiply/rotate/xor hash (xxHash32-like, our own code) over a 64 KiB buffer.
 * n = number of passes, each with a different seed. */
#include "common.h"

#define HASH_WORDS (64u * 1024u / 4u)
#define P1 2654435761u
#define P2 2246822519u
#define P3 3266489917u
#define P4 668265263u
#define P5 374761393u

static NOINLINE u32 hash_words(const u32 *w, u32 count, u32 seed) {
    u32 v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
    u32 i = 0;
    for (; i + 4 <= count; i += 4) {
        v1 = rotl32(v1 + w[i] * P2, 13) * P1;
        v2 = rotl32(v2 + w[i + 1] * P2, 13) * P1;
        v3 = rotl32(v3 + w[i + 2] * P2, 13) * P1;
        v4 = rotl32(v4 + w[i + 3] * P2, 13) * P1;
    }
    u32 h = rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18);
    for (; i < count; i++) h = rotl32(h + w[i] * P3, 17) * P4;
    h ^= h >> 15;
    h *= P2;
    h ^= h >> 13;
    h *= P3;
    h ^= h >> 16;
    return h;
}

static NOINLINE u32 hash_bytes(const u8 *p, u32 len, u32 seed) {
    u32 h = seed ^ P5;
    for (u32 i = 0; i < len; i++) {
        h ^= p[i];
        h = rotl32(h, 5) * P1 + (h >> 27);
        h ^= h << 3;
    }
    return h;
}

static u32 bench(i32 n) {
    u32 *buf = bench_alloc(HASH_WORDS * 4);
    u32 st = 12345;
    for (u32 i = 0; i < HASH_WORDS; i++) buf[i] = lcg_next(&st);
    u32 check = 0;
    for (i32 r = 0; r < n; r++) {
        u32 h = hash_words(buf, HASH_WORDS - ((u32)r & 7), (u32)r);
        h ^= hash_bytes((const u8 *)buf + (h & 1023), 4096, h);
        buf[h % HASH_WORDS] ^= h; /* feed back so passes differ */
        check = rotl32(check, 3) ^ h;
    }
    return check;
}

BENCH_ENTRY(20)
