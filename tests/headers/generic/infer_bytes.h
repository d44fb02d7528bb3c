/* generic/infer_bytes.h - rule `bytes`: const data and its length; the
 * script gets a read-only memoryview (binary data intact). */
#include <stddef.h>
int write_blob(const void *data, size_t len);
int checksum(const char *text, int text_len);
/* A path and a file size: not data and its length. */
int truncate_to(const char *path, long size);
