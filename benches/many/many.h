/* many.h - the plugin interface of the many-plugin benchmark (issue 15).
 *
 * One epy plugin (benches/many/many.py) is copied under N names into one
 * folder (p000.so + p000.py, p001.so + p001.py, ...), and benches/many/host.c
 * dlopens every copy in one process. */
#ifndef MANY_H
#define MANY_H

/** Adds two ints (the scalar call timed one plugin vs round-robin). */
int add(int a, int b);

/** Runs a pure-Python loop of `n` iterations (a CPU-bound call that holds
 *  its GIL); returns `n`. */
long spin(long n);

#endif
