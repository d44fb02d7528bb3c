/* inferred_host PLUGIN.so: calls one export per inferred rule
 * (tests/headers/generic/inferred.h) and checks what comes back. */
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
    int (*describe)(int, char *, size_t) = (int (*)(int, char *, size_t))dlsym(lib, "describe");
    int (*checksum)(const void *, size_t) = (int (*)(const void *, size_t))dlsym(lib, "checksum");
    double (*mean)(const double *, int) = (double (*)(const double *, int))dlsym(lib, "mean");
    int (*authenticate)(void *, int, int, const char **) =
        (int (*)(void *, int, int, const char **))dlsym(lib, "authenticate");
    int (*wide_length)(const uint16_t *) = (int (*)(const uint16_t *))dlsym(lib, "wide_length");
    int (*get_version)(int *, double *) = (int (*)(int *, double *))dlsym(lib, "get_version");
    int (*fill_levels)(float *, int) = (int (*)(float *, int))dlsym(lib, "fill_levels");
    int (*plugin_open)(const char **, const char **) =
        (int (*)(const char **, const char **))dlsym(lib, "plugin_open");
    int (*set_labels)(unsigned, const char *const *) =
        (int (*)(unsigned, const char *const *))dlsym(lib, "set_labels");
    int (*register_keys)(const char **, int) =
        (int (*)(const char **, int))dlsym(lib, "register_keys");
    if (!describe || !checksum || !mean || !authenticate || !wide_length || !get_version ||
        !fill_levels || !plugin_open || !set_labels || !register_keys) {
        printf("FAIL missing exports\n");
        return 2;
    }

    /* output-buffer: the script's text lands in the host's buffer. */
    char buf[16];
    memset(buf, '#', sizeof buf);
    int r = describe(42, buf, sizeof buf);
    CHECK(r == 7 && strcmp(buf, "item 42") == 0, "describe(42) = %d '%s'", r, buf);

    /* bytes: binary data with a NUL inside arrives whole. */
    const unsigned char blob[] = {1, 0, 2, 0, 250};
    r = checksum(blob, sizeof blob);
    CHECK(r == 5253, "checksum = %d", r);

    /* array: count doubles, read as doubles. */
    const double values[] = {1.5, 2.5, 5.0};
    double m = mean(values, 3);
    CHECK(m == 3.0, "mean = %g", m);

    /* argv: argc strings, not one more. */
    const char *args[] = {"debug", "user=\xc3\xa9lise", "not-passed"};
    r = authenticate(NULL, 0, 2, args);
    CHECK(r == 7, "authenticate(argc 2) = %d", r);
    r = authenticate(NULL, 0, 3, args);
    CHECK(r == 1, "authenticate(argc 3) = %d", r);

    /* utf16: WCHAR text decoded as UTF-16. */
    const uint16_t wide[] = {'n', 0xe9, 0xd83d, 0xde00, 0};
    r = wide_length(wide);
    CHECK(r == 3, "wide_length = %d", r);

    /* out-value: one number written through the pointer; NULL is None. */
    int major = 0;
    double scale = 0;
    r = get_version(&major, &scale);
    CHECK(r == 0 && major == 3 && scale == 0.5, "get_version = %d %d %g", r, major, scale);
    r = get_version(&major, NULL);
    CHECK(r == 0 && major == 3, "get_version(NULL scale) = %d", r);
    r = get_version(NULL, NULL);
    CHECK(r == -1, "get_version(NULL) = %d", r);

    /* array (writable): count floats written. */
    float levels[4] = {9, 9, 9, 9};
    r = fill_levels(levels, 3);
    CHECK(r == 3 && levels[0] == 0 && levels[2] == 1.0f && levels[3] == 9, "fill_levels = %d", r);

    /* strings: NULL-terminated lists end at the NULL; a count beside a
     * list says how many (an entry past it is never read). */
    const char *oargv[] = {"a", "\xc3\xbc", NULL};
    const char *oenvp[] = {"X=1", NULL};
    r = plugin_open(oargv, oenvp);
    CHECK(r == 201, "plugin_open = %d", r);
    const char *empty[] = {NULL};
    r = plugin_open(empty, NULL);
    CHECK(r == -1, "plugin_open(empty, NULL) = %d", r);
    const char *labels[] = {"low", "high", (const char *)1 /* past the count */};
    r = set_labels(2, labels);
    CHECK(r == 2, "set_labels(2) = %d", r);
    r = set_labels(1, labels);
    CHECK(r == 1, "set_labels(1) = %d", r);
    const char *keys[] = {"Host", "Port", "Bogus"};
    r = register_keys(keys, 2);
    CHECK(r == 12, "register_keys = %d", r);

    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
