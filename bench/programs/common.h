/* Shared helpers for the wvm benchmark programs.
 *
 * Every program defines `static u32 bench(i32 n)` (or u64 with BENCH_I64) and ends with
 * BENCH_ENTRY(default_n).  Two builds come from the same source:
 *   - freestanding (default): a module with no imports exporting `run(n) -> i32/i64`;
 *   - WASI (-DBENCH_WASI): `main` reads n from argv[1] and prints the checksum (unsigned decimal).
 * The checksum is the same in both builds.
 */
#ifndef WVM_BENCH_COMMON_H
#define WVM_BENCH_COMMON_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;
typedef __SIZE_TYPE__ usize;

#define NOINLINE __attribute__((noinline))

static inline u32 rotl32(u32 x, u32 r) { return (x << (r & 31)) | (x >> ((32 - r) & 31)); }
static inline u64 rotl64(u64 x, u32 r) { return (x << (r & 63)) | (x >> ((64 - r) & 63)); }

/* Fold the bit pattern of a double into 32 bits (IEEE arithmetic is deterministic, so every
 * engine must produce the same bits). */
static inline u32 fold_f64(double d) {
    union { double d; u64 u; } v;
    v.d = d;
    return (u32)(v.u ^ (v.u >> 32));
}

/* Small deterministic generator used to fill inputs. */
static inline u32 lcg_next(u32 *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state;
}

#ifdef BENCH_WASI
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *bench_alloc(usize n) {
    void *p = calloc(1, n);
    if (!p) abort();
    return p;
}

#define BENCH_ARG_N(defn) (argc > 1 ? atoi(argv[1]) : (defn))
#ifdef BENCH_I64
#define BENCH_ENTRY(defn)                                                                          \
    int main(int argc, char **argv) {                                                              \
        printf("%llu\n", (unsigned long long)bench(BENCH_ARG_N(defn)));                           \
        return 0;                                                                                  \
    }
#else
#define BENCH_ENTRY(defn)                                                                          \
    int main(int argc, char **argv) {                                                              \
        printf("%u\n", (unsigned)bench(BENCH_ARG_N(defn)));                                        \
        return 0;                                                                                  \
    }
#endif

#else /* freestanding */

/* Bump allocator over linear memory past the static data; grows memory as needed.  Fresh pages
 * are zero, like calloc. */
extern u8 __heap_base;
static usize bench_heap_top;

static void *bench_alloc(usize n) {
    if (bench_heap_top == 0) bench_heap_top = (usize)&__heap_base;
    bench_heap_top = (bench_heap_top + 15) & ~(usize)15;
    usize p = bench_heap_top;
    bench_heap_top += n;
    usize have = __builtin_wasm_memory_size(0) * 65536u;
    if (bench_heap_top > have) {
        usize pages = (bench_heap_top - have + 65535u) / 65536u;
        if (__builtin_wasm_memory_grow(0, pages) == (usize)-1) __builtin_trap();
    }
    return (void *)p;
}

/* The compiler may emit calls to these when bulk memory is off; provide our own. */
void *memcpy(void *dst, const void *src, usize n) {
    u8 *d = dst;
    const u8 *s = src;
    while (n--) *d++ = *s++;
    return dst;
}
void *memmove(void *dst, const void *src, usize n) {
    u8 *d = dst;
    const u8 *s = src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return dst;
}
void *memset(void *dst, int c, usize n) {
    u8 *d = dst;
    while (n--) *d++ = (u8)c;
    return dst;
}

#ifdef BENCH_I64
#define BENCH_ENTRY(defn)                                                                          \
    __attribute__((export_name("run"))) i64 run(i32 n) { return (i64)bench(n); }
#else
#define BENCH_ENTRY(defn)                                                                          \
    __attribute__((export_name("run"))) i32 run(i32 n) { return (i32)bench(n); }
#endif

#endif /* BENCH_WASI */
#endif /* WVM_BENCH_COMMON_H */
