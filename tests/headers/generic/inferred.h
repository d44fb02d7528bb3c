/* generic/inferred.h - one export per inferred rule, built without
 * annotations (tests/inferred.rs drives it from tests/hosts/inferred_host.c). */
#include <stddef.h>
#include <stdint.h>
typedef uint16_t WCHAR;
int describe(int id, char *buf, size_t maxlen);
int checksum(const void *data, size_t len);
double mean(const double *values, int count);
int authenticate(void *handle, int flags, int argc, const char **argv);
int wide_length(const WCHAR *text);
int get_version(int *major, double *scale);
int fill_levels(float *levels, int count);
int plugin_open(const char *argv[], const char *envp[]);
int set_labels(unsigned int items, const char *const labels[]);
int register_keys(const char **keys, int keys_num);
