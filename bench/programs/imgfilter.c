/* imgfilter: n passes of an image filter chain over a 512 x 256 RGBA (u8) image:
 * separable 3x3 blur ([1 2 1] / 4 horizontally, then vertically), unsharp sharpen
 * (2 * src - blur), then brightness/contrast ((v - 128) * c / 256 + 128 + b), each step
 * saturating to 0..255; the output of a pass is the input of the next.
 *
 * Plain C over flat byte rows (the four channels alike, neighbours 4 bytes apart), written so
 * that clang's loop vectoriser turns every inner loop into v128 code when built with -msimd128
 * (bench/build.sh builds this as `imgfilter`), and into scalar code without it
 * (`imgfilter_scalar`, same source): the two give the same checksum. */
#include "common.h"

#define W 512
#define H 256
#define STRIDE (W * 4)

static inline u8 clamp_u8(i32 v) { return (u8)(v < 0 ? 0 : v > 255 ? 255 : v); }

/* Horizontal [1 2 1] / 4 of one row; the first and last pixel are copied. */
static NOINLINE void blur_row(u8 *restrict dst, const u8 *restrict src) {
    for (u32 i = 0; i < 4; i++) {
        dst[i] = src[i];
        dst[STRIDE - 4 + i] = src[STRIDE - 4 + i];
    }
    for (u32 i = 4; i < STRIDE - 4; i++)
        dst[i] = (u8)((src[i - 4] + 2 * src[i] + src[i + 4] + 2) >> 2);
}

/* Vertical [1 2 1] / 4 of the rows above/at/below, then sharpen against the original row and
 * apply brightness/contrast. */
static NOINLINE void finish_row(u8 *restrict dst, const u8 *restrict up, const u8 *restrict mid,
                                const u8 *restrict down, const u8 *restrict orig, i32 contrast,
                                i32 bright) {
    for (u32 i = 0; i < STRIDE; i++) {
        i32 blur = (up[i] + 2 * mid[i] + down[i] + 2) >> 2;
        i32 sharp = clamp_u8(2 * orig[i] - blur);
        dst[i] = clamp_u8((((sharp - 128) * contrast) >> 8) + 128 + bright);
    }
}

static NOINLINE void filter_pass(u8 *restrict dst, const u8 *restrict src, u8 *restrict tmp,
                                 i32 contrast, i32 bright) {
    for (u32 y = 0; y < H; y++) blur_row(tmp + y * STRIDE, src + y * STRIDE);
    for (u32 y = 0; y < H; y++) {
        const u8 *mid = tmp + y * STRIDE;
        const u8 *up = y > 0 ? mid - STRIDE : mid;
        const u8 *down = y + 1 < H ? mid + STRIDE : mid;
        finish_row(dst + y * STRIDE, up, mid, down, src + y * STRIDE, contrast, bright);
    }
}

static u32 bench(i32 n) {
    u8 *a = bench_alloc(STRIDE * H);
    u8 *b = bench_alloc(STRIDE * H);
    u8 *tmp = bench_alloc(STRIDE * H);
    /* Smooth gradients plus noise, so blur and sharpen both change values. */
    u32 seed = 12345;
    for (u32 y = 0; y < H; y++) {
        for (u32 x = 0; x < W; x++) {
            u32 r = lcg_next(&seed) >> 24;
            u8 *p = a + y * STRIDE + x * 4;
            p[0] = (u8)((x + (r & 31)) & 255);
            p[1] = (u8)((y * 2 + (r >> 3)) & 255);
            p[2] = (u8)(((x ^ y) + r) & 255);
            p[3] = (u8)(200 + (r & 55));
        }
    }
    for (i32 pass = 0; pass < n; pass++) {
        /* contrast varies between slightly up and slightly down so the image does not saturate */
        i32 contrast = (pass & 1) ? 280 : 236;
        i32 bright = (pass % 3) - 1;
        filter_pass(b, a, tmp, contrast, bright);
        u8 *t = a;
        a = b;
        b = t;
    }
    u32 h = 2166136261u;
    const u32 *words = (const u32 *)a;
    for (u32 i = 0; i < STRIDE * H / 4; i++) h = rotl32(h ^ words[i], 5) * 16777619u;
    return h;
}

BENCH_ENTRY(100)
