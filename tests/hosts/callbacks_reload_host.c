/* callbacks_reload_host LIB SCRIPT.py NEW_SCRIPT.py
 * Live reload while the host holds a Python callable as a function pointer:
 * the script is replaced on disk; the interpreter the callable lives in keeps
 * running (the host may still call it) until the host calls the destroy
 * callback; then the next call runs the new script. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../headers/callbacks.h"

static int failed, passed;
#define CHECK(cond, ...) do { if (cond) passed++; else { failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

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
    if (argc < 4) return 2;
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("dlopen failed: %s\n", dlerror()); return 2; }
    int (*init)(const cb_host *) = (int (*)(const cb_host *))dlsym(h, "cb_init");
    int (*version)(void) = (int (*)(void))dlsym(h, "cb_destroyed");
    cb_host host = { create_op, NULL, drop_op, NULL, NULL, NULL };

    CHECK(init(&host) == CB_OK && fn && destroy, "cb_init registered ver");
    CHECK(fn(app, 0, 0) == 1, "ver() before the edit");
    if (rename(argv[3], argv[2]) != 0) { printf("FAIL rename\n"); return 2; }
    sleep(1); /* inotify notices */
    CHECK(version() == 1, "an export keeps the old code while the host holds the callable");
    CHECK(fn(app, 0, 0) == 1, "the callable still works after the edit");
    CHECK(drop_op("ver") == CB_OK, "drop_op");
    CHECK(version() == 2, "after the destroy callback the new script runs: %d", version());

    printf("%d passed, %d failed\n", passed, failed);
    dlclose(h);
    return failed ? 1 : 0;
}
