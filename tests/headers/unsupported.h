/* unsupported.h - types the model cannot express, for the diagnostics test. */

long double precise(long double x);

typedef struct Wide {
    int ok;
    _Complex double z;
} Wide;

int old_style();
