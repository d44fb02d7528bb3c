/* generic/infer_output.h - rule `output-buffer`: a writable char buffer and
 * its capacity; the script returns the text. */
#include <stddef.h>
int get_name(int id, char *buf, size_t maxlen);
/* Not a buffer it fills: memory it reallocates and returns. */
char *grow(char *ptr, size_t size);
