/* Shared by the wvm WASI test programs: CHECK counts checks and reports failures on stderr. */
#ifndef WVM_CHECK_H
#define WVM_CHECK_H
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int checks_run = 0;
static int checks_failed = 0;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        int saved_errno_ = errno;                                                        \
        checks_run++;                                                                    \
        if (!(cond)) {                                                                   \
            checks_failed++;                                                             \
            fprintf(stderr, "FAIL line %d: %s (errno %d: %s)\n", __LINE__, #cond,        \
                    saved_errno_, strerror(saved_errno_));                               \
        }                                                                                \
    } while (0)

/* Expects `call` to fail with errno `want`. */
#define CHECK_ERR(call, want)                                                            \
    do {                                                                                 \
        errno = 0;                                                                       \
        int ok_ = (call) == -1 && errno == (want);                                       \
        CHECK(ok_);                                                                      \
    } while (0)

static int finish(const char *name) {
    printf("%s: %d checks, %d failed\n", name, checks_run, checks_failed);
    return checks_failed ? 1 : 0;
}
#endif
