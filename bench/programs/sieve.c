/* sieve: sieve of Eratosthenes over a 1 MiB byte array -- byte loads and stores.
 * n = number of rounds; each round sieves a slightly different limit. */
#include "common.h"

#define SIEVE_SIZE (1u << 20)

static u32 bench(i32 n) {
    u8 *flags = bench_alloc(SIEVE_SIZE);
    u32 check = 0;
    for (i32 r = 0; r < n; r++) {
        u32 limit = SIEVE_SIZE - ((u32)r * 7919u) % 4096u;
        /* odd numbers are candidates (not a plain memset pattern on purpose) */
        for (u32 i = 0; i < limit; i++) flags[i] = (u8)(i & 1);
        flags[1] = 0;
        flags[2] = 1;
        for (u32 i = 3; i * i < limit; i += 2) {
            if (flags[i]) {
                for (u32 j = i * i; j < limit; j += 2 * i) flags[j] = 0;
            }
        }
        u32 count = 0;
        u32 last = 0;
        for (u32 i = 0; i < limit; i++) {
            if (flags[i]) {
                count++;
                last = i;
            }
        }
        check = check * 31u + count + last;
    }
    return check;
}

BENCH_ENTRY(10)
