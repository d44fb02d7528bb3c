/* floor.c - the floor of the call-overhead benchmark: the least C that forwards
 * benches/calls.h into Python through the CPython C API, written by hand.
 *
 * Python starts on the first call (like CFFI). The script is a string compiled
 * into a module at start. Each thread caches one main-interpreter thread state
 * (`static __thread`), so a call on any thread is PyEval_RestoreThread +
 * vectorcall + PyEval_SaveThread: no PyGILState, no thread-state churn. No
 * sub-interpreter, no unload, no error values beyond 0: it is a lower bound,
 * not a plugin framework.
 *
 * Build: gcc -O2 -shared -fPIC floor.c $(python3-config --cflags --ldflags --embed) -Wl,-rpath,LIBDIR */
#define PY_SSIZE_T_CLEAN
#define _GNU_SOURCE
#include <Python.h>
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "../calls.h"

static const char SCRIPT[] =
    "import builtins\n"
    "def add(a, b):\n"
    "    return a + b\n"
    "def fill(id):\n"
    "    return id, id * 0.25, f'record-{id}'\n"
    "def fill_str(id):\n"
    "    return f'record-{id}'\n"
    "def sum(values, n):\n"
    "    return builtins.sum(values)\n"
    "def call_cb(cb, x):\n"
    "    return cb(x)\n";

static PyObject *f_add, *f_fill, *f_fill_str, *f_sum, *f_call_cb;
static PyInterpreterState *interp;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int ready;
static __thread PyThreadState *ts;

static PyObject *get(PyObject *mod, const char *name) {
    PyObject *f = PyObject_GetAttrString(mod, name);
    if (!f) PyErr_Print();
    return f;
}

static void start(void) {
    /* Under dlopen(RTLD_LOCAL) libpython's symbols are invisible to extension
     * modules Python loads later; make them global (a no-op if they are). */
    Dl_info info;
    if (dladdr((void *)&Py_IsInitialized, &info) && info.dli_fname)
        dlopen(info.dli_fname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD | RTLD_NODELETE);
    if (!Py_IsInitialized()) {
        Py_InitializeEx(0);
        ts = PyEval_SaveThread(); /* this thread keeps the main thread state */
    }
    if (!ts) ts = PyThreadState_New(PyInterpreterState_Main());
    PyEval_RestoreThread(ts);
    interp = ts->interp;
    PyObject *code = Py_CompileString(SCRIPT, "calls_floor.py", Py_file_input);
    PyObject *mod = code ? PyImport_ExecCodeModule("calls_floor", code) : NULL;
    if (!mod) {
        PyErr_Print();
    } else {
        f_add = get(mod, "add");
        f_fill = get(mod, "fill");
        f_fill_str = get(mod, "fill_str");
        f_sum = get(mod, "sum");
        f_call_cb = get(mod, "call_cb");
    }
    Py_XDECREF(code);
    Py_XDECREF(mod);
    PyEval_SaveThread();
    ready = 1;
}

/* Attach this thread's cached thread state (created on first use). */
static inline void enter(void) {
    if (__builtin_expect(!ready, 0)) pthread_once(&once, start);
    if (__builtin_expect(!ts, 0)) ts = PyThreadState_New(interp);
    PyEval_RestoreThread(ts);
}

static inline void leave(void) { PyEval_SaveThread(); }

int add(int a, int b) {
    enter();
    int ret = 0;
    PyObject *args[2] = {PyLong_FromLong(a), PyLong_FromLong(b)};
    PyObject *r = PyObject_Vectorcall(f_add, args, 2, NULL);
    if (r) {
        ret = (int)PyLong_AsLong(r);
        Py_DECREF(r);
    }
    if (PyErr_Occurred()) PyErr_Print();
    Py_DECREF(args[0]);
    Py_DECREF(args[1]);
    leave();
    return ret;
}

