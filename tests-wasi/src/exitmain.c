/* Returning from main: buffered output without a final newline is flushed, and main's
   return value becomes the exit code. */
#include <stdio.h>

int main(void) {
    printf("partial line, no newline");
    fputs("stderr line\n", stderr);
    return 3;
}
