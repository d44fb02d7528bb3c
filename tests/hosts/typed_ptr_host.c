/* typed_ptr_host PLUGIN.so: calls the exports of
 * tests/headers/generic/typed_ptr.h and checks host memory afterwards. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct Point { int x; int y; } Point;
static int passed, failed;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    int (*invert)(unsigned, unsigned, const uint32_t *, uint32_t *) =
        (int (*)(unsigned, unsigned, const uint32_t *, uint32_t *))dlsym(lib, "invert");
    int (*bump)(int16_t **) = (int (*)(int16_t **))dlsym(lib, "bump");
    int (*choose)(Point **, Point *) = (int (*)(Point **, Point *))dlsym(lib, "choose");
    double (*keep)(double *) = (double (*)(double *))dlsym(lib, "keep");
    int (*use_kept)(void) = (int (*)(void))dlsym(lib, "use_kept");
    const Point *(*pick)(Point *, Point *, int) = (const Point *(*)(Point *, Point *, int))dlsym(lib, "pick");
    if (!invert || !bump || !choose || !keep || !use_kept || !pick) { printf("FAIL missing exports\n"); return 2; }

    /* .array(n) with the length the script knows (width * height). */
    uint32_t in[6] = {0, 1, 0xFF000000u, 0x12345678u, 0xFFFFFFFFu, 7};
    uint32_t out[7];
    memset(out, 0xAB, sizeof out);
    int r = invert(3, 2, in, out);
    int ok = r == 6 && out[6] == 0xABABABABu;
    for (int i = 0; i < 6; i++) ok = ok && out[i] == (in[i] ^ 0x00FFFFFFu);
    CHECK(ok, "invert = %d, out[0] = %08x, out[6] = %08x", r, out[0], out[6]);
    r = invert(3, 2, NULL, out);
    CHECK(r == -1, "invert(NULL) = %d", r);

    /* Ptr[Ptr[int]]: .value.value reads and writes the inner pointee. */
    int16_t cell = 41;
    int16_t *pcell = &cell;
    r = bump(&pcell);
    CHECK(r == 41 && cell == 42 && pcell == &cell, "bump = %d, cell = %d", r, cell);
    pcell = NULL;
    r = bump(&pcell);
    CHECK(r == -1, "bump(&NULL) = %d", r);
    r = bump(NULL);
    CHECK(r == -2, "bump(NULL) = %d", r);

    /* *slot = other: a struct pointer the script assigns. */
    Point a = {5, 6}, b = {7, 8}, neg = {-1, 0};
    Point *slot = &a;
    r = choose(&slot, &b);
    CHECK(r == 5 && slot == &b, "choose = %d, slot = %p (b at %p)", r, (void *)slot, (void *)&b);
    r = choose(&slot, &neg);
    CHECK(r == 7 && slot == NULL, "choose(neg) = %d, slot = %p", r, (void *)slot);

    /* Struct pointer results: a new struct, the host's own, NULL. */
    const Point *p = pick(&a, &b, 0);
    CHECK(p && p->x == 3 && p->y == 4, "pick(0) = %p", (void *)p);
    p = pick(&a, &b, 1);
    CHECK(p == &b, "pick(1) = %p (b at %p)", (void *)p, (void *)&b);
    p = pick(&a, &b, -1);
    CHECK(p == NULL, "pick(-1) = %p", (void *)p);

    /* Kept pointers and arrays are revoked after the call. */
    double samples[2] = {1.5, 2.0};
    double t = keep(samples);
    CHECK(t == 3.5 && samples[0] == 0.25, "keep = %g, samples[0] = %g", t, samples[0]);
    memset(samples, 0, sizeof samples);
    r = use_kept();
    CHECK(r == 3, "use_kept = %d (1: Ptr revoked, 2: its array revoked)", r);

    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
