/* i64: 64-bit integer work -- xorshift64*, multiply-hash, rotates, occasional divide.
 * n = iterations; returns an i64 checksum. */
#define BENCH_I64 1
#include "common.h"

static u64 bench(i32 n) {
    u64 x = 0x9E3779B97F4A7C15ull ^ (u64)(u32)n;
    u64 acc = 0x243F6A8885A308D3ull;
    for (i32 i = 0; i < n; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        u64 y = x * 0x2545F4914F6CDD1Dull;
        acc += rotl64(y, (u32)i) ^ (acc >> 7);
        acc ^= (y >> 32) * (acc | 1);
        if ((y >> 61) == 3) acc += y / ((x >> 40) | 1);
        if ((i64)acc < 0) acc = ~acc + (u64)i;
    }
    return acc ^ x;
}

BENCH_ENTRY(1000)
