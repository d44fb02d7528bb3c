/* generic/typed_ptr.h - rule `pointer`: pointers no other rule marshals
 * reach the script as typed `Ptr` objects (tests/typed_ptr.rs drives it
 * from tests/hosts/typed_ptr_host.c). */
#include <stdint.h>
typedef struct Point {
    int x;
    int y;
} Point;
/* Frames of width * height pixels: the length is the script's knowledge. */
int invert(unsigned int width, unsigned int height, const uint32_t *inframe, uint32_t *outframe);
/* **cell += 1, returns the old value; -1 when *cell is NULL. */
int bump(int16_t **cell);
/* *slot = other (C's `*out = obj`). */
int choose(Point **slot, Point *other);
/* The script keeps `samples`; `use_kept` then finds it revoked. */
double keep(double *samples);
int use_kept(void);
/* A struct pointer result: a struct object the script returns (its own, kept
 * until the export returns again, or a view of the host's), NULL for None. */
const Point *pick(Point *a, Point *b, int which);
