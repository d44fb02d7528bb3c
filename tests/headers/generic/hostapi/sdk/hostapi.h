/* hostapi.h: a host's C API in the style of Lua's lua.h, found through
 * `-I tests/headers/generic/hostapi/sdk` (golden case `included-host-fns`). */
#ifndef HOSTAPI_H
#define HOSTAPI_H
#include <stdarg.h>
#include <stddef.h>
#include "hostconf.h"

/** The host's state: opaque, only ever handled by pointer. */
typedef struct host_State host_State;

/** A C function the host calls with its state: returns how many results it pushed. */
typedef int (*host_CFunction)(host_State *L);

/** The largest unsigned value. */
#define HOST_MAXUNSIGNED (~(host_Unsigned)0)

/** Called with its user data when the state closes. */
typedef void (*host_Finalizer)(void *data);

/** Calls `fn(data)` when the state closes. */
extern void host_onclose(host_State *L, host_Finalizer fn, void *data);
/** How many values are on the stack. */
extern int host_gettop(host_State *L);
/** Pushes an integer. */
extern void host_pushinteger(host_State *L, long long n);
/** Pushes a C function with `n` upvalues. */
extern void host_pushcclosure(host_State *L, host_CFunction fn, int n);
/** Pushes `len` bytes of `s`. */
extern const char *host_pushlstring(host_State *L, const char *s, size_t len);
/** The string at `idx`, its length in `*len`. */
extern const char *host_tolstring(host_State *L, int idx, size_t *len);
/** Pushes a formatted string (a `va_list`: not callable from Python). */
extern const char *host_pushvfstring(host_State *L, const char *fmt, va_list argp);
/** Pushes a formatted string (variadic: not callable from Python). */
extern const char *host_pushfstring(host_State *L, const char *fmt, ...);

#endif
