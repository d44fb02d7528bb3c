/* outbuf.h - output string buffers with a capacity (annotations `capacity`):
 * the script returns the text, epy writes it into the host's buffer, and a
 * text that does not fit is an error value, never a truncated string. */
#include <stdint.h>

/** Describes item `id` into `out` (room for `cap` chars, NUL included);
 *  returns the text's length, -1 on error. */
int describe(int id, char *out, int cap);

/** Writes the UTF-16 name of item `id` into `out` (`cap` units, NUL included). */
void wide_name(int id, uint16_t *out, int cap);

/** WDX's shape: two output buffers sharing one capacity. Describes field
 *  `FieldIndex`: its name into `FieldName`, its units into `Units` (`maxlen`
 *  chars each, NUL included); returns its type, -1 when there is none. */
int ContentGetSupportedField(int FieldIndex, char *FieldName, char *Units, int maxlen);

/** Two buffers of different encodings and capacities, no value. */
void split_name(int id, char *first, int first_cap, uint16_t *last, int last_cap);
