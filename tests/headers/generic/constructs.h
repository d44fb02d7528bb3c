/* generic/constructs.h - what real SDK headers write that a plugin header
 * usually does not: K&R `()` declarations, SIMD members, functions declared
 * through a function typedef. */
#include <xmmintrin.h>

struct list;

/* weechat-plugin.h style: a table of host functions, one without a prototype. */
typedef struct Host {
    int version;
    struct list *(*list_new)();
    int (*list_size)(struct list *list);
} Host;

/* A SIMD member in a union (the record keeps its 16-byte alignment). */
typedef union Sample {
    __m128 v;
    float f[4];
} Sample;

typedef struct Frame {
    char tag;
    Sample s;
    __m128 gain;
} Frame;

typedef void (*old_callback)();

/* openssl/core.h style: parameter names come from the typedef. */
typedef int (plugin_init_fn)(const Host *host, int flags, void **provctx);
plugin_init_fn plugin_init;

int old_style();
int mix(Frame *out, const Frame *in, old_callback done);

/* Left out, each with a warning: a variadic function and a variable. */
int log_printf(const char *fmt, ...);
extern int debug_level;
