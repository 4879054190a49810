/* large.wasm must have no imports, so every engine can load it with plain `--invoke`.  The
 * few WASI calls that wasi-libc keeps reachable (clock for Date/Math.random seeding, stdio
 * for QuickJS's debug printing) are defined here instead of imported: a fixed clock (so runs
 * are deterministic) and writes that fail with EBADF.  zig's libc implements close() itself
 * with a direct fd_close import, so close() is replaced too. */
#include <errno.h>
#include <stdint.h>

#define WASI_EBADF 8

int32_t __imported_wasi_snapshot_preview1_clock_time_get(int32_t id, int64_t precision,
                                                          int32_t out) {
    (void)id;
    (void)precision;
    *(uint64_t *)(uintptr_t)out = 1767225600000000000ull; /* 2026-01-01T00:00:00Z in ns */
    return 0;
}

int32_t __imported_wasi_snapshot_preview1_fd_write(int32_t fd, int32_t iovs, int32_t n,
                                                   int32_t nwritten) {
    (void)fd; (void)iovs; (void)n; (void)nwritten;
    return WASI_EBADF;
}

int32_t __imported_wasi_snapshot_preview1_fd_fdstat_get(int32_t fd, int32_t out) {
    (void)fd; (void)out;
    return WASI_EBADF;
}

int32_t __imported_wasi_snapshot_preview1_fd_seek(int32_t fd, int64_t off, int32_t whence,
                                                  int32_t out) {
    (void)fd; (void)off; (void)whence; (void)out;
    return WASI_EBADF;
}

int32_t __imported_wasi_snapshot_preview1_fd_close(int32_t fd) {
    (void)fd;
    return WASI_EBADF;
}

int close(int fd) {
    (void)fd;
    errno = EBADF;
    return -1;
}
