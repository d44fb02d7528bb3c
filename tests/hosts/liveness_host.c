/* Liveness of plugins whose calls run on different host threads:
 *   liveness_host handoff LIB_A LIB_B LIB_C   thread 1 spins in A until the
 *       main thread has called B, unloaded B and called C, which sets the
 *       flag A waits for: each must get the GIL while A's call keeps it busy
 *       (a frozen B or C means A times out, and the host says so).
 *   liveness_host selfrelease LIB_A LIB_B LIB_C LIB_D   D loads first and is
 *       unloaded again (the GIL watchdog that ticks is the first library's:
 *       another must take over); then thread 1 spins in A while the main
 *       thread calls B, whose Python lets go of the GIL by itself (sleeps, a
 *       file read, a lock wait) and takes it back inside CPython, then makes
 *       C's first call (C's first load: imports, reads), which sets the flag
 *       A waits for: both must get the GIL back while A spins.
 *   liveness_host pingpong LIB_A LIB_B  A and B (own-GIL) play ping-pong on a
 *       counter with GIL switching off: both finish only if they run at once.
 *   liveness_host dlclose LIB_A         dlclose(A) while thread 1 spins in A:
 *       the call is interrupted (its error value, -1) and dlclose returns;
 *       only then does the host set the flag (a dlclose that waited for the
 *       call's natural end would let the spin time out: 0).
 * Timeouts only detect failure; the figures printed are for the report. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int (*spin_fn)(int *, size_t, double);
typedef int (*set_fn)(int *, size_t, int, int);
typedef int (*pong_fn)(int *, size_t, int, int, double);

static const double TIMEOUT = 30.0; /* only a frozen or serialized run reaches it */
static volatile int FLAGS[3];
static int failed;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void check(int ok, const char *what) { printf("%s: %s\n", ok ? "ok" : "FAIL", what); if (!ok) failed++; }

static void *open_lib(const char *path) {
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("FAIL dlopen %s: %s\n", path, dlerror()); exit(2); }
    return h;
}
static void *sym(void *h, const char *name) {
    void *f = dlsym(h, name);
    if (!f) { printf("FAIL dlsym %s\n", name); exit(2); }
    return f;
}

/* The plugin's first call (start Python, create its interpreter) on the main
 * thread, so the threads below measure calls, not loading. */
static void warm_up(void *h) {
    int scratch[3] = {0, 0, 0};
    check(((set_fn)sym(h, "set_flag"))(scratch, 3, 2, 7) == 1 && scratch[2] == 7, "plugin loads and writes a flag");
}

static spin_fn SPIN; static int SPIN_RESULT;
static void *spinner(void *arg) { (void)arg; SPIN_RESULT = SPIN((int *)FLAGS, 3, TIMEOUT); return NULL; }

static void wait_started(void) { while (!FLAGS[1]) sched_yield(); }

/* While A spins, the main thread calls B, unloads B, then calls C, whose
 * call sets the flag A waits for. */