/* Python returns (id, value, name); C writes the fields. */
int fill(Record *rec, int id) {
    enter();
    int ret = 0;
    PyObject *arg = PyLong_FromLong(id);
    PyObject *r = PyObject_Vectorcall(f_fill, &arg, 1, NULL);
    if (r && PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 3) {
        Py_ssize_t len;
        const char *name = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(r, 2), &len);
        if (name) {
            if (len > NAME_LEN - 1) len = NAME_LEN - 1;
            memcpy(rec->name, name, len);
            rec->name[len] = 0;
        }
        rec->id = (int)PyLong_AsLong(PyTuple_GET_ITEM(r, 0));
        rec->value = PyFloat_AsDouble(PyTuple_GET_ITEM(r, 1));
        ret = rec->id;
    }
    Py_XDECREF(r);
    if (PyErr_Occurred()) PyErr_Print();
    Py_DECREF(arg);
    leave();
    return ret;
}

/* Python returns the name; C copies it (truncated, NUL-terminated). */
int fill_str(Record *rec, int id) {
    enter();
    PyObject *arg = PyLong_FromLong(id);
    PyObject *r = PyObject_Vectorcall(f_fill_str, &arg, 1, NULL);
    Py_ssize_t len;
    const char *name = r ? PyUnicode_AsUTF8AndSize(r, &len) : NULL;
    if (name) {
        if (len > NAME_LEN - 1) len = NAME_LEN - 1;
        memcpy(rec->name, name, len);
        rec->name[len] = 0;
    }
    Py_XDECREF(r);
    if (PyErr_Occurred()) PyErr_Print();
    Py_DECREF(arg);
    leave();
    return id;
}

/* A read-only memoryview of format 'd' straight over the host's array. */
double sum(const double *values, size_t n) {
    enter();
    double ret = 0;
    Py_ssize_t shape = (Py_ssize_t)n, stride = sizeof(double);
    Py_buffer view = {
        .buf = (void *)values,
        .len = (Py_ssize_t)(n * sizeof(double)),
        .itemsize = sizeof(double),
        .readonly = 1,
        .ndim = 1,
        .format = "d",
        .shape = &shape,
        .strides = &stride,
    };
    PyObject *args[2] = {PyMemoryView_FromBuffer(&view), PyLong_FromSize_t(n)};
    PyObject *r = args[0] ? PyObject_Vectorcall(f_sum, args, 2, NULL) : NULL;
    if (r) {
        ret = PyFloat_AsDouble(r);
        Py_DECREF(r);
    }
    if (PyErr_Occurred()) PyErr_Print();
    Py_XDECREF(args[0]);
    Py_DECREF(args[1]);
    leave();
    return ret;
}

/* The host's function pointer as a Python callable: a builtin function whose
 * `self` is the pointer (a capsule). */
static PyObject *trampoline(PyObject *self, PyObject *arg) {
    IntFn cb = (IntFn)PyCapsule_GetPointer(self, "IntFn");
    long x = PyLong_AsLong(arg);
    if (!cb || (x == -1 && PyErr_Occurred())) return NULL;
    return PyLong_FromLong(cb((int)x));
}

static PyMethodDef trampoline_def = {"cb", trampoline, METH_O, NULL};

int call_cb(IntFn cb, int x) {
    enter();
    int ret = 0;
    PyObject *cap = PyCapsule_New((void *)cb, "IntFn", NULL);
    PyObject *fn = cap ? PyCFunction_New(&trampoline_def, cap) : NULL;
    Py_XDECREF(cap);
    PyObject *args[2] = {fn, PyLong_FromLong(x)};
    PyObject *r = fn ? PyObject_Vectorcall(f_call_cb, args, 2, NULL) : NULL;
    if (r) {
        ret = (int)PyLong_AsLong(r);
        Py_DECREF(r);
    }
    if (PyErr_Occurred()) PyErr_Print();
    Py_XDECREF(fn);
    Py_DECREF(args[1]);
    leave();
    return ret;
}
