/* host.c - the first-call host (issue 15): a fresh process that dlopens one
 * plugin of benches/calls.h and makes one call.
 *
 *   first_call_host LIB [--global] [--count]
 *
 * dlopens LIB (RTLD_NOW|RTLD_LOCAL; RTLD_GLOBAL with --global, which CFFI
 * needs), calls add(2, 3) once and prints, one `key value` per line:
 *   returned_ns  CLOCK_MONOTONIC when the first call returned (the runner
 *                subtracts the time it spawned this process: process start
 *                to first call returned)
 *   dlopen_ms    before dlopen -> dlopen returned
 *   call_ms      dlopen returned -> first call returned
 * Exit status 1 on a wrong result or a failed dlopen/dlsym. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    const char *lib = NULL;
    int global = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--global")) global = 1;
        else lib = argv[i];
    }
    if (!lib) {
        fprintf(stderr, "usage: %s LIB [--global]\n", argv[0]);
        return 2;
    }
    long long t0 = now_ns();
    void *h = dlopen(lib, RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL));
    if (!h) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    long long t1 = now_ns();
    int (*add)(int, int) = (int (*)(int, int))dlsym(h, "add");
    if (!add) {
        fprintf(stderr, "dlsym add: %s\n", dlerror());
        return 1;
    }
    int r = add(2, 3);
    long long t2 = now_ns();
    if (r != 5) {
        fprintf(stderr, "first call: add(2, 3) = %d\n", r);
        return 1;
    }
    printf("returned_ns %lld\ndlopen_ms %.3f\ncall_ms %.3f\n", t2, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    return 0;
}