static int handoff(const char *a, const char *b, const char *c) {
    void *ha = open_lib(a), *hb = open_lib(b), *hc = open_lib(c);
    warm_up(ha); warm_up(hb); warm_up(hc);
    SPIN = (spin_fn)sym(ha, "spin_until");
    set_fn set_b = (set_fn)sym(hb, "set_flag"), set_c = (set_fn)sym(hc, "set_flag");
    pthread_t t;
    pthread_create(&t, NULL, spinner, NULL);
    wait_started();
    double t0 = now();
    int r = set_b((int *)FLAGS, 3, 2, 1);
    double t1 = now();
    dlclose(hb);
    double t2 = now();
    r += set_c((int *)FLAGS, 3, 0, 1);
    double t3 = now();
    pthread_join(t, NULL);
    printf("handoff: while A spun, a call into B took %.3f ms, unloading B %.3f ms, a call into C %.3f ms\n",
           (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3);
    check(r == 2 && FLAGS[2] == 1, "B's and C's calls returned 1 and wrote their flags");
    check(SPIN_RESULT == 1, "A saw C's flag before its timeout (B and C were not frozen behind A)");
    dlclose(hc);
    dlclose(ha);
    return failed;
}

/* While A spins, the main thread calls B (which releases and re-takes the
 * GIL by itself) and then C for the first time (its load), whose call sets
 * the flag A waits for. */
static int self_release(const char *a, const char *b, const char *c, const char *d) {
    void *hd = open_lib(d);
    warm_up(hd);
    void *ha = open_lib(a), *hb = open_lib(b), *hc = open_lib(c);
    warm_up(ha); warm_up(hb); /* C stays cold: its first load happens below */
    dlclose(hd);
    SPIN = (spin_fn)sym(ha, "spin_until");
    set_fn sleep_b = (set_fn)sym(hb, "sleep_then_set"), set_c = (set_fn)sym(hc, "set_flag");
    pthread_t t;
    pthread_create(&t, NULL, spinner, NULL);
    wait_started();
    double t0 = now();
    int rb = sleep_b((int *)FLAGS, 3, 2, 1);
    double t1 = now();
    int rc = set_c((int *)FLAGS, 3, 0, 1);
    double t2 = now();
    pthread_join(t, NULL);
    printf("selfrelease: while A spun, B's sleeping call took %.3f ms, C's first call (its load) %.3f ms\n",
           (t1 - t0) * 1e3, (t2 - t1) * 1e3);
    check(rb == 1 && FLAGS[2] == 1, "B's call returned 1 and wrote its flag");
    check(rc == 1, "C loaded and its first call returned 1");
    check(SPIN_RESULT == 1, "A saw C's flag before its timeout (B and C got the GIL back while A spun)");
    dlclose(hc);
    dlclose(hb);
    dlclose(ha);
    return failed;
}

static pong_fn PONG[2]; static int PONG_RESULT[2]; static int ROUNDS = 20;
static void *player(void *arg) {
    long me = (long)arg;
    PONG_RESULT[me] = PONG[me]((int *)FLAGS, 3, (int)me, ROUNDS, TIMEOUT);
    return NULL;
}

static int pingpong(const char *a, const char *b) {
    void *h[2] = {open_lib(a), open_lib(b)};
    pthread_t t[2];
    for (long i = 0; i < 2; i++) { warm_up(h[i]); PONG[i] = (pong_fn)sym(h[i], "ping_pong"); }
    double t0 = now();
    for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, player, (void *)i);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    printf("pingpong: %d rounds in %.3f ms\n", ROUNDS, (now() - t0) * 1e3);
    check(PONG_RESULT[0] == 1 && PONG_RESULT[1] == 1, "both players made every move (they ran at the same time)");
    check(FLAGS[2] == 2 * ROUNDS, "the counter saw every move");
    return failed;
}

static int unload_busy(const char *a) {
    void *ha = open_lib(a);
    warm_up(ha);
    SPIN = (spin_fn)sym(ha, "spin_until");
    pthread_t t;
    pthread_create(&t, NULL, spinner, NULL);
    wait_started();
    double t0 = now();
    dlclose(ha);
    double took = now() - t0;
    FLAGS[0] = 1; /* only now may the spin see its flag */
    pthread_join(t, NULL);
    printf("dlclose: returned after %.3f ms while a call was running\n", took * 1e3);
    check(SPIN_RESULT == -1, "dlclose interrupted the running call (error value -1, not a timeout)");
    return failed;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc >= 5 && !strcmp(argv[1], "handoff")) handoff(argv[2], argv[3], argv[4]);
    else if (argc >= 6 && !strcmp(argv[1], "selfrelease")) self_release(argv[2], argv[3], argv[4], argv[5]);
    else if (argc >= 4 && !strcmp(argv[1], "pingpong")) pingpong(argv[2], argv[3]);
    else if (argc >= 3 && !strcmp(argv[1], "dlclose")) unload_busy(argv[2]);
    else { fprintf(stderr, "usage: %s handoff LIB_A LIB_B LIB_C | selfrelease LIB_A LIB_B LIB_C LIB_D | pingpong LIB_A LIB_B | dlclose LIB\n", argv[0]); return 2; }
    printf("liveness_host: %d failed\n", failed);
    return failed ? 1 : 0;
}
