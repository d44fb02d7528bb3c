/* callbacks_reload_host LIB SCRIPT.py NEW_SCRIPT.py LOG
 * Live reload while the host holds a Python callable as a function pointer:
 * the script is replaced on disk; the interpreter the callable lives in keeps
 * running (the host may still call it) until the host calls the destroy
 * callback; then the next call runs the new script. The host calls on until
 * the plugin's log says it noticed the edit (polled: load only slows it). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../headers/callbacks.h"

static int failed, passed;
#define CHECK(cond, ...) do { if (cond) passed++; else { failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

/* Whether the file at `path` contains `needle`. */
static int log_has(const char *path, const char *needle) {
    static char text[1 << 16];
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    return strstr(text, needle) != NULL;
}

static void *app;
static cb_binop fn;
static cb_destructor destroy;

static int create_op(const char *name, void *pApp, cb_binop xFunc, cb_destructor xDestroy) {
    (void)name;
    app = pApp; fn = xFunc; destroy = xDestroy;
    return CB_OK;
}
static int drop_op(const char *name) {
    (void)name;
    if (destroy) destroy(app);
    fn = NULL; destroy = NULL;
    return CB_OK;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 5) return 2;
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("dlopen failed: %s\n", dlerror()); return 2; }
    int (*init)(const cb_host *) = (int (*)(const cb_host *))dlsym(h, "cb_init");
    int (*version)(void) = (int (*)(void))dlsym(h, "cb_destroyed");
    cb_host host = { create_op, NULL, drop_op, NULL, NULL, NULL };

    CHECK(init(&host) == CB_OK && fn && destroy, "cb_init registered ver");
    CHECK(fn(app, 0, 0) == 1, "ver() before the edit");
    if (rename(argv[3], argv[2]) != 0) { printf("FAIL rename\n"); return 2; }
    /* A failure detector of 120 s, not a timing. */
    int noticed = 0, old_code = 1;
    for (time_t until = time(NULL) + 120; !noticed && time(NULL) < until;) {
        if (version() != 1) { old_code = 0; break; }
        noticed = log_has(argv[4], "keeps running the old code");
        if (!noticed) usleep(10000);
    }
    CHECK(old_code, "an export keeps the old code while the host holds the callable");
    CHECK(noticed, "the plugin noticed the edit within 120 s");
    CHECK(fn(app, 0, 0) == 1, "the callable still works after the edit");
    CHECK(drop_op("ver") == CB_OK, "drop_op");
    CHECK(version() == 2, "after the destroy callback the new script runs: %d", version());

    printf("%d passed, %d failed\n", passed, failed);
    dlclose(h);
    return failed ? 1 : 0;
}
