/* WASI calls that libc does not expose or hides: preopen descriptors, rights, bad pointers,
   sockets, proc_raise, fd_renumber, poll_oneoff with mixed subscriptions, readdir positions,
   invalid flag bits. */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

/* Not declared by current headers; still part of wasi_snapshot_preview1. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int32_t raw_proc_raise(int32_t sig);

static const __wasi_event_t *find(const __wasi_event_t *ev, size_t n, uint64_t userdata) {
    for (size_t i = 0; i < n; i++)
        if (ev[i].userdata == userdata) return &ev[i];
    return NULL;
}

int main(void) {
    /* Preopens: fd 3 is "/", fd 4 is "/ro". */
    __wasi_prestat_t ps;
    char name[16] = {0};
    CHECK(__wasi_fd_prestat_get(3, &ps) == 0 && ps.tag == __WASI_PREOPENTYPE_DIR);
    CHECK(ps.u.dir.pr_name_len == 1);
    CHECK(__wasi_fd_prestat_dir_name(3, (uint8_t *)name, 1) == 0 && name[0] == '/');
    CHECK(__wasi_fd_prestat_get(4, &ps) == 0 && ps.u.dir.pr_name_len == 3);
    CHECK(__wasi_fd_prestat_dir_name(4, (uint8_t *)name, 3) == 0);
    printf("preopens: / %.3s\n", name);
    CHECK(__wasi_fd_prestat_get(0, &ps) == __WASI_ERRNO_BADF);
    CHECK(__wasi_fd_prestat_get(5, &ps) == __WASI_ERRNO_BADF);

    __wasi_fdstat_t st;
    CHECK(__wasi_fd_fdstat_get(1, &st) == 0 && (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE));
    CHECK(__wasi_fd_fdstat_get(3, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN);

    /* Rights can be dropped, never regained. */
    int fd = open("r.txt", O_RDWR | O_CREAT, 0644);
    CHECK(fd >= 0);
    CHECK(__wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
    __wasi_rights_t base = st.fs_rights_base;
    CHECK(base & __WASI_RIGHTS_FD_WRITE);
    CHECK(__wasi_fd_fdstat_set_rights(fd, base & ~__WASI_RIGHTS_FD_WRITE, 0) == 0);
    size_t nw = 0;
    __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
    CHECK(__wasi_fd_write(fd, &iov, 1, &nw) == __WASI_ERRNO_NOTCAPABLE);
    CHECK(__wasi_fd_fdstat_set_rights(fd, base, 0) == __WASI_ERRNO_NOTCAPABLE);
    close(fd);

    /* Pointers outside memory: EFAULT, not a crash. */
    uintptr_t bad = 0xfffffff0u;
    CHECK(__wasi_args_sizes_get((size_t *)bad, (size_t *)bad) == __WASI_ERRNO_FAULT);
    CHECK(__wasi_random_get((uint8_t *)bad, 100) == __WASI_ERRNO_FAULT);
    __wasi_ciovec_t bad_iov = {(const uint8_t *)bad, 64};
    CHECK(__wasi_fd_write(1, &bad_iov, 1, &nw) == __WASI_ERRNO_FAULT);

    /* No sockets, no signals. */
    __wasi_fd_t nfd;
    CHECK(__wasi_sock_accept(3, 0, &nfd) == __WASI_ERRNO_NOTSUP);
    CHECK(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR) == __WASI_ERRNO_NOTSUP);
    CHECK(__wasi_sock_accept(77, 0, &nfd) == __WASI_ERRNO_BADF);
    CHECK(raw_proc_raise(15) == __WASI_ERRNO_NOSYS);
    CHECK(__wasi_sched_yield() == 0);

    /* fd_renumber moves one descriptor over another. */
    int a = open("a.txt", O_WRONLY | O_CREAT, 0644);
    int b = open("b.txt", O_WRONLY | O_CREAT, 0644);
    CHECK(a >= 0 && b >= 0);
    CHECK(__wasi_fd_renumber(a, b) == 0);
    CHECK(write(b, "to-a", 4) == 4);
    CHECK(__wasi_fd_fdstat_get(a, &st) == __WASI_ERRNO_BADF);
    CHECK(__wasi_fd_renumber(a, 1) == __WASI_ERRNO_BADF);
    close(b);

    /* poll_oneoff: a readable file (bytes left), a writable stdout, a far clock. */
    fd = open("a.txt", O_RDONLY);
    CHECK(fd >= 0);
    __wasi_subscription_t subs[3];
    memset(subs, 0, sizeof subs);
    subs[0].userdata = 1;
    subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    subs[0].u.u.fd_read.file_descriptor = fd;
    subs[1].userdata = 2;
    subs[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
    subs[1].u.u.fd_write.file_descriptor = 1;
    subs[2].userdata = 3;
    subs[2].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[2].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[2].u.u.clock.timeout = 10ull * 1000000000ull;
    __wasi_event_t ev[3];
    size_t n = 0;
    CHECK(__wasi_poll_oneoff(subs, ev, 3, &n) == 0 && n == 2);
    const __wasi_event_t *e = find(ev, n, 1);
    CHECK(e && e->error == 0 && e->type == __WASI_EVENTTYPE_FD_READ && e->fd_readwrite.nbytes == 4);
    e = find(ev, n, 2);
    CHECK(e && e->error == 0 && e->type == __WASI_EVENTTYPE_FD_WRITE);
    CHECK(find(ev, n, 3) == NULL);
    /* An absolute deadline in the past fires at once. */
    subs[0].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[0].u.u.clock.id = __WASI_CLOCKID_REALTIME;
    subs[0].u.u.clock.timeout = 1;
    subs[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
    CHECK(__wasi_poll_oneoff(subs, ev, 1, &n) == 0 && n == 1 && ev[0].userdata == 1);
    CHECK(ev[0].type == __WASI_EVENTTYPE_CLOCK && ev[0].error == 0);
    CHECK(__wasi_poll_oneoff(subs, ev, 0, &n) == __WASI_ERRNO_INVAL);
    close(fd);

    /* Directory positions: telldir/seekdir/rewinddir use the cookies. */
    CHECK(mkdir("d", 0755) == 0);
    const char *files[] = {"d/x", "d/y", "d/z"};
    for (int i = 0; i < 3; i++) close(open(files[i], O_WRONLY | O_CREAT, 0644));
    DIR *dir = opendir("d");
    CHECK(dir != NULL);
    char seen[5][8];
    long pos2 = 0;
    int count = 0;
    struct dirent *de;
    while ((de = readdir(dir)) && count < 5) {
        snprintf(seen[count++], sizeof seen[0], "%s", de->d_name);
        if (count == 2) pos2 = telldir(dir);
    }
    CHECK(count == 5);
    seekdir(dir, pos2);
    de = readdir(dir);
    CHECK(de && strcmp(de->d_name, seen[2]) == 0);
    rewinddir(dir);
    de = readdir(dir);
    CHECK(de && strcmp(de->d_name, seen[0]) == 0);
    closedir(dir);

    /* Unknown flag bits are EINVAL. */
    CHECK(__wasi_path_open(3, 0, "a.txt", 0x100, __WASI_RIGHTS_FD_READ, 0, 0, &nfd) ==
          __WASI_ERRNO_INVAL);
    CHECK(__wasi_fd_fdstat_set_flags(1, 0x100) == __WASI_ERRNO_INVAL);

    /* Advice is accepted on files. */
    fd = open("a.txt", O_RDONLY);
    CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
    close(fd);

    return finish("raw");
}
