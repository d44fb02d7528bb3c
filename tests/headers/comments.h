/* comments.h - comments of every form, as SDK headers write them
 * Not a doc comment, but the header's own words. */
#include <stdint.h>

/* Error codes returned to the host. */
#define E_END_ARCHIVE 10 /* No more files in archive */
#define E_NO_MEMORY 11   // Not enough memory
/* Cannot open the file. */
#define E_EOPEN 15

/* Modes: a heading, not the first mode's doc. */
#define MODE_A 0
#define MODE_B 1
#define E_SLASH "a/*b" /* the string holds a comment opener */

/* A header record. */
typedef struct {
    char ArcName[260];  /* Archive name */
    int32_t FileCRC;    // CRC of the file
    /* Size of the unpacked file. */
    int32_t UnpSize;
    uint32_t Flags : 3; /* three bits */
} tHeaderData;

// Reads the next header.
int ReadHeader(void *hArcData, tHeaderData *HeaderData);
int CloseArchive(void *hArcData); /* Closes the archive */
