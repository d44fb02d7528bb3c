/* Live reload, as a plugin author sees it:  reload_host LIB SCRIPT
 * Calls compute(10); rewrites SCRIPT with a new FACTOR and sees the new value
 * on the next call; breaks the script (syntax error) and sees the error value
 * and a log line; fixes it and sees it work again, all without restarting. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb"); if (!f) return NULL;
    fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
    char *s = calloc(1, n + 1); if (fread(s, 1, n, f) != (size_t)n) { fclose(f); free(s); return NULL; }
    fclose(f); return s;
}
static void write_file(const char *path, const char *text) {
    /* like an editor: write a temporary file and rename it over the script */
    char tmp[4096]; snprintf(tmp, sizeof tmp, "%s.tmp~", path);
    FILE *f = fopen(tmp, "wb"); fputs(text, f); fclose(f); rename(tmp, path);
}
static char *replace(const char *s, const char *from, const char *to) {
    const char *at = strstr(s, from); if (!at) return strdup(s);
    char *out = malloc(strlen(s) + strlen(to) + 1);
    memcpy(out, s, at - s); strcpy(out + (at - s), to); strcat(out, at + strlen(from)); return out;
}
/* The reload happens on the first call after the change is seen; poll briefly. */
static int call_until(int (*f)(int), int want, int ms) {
    int r = 0;
    for (int i = 0; i < ms / 20; i++) { r = f(10); if (r == want) return r; usleep(20000); }
    return r;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 3) { fprintf(stderr, "usage: %s LIB SCRIPT\n", argv[0]); return 2; }
    int passed = 0, failed = 0;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL: "); printf(__VA_ARGS__); printf("\n"); } } while (0)
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    int (*compute)(int) = dlsym(h, "compute");
    char *orig = read_file(argv[2]);
    CHECK(compute(10) == 31, "initial compute(10) = %d, want 31", compute(10));

    write_file(argv[2], replace(orig, "FACTOR = 3", "FACTOR = 5"));
    int r = call_until(compute, 51, 3000);
    CHECK(r == 51, "after editing FACTOR: compute(10) = %d, want 51", r);

    write_file(argv[2], replace(orig, "def compute(x: int) -> int:", "def compute(x: int) -> int"));
    r = call_until(compute, 0, 3000);
    CHECK(r == 0, "broken script: compute(10) = %d, want the error value 0", r);
    CHECK(compute(10) == 0, "still broken: error value");

    write_file(argv[2], replace(orig, "FACTOR = 3", "FACTOR = 7"));
    r = call_until(compute, 71, 3000);
    CHECK(r == 71, "fixed script: compute(10) = %d, want 71", r);
    CHECK(dlclose(h) == 0, "dlclose");
    printf("reload_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
