/* broken.h - a syntax error on line 5, for the diagnostics test. */

int fine(int a);

int broken(int a int b);
