/* host.c - the timing host of the call-overhead benchmark (issue 5).
 *
 *   host LIB [--global] [--first-only] [--cpu-time]
 *
 * dlopens LIB (RTLD_NOW|RTLD_LOCAL, or RTLD_GLOBAL with --global: CFFI needs
 * it), times the first call (clock before dlopen -> after the first `add`),
 * checks every export's result, then times each case: a warm-up, then 5
 * repetitions of N calls; prints the median ns per call. `add_thread` runs
 * its loop on a thread the host creates. N shrinks for slow implementations so
 * one repetition stays near 0.25 s. --cpu-time times the loops with the
 * calling thread's CPU clock instead of the wall clock (first call: always wall).
 *
 * Output, one `case value` per line (machine-readable):
 *   first_call_ms, add_main, add_thread, fill, fill_str, sum, callback (ns per call),
 *   and n_<case> (calls per repetition). Errors go to stderr; exit status 1. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calls.h"

#define REPS 5
#define SUM_N 1024
#define REP_BUDGET_NS 2.5e8

static int (*p_add)(int, int);
static int (*p_fill)(Record *, int);
static int (*p_fill_str)(Record *, int);
static double (*p_sum)(const double *, size_t);
static int (*p_call_cb)(IntFn, int);

static double values[SUM_N];
static volatile long sink;

/* The clock of the loops: wall time (CLOCK_MONOTONIC), or with --cpu-time the
 * calling thread's CPU time, which does not count time the thread spent
 * descheduled (a busy shared machine). */
static clockid_t loop_clock = CLOCK_MONOTONIC;

