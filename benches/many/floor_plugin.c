/* floor_plugin.c - the floor as a plugin library for the many-plugin
 * benchmark (issue 15): copied N times like the epy plugin and loaded by the
 * same host (benches/many/host.c), it shows what N copies of hand-written
 * C-API calling code cost (each copy its own text, GOT and data pages)
 * against one copy (benches/many/floor.c).
 *
 * The first call starts Python if needed, makes this library's own
 * sub-interpreter on the main GIL and defines `add` and `spin` in it; every
 * call swaps in this library's cached thread state, as epy does. One host
 * thread only (the benchmark's). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyThreadState *ts;
static PyObject *f_add, *f_spin;

static const char SCRIPT[] =
    "def add(a, b):\n"
    "    return a + b\n"
    "def spin(n):\n"
    "    i = 0\n"
    "    while i < n:\n"
    "        i += 1\n"
    "    return i\n";

static int start(void) {
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
    f_add = PyDict_GetItemString(g, "add");
    f_spin = PyDict_GetItemString(g, "spin");
    ts = PyThreadState_New(PyThreadState_GetInterpreter(sub));
    PyThreadState_Swap(main_ts);
    PyEval_SaveThread();
    return 0;
}

static long call(PyObject *f, int nargs, long a, long b) {
    if (!ts && start() < 0) return -1;
    PyEval_RestoreThread(ts);
    PyObject *args[2] = {PyLong_FromLong(a), PyLong_FromLong(b)};
    PyObject *r = PyObject_Vectorcall(f, args, nargs, NULL);
    Py_DECREF(args[0]);
    Py_DECREF(args[1]);
    long v = r ? PyLong_AsLong(r) : -1;
    Py_XDECREF(r);
    PyEval_SaveThread();
    return v;
}

int add(int a, int b) {
    if (!ts && start() < 0) return -1;
    return (int)call(f_add, 2, a, b);
}

long spin(long n) {
    if (!ts && start() < 0) return -1;
    return call(f_spin, 1, n, 0);
}
