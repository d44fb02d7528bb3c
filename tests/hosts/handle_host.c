/* Stale handles stay dead:  handle_host LIB N
 * Opens and closes a handle (h1), then opens and closes N more through the
 * same slot; h1 must never name one of them: res_read(h1) is the error value
 * (-1) every time, never another object's id. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 3) { fprintf(stderr, "usage: %s LIB N\n", argv[0]); return 2; }
    int n = atoi(argv[2]);
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    void *(*open_)(int) = (void *(*)(int))dlsym(lib, "res_open");
    int (*read_)(void *) = (int (*)(void *))dlsym(lib, "res_read");
    int (*close_)(void *) = (int (*)(void *))dlsym(lib, "res_close");
    int failed = 0, same_value = 0, stale_live = 0;
    void *h1 = open_(1);
    if (!h1 || read_(h1) != 1 || close_(h1) != 0) { printf("FAIL: first handle\n"); failed++; }
    for (int i = 2; i < n + 2; i++) {
        void *h = open_(i);
        if (!h) { printf("FAIL: open %d returned NULL\n", i); failed++; break; }
        if (h == h1) same_value++;
        int r = read_(h1);
        if (r != -1) {
            if (stale_live++ < 3) printf("FAIL: after %d reuses the stale handle %p reads %d\n", i - 1, h1, r);
            failed++;
        }
        if (close_(h) != 0) { printf("FAIL: close %d\n", i); failed++; break; }
    }
    printf("handle_host: %d reuses, stale value given out again %d times, stale handle live %d times\n",
           n, same_value, stale_live);
    printf("handle_host: %d failed\n", failed);
    return failed ? 1 : 0;
}
