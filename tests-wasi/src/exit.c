/* Exit codes: writes to both streams, then exits with the code given as argv[1]. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int code = argc > 1 ? atoi(argv[1]) : 0;
    printf("exiting with %d\n", code);
    fprintf(stderr, "this goes to stderr\n");
    exit(code);
    printf("not reached\n");
    return 99;
}
