/* bench.h - a plugin interface that exercises every kind of value epy marshals.
 * The C test host (tests/hosts/bench_host.c) calls these; the plugin is Python. */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

/** Largest value `clamp` returns. */
#define LIMIT 1000
#define NAME_LEN 64
/** Greeting the host prints. */
#define GREETING "hello from bench"
#define RATIO 0.25

/** Colours a record can have. */
typedef enum Color {
    COLOR_RED = 1,   /**< red */
    COLOR_GREEN = 2,
    COLOR_BLUE = 4
} Color;

/** A point in the plane. */
typedef struct Point {
    int32_t x;
    int32_t y;
} Point;

/** One record the host hands the plugin to fill. */
typedef struct Record {
    int id;              /**< record number */
    double value;        /**< measured value */
    char name[NAME_LEN]; /**< NUL-terminated name */
    Point where;         /**< nested struct */
    int16_t samples[4];  /**< fixed array */
    Color color;
    unsigned flags : 3;  /**< bitfield */
    unsigned level : 5;
    union {
        uint32_t as_int;
        float as_float;
    };                   /* anonymous union */
    const char *label;   /* read-only string pointer */
    void *user;
} Record;

#pragma pack(push, 1)
/** A packed wire header. */
typedef struct Packed {
    uint8_t tag;
    uint32_t length;
    uint16_t wide[8];
} Packed;
#pragma pack(pop)

/** The host's logging callback. */
typedef int (*LogFn)(const char *message, int level);
/** Progress callback with a user pointer. */
typedef void (*ProgressFn)(void *user, double fraction);

/** Adds two ints. */
int add(int a, int b);
int8_t neg8(int8_t v);
uint8_t inc_u8(uint8_t v);
int16_t twice16(int16_t v);
uint16_t twice_u16(uint16_t v);
uint32_t twice_u32(uint32_t v);
int64_t twice64(int64_t v);
uint64_t twice_u64(uint64_t v);
float halve_f(float v);
double scale(double v, double factor);
bool negate(bool v);
Color next_color(Color c);
size_t length(const char *s);
/** Returns a greeting for `name` (owned by the plugin until the next call). */
const char *greet(const char *name);
/** Fills `r`; returns its id. */
int fill(Record *r, int id);
/** Reads `r` without writing (const pointer: read-only view). */
double weigh(const Record *r);
Point mirror(Point p);
int packed_sum(const Packed *p);
/** Sums `n` doubles (zero-copy). */
double sum(const double *values, size_t n);
/** Doubles `n` ints in place. */
void double_all(int32_t *values, size_t n);
/** Calls `log` once per call. */
int call_log(LogFn log, int times);
void run_progress(ProgressFn progress, void *user, int steps);
/** Returns `v` clamped to LIMIT; raises for negative input in the script. */
int clamp(int v);
const uint16_t *wide_echo(const uint16_t *text);
void *pass_through(void *p);

#endif
