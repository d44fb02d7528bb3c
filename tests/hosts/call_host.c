/* Calls compute(10) of a plugin and prints the result:  call_host LIB
 * (start-up error tests: the host must survive and see the error value). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("dlopen failed: %s\n", dlerror()); return 2; }
    int (*compute)(int) = (int (*)(int))dlsym(h, "compute");
    int (*ident)(void) = (int (*)(void))dlsym(h, "ident");
    printf("compute(10) = %d\n", compute(10));
    printf("compute(10) = %d\n", compute(10));
    printf("ident() = %d\n", ident());
    dlclose(h);
    printf("host still running\n");
    return 0;
}
