/* generic/infer_utf16.h - rule `utf16`: a typedef named like a 16-bit
 * character makes its pointers UTF-16 strings. */
typedef unsigned short WCHAR;
int open_file(const WCHAR *path, int mode);
