/* plugin.h: a plugin's own header over the host's API (`<hostapi.h>` from an
 * `-I` directory, `<stdio.h>` from the system's, which stays out). */
#include <stdio.h>
#include <hostapi.h>

/** The plugin's entry point: pushes its module, returns 1. */
int hostapi_open(host_State *L);
