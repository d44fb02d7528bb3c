/* plugins_host.c - many plugins in one process (issue 15): per-plugin memory
 * and load time.
 *
 *   plugins_host [--global] LIB...
 *
 * dlopens every LIB (RTLD_NOW|RTLD_LOCAL; RTLD_GLOBAL with --global), then
 * calls each one's add(2, 3) once, in order. Prints one `key value` per line:
 *   n             number of libraries
 *   rss0_kb       resident set before the first dlopen
 *   rss_open_kb   after every dlopen
 *   rss_call_kb   after every library's first call
 *   open_ms       all dlopens
 *   call_ms       all first calls (each starts or joins Python and creates
 *                 that library's interpreter)
 * Exit status 1 on a failed dlopen/dlsym or a wrong result. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Resident set in KiB (/proc/self/statm's second field, in pages). */
static long rss_kb(void) {
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv) {
    int global = 0, first = 1;
    if (argc > 1 && !strcmp(argv[1], "--global")) global = 1, first = 2;
    int n = argc - first;
    if (n < 1) {
        fprintf(stderr, "usage: %s [--global] LIB...\n", argv[0]);
        return 2;
    }
    int (**add)(int, int) = calloc(n, sizeof *add);
    long rss0 = rss_kb();
    double t0 = now_ms();
    for (int i = 0; i < n; i++) {
        void *h = dlopen(argv[first + i], RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL));
        if (!h) {
            fprintf(stderr, "dlopen %s: %s\n", argv[first + i], dlerror());
            return 1;
        }
        add[i] = (int (*)(int, int))dlsym(h, "add");
        if (!add[i]) {
            fprintf(stderr, "dlsym add in %s: %s\n", argv[first + i], dlerror());
            return 1;
        }
    }
    double t1 = now_ms();
    long rss_open = rss_kb();
    for (int i = 0; i < n; i++) {
        int r = add[i](2, 3);
        if (r != 5) {
            fprintf(stderr, "%s: add(2, 3) = %d\n", argv[first + i], r);
            return 1;
        }
    }
    double t2 = now_ms();
    printf("n %d\nrss0_kb %ld\nrss_open_kb %ld\nrss_call_kb %ld\nopen_ms %.3f\ncall_ms %.3f\n", n, rss0, rss_open,
           rss_kb(), t1 - t0, t2 - t1);
    return 0;
}
