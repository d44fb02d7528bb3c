/* Many Python plugins in one process (a C host, dlopen RTLD_LOCAL):
 *   multi_host N_THREADS CALLS LIB...
 * Loads every LIB, checks isolation (ident, same-named global, same-named
 * module), then N_THREADS host threads call every plugin concurrently CALLS
 * times each, checking every result; meanwhile the main thread unloads the
 * first plugin (dlclose), keeps the others running, and loads it again.
 * Also checks re-entrant calls (plugin -> host -> plugin). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    const char *path;
    void *h;
    int ident;
    int (*ident_fn)(void);
    int (*compute)(int);
    int (*global_value)(void);
    int (*module_value)(void);
    int (*call_host)(int (*)(int), int);
    pthread_rwlock_t lock; /* calls = readers, unload/reload = writer */
    atomic_long calls;
} plugin;

static plugin P[16];
static int NP, NTHREADS = 8, CALLS = 10000;
static atomic_long failures, skipped;
static atomic_int stop; /* set once the unload/reload sequence is done */

static int load(plugin *p) {
    p->h = dlopen(p->path, RTLD_NOW | RTLD_LOCAL);
    if (!p->h) { printf("FAIL dlopen %s: %s\n", p->path, dlerror()); return 0; }
    p->ident_fn = dlsym(p->h, "ident");
    p->compute = dlsym(p->h, "compute");
    p->global_value = dlsym(p->h, "global_value");
    p->module_value = dlsym(p->h, "module_value");
    p->call_host = dlsym(p->h, "call_host");
    return p->ident_fn && p->compute && p->global_value && p->module_value && p->call_host;
}

static int expect(plugin *p, int x) { return (int)(((long)x * 3 + p->ident) & 0x7FFFFFFF); }

static void *worker(void *arg) {
    long t = (long)arg;
    for (int i = 0; i < CALLS || !stop; i++) {
        for (int k = 0; k < NP; k++) {
            plugin *p = &P[k];
            if (pthread_rwlock_tryrdlock(&p->lock) != 0) { skipped++; continue; }
            if (!p->h) { pthread_rwlock_unlock(&p->lock); skipped++; continue; }
            int x = (int)(t * 100000 + i);
            int r = p->compute(x);
            if (r != expect(p, x)) {
                if (failures++ < 5) printf("FAIL thread %ld: %s compute(%d) = %d, want %d\n", t, p->path, x, r, expect(p, x));
            }
            p->calls++;
            pthread_rwlock_unlock(&p->lock);
        }
    }
    return NULL;
}

static plugin *current_reentrant;
static int reenter(int x) { return current_reentrant->compute(x); }

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 4) { fprintf(stderr, "usage: %s THREADS CALLS LIB...\n", argv[0]); return 2; }
    NTHREADS = atoi(argv[1]); CALLS = atoi(argv[2]);
    int passed = 0, failed = 0;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL: "); printf(__VA_ARGS__); printf("\n"); } } while (0)
    for (int i = 3; i < argc; i++) {
        plugin *p = &P[NP++];
        p->path = argv[i];
        pthread_rwlock_init(&p->lock, NULL);
        if (!load(p)) return 2;
    }
    /* isolation: each plugin sees its own globals and its own `helper` module */
    for (int k = 0; k < NP; k++) {
        plugin *p = &P[k];
        p->ident = p->ident_fn();
        CHECK(p->global_value() == p->ident * 1000, "%s: global VALUE %d, want %d", p->path, p->global_value(), p->ident * 1000);
        CHECK(p->module_value() == p->ident * 7, "%s: helper.VALUE %d, want %d", p->path, p->module_value(), p->ident * 7);
        current_reentrant = p;
        CHECK(p->call_host(reenter, 5) == expect(p, 5) + 1, "%s: re-entrant call", p->path);
    }
    for (int a = 0; a < NP; a++)
        for (int b = a + 1; b < NP; b++)
            CHECK(P[a].ident != P[b].ident, "plugins %d and %d share an identity", a, b);

    pthread_t th[64];
    for (long t = 0; t < NTHREADS; t++) pthread_create(&th[t], NULL, worker, (void *)t);
    /* mid-run: unload the first plugin, let the others run, load it again */
    usleep(100000);
    plugin *p0 = &P[0];
    pthread_rwlock_wrlock(&p0->lock);
    long before = p0->calls;
    CHECK(dlclose(p0->h) == 0, "dlclose");
    p0->h = NULL;
    pthread_rwlock_unlock(&p0->lock);
    long others_before = 0, others_after = 0;
    for (int k = 1; k < NP; k++) others_before += P[k].calls;
    usleep(300000);
    for (int k = 1; k < NP; k++) others_after += P[k].calls;
    CHECK(NP == 1 || others_after > others_before, "other plugins kept running while one was unloaded");
    pthread_rwlock_wrlock(&p0->lock);
    int ok = load(p0);
    CHECK(ok, "reload after dlclose");
    pthread_rwlock_unlock(&p0->lock);
    CHECK(ok && p0->ident_fn() == p0->ident, "reloaded plugin works");
    usleep(100000);
    stop = 1;
    for (int t = 0; t < NTHREADS; t++) pthread_join(th[t], NULL);
    long total = 0;
    for (int k = 0; k < NP; k++) total += P[k].calls;
    CHECK(failures == 0, "%ld wrong results", (long)failures);
    CHECK(ok && p0->compute(7) == expect(p0, 7), "the reloaded plugin computes");
    (void)before;
    printf("multi_host: %d plugins, %d threads, %ld checked calls (%ld skipped while unloaded)\n", NP, NTHREADS, total, (long)skipped);
    printf("multi_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
