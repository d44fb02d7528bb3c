/* numpy_copy.h - a main-interpreter plugin keeps numpy arrays over its
 * buffer arguments and array fields past the call; the host frees them. */
#include <stddef.h>

typedef struct { int n; double samples[8]; } Frame;

/* The script keeps `numpy.frombuffer` arrays of every argument in globals,
 * writes through them, and returns the sum of `consts`. */
double keep(double *values, size_t n, const double *consts, size_t m, Frame *frame);
/* After the host freed them: reads and writes the kept arrays; returns the
 * sum they read (what the script last wrote into them). */
double use_kept(void);
