/* shim.c - the 2008 mechanism (epy-plugin's): a generic shim library that
 * starts Python, imports a module named like itself (calls_ctypes.py beside the
 * library) which wraps its functions as ctypes CFUNCTYPE callbacks, and
 * forwards each export to the callback's address. ctypes takes the GIL with
 * PyGILState_Ensure per call (a fresh thread state per call on a host thread).
 *
 * Build: gcc -O2 -shared -fPIC shim.c $(python3-config --cflags --ldflags --embed) -Wl,-rpath,LIBDIR */
#define PY_SSIZE_T_CLEAN
#define _GNU_SOURCE
#include <Python.h>
#include <dlfcn.h>
#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../calls.h"

static int (*p_add)(int, int);
static int (*p_fill)(Record *, int);
static int (*p_fill_str)(Record *, int);
static double (*p_sum)(const double *, size_t);
static int (*p_call_cb)(IntFn, int);
static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int ready;

static void *address(PyObject *table, const char *name) {
    PyObject *v = PyDict_GetItemString(table, name);
    return v ? PyLong_AsVoidPtr(v) : NULL;
}

static void start(void) {
    Dl_info info;
    /* ctypes is an extension module: under dlopen(RTLD_LOCAL) it cannot see
     * libpython's symbols unless libpython is made global first. */
    if (dladdr((void *)&Py_IsInitialized, &info) && info.dli_fname)
        dlopen(info.dli_fname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD | RTLD_NODELETE);
    int started = 0;
    if (!Py_IsInitialized()) {
        Py_InitializeEx(0);
        started = 1;
    }
    PyGILState_STATE g = started ? PyGILState_LOCKED : PyGILState_Ensure();
    /* The module lives beside this library. */
    char dir[4096] = ".";
    if (dladdr((void *)&start, &info) && info.dli_fname) {
        strncpy(dir, info.dli_fname, sizeof dir - 1);
        dirname(dir);
    }
    PyObject *path = PySys_GetObject("path"); /* borrowed */
    PyObject *d = PyUnicode_FromString(dir);
    if (path && d) PyList_Insert(path, 0, d);
    Py_XDECREF(d);
    PyObject *mod = PyImport_ImportModule("calls_ctypes");
    PyObject *table = mod ? PyObject_GetAttrString(mod, "addresses") : NULL;
    if (table) {
        p_add = address(table, "add");
        p_fill = address(table, "fill");
        p_fill_str = address(table, "fill_str");
        p_sum = address(table, "sum");
        p_call_cb = address(table, "call_cb");
    }
    if (PyErr_Occurred()) PyErr_Print();
    Py_XDECREF(table);
    Py_XDECREF(mod); /* the module stays in sys.modules, keeping the callbacks */
    if (started) PyEval_SaveThread();
    else PyGILState_Release(g);
    ready = 1;
}

static inline void init(void) {
    if (__builtin_expect(!ready, 0)) pthread_once(&once, start);
}

int add(int a, int b) { init(); return p_add ? p_add(a, b) : 0; }
int fill(Record *r, int id) { init(); return p_fill ? p_fill(r, id) : 0; }
int fill_str(Record *r, int id) { init(); return p_fill_str ? p_fill_str(r, id) : 0; }
double sum(const double *values, size_t n) { init(); return p_sum ? p_sum(values, n) : 0; }
int call_cb(IntFn cb, int x) { init(); return p_call_cb ? p_call_cb(cb, x) : 0; }
