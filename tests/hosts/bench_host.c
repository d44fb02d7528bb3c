/* An unmodified C host for bench.h: loads the plugin with dlopen(RTLD_NOW|RTLD_LOCAL),
 * calls every export and checks every value in both directions.
 * Usage: bench_host /abs/path/plugin.so      Prints one line per check and a summary. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../headers/bench.h"

static int passed, failed;
#define CHECK(cond, ...) do { if (cond) { passed++; } else { failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static void *lib;
static void *sym(const char *name) {
    void *p = dlsym(lib, name);
    if (!p) { printf("FAIL missing export %s\n", name); exit(2); }
    return p;
}
#define LOAD(name) __typeof__(&name) p_##name = (__typeof__(&name))sym(#name)

static int log_calls; static int log_level_sum; static char last_message[64];
static int host_log(const char *message, int level) {
    log_calls++; log_level_sum += level;
    snprintf(last_message, sizeof last_message, "%s", message);
    return level * 10;
}
static double progress_seen[16]; static int progress_n; static void *progress_user;
static void host_progress(void *user, double fraction) {
    progress_user = user;
    if (progress_n < 16) progress_seen[progress_n++] = fraction;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2) { fprintf(stderr, "usage: %s PLUGIN\n", argv[0]); return 2; }
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    /* libpython must not have leaked into the global namespace by itself. */

    LOAD(add); LOAD(neg8); LOAD(inc_u8); LOAD(twice16); LOAD(twice_u16); LOAD(twice_u32);
    LOAD(twice64); LOAD(twice_u64); LOAD(halve_f); LOAD(scale); LOAD(negate); LOAD(next_color);
    LOAD(length); LOAD(greet); LOAD(fill); LOAD(weigh); LOAD(mirror); LOAD(packed_sum); LOAD(sum);
    LOAD(double_all); LOAD(call_log); LOAD(run_progress); LOAD(clamp); LOAD(wide_echo); LOAD(pass_through);
    if (dlsym(lib, "_helper")) { failed++; printf("FAIL private helper exported\n"); }

    /* integers of every width, both directions, with overflow giving the error value */
    CHECK(p_add(40, 2) == 42, "add");
    CHECK(p_add(-7, 3) == -4, "add negative");
    CHECK(p_add(INT32_MAX, 1) == 0, "add overflow -> 0 (error value)");
    CHECK(p_neg8(5) == -5, "neg8");
    CHECK(p_neg8(-128) == 0, "neg8(-128) overflows int8");
    CHECK(p_inc_u8(254) == 255, "inc_u8");
    CHECK(p_inc_u8(255) == 0, "inc_u8(255) overflows uint8");
    CHECK(p_twice16(-16000) == -32000, "twice16");
    CHECK(p_twice16(20000) == 0, "twice16 overflow");
    CHECK(p_twice_u16(30000) == 60000, "twice_u16");
    CHECK(p_twice_u32(2000000000u) == 4000000000u, "twice_u32");
    CHECK(p_twice_u32(3000000000u) == 0, "twice_u32 overflow");
    CHECK(p_twice64(-(INT64_C(1) << 61)) == -(INT64_C(1) << 62), "twice64");
    CHECK(p_twice64(INT64_C(1) << 62) == 0, "twice64 overflow");
    CHECK(p_twice_u64(UINT64_C(1) << 62) == UINT64_C(1) << 63, "twice_u64");
    CHECK(p_twice_u64(UINT64_C(1) << 63) == 0, "twice_u64 overflow");
    /* floats, bool, enums */
    CHECK(p_halve_f(3.0f) == 1.5f, "halve_f");
    CHECK(p_scale(2.5, -4.0) == -10.0, "scale");
    CHECK(p_negate(true) == false && p_negate(false) == true, "negate");
    CHECK(p_next_color(COLOR_RED) == COLOR_GREEN, "next_color red");
    CHECK(p_next_color(COLOR_BLUE) == COLOR_RED, "next_color blue");
    /* strings */
    CHECK(p_length("h\xc3\xa9llo") == 5, "length utf-8 (%zu)", p_length("h\xc3\xa9llo"));
    CHECK(p_length(NULL) == LIMIT, "length(NULL) -> on-error LIMIT");
    const char *g = p_greet("Ada");
    CHECK(g && strcmp(g, GREETING ", Ada!") == 0, "greet: %s", g ? g : "(null)");
    const uint16_t wide_in[] = {'a', 0xe9, 'z', 0};
    const uint16_t *w = p_wide_echo(wide_in);
    const uint16_t wide_out[] = {'A', 0xc9, 'Z', ' ', 0xd834, 0xdd1e, 0};
    CHECK(w && memcmp(w, wide_out, sizeof wide_out) == 0, "wide_echo utf-16 round trip");
    /* struct by pointer: writes land in the host's memory */
    Record r; memset(&r, 0, sizeof r); r.label = "lbl"; r.user = &r;
    CHECK(p_fill(&r, 7) == 7, "fill returns id");
    CHECK(r.id == 7 && r.value == 7 * RATIO, "fill id/value (%d, %g)", r.id, r.value);
    CHECK(strcmp(r.name, "record-7") == 0, "fill name '%s'", r.name);
    CHECK(r.where.x == 3 && r.where.y == -4, "fill nested struct");
    CHECK(r.samples[0] == -100 && r.samples[3] == -400, "fill array");
    CHECK(r.color == COLOR_GREEN, "fill enum");
    CHECK(r.flags == 5 && r.level == 17, "fill bitfields (%u, %u)", r.flags, r.level);
    CHECK(r.as_float == 1.5f, "fill anonymous union");
    CHECK(r.label && strcmp(r.label, "lbl") == 0 && r.user == &r, "fill leaves other fields alone");
    /* const pointer: read-only view */
    double wgt = p_weigh(&r);
    CHECK(wgt == 7 * RATIO + 3 - 4 + 8 + 5 + 17 + 3 - 200, "weigh %g", wgt);
    CHECK(r.id == 7, "weigh did not write");
    /* struct by value both ways */
    Point m = p_mirror((Point){1, 2});
    CHECK(m.x == 2 && m.y == 1, "mirror (%d,%d)", m.x, m.y);
    Packed pk; memset(&pk, 0, sizeof pk); pk.tag = 3; pk.length = 100000; for (int i = 0; i < 8; i++) pk.wide[i] = 1000 * i;
    CHECK(p_packed_sum(&pk) == 3 + 100000 + 28000, "packed_sum %d", p_packed_sum(&pk));
    /* zero-copy buffers */
    double vals[1024]; double expect = 0; for (int i = 0; i < 1024; i++) { vals[i] = i * 0.5; expect += vals[i]; }
    CHECK(p_sum(vals, 1024) == expect, "sum");
    int32_t ints[5] = {1, -2, 3, 1000000, 0};
    p_double_all(ints, 5);
    CHECK(ints[0] == 2 && ints[1] == -4 && ints[3] == 2000000, "double_all in place");
    /* callbacks into the host */
    CHECK(p_call_log(host_log, 4) == 60, "call_log result");
    CHECK(log_calls == 4 && log_level_sum == 6 && strcmp(last_message, "message 3") == 0, "call_log host saw %d calls, '%s'", log_calls, last_message);
    int token;
    p_run_progress(host_progress, &token, 4);
    CHECK(progress_n == 5 && progress_seen[4] == 1.0 && progress_seen[1] == 0.25 && progress_user == &token, "run_progress");
    /* exceptions become the declared error value */
    CHECK(p_clamp(5000) == LIMIT && p_clamp(5) == 5, "clamp");
    CHECK(p_clamp(-3) == -1, "clamp raises -> on-error -1");
    /* opaque pointers pass through */
    CHECK(p_pass_through(&token) == &token, "pass_through");
    CHECK(p_pass_through(NULL) == NULL, "pass_through NULL");

    printf("bench_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