static double clock_ns(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static double now_ns(void) { return clock_ns(loop_clock); }

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int host_cb(int x) { return x + 1; }

/* One case: runs `calls` calls, returns the elapsed ns. */
typedef double (*loop_fn)(long calls);

static double loop_add(long calls) {
    long acc = 0;
    double t0 = now_ns();
    for (long i = 0; i < calls; i++) acc += p_add((int)i, 1);
    double t = now_ns() - t0;
    sink = acc;
    return t;
}

static double loop_fill(long calls) {
    Record r;
    long acc = 0;
    double t0 = now_ns();
    for (long i = 0; i < calls; i++) acc += p_fill(&r, (int)(i & 0xffff));
    double t = now_ns() - t0;
    sink = acc + r.name[0];
    return t;
}

static double loop_fill_str(long calls) {
    Record r;
    long acc = 0;
    double t0 = now_ns();
    for (long i = 0; i < calls; i++) acc += p_fill_str(&r, (int)(i & 0xffff));
    double t = now_ns() - t0;
    sink = acc + r.name[0];
    return t;
}

static double loop_sum(long calls) {
    double acc = 0;
    double t0 = now_ns();
    for (long i = 0; i < calls; i++) acc += p_sum(values, SUM_N);
    double t = now_ns() - t0;
    sink = (long)acc;
    return t;
}

static double loop_callback(long calls) {
    long acc = 0;
    double t0 = now_ns();
    for (long i = 0; i < calls; i++) acc += p_call_cb(host_cb, (int)i);
    double t = now_ns() - t0;
    sink = acc;
    return t;
}

/* Warm-up (which also sizes N), then REPS repetitions; median ns per call. */
static double bench(loop_fn loop, long n, long *used) {
    long warm = n / 20 > 100 ? n / 20 : 100;
    double per = loop(warm) / warm;
    if (per * n > REP_BUDGET_NS) n = (long)(REP_BUDGET_NS / per);
    if (n < 200) n = 200;
    double r[REPS];
    for (int i = 0; i < REPS; i++) r[i] = loop(n) / n;
    qsort(r, REPS, sizeof r[0], cmp);
    *used = n;
    return r[REPS / 2];
}

struct thread_job {
    loop_fn loop;
    long n, used;
    double result;
};

static void *thread_main(void *arg) {
    struct thread_job *job = arg;
    job->result = bench(job->loop, job->n, &job->used);
    return NULL;
}

static int check(void) {
    int bad = 0;
    if (p_add(2, 3) != 5) fprintf(stderr, "check: add(2, 3) = %d\n", p_add(2, 3)), bad = 1;
    Record r;
    memset(&r, 0x55, sizeof r);
    int ret = p_fill(&r, 42);
    if (ret != 42 || r.id != 42 || r.value != 10.5 || strcmp(r.name, "record-42") != 0)
        fprintf(stderr, "check: fill -> %d {id %d, value %g, name %.63s}\n", ret, r.id, r.value, r.name), bad = 1;
    memset(&r, 0x55, sizeof r);
    ret = p_fill_str(&r, 7);
    if (ret != 7 || r.id != 0x55555555 || strcmp(r.name, "record-7") != 0)
        fprintf(stderr, "check: fill_str -> %d {id %d, name %.63s}\n", ret, r.id, r.name), bad = 1;
    double expect = 0;
    for (int i = 0; i < SUM_N; i++) expect += values[i];
    double got = p_sum(values, SUM_N);
    if (fabs(got - expect) > 1e-9 * fabs(expect))
        fprintf(stderr, "check: sum = %.17g, expected %.17g\n", got, expect), bad = 1;
    if (p_call_cb(host_cb, 41) != 42) fprintf(stderr, "check: call_cb(cb, 41) = %d\n", p_call_cb(host_cb, 41)), bad = 1;
    return bad;
}

int main(int argc, char **argv) {
    const char *lib = NULL;
    int global = 0, first_only = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--global")) global = 1;
        else if (!strcmp(argv[i], "--first-only")) first_only = 1;
        else if (!strcmp(argv[i], "--cpu-time")) loop_clock = CLOCK_THREAD_CPUTIME_ID;
        else lib = argv[i];
    }
    if (!lib) {
        fprintf(stderr, "usage: %s LIB [--global] [--first-only] [--cpu-time]\n", argv[0]);
        return 2;
    }
    for (int i = 0; i < SUM_N; i++) values[i] = i * 0.5 + 0.125;

    double t0 = clock_ns(CLOCK_MONOTONIC);
    void *h = dlopen(lib, RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL));
    if (!h) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    p_add = (int (*)(int, int))dlsym(h, "add");
    p_fill = (int (*)(Record *, int))dlsym(h, "fill");
    p_fill_str = (int (*)(Record *, int))dlsym(h, "fill_str");
    p_sum = (double (*)(const double *, size_t))dlsym(h, "sum");
    p_call_cb = (int (*)(IntFn, int))dlsym(h, "call_cb");
    if (!p_add || !p_fill || !p_fill_str || !p_sum || !p_call_cb) {
        fprintf(stderr, "dlsym: missing export (add %p, fill %p, fill_str %p, sum %p, call_cb %p)\n",
                (void *)p_add, (void *)p_fill, (void *)p_fill_str, (void *)p_sum, (void *)p_call_cb);
        return 1;
    }
    int first = p_add(2, 3);
    double first_ms = (clock_ns(CLOCK_MONOTONIC) - t0) / 1e6;
    printf("first_call_ms %.3f\n", first_ms);
    fflush(stdout);
    if (first != 5) {
        fprintf(stderr, "first call: add(2, 3) = %d\n", first);
        return 1;
    }
    if (first_only) return 0;
    if (check()) return 1;

    long used;
    double v;
#define CASE(name, loop, n)                               \
    v = bench(loop, n, &used);                            \
    printf("%s %.1f\nn_%s %ld\n", name, v, name, used); \
    fflush(stdout);

    CASE("add_main", loop_add, 1000000);
    {
        struct thread_job job = {loop_add, 1000000, 0, 0};
        pthread_t t;
        pthread_create(&t, NULL, thread_main, &job);
        pthread_join(t, NULL);
        printf("add_thread %.1f\nn_add_thread %ld\n", job.result, job.used);
        fflush(stdout);
    }
    CASE("fill", loop_fill, 200000);
    CASE("fill_str", loop_fill_str, 200000);
    CASE("sum", loop_sum, 20000);
    CASE("callback", loop_callback, 200000);
    return 0;
}
