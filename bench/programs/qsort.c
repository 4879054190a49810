/* qsort: our own quicksort calling its comparator through a function pointer
 * (call_indirect).  n = number of u32 elements; the array is sorted twice with two
 * different comparators. */
#include "common.h"

typedef int (*cmp_fn)(u32, u32);

static int cmp_asc(u32 a, u32 b) { return a < b ? -1 : (a > b ? 1 : 0); }

static int cmp_low_desc(u32 a, u32 b) {
    u32 la = a & 0xffffu, lb = b & 0xffffu;
    if (la != lb) return la > lb ? -1 : 1;
    return cmp_asc(a, b);
}

static cmp_fn comparators[2] = {cmp_asc, cmp_low_desc};

static void insertion_sort(u32 *a, i32 lo, i32 hi, cmp_fn cmp) {
    for (i32 i = lo + 1; i <= hi; i++) {
        u32 v = a[i];
        i32 j = i - 1;
        while (j >= lo && cmp(a[j], v) > 0) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static NOINLINE void quick_sort(u32 *a, i32 lo, i32 hi, cmp_fn cmp) {
    while (hi - lo > 16) {
        i32 mid = lo + (hi - lo) / 2;
        /* median of three into a[mid] */
        if (cmp(a[mid], a[lo]) < 0) { u32 t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
        if (cmp(a[hi], a[lo]) < 0) { u32 t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
        if (cmp(a[hi], a[mid]) < 0) { u32 t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
        u32 pivot = a[mid];
        i32 i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (cmp(a[i], pivot) < 0);
            do j--; while (cmp(a[j], pivot) > 0);
            if (i >= j) break;
            u32 t = a[i]; a[i] = a[j]; a[j] = t;
        }
        /* recurse into the smaller half, loop on the larger */
        if (j - lo < hi - j) {
            quick_sort(a, lo, j, cmp);
            lo = j + 1;
        } else {
            quick_sort(a, j + 1, hi, cmp);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi, cmp);
}

static u32 bench(i32 n) {
    if (n < 1) return 0;
    u32 *a = bench_alloc(sizeof(u32) * (u32)n);
    u32 st = 777;
    for (i32 i = 0; i < n; i++) a[i] = lcg_next(&st) ^ (st >> 13);
    u32 check = 0;
    for (int k = 0; k < 2; k++) {
        /* through a volatile so the compiler cannot specialise the sort for one comparator */
        cmp_fn volatile sel = comparators[k];
        quick_sort(a, 0, n - 1, sel);
        for (i32 i = 0; i < n; i++) check = check * 31u + a[i] * (u32)(i + 1);
    }
    return check;
}

BENCH_ENTRY(1000)
