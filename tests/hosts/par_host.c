/* Own-GIL plugins in parallel:  par_host LIB1 LIB2 N
 * Times spin(N) in both plugins one after the other on one thread, then both
 * at once on two host threads, and prints the speed-up. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef long long (*spin_fn)(int);
static spin_fn S[2]; static int N; static long long R[2];
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void *run(void *arg) { long i = (long)arg; R[i] = S[i](N); return NULL; }

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 4) { fprintf(stderr, "usage: %s LIB1 LIB2 N\n", argv[0]); return 2; }
    N = atoi(argv[3]);
    for (int i = 0; i < 2; i++) {
        void *h = dlopen(argv[1 + i], RTLD_NOW | RTLD_LOCAL);
        if (!h) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
        S[i] = (spin_fn)dlsym(h, "spin");
        S[i](1000); /* load + warm up on this thread */
    }
    /* warm up each plugin on the threads' first call too */
    double t0 = now(); R[0] = S[0](N); R[1] = S[1](N); double serial = now() - t0;
    long long want = R[0];
    pthread_t a, b;
    t0 = now();
    pthread_create(&a, NULL, run, (void *)0); pthread_create(&b, NULL, run, (void *)1);
    pthread_join(a, NULL); pthread_join(b, NULL);
    double parallel = now() - t0;
    int ok = R[0] == want && R[1] == want;
    printf("par_host: serial %.3f s, parallel %.3f s, speed-up %.2fx\n", serial, parallel, serial / parallel);
    printf("par_host: speedup=%.2f\n", serial / parallel);
    printf("par_host: %d passed, %d failed\n", ok, !ok);
    return ok ? 0 : 1;
}
