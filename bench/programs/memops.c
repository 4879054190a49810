/* memops: memcpy / memmove / memset heavy (memory.copy / memory.fill with bulk memory).
 * n = rounds over two 1 MiB buffers with pseudo-random lengths and offsets. */
#include "common.h"

#define BUF (1u << 20)
#define MAXLEN (64u * 1024u)

static u32 bench(i32 n) {
    u8 *a = bench_alloc(BUF);
    u8 *b = bench_alloc(BUF);
    for (u32 i = 0; i < BUF; i++) a[i] = (u8)(i * 131u + (i >> 9));
    u32 st = 99;
    u32 check = 0;
    for (i32 r = 0; r < n; r++) {
        u32 len = 1 + (lcg_next(&st) >> 8) % MAXLEN;
        u32 s = (lcg_next(&st) >> 4) % (BUF - len);
        u32 d = (lcg_next(&st) >> 4) % (BUF - len);
        __builtin_memcpy(b + d, a + s, len);
        u32 flen = 1 + (lcg_next(&st) >> 8) % MAXLEN;
        u32 f = (lcg_next(&st) >> 4) % (BUF - flen);
        __builtin_memset(a + f, (int)(r & 0xff), flen);
        u32 mlen = 1 + (lcg_next(&st) >> 8) % MAXLEN;
        u32 ms = (lcg_next(&st) >> 4) % (BUF - mlen);
        u32 md = (ms + (lcg_next(&st) >> 20) % 4096u) % (BUF - mlen); /* overlapping */
        __builtin_memmove(a + md, a + ms, mlen);
        __builtin_memcpy(a + s, b + d, len / 2 + 1);
        check = check * 31u + b[d + len / 2] + a[md] + a[f + flen - 1];
    }
    for (u32 i = 0; i < BUF; i += 4096) check = rotl32(check, 7) ^ a[i] ^ ((u32)b[i] << 8);
    return check;
}

BENCH_ENTRY(100)
