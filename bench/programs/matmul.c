/* matmul: dense f64 matrix multiply C = A * B of n x n matrices. */
#include "common.h"

static u32 bench(i32 n) {
    if (n < 1) return 0;
    u32 m = (u32)n;
    double *a = bench_alloc(sizeof(double) * m * m);
    double *b = bench_alloc(sizeof(double) * m * m);
    double *c = bench_alloc(sizeof(double) * m * m);
    for (u32 i = 0; i < m; i++) {
        for (u32 j = 0; j < m; j++) {
            a[i * m + j] = (double)((i * 7 + j * 3) % 17) * 0.125 - (double)(i + j) * 0.001;
            b[i * m + j] = (double)((i * 5 + j * 11) % 13) * 0.25 + (double)(i ^ j) * 0.0005;
        }
    }
    for (u32 i = 0; i < m; i++) {
        for (u32 j = 0; j < m; j++) {
            double s = 0.0;
            for (u32 k = 0; k < m; k++) s += a[i * m + k] * b[k * m + j];
            c[i * m + j] = s;
        }
    }
    double sum = 0.0;
    for (u32 i = 0; i < m * m; i++) sum += c[i] * (double)(1 + (i % 3));
    return fold_f64(sum);
}

BENCH_ENTRY(100)
