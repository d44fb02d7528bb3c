/* A host that forks while its threads call the plugin:
 *   fork_host LIB THREADS FORKS [GRANDCHILDREN]
 * Loads LIB (a life.h plugin, dlopen RTLD_LOCAL) and calls it, starts THREADS
 * host threads that call it in a loop (a CPU-bound spin() and a short
 * compute(), every result checked), and forks FORKS times meanwhile. Each
 * child calls the plugin on its forking thread and on a new thread, checks
 * the results and exits 0; with GRANDCHILDREN it first forks a grandchild
 * that does the same. A child that does not exit within 20 s is killed and
 * counts as hung: the timeout only detects failure. Then the threads stop and their
 * results are checked, and the host forks once more after dlclose. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int (*compute)(int);
static long long (*spin)(int);
static int ident;
static atomic_int stop;
static atomic_long calls, wrong;

static long long spin_c(int n) {
    long long acc = 0;
    for (int i = 0; i < n; i++) acc = (acc * 31 + i) & 0xFFFFFFFFLL;
    return acc;
}

static int expect(int x) { return (x * 3 + ident) & 0x7FFFFFFF; }

/* One round of calls; 1 when every result is right. */
static int calls_ok(int spin_n) {
    int ok = 1;
    for (int x = 0; x < 5; x++) ok &= compute(x) == expect(x);
    ok &= spin(spin_n) == spin_c(spin_n);
    return ok;
}

static void *worker(void *arg) {
    long i = (long)arg;
    while (!atomic_load(&stop)) {
        int n = 20000 + (int)(i * 1000);
        if (!calls_ok(n)) atomic_fetch_add(&wrong, 1);
        atomic_fetch_add(&calls, 1);
    }
    return NULL;
}

static void *child_thread(void *arg) {
    *(int *)arg = calls_ok(1000);
    return NULL;
}

/* What a child (or grandchild) does: calls on this thread and a new one. */
static int child_calls(void) {
    int ok = calls_ok(5000);
    int t_ok = 0;
    pthread_t t;
    if (pthread_create(&t, NULL, child_thread, &t_ok) != 0) return 0;
    pthread_join(t, NULL);
    return ok && t_ok && calls_ok(100);
}

/* Waits up to 20 s for `pid` (then kills it: hung); its exit code, -1 if
 * it was killed or hung. A failure detector, never a speed check. */
static int wait_child(pid_t pid) {
    int st;
    for (int i = 0; i < 2000; i++) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        if (r < 0) return -1;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return -1;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 4) { fprintf(stderr, "usage: %s LIB THREADS FORKS [GRANDCHILDREN]\n", argv[0]); return 2; }
    int nthreads = atoi(argv[2]), forks = atoi(argv[3]);
    int grand = argc > 4 && atoi(argv[4]);
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    compute = (int (*)(int))dlsym(h, "compute");
    spin = (long long (*)(int))dlsym(h, "spin");
    int (*ident_fn)(void) = (int (*)(void))dlsym(h, "ident");
    ident = ident_fn();
    if (!calls_ok(1000)) { printf("FAIL: the parent's first calls\n"); return 1; }
    pthread_t th[64];
    for (long i = 0; i < nthreads; i++) pthread_create(&th[i], NULL, worker, (void *)i);
    int ok = 0, failed = 0, hung = 0, gok = 0, gbad = 0;
    for (int f = 0; f < forks; f++) {
        usleep(3000 + (f % 5) * 2000); /* let the threads get into their calls */
        pid_t pid = fork();
        if (pid == 0) {
            int code = 0;
            if (grand) {
                pid_t g = fork();
                if (g == 0) _exit(child_calls() ? 0 : 1);
                code = g < 0 || wait_child(g) != 0 ? 4 : 0;
            }
            if (!child_calls()) code |= 1;
            _exit(code);
        }
        if (pid < 0) { failed++; continue; }
        int code = wait_child(pid);
        if (code == 0) ok++;
        else if (code < 0) hung++;
        else failed++;
        if (grand) {
            if (code >= 0 && !(code & 4)) gok++;
            else gbad++;
        }
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < nthreads; i++) pthread_join(th[i], NULL);
    int parent_ok = atomic_load(&wrong) == 0 && calls_ok(1000);
    printf("fork_host: threads=%d children ok %d/%d, failed %d, hung %d", nthreads, ok, forks, failed, hung);
    if (grand) printf(", grandchildren ok %d/%d", gok, gok + gbad);
    printf("; parent threads %ld calls, %ld wrong\n", atomic_load(&calls), atomic_load(&wrong));
    /* Unloaded, the library's fork handlers must be gone with it. */
    dlclose(h);
    pid_t last = fork();
    if (last == 0) _exit(0);
    int after_unload = last > 0 && wait_child(last) == 0;
    if (!after_unload) printf("FAIL: fork after dlclose\n");
    int all = ok == forks && parent_ok && (!grand || gok == forks) && after_unload;
    printf("fork_host: %d passed, %d failed\n", all, !all);
    return all ? 0 : 1;
}
