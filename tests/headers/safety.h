/* safety.h - what a plugin script must not be able to do to its host:
 * reach host memory after a call returned (derived memoryviews), overflow
 * a struct by swapping its class, reach raw addresses. */
#include <stddef.h>

typedef struct { char name[8]; } Small;
typedef struct { int id; char name[32]; } Big;
typedef struct { int n; double samples[16]; } Frame;

/* The script keeps slices, casts and re-wraps of every argument. */
int keep(double *values, size_t n, const unsigned char *data, size_t size, Frame *frame);
/* After the host freed them: how many uses of the kept objects raised. */
int use_kept(void);
/* How many `__class__` swaps were refused (views of `s` and Python structs). */
int class_swap(Small *s);
/* How many ways the script found to reach `buffer_at`. */
int probe(void);
/* Raises: the log must show the script's exception. */
double raising(const double *values, size_t n);
