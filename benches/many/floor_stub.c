/* floor_stub.c - one plugin library of the shared-runtime floor (issue 15):
 * its exports only pass this library's state to the calling code in the one
 * shared library every copy links (floor_runtime.c). Copied N times and run
 * by host.c like the epy plugin. */
#include "floor_runtime.h"

static struct floor_plugin plugin;

int add(int a, int b) { return floor_add(&plugin, a, b); }

long spin(long n) { return floor_spin(&plugin, n); }
