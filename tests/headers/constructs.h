/* constructs.h - the C constructs the parser must map (see parse_constructs.rs). */
#ifndef CONSTRUCTS_H
#define CONSTRUCTS_H

#include <stdint.h>
#include <time.h>
#include "constructs_types.h"

#define FLAG_A (1 << 3)
#define FLAG_B 0x4
#define FLAGS (FLAG_A | FLAG_B)
#define NEGATIVE (-42)
#define BIG 0xFFFFFFFFFFFFFFFFULL
#define DERIVED (FT_BASE + 1)
#define SCALE 1.5e3f
#define PATH "a" "/b"
#define EMPTY
#define SQUARE(x) ((x) * (x))
#define NOT_A_CONSTANT sizeof(int)

/* Unnamed enums are just constants. */
enum { MAX_ITEMS = 8, MIN_ITEMS = -1 };

typedef struct {
    uint8_t r, g, b; ///< colour channels
} Rgb;

/*! Nested and anonymous members. */
struct Shape {
    struct Inner {
        int a;
    } inner;              /*!< a nested named struct */
    struct {
        short w, h;
    } size;               /**< a named member of unnamed type */
    union {
        int radius;
        struct {
            int32_t dx;
            int32_t dy;
        };
    };
    signed char sc;
    unsigned char uc;
    char c;
    unsigned kind : 4;
    int : 0;
    signed level : 3;
    enum Mode mode;
    int (*on_draw)(struct Shape *self, void *ctx);
    Rgb palette[2];
};

struct __attribute__((packed)) Tight {
    char tag;
    int value;
};

/** Draws shapes.
 *
 * Returns the number drawn. */
int draw(struct Shape *shapes, int count);
int draw(struct Shape *shapes, int count);
void with_unnamed(int, const char *);
void visit(int (*cb)(int item, void *user), void *user);
Opaque *open_opaque(const char *name);
int stamp(const struct tm *when);
uint64_t pack(enum Mode mode, Rgb colour);
int printf_like(const char *fmt, ...);
static inline int helper(int x) { return x + 1; }

#endif
