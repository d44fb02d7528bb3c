/* Returned strings belong to the calling thread:  string_host LIB THREADS N
 * THREADS threads each call res_text(who, n) N times; each checks its string
 * right after the call and again (several times) just before its next call,
 * while the other threads call the same export. Any difference is a string
 * freed or reused under the thread that was reading it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *(*text)(int, int);
static int n_calls;

static void expected(char *out, size_t cap, int who, int n) {
    int len = snprintf(out, cap, "thread %d call %d ", who, n);
    for (int i = 0; i < n % 61; i++) out[len + i] = 'x';
    out[len + n % 61] = 0;
}

static void *worker(void *arg) {
    int who = (int)(long)arg;
    long wrong = 0;
    char want[256];
    for (int n = 0; n < n_calls; n++) {
        const char *p = text(who, n);
        expected(want, sizeof want, who, n);
        int bad = !p || strcmp(p, want) != 0;
        /* Keep reading it while the other threads call. */
        for (int k = 0; k < 4 && !bad; k++) bad = strcmp(p, want) != 0;
        if (bad) {
            if (wrong < 3) printf("FAIL: thread %d call %d read \"%.40s\"\n", who, n, p ? p : "(null)");
            wrong++;
        }
    }
    return (void *)wrong;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 4) { fprintf(stderr, "usage: %s LIB THREADS N\n", argv[0]); return 2; }
    int threads = atoi(argv[2]);
    n_calls = atoi(argv[3]);
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    text = (const char *(*)(int, int))dlsym(lib, "res_text");
    pthread_t t[64];
    for (int i = 0; i < threads && i < 64; i++) pthread_create(&t[i], NULL, worker, (void *)(long)(i + 1));
    long wrong = 0;
    for (int i = 0; i < threads && i < 64; i++) {
        void *r;
        pthread_join(t[i], &r);
        wrong += (long)r;
    }
    printf("string_host: %d threads x %d calls, %ld wrong strings\n", threads, n_calls, wrong);
    printf("string_host: %ld failed\n", wrong);
    return wrong ? 1 : 0;
}
