/* life.h - the interface of the interpreter-lifecycle tests: several plugins
 * in one process, many host threads, unload and reload. */
#ifndef LIFE_H
#define LIFE_H

/** The plugin's identity (a number set by its script). */
int ident(void);
/** `x * factor + ident()`: every plugin computes something different. */
int compute(int x);
/** A module-level global of the script (isolation of globals). */
int global_value(void);
/** `helper.VALUE` from a module named `helper` beside the script (isolation of sys.modules). */
int module_value(void);
/** A CPU-bound loop in Python: `n` iterations; returns a checksum. */
long long spin(int n);
/** Calls the host back: `cb(x)` (re-entrancy). */
int call_host(int (*cb)(int), int x);
/** Version of the running Python as `major * 100 + minor`. */
int python_version(void);

#endif
