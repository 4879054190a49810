/* Reads stdin line by line (after polling it), echoes each line upper-cased and numbered,
   then reports the totals on stderr. */
#include <ctype.h>
#include <poll.h>

#include "check.h"

int main(void) {
    struct pollfd p = {.fd = 0, .events = POLLIN};
    CHECK(poll(&p, 1, 1000) == 1 && (p.revents & POLLIN));
    char line[512];
    int lines = 0;
    long bytes = 0;
    while (fgets(line, sizeof line, stdin)) {
        lines++;
        bytes += (long)strlen(line);
        for (char *c = line; *c; c++) *c = (char)toupper((unsigned char)*c);
        printf("%d: %s", lines, line);
    }
    CHECK(feof(stdin));
    fprintf(stderr, "lines=%d bytes=%ld\n", lines, bytes);
    return finish("stdin");
}
