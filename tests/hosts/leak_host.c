/* Leak check:  leak_host LIB CYCLES CALLS
 * CYCLES x (dlopen, call, dlclose), then CALLS calls on one load; prints the
 * resident set size along the way and fails if it keeps growing. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r"); char line[256]; long kb = -1;
    while (f && fgets(line, sizeof line, f)) if (!strncmp(line, "VmRSS:", 6)) kb = atol(line + 6);
    if (f) fclose(f);
    return kb;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 4) { fprintf(stderr, "usage: %s LIB CYCLES CALLS\n", argv[0]); return 2; }
    int cycles = atoi(argv[2]); long calls = atol(argv[3]);
    int passed = 0, failed = 0;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL: "); printf(__VA_ARGS__); printf("\n"); } } while (0)
    long rss_start = rss_kb(), rss_after10 = 0, bad = 0;
    for (int i = 0; i < cycles; i++) {
        void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
        if (!h) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
        int (*compute)(int) = dlsym(h, "compute");
        if (compute(i) != i * 3 + 1) bad++;
        dlclose(h);
        if (i == 9) rss_after10 = rss_kb();
    }
    long rss_cycles = rss_kb();
    printf("leak_host: RSS %ld kB at start, %ld kB after 10 load/unload cycles, %ld kB after %d (%.1f kB per cycle after the 10th)\n",
           rss_start, rss_after10, rss_cycles, cycles, (double)(rss_cycles - rss_after10) / (cycles - 10));
    CHECK(bad == 0, "%ld wrong results across cycles", bad);
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    int (*compute)(int) = dlsym(h, "compute");
    for (long i = 0; i < calls / 10; i++) compute((int)i);
    long rss_warm = rss_kb();
    for (long i = 0; i < calls; i++) if (compute((int)(i & 0xffff)) != (int)(i & 0xffff) * 3 + 1) bad++;
    long rss_calls = rss_kb();
    printf("leak_host: RSS %ld kB before and %ld kB after %ld calls\n", rss_warm, rss_calls, calls);
    CHECK(bad == 0, "%ld wrong results", bad);
    CHECK(rss_calls - rss_warm < 2048, "calls grew RSS by %ld kB", rss_calls - rss_warm);
    /* Per-cycle growth must stay small (CPython's own sub-interpreter leaks are ~kB). */
    CHECK((rss_cycles - rss_after10) / (cycles - 10) < 400, "load/unload grew RSS by %ld kB per cycle", (rss_cycles - rss_after10) / (cycles - 10));
    printf("leak_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
