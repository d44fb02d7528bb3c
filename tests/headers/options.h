/* options.h - needs the parse options: -I (for <constructs_types.h>) and
 * -D (WITH_EXTRA, VALUE=21). See parse_options.rs. */
#include <constructs_types.h>
#include <limits.h>

#ifndef VALUE
#error "VALUE must be defined"
#endif

#define DOUBLE_VALUE (VALUE * 2)
#define TOP (INT_MAX)

#ifdef WITH_EXTRA
int extra(enum Mode mode);
#endif
int always(void);
