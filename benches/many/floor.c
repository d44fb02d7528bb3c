/* floor.c - the floor of the many-plugin benchmark (issue 15): what N
 * interpreters cost by themselves, with one copy of the calling code.
 *
 *   floor N [--cpu-time]
 *
 * Embeds Python (the one it is compiled against), creates N sub-interpreters
 * sharing the main GIL (epy's default mode), defines `add` in each, and times
 * hand-written C-API calls (a cached thread state per interpreter swapped in
 * with PyEval_RestoreThread/PyEval_SaveThread, as benches/floor/floor.c does)
 * on interpreter 0 only and round-robin over all N. Prints one_ns and rr_ns
 * like host.c. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPS 5
#define REP_BUDGET_NS 2.5e8

static PyThreadState **ts;
static PyObject **funcs;
static volatile long sink;
static clockid_t loop_clock = CLOCK_MONOTONIC;

static double now_ns(void) {
    struct timespec t;
    clock_gettime(loop_clock, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int add(int i, int a, int b) {
    PyEval_RestoreThread(ts[i]);
    PyObject *args[2] = {PyLong_FromLong(a), PyLong_FromLong(b)};
    PyObject *r = PyObject_Vectorcall(funcs[i], args, 2, NULL);
    Py_DECREF(args[0]);
    Py_DECREF(args[1]);
    long v = r ? PyLong_AsLong(r) : -1;
    Py_XDECREF(r);
    PyEval_SaveThread();
    return (int)v;
}

static double loop_rr(long calls, int n) {
    long acc = 0;
    int k = 0;
    double t0 = now_ns();
    for (long i = 0; i < calls; i++) {
        acc += add(k, (int)i, 1);
        if (++k == n) k = 0;
    }
    double t = now_ns() - t0;
    sink = acc;
    return t;
}

static double bench(int n) {
    long warm = 20000 > 2L * n ? 20000 : 2L * n;
    double per = loop_rr(warm, n) / warm;
    long calls = (long)(REP_BUDGET_NS / per);
    if (calls < 10L * n) calls = 10L * n;
    double r[REPS];
    for (int i = 0; i < REPS; i++) r[i] = loop_rr(calls, n) / calls;
    qsort(r, REPS, sizeof r[0], cmp);
    return r[REPS / 2];
}

int main(int argc, char **argv) {
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--cpu-time")) loop_clock = CLOCK_THREAD_CPUTIME_ID;
        else n = atoi(argv[i]);
    }
    if (n < 1) {
        fprintf(stderr, "usage: %s N [--cpu-time]\n", argv[0]);
        return 2;
    }
    ts = calloc(n, sizeof *ts);
    funcs = calloc(n, sizeof *funcs);
    Py_InitializeEx(0);
    PyThreadState *main_ts = PyThreadState_Get();
    for (int i = 0; i < n; i++) {
        PyThreadState *t = Py_NewInterpreter();
        if (!t) {
            fprintf(stderr, "Py_NewInterpreter failed at %d\n", i);
            return 1;
        }
        PyObject *g = PyDict_New();
        PyDict_SetItemString(g, "__builtins__", PyEval_GetBuiltins());
        PyObject *r = PyRun_String("def add(a, b):\n    return a + b\n", Py_file_input, g, g);
        if (!r) {
            PyErr_Print();
            return 1;
        }
        Py_DECREF(r);
        funcs[i] = PyDict_GetItemString(g, "add");
        Py_INCREF(funcs[i]);
        /* A thread state of our own per interpreter, as epy makes per host thread. */
        ts[i] = PyThreadState_New(PyThreadState_GetInterpreter(t));
        PyThreadState_Swap(main_ts);
    }
    PyEval_SaveThread();
    if (add(n - 1, 2, 3) != 5) {
        fprintf(stderr, "add(2, 3) != 5\n");
        return 1;
    }
    printf("one_ns %.1f\n", bench(1));
    printf("rr_ns %.1f\n", bench(n));
    return 0;
}
