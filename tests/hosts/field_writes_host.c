/* field_writes_host PLUGIN.so: calls the exports of tests/headers/field_writes.h
 * and checks what the script's writes left in host memory. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "../headers/field_writes.h"

static int passed, failed;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    int (*write_all)(Rec *, int) = (int (*)(Rec *, int))dlsym(lib, "write_all");
    int (*write_const)(const Rec *) = (int (*)(const Rec *))dlsym(lib, "write_const");
    int (*write_kept)(void) = (int (*)(void))dlsym(lib, "write_kept");
    if (!write_all || !write_const || !write_kept) { printf("FAIL missing exports\n"); return 2; }

    Rec r;
    memset(&r, 0x55, sizeof r);
    int ok = write_all(&r, 7);
    CHECK(ok == 14, "write_all: %d of the script's 14 checks held", ok);
    CHECK(r.id == 7 && r.value == 3.5, "id %d, value %g", r.id, r.value);
    static const char name[16] = "rec-7"; /* NUL-padded to the end */
    CHECK(memcmp(r.name, name, sizeof name) == 0, "name %.16s", r.name);
    CHECK(r.flag == 1 && r.mode == MODE_AUTO && r.small == -5, "flag %d, mode %d, small %d",
          r.flag, r.mode, r.small);
    CHECK(memcmp(r.tag, "\xff\xfe\0\0", 4) == 0, "tag %02x %02x %02x %02x", (unsigned char)r.tag[0],
          (unsigned char)r.tag[1], (unsigned char)r.tag[2], (unsigned char)r.tag[3]);

    /* Twice: the second call reuses no view (the first was kept). */
    Rec c = r;
    for (int i = 0; i < 2; i++) {
        int n = write_const(&c);
        CHECK(n == 3 && memcmp(&c, &r, sizeof r) == 0, "write_const: %d of 3 refused", n);
    }
    int n = write_kept();
    CHECK(n == 1 && r.id == 7, "write_kept: %d, id %d", n, r.id);

    printf("field_writes_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
