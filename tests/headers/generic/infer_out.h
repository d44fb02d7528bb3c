/* generic/infer_out.h - rule `out-value`: a writable pointer to one number
 * is a one-element memoryview (`major[0] = 3`), None for NULL; named like an
 * array or bytes it stays an address. */
int get_version(int *major, double *scale);
int render(unsigned int *frames);
int sign(unsigned char *signature);
/* A writable array and its count (rule `array`). */
int fill_levels(float *levels, int count);
