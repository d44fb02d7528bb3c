/* outbuf_host PLUGIN.so: output string buffers filled from Python. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int passed, failed;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    int (*describe)(int, char *, int) = (int (*)(int, char *, int))dlsym(lib, "describe");
    void (*wide_name)(int, uint16_t *, int) = (void (*)(int, uint16_t *, int))dlsym(lib, "wide_name");
    if (!describe || !wide_name) { printf("FAIL missing exports\n"); return 2; }

    char buf[16];
    memset(buf, '#', sizeof buf);
    int r = describe(3, buf, sizeof buf);
    CHECK(r == 8 && strcmp(buf, "item xxx") == 0, "describe(3) = %d '%s'", r, buf);
    r = describe(10, buf, 16); /* "item xxxxxxxxxx" is 15 chars + NUL: fits exactly */
    CHECK(r == 15 && strcmp(buf, "item xxxxxxxxxx") == 0, "describe(10) = %d '%s'", r, buf);
    memset(buf, '#', sizeof buf);
    r = describe(11, buf, 16); /* one too many: the error value, the buffer untouched */
    CHECK(r == -1 && buf[0] == '#', "describe(11) = %d, buf[0] '%c'", r, buf[0]);

    uint16_t w[16];
    memset(w, 0xff, sizeof w);
    wide_name(1, w, 16);
    static const uint16_t want[] = {'n', 'a', 0xef, 'v', 'e', '-', 0xfc, 0};
    CHECK(memcmp(w, want, sizeof want) == 0, "wide_name(1) wrong units");
    memset(w, 0xff, sizeof w);
    wide_name(3, w, 16); /* 21 units: does not fit, nothing written */
    CHECK(w[0] == 0xffff, "wide_name(3) wrote into a buffer it does not fit");
    printf("outbuf_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
