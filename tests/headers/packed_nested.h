/* A host record laid out packed (as Double Commander's Pascal records are)
 * that holds records of natural alignment by value, directly, in an array
 * and two levels deep: each held record keeps its own layout inside. */
#include <stdint.h>

/** A natural record: 4-byte aligned, 8 bytes. */
typedef struct Stamp {
    int32_t seconds;
    int16_t ticks;
} Stamp;

/** Holds a Stamp: 8-byte aligned (a pointer), 16 bytes. */
typedef struct Tagged {
    const char *name;
    Stamp when;
} Tagged;

#pragma pack(push, 1)
/** The host's packed record: 1 + 8 + 16 + 16 = 41 bytes. */
typedef struct Packet {
    uint8_t kind;
    Stamp first;
    Stamp more[2];
    Tagged tag;
} Packet;
#pragma pack(pop)

/** Reads a packet. */
int32_t packet_kind(Packet *p);
/** A stamp on its own (not packed). */
int32_t stamp_seconds(Stamp s);
