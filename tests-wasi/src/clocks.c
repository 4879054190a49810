/* Clocks: realtime, monotonic (across sleeps and poll timeouts), CPU-time clocks,
   resolutions, and sched_yield. */
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

static int64_t ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

static int64_t mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return ns(t);
}

int main(void) {
    struct timespec t;
    CHECK(clock_gettime(CLOCK_REALTIME, &t) == 0);
    CHECK(t.tv_sec > 1600000000); /* after September 2020 */
    time_t now = time(NULL);
    CHECK(now >= t.tv_sec && now - t.tv_sec < 5);

    int64_t a = mono();
    struct timespec nap = {0, 20 * 1000000};
    CHECK(nanosleep(&nap, NULL) == 0);
    int64_t b = mono();
    CHECK(b - a >= 20 * 1000000);
    CHECK(b - a < 5000000000LL);

    CHECK(poll(NULL, 0, 15) == 0);
    int64_t c = mono();
    CHECK(c - b >= 15 * 1000000);
    CHECK(usleep(5000) == 0);
    CHECK(mono() - c >= 5 * 1000000);

    CHECK(clock_getres(CLOCK_MONOTONIC, &t) == 0 && ns(t) > 0 && ns(t) <= 1000000);
    CHECK(clock_getres(CLOCK_REALTIME, &t) == 0 && ns(t) > 0);

    /* CPU-time clocks through the raw WASI call (libc hides them behind an emulation). */
    __wasi_timestamp_t p0 = 0, p1 = 0, th = 0, res = 0;
    CHECK(__wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &p0) == 0);
    volatile uint64_t x = 0;
    for (uint64_t i = 0; i < 1000000; i++) x += i ^ (x >> 3);
    CHECK(__wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &p1) == 0);
    CHECK(p1 > p0);
    CHECK(__wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &th) == 0 && th > 0);
    CHECK(__wasi_clock_res_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, &res) == 0 && res > 0);

    CHECK(sched_yield() == 0);
    return finish("clocks");
}
