/* Directories: mkdir, listing (with cookies over many entries), rename, link, unlink,
   rmdir, symlinks, chdir. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void touch(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Prints the sorted entries of `path` with a type letter. Returns the count. */
static int list(const char *path) {
    DIR *d = opendir(path);
    CHECK(d != NULL);
    if (!d) return 0;
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        char *s = malloc(strlen(e->d_name) + 3);
        char t = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
        sprintf(s, "%c %s", t, e->d_name);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("%s:\n", path);
    for (int i = 0; i < n; i++) {
        printf("  %s\n", names[i]);
        free(names[i]);
    }
    return n;
}

int main(void) {
    struct stat st;
    char buf[64];

    CHECK(mkdir("tree", 0755) == 0);
    CHECK_ERR(mkdir("tree", 0755), EEXIST);
    touch("tree/b.txt", "bee\n");
    touch("tree/a.txt", "ay\n");
    touch("tree/c.txt", "sea\n");
    CHECK(mkdir("tree/sub", 0755) == 0);
    CHECK(list("tree") == 6);

    CHECK(rename("tree/a.txt", "tree/sub/moved.txt") == 0);
    CHECK_ERR(stat("tree/a.txt", &st), ENOENT);
    CHECK(link("tree/b.txt", "tree/b-link.txt") == 0);
    CHECK(stat("tree/b-link.txt", &st) == 0 && st.st_nlink == 2);
    CHECK(unlink("tree/b.txt") == 0);
    CHECK_ERR(unlink("tree/b.txt"), ENOENT);
    CHECK(stat("tree/b-link.txt", &st) == 0 && st.st_nlink == 1 && st.st_size == 4);
    CHECK_ERR(rmdir("tree/sub"), ENOTEMPTY);
    CHECK_ERR(rmdir("tree/c.txt"), ENOTDIR);
    CHECK(unlink("tree/sub/moved.txt") == 0);
    CHECK(rmdir("tree/sub") == 0);

    CHECK(symlink("c.txt", "tree/c-link") == 0);
    ssize_t n = readlink("tree/c-link", buf, sizeof buf);
    CHECK(n == 5 && memcmp(buf, "c.txt", 5) == 0);
    CHECK(lstat("tree/c-link", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("tree/c-link", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 4);
    CHECK(list("tree") == 5);

    /* Enough entries that the listing needs several fd_readdir calls. */
    CHECK(mkdir("many", 0755) == 0);
    for (int i = 0; i < 300; i++) {
        char name[32];
        snprintf(name, sizeof name, "many/file-with-a-long-name-%03d", i);
        int fd = open(name, O_WRONLY | O_CREAT, 0644);
        CHECK(fd >= 0);
        close(fd);
    }
    DIR *d = opendir("many");
    int count = 0, seen_dot = 0, seen_last = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        count++;
        if (strcmp(e->d_name, ".") == 0) seen_dot = 1;
        if (strcmp(e->d_name, "file-with-a-long-name-299") == 0) seen_last = 1;
    }
    closedir(d);
    printf("many: %d entries\n", count);
    CHECK(count == 302 && seen_dot && seen_last);
    for (int i = 0; i < 300; i++) {
        char name[40];
        snprintf(name, sizeof name, "many/file-with-a-long-name-%03d", i);
        CHECK(unlink(name) == 0);
    }
    CHECK(rmdir("many") == 0);

    /* chdir changes how relative paths resolve. */
    CHECK(chdir("tree") == 0);
    CHECK(getcwd(buf, sizeof buf) && strcmp(buf, "/tree") == 0);
    FILE *f = fopen("c.txt", "r");
    CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "sea\n") == 0);
    if (f) fclose(f);
    CHECK(chdir("/") == 0);
    CHECK(getcwd(buf, sizeof buf) && strcmp(buf, "/") == 0);
    CHECK(stat("tree/c.txt", &st) == 0);
    CHECK_ERR(chdir("tree/c.txt"), ENOTDIR);

    return finish("dirs");
}
