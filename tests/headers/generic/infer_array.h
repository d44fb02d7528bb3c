/* generic/infer_array.h - rule `array`: const numbers and their count; the
 * script gets a read-only memoryview of that type. */
#include <stdint.h>
double mean(const double *values, int count);
uint32_t hash_words(const uint32_t *words, unsigned nWords);
