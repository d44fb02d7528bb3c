/* outbuf.h - output string buffers with a capacity (annotations `capacity`):
 * the script returns the text, epy writes it into the host's buffer, and a
 * text that does not fit is an error value, never a truncated string. */
#include <stdint.h>

/** Describes item `id` into `out` (room for `cap` chars, NUL included);
 *  returns the text's length, -1 on error. */
int describe(int id, char *out, int cap);

/** Writes the UTF-16 name of item `id` into `out` (`cap` units, NUL included). */
void wide_name(int id, uint16_t *out, int cap);
