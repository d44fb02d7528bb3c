/* layouts.h - record layouts the Rust emitter must reproduce byte for byte
 * (tests/golden/layouts/lib.rs asserts every size and offset at compile time). */
#ifndef LAYOUTS_H
#define LAYOUTS_H

#include <stdint.h>
#include <stdbool.h>

/** A bitfield sharing its storage unit with the member before it. */
typedef struct Shared {
    char c;
    unsigned b : 5;
    unsigned d : 20;
} Shared;

/** Bitfields of different declared widths in one byte, then a member. */
typedef struct Mixed {
    unsigned char a : 3;
    unsigned int b : 5;
    uint16_t x;
} Mixed;

#pragma pack(push, 1)
/** A packed record whose 30-bit field straddles five bytes: no integer
 * unit inside the record holds it, so Python does not see `wide`. */
typedef struct Straddle {
    uint8_t t;
    unsigned a : 4;
    unsigned wide : 30;
    uint8_t z;
} Straddle;
#pragma pack(pop)

/** 64-bit units after a 32-bit member. */
typedef struct Wide {
    uint32_t lo;
    uint64_t hi : 20;
    uint64_t more : 40;
} Wide;

/** Zero-width bitfield (padding), a bool bitfield, a pointer before bits. */
typedef struct Gaps {
    char c;
    int : 0;
    char d;
    bool flag : 1;
    void *p;
    unsigned tail : 3;
} Gaps;

/** Bitfields in a union overlap at offset 0. */
typedef union Bits {
    unsigned a : 3;
    unsigned b : 12;
    int x;
} Bits;

/** Three levels, one negative. */
typedef enum Level { LEVEL_LOW = -1, LEVEL_MID = 0, LEVEL_HIGH = 1 } Level;
/** Signed bitfields and an enum bitfield. */
typedef struct Signed {
    int s : 4;
    Level level : 2;
    double after;
} Signed;

/** Enum members that look like Rust prelude names or generated locals. */
enum Clash { None, Some, r, cx };

int inspect(Shared *a, Mixed *b, Straddle *c, Wide *d, Gaps *e, Bits *f, Signed *g, enum Clash h);

#endif
