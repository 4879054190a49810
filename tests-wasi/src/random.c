/* Randomness: getentropy and the raw random_get call, including a large buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

static int all_zero(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

int main(void) {
    uint8_t a[64], b[64];
    CHECK(getentropy(a, sizeof a) == 0);
    CHECK(getentropy(b, sizeof b) == 0);
    CHECK(!all_zero(a, sizeof a));
    CHECK(memcmp(a, b, sizeof a) != 0);

    size_t big = 1 << 20;
    uint8_t *p = malloc(big);
    memset(p, 0, big);
    CHECK(__wasi_random_get(p, big) == 0);
    /* Each 4 KiB page of real randomness is non-zero with overwhelming probability. */
    int zero_pages = 0;
    for (size_t off = 0; off < big; off += 4096) zero_pages += all_zero(p + off, 4096);
    CHECK(zero_pages == 0);
    /* Rough uniformity: every byte value appears. */
    int seen[256] = {0};
    for (size_t i = 0; i < big; i++) seen[p[i]] = 1;
    int distinct = 0;
    for (int i = 0; i < 256; i++) distinct += seen[i];
    CHECK(distinct == 256);
    free(p);

    uint32_t r1 = arc4random(), r2 = arc4random(), r3 = arc4random();
    CHECK(!(r1 == r2 && r2 == r3));
    return finish("random");
}
