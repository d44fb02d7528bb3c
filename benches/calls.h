/* calls.h - the plugin interface of the call-overhead benchmark (issue 5).
 *
 * The same five exports are implemented in Python four ways (epy, CFFI
 * embedding mode, a ctypes CFUNCTYPE shim, a hand-written C-API stub) and
 * called from one C host (benches/host.c) through dlopen. */
#ifndef CALLS_H
#define CALLS_H

#include <stddef.h>

/** Length of `Record.name`, including the terminating NUL. */
#define NAME_LEN 64

/** A record the host hands the plugin to fill. */
typedef struct Record {
    int id;              /**< record number */
    double value;        /**< id * 0.25 */
    char name[NAME_LEN]; /**< NUL-terminated "record-<id>" */
} Record;

/** The host's callback: called once per `call_cb`. */
typedef int (*IntFn)(int x);

/** Adds two ints (the scalar call). */
int add(int a, int b);

/** Fills `r` (id, value = id / 4, name = "record-<id>"); returns `id`. */
int fill(Record *r, int id);

/** Sets only `r->name` = "record-<id>" (the char[] write alone); returns `id`. */
int fill_str(Record *r, int id);

/** Sums `n` doubles, read in place (zero-copy). */
double sum(const double *values, size_t n);

/** Calls the host's `cb` once with `x`; returns its result. */
int call_cb(IntFn cb, int x);

#endif
