/* empty: startup cost only -- run/main does nothing and returns 0. */
#include "common.h"

static u32 bench(i32 n) {
    (void)n;
    return 0;
}

BENCH_ENTRY(0)
