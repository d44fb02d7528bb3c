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

    /* Several buffers: one text each, in parameter order, after the value. */
    int (*field)(int, char *, char *, int) =
        (int (*)(int, char *, char *, int))dlsym(lib, "ContentGetSupportedField");
    void (*split)(int, char *, int, uint16_t *, int) =
        (void (*)(int, char *, int, uint16_t *, int))dlsym(lib, "split_name");
    if (!field || !split) { printf("FAIL missing multi-buffer exports\n"); return 2; }
    char name[32], units[32];
    memset(units, '#', sizeof units);
    r = field(0, name, units, sizeof name);
    CHECK(r == 2 && strcmp(name, "size") == 0 && strcmp(units, "bytes|kbytes|mbytes") == 0,
          "field(0) = %d '%s' '%s'", r, name, units);
    memset(units, '#', sizeof units);
    r = field(1, name, units, sizeof name);
    CHECK(r == 8 && strcmp(name, "name") == 0 && units[0] == 0, "field(1) = %d '%s' units[0] %d",
          r, name, units[0]);
    memset(name, '#', sizeof name);
    memset(units, '#', sizeof units);
    r = field(2, name, units, sizeof name); /* the name does not fit: nothing written */
    CHECK(r == -1 && name[0] == '#' && units[0] == '#', "field(2) = %d '%c' '%c'", r, name[0],
          units[0]);
    r = field(3, name, units, sizeof name); /* a text short: the error value */
    CHECK(r == -1 && name[0] == '#' && units[0] == '#', "field(3) = %d", r);

    char first[8];
    uint16_t last[12];
    memset(last, 0xff, sizeof last);
    split(1, first, sizeof first, last, 12);
    static const uint16_t lovelace[] = {'L', 'o', 'v', 'e', 'l', 'a', 'c', 'e', '-', 0xfc, 0};
    CHECK(strcmp(first, "Ada") == 0 && memcmp(last, lovelace, sizeof lovelace) == 0,
          "split(1) '%s'", first);
    memset(first, '#', sizeof first);
    memset(last, 0xff, sizeof last);
    split(2, first, sizeof first, last, 12); /* "AdaAda" fits, the last name does not */
    CHECK(first[0] == '#' && last[0] == 0xffff, "split(2) wrote '%c'", first[0]);
    printf("outbuf_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
