/* field_writes.h - struct fields written through live views (issue 15):
 * each kind a setter stores, each way a write reaches it (a field name, a
 * name built at run time, a Python subclass), and what must be refused. */
#include <stdbool.h>
#include <stdint.h>

typedef enum { MODE_OFF = 0, MODE_ON = 1, MODE_AUTO = 7 } Mode;

typedef struct Rec {
    int id;
    double value;
    char name[16];
    int8_t small;
    bool flag;
    Mode mode;
    char tag[4];
} Rec;

/* Writes every field; returns how many of the script's own checks held. */
int write_all(Rec *r, int id);
/* Writes through a const pointer; returns how many writes were refused. */
int write_const(const Rec *r);
/* Writes to the view `write_all` kept; returns 1 if that was refused. */
int write_kept(void);
