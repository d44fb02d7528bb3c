/* A helper library for py_liveness.py: calls an epy plugin's set_flag from C
 * after a delay. ctypes releases the GIL around call_later, so by the time
 * the plugin's call starts, the host's spinning Python thread holds it. */
#define _GNU_SOURCE
#include <stddef.h>
#include <time.h>

typedef int (*set_fn)(int *, size_t, int, int);

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int call_later(set_fn set_flag, int *flags, int delay_ms, double *waited_ms) {
    struct timespec d = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
    nanosleep(&d, NULL);
    double t0 = now();
    int r = set_flag(flags, 3, 0, 1);
    *waited_ms = (now() - t0) * 1e3;
    return r;
}
