/* What wasi-libc lacks and Lua's io library links to: io.tmpfile() fails with ENOTSUP. */
#include <errno.h>
#include <stdio.h>

FILE *tmpfile(void) {
    errno = ENOTSUP;
    return NULL;
}
