/* Sandbox escapes that must all fail: `..`, absolute paths, symlinks pointing out, and
   writes into the read-only mount at /ro. Prints one line per attempt. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static int escaped = 0;

static void try_read(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        escaped++;
        printf("read %s: ESCAPED\n", path);
        close(fd);
    } else {
        printf("read %s: blocked\n", path);
    }
}

static void expect_fail(const char *what, int rc) {
    if (rc == -1) {
        printf("%s: blocked\n", what);
    } else {
        escaped++;
        printf("%s: ESCAPED\n", what);
    }
}

int main(void) {
    struct stat st;
    try_read("../outside/secret.txt");
    try_read("/../outside/secret.txt");
    try_read("data/../../outside/secret.txt");
    try_read("/ro/../../outside/secret.txt");
    expect_fail("stat ../outside", stat("../outside", &st));
    expect_fail("mkdir ../outside/new", mkdir("../outside/new", 0755));
    expect_fail("rename into ../outside", rename("data/hello.txt", "../outside/stolen.txt"));
    expect_fail("link into ../outside", link("data/hello.txt", "../outside/linked.txt"));

    /* A relative symlink pointing out can be made, but never followed out. */
    CHECK(symlink("../outside", "out-link") == 0);
    try_read("out-link/secret.txt");
    expect_fail("stat out-link/secret.txt", stat("out-link/secret.txt", &st));
    /* An absolute target names a host path: refused, or at least never followed. */
    if (symlink("/etc/passwd", "abs-link") == 0) {
        try_read("abs-link");
        unlink("abs-link");
    } else {
        printf("read abs-link: blocked\n");
    }

    /* After chdir into the read-only mount, `..` still cannot leave. */
    CHECK(chdir("/ro") == 0);
    try_read("../../outside/secret.txt");
    int fd = open("ro.txt", O_RDONLY);
    CHECK(fd >= 0);
    close(fd);
    CHECK(chdir("/") == 0);

    /* The read-only mount refuses every change. */
    expect_fail("create /ro/new.txt", open("/ro/new.txt", O_WRONLY | O_CREAT, 0644));
    expect_fail("write /ro/ro.txt", open("/ro/ro.txt", O_WRONLY));
    expect_fail("truncate /ro/ro.txt", truncate("/ro/ro.txt", 0));
    expect_fail("unlink /ro/ro.txt", unlink("/ro/ro.txt"));
    expect_fail("mkdir /ro/d", mkdir("/ro/d", 0755));
    expect_fail("rename /ro/ro.txt", rename("/ro/ro.txt", "/stolen.txt"));

    printf("escaped=%d\n", escaped);
    return escaped ? 1 : finish("escape");
}
