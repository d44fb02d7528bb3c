/* constructs_types.h - included by constructs.h from the same directory: its
 * items belong to the interface too. */
#ifndef CONSTRUCTS_TYPES_H
#define CONSTRUCTS_TYPES_H

#define FT_BASE 0x10u

/// A handle the host never shows (pointers to it are plain addresses).
typedef struct Opaque Opaque;

/** Modes, one bit each. */
enum Mode { MODE_READ = 1 << 0, MODE_WRITE = 1 << 1, MODE_ALL = MODE_READ | MODE_WRITE };

#endif
