/* idle_host - how often a process holding many plugins wakes up while the
 * host does nothing (the GIL watchdogs of libraries that do not tick).
 *
 *   idle_host FEW LIB...   loads the first FEW libraries, calls each once,
 *                          counts its threads' wake-ups over 2 s; then loads
 *                          and calls the rest and counts again.
 *
 * Prints `few N rate R` and `all N rate R` (voluntary context switches per
 * second of every thread but this one, from /proc/self/task/<tid>/status)
 * and `ok`/`FAIL` lines; exit 1 on a failure. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

/* Voluntary context switches of every thread of this process but the caller. */
static long wakeups(void) {
    long total = 0;
    int self = gettid();
    DIR *d = opendir("/proc/self/task");
    if (!d) return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || atoi(e->d_name) == self) continue;
        char path[64], line[256];
        snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue; /* the thread just ended */
        while (fgets(line, sizeof line, f))
            if (!strncmp(line, "voluntary_ctxt_switches:", 24)) total += atol(line + 24);
        fclose(f);
    }
    closedir(d);
    return total;
}

static double rate(void) {
    long w0 = wakeups();
    double t0 = now();
    struct timespec pause = {2, 0};
    while (nanosleep(&pause, &pause)) {}
    return (wakeups() - w0) / (now() - t0);
}

static int load(const char *path) {
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("FAIL: dlopen %s: %s\n", path, dlerror()); return 0; }
    int (*ident)(void) = (int (*)(void))dlsym(h, "ident");
    if (!ident || ident() <= 0) { printf("FAIL: ident() of %s\n", path); return 0; }
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s FEW LIB...\n", argv[0]); return 2; }
    int few = atoi(argv[1]), n = argc - 2;
    for (int i = 0; i < few; i++) if (!load(argv[2 + i])) return 1;
    double r_few = rate();
    printf("few %d rate %.1f\n", few, r_few);
    for (int i = few; i < n; i++) if (!load(argv[2 + i])) return 1;
    double r_all = rate();
    printf("all %d rate %.1f\n", n, r_all);
    /* Each library has a watchdog thread; only one ticks. The others must
     * sleep until they are needed, not poll: fewer than one wake-up per
     * second per added library. */
    int ok = r_all - r_few < (double)(n - few);
    printf("%s: %d more libraries add %.1f wake-ups a second\n", ok ? "ok" : "FAIL", n - few, r_all - r_few);
    return ok ? 0 : 1;
}
