/* fib: naive doubly recursive Fibonacci -- function call overhead.  n = the index. */
#include "common.h"

static NOINLINE u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static u32 bench(i32 n) { return fib((u32)n); }

BENCH_ENTRY(30)
