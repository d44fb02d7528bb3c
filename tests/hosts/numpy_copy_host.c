/* numpy_copy_host PLUGIN.so: hands a main-interpreter plugin malloc'd
 * buffers and a struct, frees them after the call, calls again; under
 * valgrind any use of the freed memory by the script's numpy arrays is an
 * invalid read or write. The host must see exactly what the script wrote.
 * Prints "numpy_copy_host: N passed, M failed". */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { int n; double samples[8]; } Frame;

static int passed, failed;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    double (*keep)(double *, size_t, const double *, size_t, Frame *) =
        (double (*)(double *, size_t, const double *, size_t, Frame *))dlsym(lib, "keep");
    double (*use_kept)(void) = (double (*)(void))dlsym(lib, "use_kept");
    if (!keep || !use_kept) { printf("FAIL missing exports\n"); return 2; }

    for (int round = 0; round < 3; round++) {
        double *values = malloc(8 * sizeof *values);
        double *consts = malloc(4 * sizeof *consts);
        Frame *frame = malloc(sizeof *frame);
        for (int i = 0; i < 8; i++) values[i] = i + round;
        for (int i = 0; i < 4; i++) consts[i] = 10.0 * (i + 1);
        frame->n = 8;
        for (int i = 0; i < 8; i++) frame->samples[i] = 0.5 * i;
        double r = keep(values, 8, consts, 4, frame);
        CHECK(r == 100.0 + 42.0, "keep = %g", r);
        int exact = values[0] == 42.0;
        for (int i = 1; i < 8; i++) exact &= values[i] == 2.0 * (i + round);
        CHECK(exact, "values %g %g %g ... %g", values[0], values[1], values[2], values[7]);
        CHECK(consts[0] == 10.0 && consts[3] == 40.0, "consts %g %g", consts[0], consts[3]);
        double want_f[8], sum_f = 0.0;
        int fine = frame->n == 8;
        for (int i = 0; i < 8; i++) {
            want_f[i] = i == 5 ? -5.0 : i == 6 ? (0.5 * i + 1.0) * 10.0 : 0.5 * i + 1.0;
            fine &= frame->samples[i] == want_f[i];
            sum_f += want_f[i];
        }
        CHECK(fine, "frame %g %g %g %g", frame->samples[0], frame->samples[5], frame->samples[6],
              frame->samples[7]);
        free(values);
        free(consts);
        free(frame);
        /* The kept arrays still hold their copies: `f` was refreshed when
         * `frame.samples[4:6]` was taken, before `g[1] = -5`. */
        double sum_a = 42.0;
        for (int i = 1; i < 8; i++) sum_a += 2.0 * (i + round);
        double kept_f = sum_f - want_f[5] + (0.5 * 5 + 1.0);
        double want = sum_a + 100.0 + kept_f + (0.5 * 4 + 1.0 - 5.0) + 2.0 * (1 + round) + 40.0;
        r = use_kept();
        CHECK(r == want, "use_kept = %g (want %g)", r, want);
    }
    printf("numpy_copy_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
