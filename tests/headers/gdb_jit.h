/* gdb_jit.h - what a gdb JIT debug-info reader exports (gdb/jit-reader.h,
 * from Debian's gdb package). The SDK declares plugin_is_GPL_compatible only
 * inside a macro, so it is declared here; gdb_init_reader is re-declared so
 * it belongs to this interface. */
#include <gdb/jit-reader.h>

/** The interface version gdb checks (`GDB_READER_INTERFACE_VERSION`). */
#define READER_VERSION GDB_READER_INTERFACE_VERSION

/** gdb refuses readers that do not declare a GPL-compatible license. */
int plugin_is_GPL_compatible(void);

/** Returns the reader's functions; gdb keeps the pointer. */
struct gdb_reader_funcs *gdb_init_reader(void);
