/* floor_runtime.h - what a plugin library of the shared-runtime floor
 * (floor_stub.c) calls in the one shared library (floor_runtime.c). */
#ifndef FLOOR_RUNTIME_H
#define FLOOR_RUNTIME_H

/** One plugin's state, kept in the plugin library (its own data page). */
struct floor_plugin {
    void *ts;   /* the plugin's thread state for the host thread (NULL: not started) */
    void *add;  /* the script's functions */
    void *spin;
};

int floor_add(struct floor_plugin *p, int a, int b);
long floor_spin(struct floor_plugin *p, long n);

#endif
