/* Regular files: create, write, read, seek, pread/pwrite, truncate, append, stat, times. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

int main(void) {
    char buf[256];
    struct stat st;

    /* stdio create, write, read back */
    FILE *f = fopen("notes.txt", "w");
    CHECK(f != NULL);
    fprintf(f, "line %d\n", 1);
    fputs("line 2\n", f);
    CHECK(fclose(f) == 0);
    f = fopen("notes.txt", "r");
    CHECK(f != NULL);
    CHECK(fgets(buf, sizeof buf, f) && strcmp(buf, "line 1\n") == 0);
    CHECK(fgets(buf, sizeof buf, f) && strcmp(buf, "line 2\n") == 0);
    CHECK(fgets(buf, sizeof buf, f) == NULL && feof(f));
    fclose(f);

    /* descriptors: write, seek, read, pwrite, pread */
    int fd = open("data.bin", O_RDWR | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "0123456789", 10) == 10);
    CHECK(lseek(fd, 0, SEEK_CUR) == 10);
    CHECK(lseek(fd, 3, SEEK_SET) == 3);
    CHECK(read(fd, buf, 4) == 4 && memcmp(buf, "3456", 4) == 0);
    CHECK(lseek(fd, -2, SEEK_END) == 8);
    CHECK(write(fd, "AB", 2) == 2);
    CHECK(pwrite(fd, "xy", 2, 1) == 2);
    CHECK(pread(fd, buf, 10, 0) == 10 && memcmp(buf, "0xy34567AB", 10) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 10);
    CHECK(read(fd, buf, 10) == 0);
    CHECK_ERR(lseek(fd, -20, SEEK_CUR), EINVAL);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 10 && S_ISREG(st.st_mode));
    CHECK(ftruncate(fd, 4) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 4);
    CHECK(ftruncate(fd, 6) == 0);
    CHECK(pread(fd, buf, 10, 0) == 6 && memcmp(buf, "0xy3\0\0", 6) == 0);
    CHECK(fsync(fd) == 0);
    CHECK(fdatasync(fd) == 0);
    CHECK(posix_fallocate(fd, 0, 100) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 100);
    CHECK(close(fd) == 0);
    CHECK_ERR(close(fd), EBADF);
    CHECK_ERR(open("data.bin", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
    CHECK_ERR(open("missing.txt", O_RDONLY), ENOENT);
    CHECK_ERR(open("data.bin/x", O_RDONLY), ENOTDIR);

    /* read-only descriptor refuses writes */
    fd = open("data.bin", O_RDONLY);
    CHECK(fd >= 0);
    CHECK(write(fd, "z", 1) == -1);
    close(fd);

    /* append mode */
    fd = open("log.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
    CHECK(fd >= 0);
    CHECK((fcntl(fd, F_GETFL) & O_APPEND) != 0);
    CHECK(write(fd, "a\n", 2) == 2);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(write(fd, "b\n", 2) == 2);
    close(fd);
    fd = open("log.txt", O_RDONLY);
    CHECK(read(fd, buf, sizeof buf) == 4 && memcmp(buf, "a\nb\n", 4) == 0);
    close(fd);

    /* O_TRUNC, then append with stdio */
    fd = open("notes.txt", O_WRONLY | O_TRUNC);
    CHECK(fd >= 0);
    close(fd);
    CHECK(stat("notes.txt", &st) == 0 && st.st_size == 0);
    f = fopen("notes.txt", "a");
    fputs("final\n", f);
    fclose(f);

    /* stat on directories, timestamps */
    CHECK(stat(".", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(stat("/", &st) == 0 && S_ISDIR(st.st_mode));
    struct timespec ts[2] = {{1000000000, 0}, {1234567890, 500}};
    CHECK(utimensat(AT_FDCWD, "log.txt", ts, 0) == 0);
    CHECK(stat("log.txt", &st) == 0);
    CHECK(st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1234567890);
    CHECK(st.st_mtim.tv_nsec == 500);

    /* the host put a file in the sandbox; a read-only directory is mounted at /ro */
    f = fopen("data/hello.txt", "r");
    CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "hello from the host\n") == 0);
    if (f) fclose(f);
    f = fopen("/ro/ro.txt", "r");
    CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "read-only data\n") == 0);
    if (f) fclose(f);

    /* standard streams cannot seek */
    CHECK_ERR(lseek(1, 0, SEEK_SET), ESPIPE);

    return finish("files");
}
