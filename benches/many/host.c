/* host.c - the timing host of the many-plugin benchmark (issue 15).
 *
 *   host DIR N [--latency] [--cpu-time] [--rr-only]
 *
 * dlopens DIR/p000.so .. DIR/p<N-1>.so (RTLD_NOW|RTLD_LOCAL: copies of one epy
 * plugin, each beside its own script) and makes each one's first call, then
 * times `add` called on one plugin and round-robin over all N from this
 * thread (5 repetitions, median ns per call). --latency (N >= 2): while
 * another thread keeps plugin 0 busy in a CPU-bound `spin`, times single
 * `add` calls into plugin 1 (p50/p99/max in microseconds). --rr-only skips
 * one_ns (for profilers).
 *
 * Output, one `key value` per line:
 *   load_first_ms    dlopen + first call of the first plugin (starts Python)
 *   load_ms          per further plugin (mean over plugins 2..N; N = 1: n/a)
 *   rss_first_kb     resident memory the first plugin added
 *   rss_kb           per further plugin (mean over plugins 2..N)
 *   one_ns, rr_ns    ns per call: plugin 0 only; round-robin over N
 *   lat_p50_us, lat_p99_us, lat_max_us, lat_n   (with --latency)
 * Errors go to stderr; exit status 1. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REPS 5
#define REP_BUDGET_NS 2.5e8
#define LAT_SAMPLES 400
#define LAT_BUDGET_NS 4e9

typedef int (*add_fn)(int, int);
typedef long (*spin_fn)(long);

static add_fn *adds;
static spin_fn *spins;
static int n_plugins;
static volatile long sink;
static clockid_t loop_clock = CLOCK_MONOTONIC;

static double clock_ns(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static double now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

static long rss_kb(void) {
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &size, &resident) != 2) resident = 0;
    if (f) fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* `calls` calls of `add`, cycling over the first `n` plugins; elapsed ns. */
__attribute__((noinline)) static double loop_rr(long calls, int n) {
    long acc = 0;
    int k = 0;
    double t0 = clock_ns(loop_clock);
    for (long i = 0; i < calls; i++) {
        acc += adds[k]((int)i, 1);
        if (++k == n) k = 0;
    }
    double t = clock_ns(loop_clock) - t0;
    sink = acc;
    return t;
}

/* Warm-up (at least two rounds over the plugins; sizes the repetitions), then
 * REPS repetitions; median ns per call. */
static double bench(int n) {
    long warm = 20000 > 2L * n ? 20000 : 2L * n;
    double per = loop_rr(warm, n) / warm;
    long calls = (long)(REP_BUDGET_NS / per);
    if (calls < 10L * n) calls = 10L * n;
    double r[REPS];
    for (int i = 0; i < REPS; i++) r[i] = loop_rr(calls, n) / calls;
    qsort(r, REPS, sizeof r[0], cmp);
    return r[REPS / 2];
}

static volatile int stop_spin;

static void *spinner(void *arg) {
    long n = *(long *)arg, acc = 0;
    while (!stop_spin) acc += spins[0](n);
    sink = acc;
    return NULL;
}

static int latency(void) {
    /* Size spin() to ~50 ms on this machine. */
    long n = 100000;
    double t0 = now_ns();
    if (spins[0](n) != n) {
        fprintf(stderr, "spin(%ld) returned a wrong value\n", n);
        return 1;
    }
    double per = (now_ns() - t0) / n;
    n = (long)(5e7 / (per > 0 ? per : 1));
    pthread_t t;
    pthread_create(&t, NULL, spinner, &n);
    struct timespec pause = {0, 200000}; /* 0.2 ms between samples */
    nanosleep(&pause, NULL);
    static double lat[LAT_SAMPLES];
    int got = 0;
    double start = now_ns();
    while (got < LAT_SAMPLES && now_ns() - start < LAT_BUDGET_NS) {
        double a = now_ns();
        int v = adds[1](got, 1);
        lat[got++] = now_ns() - a;
        if (v != got) {
            fprintf(stderr, "latency: add(%d, 1) = %d\n", got - 1, v);
            stop_spin = 1;
            pthread_join(t, NULL);
            return 1;
        }
        nanosleep(&pause, NULL);
    }
    stop_spin = 1;
    pthread_join(t, NULL);
    qsort(lat, got, sizeof lat[0], cmp);
    int p99 = (int)(got * 0.99);
    if (p99 >= got) p99 = got - 1;
    printf("lat_p50_us %.1f\nlat_p99_us %.1f\nlat_max_us %.1f\nlat_n %d\n", lat[got / 2] / 1e3, lat[p99] / 1e3,
           lat[got - 1] / 1e3, got);
    return 0;
}

int main(int argc, char **argv) {
    const char *dir = NULL;
    int with_latency = 0, rr_only = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--latency")) with_latency = 1;
        else if (!strcmp(argv[i], "--cpu-time")) loop_clock = CLOCK_THREAD_CPUTIME_ID;
        else if (!strcmp(argv[i], "--rr-only")) rr_only = 1;
        else if (!dir) dir = argv[i];
        else n_plugins = atoi(argv[i]);
    }
    if (!dir || n_plugins < 1) {
        fprintf(stderr, "usage: %s DIR N [--latency] [--cpu-time] [--rr-only]\n", argv[0]);
        return 2;
    }
    adds = calloc(n_plugins, sizeof *adds);
    spins = calloc(n_plugins, sizeof *spins);
    long rss0 = rss_kb(), rss1 = 0;
    double t0 = now_ns(), t1 = 0;
    for (int i = 0; i < n_plugins; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/p%03d.so", dir, i);
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            fprintf(stderr, "dlopen: %s\n", dlerror());
            return 1;
        }
        adds[i] = (add_fn)dlsym(h, "add");
        spins[i] = (spin_fn)dlsym(h, "spin");
        if (!adds[i] || !spins[i]) {
            fprintf(stderr, "dlsym: %s lacks add or spin\n", path);
            return 1;
        }
        int v = adds[i](i, 1);
        if (v != i + 1) {
            fprintf(stderr, "first call into %s: add(%d, 1) = %d\n", path, i, v);
            return 1;
        }
        if (i == 0) {
            t1 = now_ns();
            rss1 = rss_kb();
        }
    }
    double t2 = now_ns();
    long rss2 = rss_kb();
    printf("load_first_ms %.3f\nrss_first_kb %ld\n", (t1 - t0) / 1e6, rss1 - rss0);
    if (n_plugins > 1)
        printf("load_ms %.3f\nrss_kb %.1f\n", (t2 - t1) / 1e6 / (n_plugins - 1),
               (double)(rss2 - rss1) / (n_plugins - 1));
    fflush(stdout);
    if (!rr_only) printf("one_ns %.1f\n", bench(1));
    printf("rr_ns %.1f\n", bench(n_plugins));
    fflush(stdout);
    if (with_latency && n_plugins >= 2 && latency()) return 1;
    return 0;
}
