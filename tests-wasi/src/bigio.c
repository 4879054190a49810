/* Large transfers: a 3 MiB file written with one write() and read back with one read()
   and in small chunks, a gathered writev, and 64 KiB+ to stdout with one fwrite. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

static uint32_t sum(const uint8_t *p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

int main(void) {
    size_t n = 3 << 20;
    uint8_t *out = malloc(n), *in = malloc(n);
    for (size_t i = 0; i < n; i++) out[i] = (uint8_t)(i * 7 + (i >> 11));
    int fd = open("big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, out, n) == (ssize_t)n);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(read(fd, in, n) == (ssize_t)n);
    CHECK(memcmp(in, out, n) == 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    memset(in, 0, n);
    size_t got = 0;
    ssize_t r;
    while ((r = read(fd, in + got, 4000)) > 0) got += (size_t)r;
    CHECK(got == n && memcmp(in, out, n) == 0);
    printf("big.bin checksum %08x\n", sum(in, n));
    close(fd);

    struct iovec iov[3] = {{"gather", 6}, {"", 0}, {"ed\n", 3}};
    fd = open("gathered.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    /* A gathered write may be short: finish it with plain writes. */
    ssize_t w = writev(fd, iov, 3);
    CHECK(w >= 6 && w <= 9);
    ssize_t rest = (w >= 6 && w < 9) ? write(fd, &"ed\n"[w - 6], (size_t)(9 - w)) : 0;
    CHECK(w + rest == 9);
    close(fd);
    struct stat st;
    CHECK(stat("gathered.txt", &st) == 0 && st.st_size == 9);

    size_t text = 70000;
    char *t = malloc(text);
    for (size_t i = 0; i < text; i++) t[i] = (i % 64 == 63) ? '\n' : (char)('a' + i % 26);
    t[text - 1] = '\n';
    CHECK(fwrite(t, 1, text, stdout) == text);
    free(t);
    free(in);
    free(out);
    return finish("bigio");
}
