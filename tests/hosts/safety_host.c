/* safety_host PLUGIN.so: hands the plugin malloc'd memory, frees it after
 * the call, calls again; run under valgrind, any use of the freed memory
 * by the script is an invalid read or write. Also: `__class__` swaps and
 * raw addresses. Prints "safety_host: N passed, M failed". */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char name[8]; } Small;
typedef struct { int n; double samples[16]; } Frame;

static int passed, failed;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    int (*keep)(double *, size_t, const unsigned char *, size_t, Frame *) =
        (int (*)(double *, size_t, const unsigned char *, size_t, Frame *))dlsym(lib, "keep");
    int (*use_kept)(void) = (int (*)(void))dlsym(lib, "use_kept");
    int (*class_swap)(Small *) = (int (*)(Small *))dlsym(lib, "class_swap");
    int (*probe)(void) = (int (*)(void))dlsym(lib, "probe");
    double (*raising)(const double *, size_t) = (double (*)(const double *, size_t))dlsym(lib, "raising");
    if (!keep || !use_kept || !class_swap || !probe || !raising) { printf("FAIL missing exports\n"); return 2; }

    /* Derived memoryviews must not reach freed memory. */
    for (int round = 0; round < 2; round++) {
        double *values = malloc(8 * sizeof *values);
        unsigned char *data = malloc(4);
        Frame *frame = calloc(1, sizeof *frame);
        for (int i = 0; i < 8; i++) values[i] = i;
        memcpy(data, "\x03\x01\x02\x03", 4);
        int r = keep(values, 8, data, 4, frame);
        /* 42 + 43 + 5 + 3 + ... + 7, plus data[0] */
        CHECK(r == 42 + 43 + 5 + 3 + 4 + 5 + 6 + 7 + 3, "keep = %d", r);
        CHECK(values[0] == 42.0 && values[1] == 43.0 && values[2] == 5.0, "values %g %g %g",
              values[0], values[1], values[2]);
        CHECK(frame->samples[1] == 7.0 && frame->samples[2] == 8.0, "frame %g %g",
              frame->samples[1], frame->samples[2]);
        free(values);
        free(data);
        free(frame);
        r = use_kept();
        CHECK(r == 27, "use_kept = %d uses raised (want 27)", r);
    }

    /* No class swap may overflow a struct. */
    Small *s = malloc(sizeof *s);
    strcpy(s->name, "small");
    int r = class_swap(s);
    CHECK(r == 3, "class_swap = %d refused (want 3)", r);
    CHECK(strcmp(s->name, "small") == 0, "s->name = %.8s", s->name);
    free(s);

    r = probe();
    CHECK(r == 0, "probe = %d ways to buffer_at", r);

    double v[2] = {1.5, 2.5};
    double d = raising(v, 2);
    CHECK(d == -1, "raising = %g", d);

    printf("safety_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
