/* callbacks.h - a host API that registers the plugin's functions: one
 * shaped like SQLite's (user data and a destroy callback), one without
 * user data (epy serves it from a pool of trampolines). */
#ifndef CALLBACKS_H
#define CALLBACKS_H

#define CB_OK 0
#define CB_ERROR 1
#define CB_VERSION "1.0"
/** Pass as a destructor: the host copies the value. */
#define CB_TRANSIENT ((cb_destructor)-1)
#define OTHER_LIMIT 7

enum cb_kind { CB_INTEGER = 1, CB_FLOAT = 2 };

/** A binary operation; `ctx` is the user data given at registration. */
typedef int (*cb_binop)(void *ctx, int a, int b);
/** Frees user data. */
typedef void (*cb_destructor)(void *);
/** A transformation without user data. */
typedef double (*cb_scale)(double x);

/** A table of functions the plugin fills (like `sqlite3_module`). */
typedef struct cb_methods {
    int version;
    int (*step)(int x);
    int (*reset)(void);
} cb_methods;

typedef struct cb_host {
    /** Registers op `name`; the host calls `xDestroy(pApp)` when it drops it. */
    int (*create_op)(const char *name, void *pApp, cb_binop xFunc, cb_destructor xDestroy);
    /** The user data op `name` was registered with (like `sqlite3_user_data`). */
    void *(*op_user_data)(const char *name);
    /** Drops op `name` (calling its destroy callback). */
    int (*drop_op)(const char *name);
    /** Registers scale `name`: no user data, no destroy callback. */
    int (*create_scale)(const char *name, cb_scale fn);
    /** Copies `text` when `xDel` is CB_TRANSIENT (SQLite's convention). */
    int (*set_text)(const char *text, cb_destructor xDel);
    /** Keeps `m` and calls its functions later. */
    int (*install)(const cb_methods *m);
} cb_host;

/** Registers the plugin's functions. */
int cb_init(const cb_host *host);
/** Registers and drops an op `n` times. */
int cb_churn(int n);
/** Registers up to `n` more scales; returns how many the pool took. */
int cb_fill_pool(int n);
/** A scale the host keeps: returns a Python callable. */
cb_scale cb_get_scale(void);
/** How many destroy callbacks the script saw; its user data still alive? */
int cb_destroyed(void);
int cb_user_alive(void);

#endif
