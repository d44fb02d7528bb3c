/* A host whose API takes the plugin's functions as C function pointers:
 * create_op (SQLite-shaped: user data + destroy callback) and create_scale
 * (no user data: epy's pool). Calls them from C, from two threads, and
 * checks what it sees.   callbacks_host LIB */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../headers/callbacks.h"

static int failed, passed;
#define CHECK(cond, ...) do { if (cond) passed++; else { failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

struct op { char name[32]; void *app; cb_binop fn; cb_destructor destroy; };
static struct op ops[64];
struct scale { char name[32]; cb_scale fn; };
static struct scale scales[64];
static int destroys;
static const cb_methods *installed;

static int install(const cb_methods *m) { installed = m; return CB_OK; }
static char text_copy[64];
static int set_text(const char *text, cb_destructor xDel) {
    if (xDel != CB_TRANSIENT) return CB_ERROR;
    snprintf(text_copy, sizeof text_copy, "%s", text);
    return CB_OK;
}

static struct op *find_op(const char *name) {
    for (int i = 0; i < 64; i++)
        if (ops[i].fn && strcmp(ops[i].name, name) == 0) return &ops[i];
    return NULL;
}

static int drop_op(const char *name) {
    struct op *o = find_op(name);
    if (!o) return CB_ERROR;
    cb_destructor d = o->destroy;
    void *app = o->app;
    memset(o, 0, sizeof *o);
    if (d) { destroys++; d(app); }
    return CB_OK;
}

static void *op_user_data(const char *name) {
    struct op *o = find_op(name);
    return o ? o->app : NULL;
}

static int create_op(const char *name, void *app, cb_binop fn, cb_destructor destroy) {
    if (find_op(name)) drop_op(name); /* like SQLite: replacing destroys the old one */
    for (int i = 0; i < 64; i++) {
        if (!ops[i].fn) {
            snprintf(ops[i].name, sizeof ops[i].name, "%s", name);
            ops[i].app = app; ops[i].fn = fn; ops[i].destroy = destroy;
            return CB_OK;
        }
    }
    return CB_ERROR;
}

static int create_scale(const char *name, cb_scale fn) {
    for (int i = 0; i < 64; i++) {
        if (!scales[i].fn) {
            snprintf(scales[i].name, sizeof scales[i].name, "%s", name);
            scales[i].fn = fn;
            return CB_OK;
        }
    }
    return CB_ERROR;
}

static struct scale *find_scale(const char *name) {
    for (int i = 0; i < 64; i++)
        if (scales[i].fn && strcmp(scales[i].name, name) == 0) return &scales[i];
    return NULL;
}

static int call_op(const char *name, int a, int b) {
    struct op *o = find_op(name);
    return o ? o->fn(o->app, a, b) : -999;
}

static void *worker(void *arg) {
    long id = (long)arg;
    long bad = 0;
    for (int i = 0; i < 20000; i++) {
        int a = (int)id * 100000 + i;
        if (call_op("add", a, 3) != a + 3) bad++;
        if (call_op("mul", i, 2) != i * 2 * 10) bad++;
    }
    return (void *)bad;
}

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) { if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0; fclose(f); }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("dlopen failed: %s\n", dlerror()); return 2; }
    int (*init)(const cb_host *) = (int (*)(const cb_host *))dlsym(h, "cb_init");
    int (*churn)(int) = (int (*)(int))dlsym(h, "cb_churn");
    int (*fill)(int) = (int (*)(int))dlsym(h, "cb_fill_pool");
    cb_scale (*get_scale)(void) = (cb_scale (*)(void))dlsym(h, "cb_get_scale");
    int (*destroyed)(void) = (int (*)(void))dlsym(h, "cb_destroyed");
    int (*user_alive)(void) = (int (*)(void))dlsym(h, "cb_user_alive");
    cb_host host = { create_op, op_user_data, drop_op, create_scale, set_text, install };

    CHECK(init(&host) == CB_OK, "cb_init");
    /* Results, with the user data the script gave. */
    CHECK(call_op("add", 2, 3) == 5, "add(2, 3) = %d", call_op("add", 2, 3));
    CHECK(call_op("mul", 4, 5) == 200, "mul(4, 5) = %d", call_op("mul", 4, 5));
    /* The host got epy's closure as pApp, not NULL. */
    CHECK(find_op("mul") && find_op("mul")->app != NULL, "mul has user data");
    CHECK(user_alive() == 2, "user_data(op_user_data('mul')) is the script's object");
    /* An exception: the declared error value. */
    CHECK(call_op("fail", 1, 1) == -1, "fail() = %d", call_op("fail", 1, 1));
    struct scale *half = find_scale("half"), *boom = find_scale("boom");
    CHECK(half && half->fn(3.0) == 1.5, "half(3.0)");
    CHECK(boom && boom->fn(1.0) == -1.5, "boom(1.0) = %g", boom ? boom->fn(1.0) : 0);
    CHECK(boom && isnan(boom->fn(-1.0)), "boom(-1.0) is nan");
    CHECK(half && boom && half->fn != boom->fn, "distinct pool trampolines");

    /* A function pointer an export returns. */
    cb_scale got = get_scale();
    CHECK(got && got(1.0) == 1.5, "cb_get_scale()(1.0)");

    /* A pointer-valued constant passed as a function pointer. */
    CHECK(strcmp(text_copy, "copied") == 0, "set_text with CB_TRANSIENT: '%s'", text_copy);

    /* Struct fields the script set to Python callables. */
    CHECK(installed && installed->version == 1, "installed table");
    CHECK(installed && installed->step && installed->step(5) == 15, "step(5)");
    CHECK(installed && installed->reset && installed->reset() == 7, "reset()");

    /* Two threads calling into the plugin through the trampolines. */
    pthread_t t[2];
    for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < 2; i++) {
        void *bad;
        pthread_join(t[i], &bad);
        CHECK(bad == NULL, "thread %d: %ld wrong results", i, (long)bad);
    }

    /* Destroy: the host calls xDestroy; the script's destroy callable ran
     * with its user data, and epy let go of the callable and the data. */
    CHECK(user_alive() == 2, "user data alive while registered");
    CHECK(drop_op("mul") == CB_OK, "drop mul");
    CHECK(destroyed() == 1, "script's destroy ran: %d", destroyed());
    CHECK(user_alive() == 0, "user data released after destroy");
    CHECK(drop_op("add") == CB_OK && destroys == 2, "epy's own destroy for add");

    /* The pool (8 for cb_scale, three taken): 5 more, then a Python error. */
    int taken = fill(100);
    CHECK(taken == 5, "pool took %d", taken);
    struct scale *s3 = find_scale("s3"), *s4 = find_scale("s4");
    CHECK(s3 && s4 && s3->fn(2.0) == 6.0 && s4->fn(2.0) == 8.0, "pool slots call their own callable");

    /* 10^5 register/destroy cycles: memory flat. */
    CHECK(churn(10000) == 10000, "warm-up churn");
    long before = rss_kb();
    CHECK(churn(100000) == 100000, "churn");
    long grown = rss_kb() - before;
    printf("rss growth over 100000 register/destroy cycles: %ld KiB\n", grown);
    CHECK(grown < 2048, "rss grew %ld KiB", grown);

    printf("%d passed, %d failed\n", passed, failed);
    dlclose(h);
    return failed ? 1 : 0;
}
