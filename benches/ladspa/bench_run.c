/* bench_run.c - times a LADSPA plugin's run() the way an audio host calls it.
 *
 *   bench_run LIB.so LABEL [N ...]          (default block sizes: 64 1024)
 *
 * Build: gcc -O2 -o bench_run bench_run.c -ldl -lm
 *
 * Purpose: compare the per-block cost of the Python-implemented effects with
 * the same effects in C (c_effects.so).  An audio host calls run() once per
 * block, so the number that matters is ns per call at typical block sizes:
 * small blocks expose the fixed cost of crossing into the plugin, large
 * blocks the per-sample cost.
 *
 * Output, one line per block size (machine-readable):
 *   run LABEL N ns_per_call ns_per_sample
 * Errors go to stderr with exit status 1.
 *
 * Works for any plugin whose ports are control inputs (set to their declared
 * defaults), control outputs (a dummy) and audio ports (float buffers); the
 * epy effects have 1 control in, 1 audio in, 1 audio out.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ladspa.h"

#define SAMPLE_RATE 48000
#define MIN_TIMED_NS 3.0e8   /* each timed repetition lasts at least 0.3 s */
#define WARMUP_NS 5.0e7      /* 0.05 s: caches, branch predictors, lazy init */
#define REPS 3               /* median of 3 absorbs one disturbed repetition */
#define MAX_PORTS 64

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static void die(const char *msg, const char *detail)
{
    fprintf(stderr, "bench_run: %s%s%s\n", msg, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

/* The value a host would show for a control port before the user touches it,
 * following the rules in ladspa.h (bounds scale with SAMPLE_RATE hints).
 * Without a default hint, the lower bound, else the upper bound, else 0. */
static LADSPA_Data default_value(const LADSPA_PortRangeHint *h, unsigned long rate)
{
    LADSPA_PortRangeHintDescriptor d = h->HintDescriptor;
    double lo = h->LowerBound, hi = h->UpperBound;
    if (LADSPA_IS_HINT_SAMPLE_RATE(d)) { lo *= rate; hi *= rate; }
    int lg = LADSPA_IS_HINT_LOGARITHMIC(d) && lo > 0 && hi > 0;
    double v;
    switch (d & LADSPA_HINT_DEFAULT_MASK) {
    case LADSPA_HINT_DEFAULT_MINIMUM: v = lo; break;
    case LADSPA_HINT_DEFAULT_LOW:     v = lg ? exp(log(lo) * 0.75 + log(hi) * 0.25) : lo * 0.75 + hi * 0.25; break;
    case LADSPA_HINT_DEFAULT_MIDDLE:  v = lg ? exp(log(lo) * 0.5 + log(hi) * 0.5) : lo * 0.5 + hi * 0.5; break;
    case LADSPA_HINT_DEFAULT_HIGH:    v = lg ? exp(log(lo) * 0.25 + log(hi) * 0.75) : lo * 0.25 + hi * 0.75; break;
    case LADSPA_HINT_DEFAULT_MAXIMUM: v = hi; break;
    case LADSPA_HINT_DEFAULT_0:       v = 0; break;
    case LADSPA_HINT_DEFAULT_1:       v = 1; break;
    case LADSPA_HINT_DEFAULT_100:     v = 100; break;
    case LADSPA_HINT_DEFAULT_440:     v = 440; break;
    default:
        v = LADSPA_IS_HINT_BOUNDED_BELOW(d) ? lo : LADSPA_IS_HINT_BOUNDED_ABOVE(d) ? hi : 0;
    }
    return (LADSPA_Data)v;
}

static const LADSPA_Descriptor *find_descriptor(const char *lib, const char *label)
{
    /* RTLD_LOCAL: a host must not leak one plugin's symbols into the next.
     * The library is never dlclose()d: the process ends right after the
     * benchmark, and unloading an embedded interpreter is not what is
     * measured here. */
    void *dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!dl) die("dlopen failed", dlerror());
    LADSPA_Descriptor_Function fn = (LADSPA_Descriptor_Function)dlsym(dl, "ladspa_descriptor");
    if (!fn) die("no ladspa_descriptor in library", dlerror());
    for (unsigned long i = 0;; i++) {
        const LADSPA_Descriptor *d = fn(i);
        if (!d) break;
        if (strcmp(d->Label, label) == 0) return d;
    }
    fprintf(stderr, "bench_run: no plugin labelled \"%s\" in %s; labels:", label, lib);
    for (unsigned long i = 0; fn(i); i++) fprintf(stderr, " %s", fn(i)->Label);
    fputc('\n', stderr);
    exit(1);
}

static double time_runs(const LADSPA_Descriptor *d, LADSPA_Handle h, unsigned long n, long iters)
{
    double t0 = now_ns();
    for (long i = 0; i < iters; i++) d->run(h, n);
    return now_ns() - t0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_run LIB.so LABEL [N ...]\n");
        return 1;
    }
    unsigned long sizes[64];
    int nsizes = 0;
    for (int i = 3; i < argc && nsizes < 64; i++) {
        char *end;
        long n = strtol(argv[i], &end, 10);
        if (*end || n <= 0) die("block size must be a positive integer", argv[i]);
        sizes[nsizes++] = (unsigned long)n;
    }
    if (nsizes == 0) { sizes[0] = 64; sizes[1] = 1024; nsizes = 2; }
    unsigned long max_n = 0;
    for (int i = 0; i < nsizes; i++) if (sizes[i] > max_n) max_n = sizes[i];

    const LADSPA_Descriptor *d = find_descriptor(argv[1], argv[2]);
    if (d->PortCount > MAX_PORTS) die("too many ports", NULL);

    LADSPA_Handle h = d->instantiate(d, SAMPLE_RATE);
    if (!h) die("instantiate returned NULL", NULL);

    /* Separate input and output buffers (not in place): the input then stays
     * the same deterministic signal for every call, so a gain cannot drive it
     * to overflow or into denormals over millions of runs. */
    static LADSPA_Data controls[MAX_PORTS];
    LADSPA_Data *buffers[MAX_PORTS] = { 0 };
    LADSPA_Data *first_out = NULL;
    for (unsigned long p = 0; p < d->PortCount; p++) {
        LADSPA_PortDescriptor pd = d->PortDescriptors[p];
        if (LADSPA_IS_PORT_CONTROL(pd)) {
            controls[p] = LADSPA_IS_PORT_INPUT(pd) ? default_value(&d->PortRangeHints[p], SAMPLE_RATE) : 0;
            d->connect_port(h, p, &controls[p]);
            continue;
        }
        if (posix_memalign((void **)&buffers[p], 64, max_n * sizeof(LADSPA_Data))) die("out of memory", NULL);
        uint32_t seed = 12345 + (uint32_t)p;
        for (unsigned long i = 0; i < max_n; i++) {
            seed = seed * 1664525u + 1013904223u;
            double noise = (seed >> 8) / 16777216.0 * 2 - 1;
            buffers[p][i] = LADSPA_IS_PORT_INPUT(pd)
                ? (LADSPA_Data)(0.4 * sin(2 * M_PI * 440.0 * i / SAMPLE_RATE) + 0.1 * noise)
                : NAN;   /* sentinel: proves below that run() wrote the output */
        }
        if (LADSPA_IS_PORT_OUTPUT(pd) && !first_out) first_out = buffers[p];
        d->connect_port(h, p, buffers[p]);
    }

    if (d->activate) d->activate(h);

    /* Guard against timing a plugin that does nothing (for instance a Python
     * implementation that failed and returned early): one block must fill
     * every output sample with a finite value. */
    d->run(h, max_n);
    for (unsigned long i = 0; first_out && i < max_n; i++)
        if (!isfinite(first_out[i])) die("run() left output samples unwritten or not finite", NULL);

    for (int s = 0; s < nsizes; s++) {
        unsigned long n = sizes[s];
        /* Warm up while estimating the cost, doubling until WARMUP_NS. */
        long iters = 1;
        double t;
        while ((t = time_runs(d, h, n, iters)) < WARMUP_NS) iters *= 2;
        iters = (long)(iters * (MIN_TIMED_NS * 1.1 / t)) + 1;
        double per_call[REPS];
        for (int r = 0; r < REPS; r++) {
            while ((t = time_runs(d, h, n, iters)) < MIN_TIMED_NS) iters *= 2;
            per_call[r] = t / iters;
        }
        qsort(per_call, REPS, sizeof per_call[0], cmp_double);
        double ns = per_call[REPS / 2];
        printf("run %s %lu %.1f %.3f\n", d->Label, n, ns, ns / n);
        fflush(stdout);
    }

    if (d->deactivate) d->deactivate(h);
    d->cleanup(h);
    for (unsigned long p = 0; p < d->PortCount; p++) free(buffers[p]);
    return 0;
}
