/* The README tour's host: loads out/bench.so (built from the tour's bench.h,
 * bench.py and bench.toml exactly as the README shows them) and checks what
 * each export returns.  Compiled with -I the tour's folder:
 *   tour_host LIBRARY */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include "bench.h"

static int failed, passed, logged;
#define CHECK(cond, ...) do { if (cond) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

static int on_log(const char *message, int level) {
    char want[32]; snprintf(want, sizeof want, "message %d", level);
    CHECK(strcmp(message, want) == 0, "log got '%s'", message);
    logged++;
    return level;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: tour_host LIBRARY\n"); return 2; }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    int (*add_)(int, int) = (int (*)(int, int))dlsym(lib, "add");
    int (*fill_)(Record *, int) = (int (*)(Record *, int))dlsym(lib, "fill");
    double (*sum_)(const double *, size_t) = (double (*)(const double *, size_t))dlsym(lib, "sum");
    int (*call_log_)(LogFn, int) = (int (*)(LogFn, int))dlsym(lib, "call_log");
    if (!add_ || !fill_ || !sum_ || !call_log_) { printf("FAIL missing export\n"); return 2; }
    CHECK(add_(2, 3) == 5, "add(2, 3)");
    Record r; memset(&r, 0, sizeof r);
    CHECK(fill_(&r, 7) == 7, "fill returned");
    CHECK(r.id == 7 && r.value == 1.75 && strcmp(r.name, "record-7") == 0,
          "fill wrote id %d value %g name '%s'", r.id, r.value, r.name);
    double values[] = {1.0, 2.0, 3.5};
    CHECK(sum_(values, 3) == 6.5, "sum");
    CHECK(call_log_(on_log, 4) == 6 && logged == 4, "call_log: %d calls", logged);
    printf("tour_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
