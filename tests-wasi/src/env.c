/* Prints the environment it was given, then looks variables up. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(void) {
    int n = 0;
    for (char **e = environ; *e; e++) {
        printf("env[%d]=%s\n", n++, *e);
    }
    printf("count=%d\n", n);
    const char *v = getenv("WVM_TEST");
    printf("WVM_TEST=%s\n", v ? v : "(unset)");
    v = getenv("WITH_EQ");
    printf("WITH_EQ=%s\n", v ? v : "(unset)");
    v = getenv("HOME");
    printf("HOME=%s\n", v ? v : "(unset)");
    v = getenv("PATH");
    printf("PATH=%s\n", v ? v : "(unset)");
    return 0;
}
