/* floor_runtime.c - the floor as one shared "runtime" library for the
 * many-plugin benchmark (issue 15): the hand-written C-API calling code of
 * floor_plugin.c, but one copy in one library that every plugin library
 * links (floor_stub.c), each plugin passing its own state. What N plugin
 * libraries cost when their calling code is shared and each library keeps
 * only an export stub and its state: the best a shared runtime library could
 * do.
 *
 * A plugin's first call starts Python if needed, makes that plugin's own
 * sub-interpreter on the main GIL and defines `add` and `spin` in it; every
 * call swaps in the plugin's cached thread state, as epy does. One host
 * thread only (the benchmark's). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "floor_runtime.h"

static const char SCRIPT[] =
    "def add(a, b):\n"
    "    return a + b\n"
    "def spin(n):\n"
    "    i = 0\n"
    "    while i < n:\n"
    "        i += 1\n"
    "    return i\n";

static int start(struct floor_plugin *p) {
    PyThreadState *main_ts;
    if (!Py_IsInitialized()) {
        Py_InitializeEx(0);
        main_ts = PyThreadState_Get();
    } else {
        main_ts = PyThreadState_New(PyInterpreterState_Main());
        PyEval_RestoreThread(main_ts);
    }
    PyThreadState *sub = Py_NewInterpreter();
    if (!sub) return -1;
    PyObject *g = PyDict_New();
    PyDict_SetItemString(g, "__builtins__", PyEval_GetBuiltins());
    PyObject *r = PyRun_String(SCRIPT, Py_file_input, g, g);
    if (!r) {
        PyErr_Print();
        return -1;
    }
    Py_DECREF(r);
    p->add = PyDict_GetItemString(g, "add");
    p->spin = PyDict_GetItemString(g, "spin");
    p->ts = PyThreadState_New(PyThreadState_GetInterpreter(sub));
    PyThreadState_Swap(main_ts);
    PyEval_SaveThread();
    return 0;
}

static long call(struct floor_plugin *p, PyObject *f, int nargs, long a, long b) {
    PyEval_RestoreThread(p->ts);
    PyObject *args[2] = {PyLong_FromLong(a), PyLong_FromLong(b)};
    PyObject *r = PyObject_Vectorcall(f, args, nargs, NULL);
    Py_DECREF(args[0]);
    Py_DECREF(args[1]);
    long v = r ? PyLong_AsLong(r) : -1;
    Py_XDECREF(r);
    PyEval_SaveThread();
    return v;
}

int floor_add(struct floor_plugin *p, int a, int b) {
    if (!p->ts && start(p) < 0) return -1;
    return (int)call(p, p->add, 2, a, b);
}

long floor_spin(struct floor_plugin *p, long n) {
    if (!p->ts && start(p) < 0) return -1;
    return call(p, p->spin, 1, n, 0);
}
