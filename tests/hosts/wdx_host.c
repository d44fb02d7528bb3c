/* wdx_host: performs Double Commander 1.0.10's WDX (content plugin) call
 * sequence (src/uwdxmodule.pas: TPluginWDX.LoadModule and the
 * CallContent* functions) with the buffer sizes it allocates, guard bytes
 * after each buffer, and prints what the host sees.
 *
 *   wdx_host [--ansi] PLUGIN INI FILE...
 *
 * Sequence: dlopen (RTLD_LOCAL); ContentSetDefaultParams (a packed 4108-byte
 * struct: size, version 1.50, INI); the ContentGetSupportedField loop over
 * two 256-byte buffers, stopping at the first result <= 0;
 * ContentGetDetectString (2048 bytes); ContentGetSupportedFieldFlags(-1).
 * Then per file and field (and per unit for fields with units): the value
 * through ContentGetValueW (UTF-16 name) when exported, else ContentGetValue
 * (--ansi forces it), into a 2049-byte buffer, first with
 * CONTENT_DELAYIFSLOW (the properties dialog); an ft_delayed result is asked
 * again with flags 0 on another thread (the background). The value is
 * decoded by the type the plugin returned. Full-text fields go as the search
 * does: UnitIndex 0, then advanced by the bytes returned, until an empty
 * chunk; then one chunk and UnitIndex -1 (a search that stopped early).
 * Last ContentStopGetValue(W), ContentPluginUnloading, dlclose. With --stop
 * FIELD the value of FIELD for the first file is asked on a worker thread
 * and ContentStopGetValue(W) called from the main thread while it runs.
 *
 * Output: "field I TYPE NAME|UNITS", "detect TEXT", "value FILE FIELD[UNIT]
 * TYPE TEXT" (TEXT with \n and \\ escaped), "FAIL ..." lines and
 * "checks N, M failed". Exit status 1 when a check failed. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DC_MAX_PATH 4096
#define FIELD_LEN 256   /* ContentGetSupportedField's buffers */
#define DETECT_LEN 2048 /* ContentGetDetectString */
#define VALUE_LEN 2049  /* array[0..WDX_MAX_LEN] of Byte */
#define GUARD 64
#define GUARD_BYTE 0xA5

#pragma pack(push, 1)
typedef struct {
    int size;
    uint32_t PluginInterfaceVersionLow;
    uint32_t PluginInterfaceVersionHi;
    char DefaultIniName[DC_MAX_PATH];
} ContentDefaultParamStruct;
typedef struct { uint16_t wYear, wMonth, wDay; } tdateformat;
typedef struct { uint16_t wHour, wMinute, wSecond; } ttimeformat;
#pragma pack(pop)
_Static_assert(sizeof(ContentDefaultParamStruct) == 4108, "DC 1.0.10 allocates 4108 bytes");

typedef int (*GetDetectString)(char *, int);
typedef int (*GetSupportedField)(int, char *, char *, int);
typedef int (*GetValue)(char *, int, int, void *, int, int);
typedef int (*GetValueW)(uint16_t *, int, int, void *, int, int);
typedef void (*SetDefaultParams)(ContentDefaultParamStruct *);
typedef void (*PluginUnloading)(void);
typedef void (*StopGetValue)(char *);
typedef void (*StopGetValueW)(uint16_t *);
typedef int (*GetSupportedFieldFlags)(int);

static int checks, failed;
static void check(int ok, const char *what, const char *detail) {
    checks++;
    if (!ok) {
        failed++;
        printf("FAIL %s %s\n", what, detail ? detail : "");
    }
}

/* A buffer of `len` bytes followed by GUARD guard bytes. */
static unsigned char *guarded(size_t len) {
    unsigned char *b = malloc(len + GUARD);
    memset(b, 0xCC, len);
    memset(b + len, GUARD_BYTE, GUARD);
    return b;
}
static void check_guard(const unsigned char *b, size_t len, const char *what) {
    int ok = 1;
    for (size_t i = 0; i < GUARD; i++)
        ok &= b[len + i] == GUARD_BYTE;
    check(ok, what, "wrote past the host's buffer");
}
static void check_nul(const void *b, size_t len, size_t unit, const char *what) {
    const unsigned char *p = b;
    int ok = 0;
    for (size_t i = 0; i + unit <= len && !ok; i += unit)
        ok = p[i] == 0 && (unit == 1 || p[i + 1] == 0);
    check(ok, what, "no NUL within the host's buffer");
}

static void print_escaped(const char *s) {
    for (; *s; s++) {
        if (*s == '\n')
            fputs("\\n", stdout);
        else if (*s == '\\')
            fputs("\\\\", stdout);
        else
            putchar(*s);
    }
}

/* UTF-8 <-> UTF-16 (what Double Commander's CeUtf8ToUtf16/UTF16ToUTF8 do). */
static uint16_t *to_utf16(const char *s) {
    size_t n = strlen(s);
    uint16_t *w = calloc(n + 1, sizeof *w), *o = w;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        c &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
        while (more-- && *p)
            c = (c << 6) | (*p++ & 0x3F);
        if (c >= 0x10000) {
            c -= 0x10000;
            *o++ = 0xD800 | (c >> 10);
            *o++ = 0xDC00 | (c & 0x3FF);
        } else
            *o++ = c;
    }
    return w;
}
static char *from_utf16(const uint16_t *w) {
    size_t n = 0;
    while (w[n])
        n++;
    char *s = malloc(n * 4 + 1), *o = s;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = w[i];
        if (c >= 0xD800 && c < 0xDC00 && w[i + 1] >= 0xDC00 && w[i + 1] < 0xE000)
            c = 0x10000 + ((c - 0xD800) << 10) + (w[++i] - 0xDC00);
        if (c < 0x80)
            *o++ = c;
        else if (c < 0x800)
            *o++ = 0xC0 | (c >> 6), *o++ = 0x80 | (c & 0x3F);
        else if (c < 0x10000)
            *o++ = 0xE0 | (c >> 12), *o++ = 0x80 | ((c >> 6) & 0x3F), *o++ = 0x80 | (c & 0x3F);
        else
            *o++ = 0xF0 | (c >> 18), *o++ = 0x80 | ((c >> 12) & 0x3F),
            *o++ = 0x80 | ((c >> 6) & 0x3F), *o++ = 0x80 | (c & 0x3F);
    }
    *o = 0;
    return s;
}

static GetValue get_value;
static GetValueW get_value_w;

/* One ContentGetValue(W) call, as TPluginWDX.CallContentGetValue makes it. */
struct call {
    const char *file;
    int field, unit, flags, result;
    unsigned char *buf;
};
static void *do_call(void *arg) {
    struct call *c = arg;
    if (get_value_w) {
        uint16_t *w = to_utf16(c->file);
        c->result = get_value_w(w, c->field, c->unit, c->buf, VALUE_LEN, c->flags);
        free(w);
    } else {
        c->result = get_value((char *)c->file, c->field, c->unit, c->buf, VALUE_LEN, c->flags);
    }
    return NULL;
}

/* Prints the value in `buf` as the type `rez` says (DC's decoding). */
static void print_value(int rez, const unsigned char *buf, const char *what) {
    int32_t i32;
    int64_t i64;
    double d;
    uint64_t ft;
    tdateformat date;
    ttimeformat time;
    switch (rez) {
    case 1: memcpy(&i32, buf, 4); printf("numeric_32 %d", i32); break;
    case 2: memcpy(&i64, buf, 8); printf("numeric_64 %lld", (long long)i64); break;
    case 3: memcpy(&d, buf, 8); printf("floating %.17g", d); break;
    case 4: memcpy(&date, buf, 6); printf("date %04u-%02u-%02u", date.wYear, date.wMonth, date.wDay); break;
    case 5: memcpy(&time, buf, 6); printf("time %02u:%02u:%02u", time.wHour, time.wMinute, time.wSecond); break;
    case 6: memcpy(&i32, buf, 4); printf("boolean %s", i32 ? "TRUE" : "FALSE"); break;
    case 10: memcpy(&ft, buf, 8); printf("datetime %llu", (unsigned long long)ft); break;
    case 7: case 8: case 9:
        check_nul(buf, VALUE_LEN, 1, what);
        printf("%s ", rez == 7 ? "multiplechoice" : rez == 8 ? "string" : "fulltext");
        print_escaped((const char *)buf);
        break;
    case 11: case 12: {
        check_nul(buf, VALUE_LEN, 2, what);
        uint16_t w[VALUE_LEN / 2 + 1];
        memcpy(w, buf, VALUE_LEN - 1);
        w[VALUE_LEN / 2] = 0;
        char *s = from_utf16(w);
        printf("%s ", rez == 11 ? "stringw" : "fulltextw");
        print_escaped(s);
        free(s);
        break;
    }
    case -1: printf("nosuchfield"); break;
    case -2: printf("fileerror"); break;
    case -3: printf("fieldempty"); break;
    default: printf("result %d", rez);
    }
}

/* The text of a full-text chunk and its length in bytes (DC: Length(ValueA)
 * or Length(ValueW) * SizeOf(WideChar)). */
static char *chunk_text(int rez, const unsigned char *buf, int *bytes) {
    if (rez == 9) {
        *bytes = strlen((const char *)buf);
        return strdup((const char *)buf);
    }
    uint16_t w[VALUE_LEN / 2 + 1];
    memcpy(w, buf, VALUE_LEN - 1);
    w[VALUE_LEN / 2] = 0;
    int n = 0;
    while (w[n])
        n++;
    *bytes = n * 2;
    return from_utf16(w);
}

static void full_text(const char *file, int field, const char *name) {
    char what[600];
    snprintf(what, sizeof what, "%.300s %.200s", file, name);
    size_t cap = 1 << 16, len = 0;
    char *all = malloc(cap);
    all[0] = 0;
    int unit = 0, chunks = 0, last = 0;
    for (;;) {
        unsigned char *buf = guarded(VALUE_LEN);
        struct call c = {file, field, unit, 0, 0, buf};
        do_call(&c);
        check_guard(buf, VALUE_LEN, what);
        last = c.result;
        if (c.result != 9 && c.result != 12) {
            free(buf);
            break;
        }
        check_nul(buf, VALUE_LEN, c.result == 12 ? 2 : 1, what);
        int bytes;
        char *s = chunk_text(c.result, buf, &bytes);
        free(buf);
        if (bytes == 0) {
            free(s);
            break;
        }
        size_t n = strlen(s);
        while (len + n + 1 > cap)
            all = realloc(all, cap *= 2);
        memcpy(all + len, s, n + 1);
        len += n;
        free(s);
        unit += bytes;
        chunks++;
        if (chunks > 100000) {
            check(0, what, "full text never ends");
            break;
        }
    }
    printf("value %s %s[0] fulltext chunks=%d bytes=%d end=%d ", file, name, chunks, unit, last);
    print_escaped(all);
    printf("\n");
    free(all);
    /* A search that found its text after the first chunk: UnitIndex -1. */
    unsigned char *buf = guarded(VALUE_LEN);
    struct call first = {file, field, 0, 0, 0, buf};
    do_call(&first);
    struct call stop = {file, field, -1, 0, 0, buf};
    do_call(&stop);
    check_guard(buf, VALUE_LEN, what);
    printf("fulltext-stop %s %s %d\n", file, name, stop.result);
    free(buf);
}

/* --stop FIELD: the value of FIELD for FILE is asked on a worker thread (as
 * DC's background retrieval does); once the plugin has created FILE.started,
 * the main thread calls ContentStopGetValue(W) for FILE while that call runs. */
static void stop_scenario(const char *file, const char *field, char names[][FIELD_LEN], int nfields,
                          StopGetValueW stop_w, StopGetValue stop_a) {
    int index = -1;
    for (int i = 0; i < nfields; i++)
        if (!strcmp(names[i], field))
            index = i;
    check(index >= 0 && (stop_w || stop_a), "--stop", "no such field, or no ContentStopGetValue(W)");
    if (index < 0 || !(stop_w || stop_a))
        return;
    char started[4200];
    snprintf(started, sizeof started, "%s.started", file);
    unsigned char *buf = guarded(VALUE_LEN);
    struct call c = {file, index, 0, 0, 0, buf};
    pthread_t t;
    pthread_create(&t, NULL, do_call, &c);
    /* A failure detector only: the plugin creates the file at once. */
    for (int i = 0; i < 6000; i++) {
        FILE *f = fopen(started, "r");
        if (f) {
            fclose(f);
            break;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (stop_w) {
        uint16_t *w = to_utf16(file);
        stop_w(w);
        free(w);
    } else
        stop_a((char *)file);
    pthread_join(t, NULL);
    check_guard(buf, VALUE_LEN, "stop");
    printf("value %s %s[0] ", file, field);
    print_value(c.result, buf, "stop");
    printf(" (stopped)\n");
    free(buf);
}

int main(int argc, char **argv) {
    int ansi = 0, a = 1;
    const char *stop_field = NULL;
    for (;;) {
        if (a < argc && !strcmp(argv[a], "--ansi"))
            ansi = 1, a++;
        else if (a + 1 < argc && !strcmp(argv[a], "--stop"))
            stop_field = argv[a + 1], a += 2;
        else
            break;
    }
    if (argc - a < 2) {
        fprintf(stderr, "usage: wdx_host [--ansi] [--stop FIELD] PLUGIN INI FILE...\n");
        return 2;
    }
    const char *plugin = argv[a], *ini = argv[a + 1];
    char **files = argv + a + 2;
    int nfiles = argc - a - 2;
    void *lib = dlopen(plugin, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        printf("FAIL dlopen %s\n", dlerror());
        return 1;
    }
    GetSupportedField get_field = (GetSupportedField)dlsym(lib, "ContentGetSupportedField");
    get_value = (GetValue)dlsym(lib, "ContentGetValue");
    GetDetectString get_detect = (GetDetectString)dlsym(lib, "ContentGetDetectString");
    SetDefaultParams set_params = (SetDefaultParams)dlsym(lib, "ContentSetDefaultParams");
    StopGetValue stop_value = (StopGetValue)dlsym(lib, "ContentStopGetValue");
    PluginUnloading unloading = (PluginUnloading)dlsym(lib, "ContentPluginUnloading");
    GetSupportedFieldFlags get_flags = (GetSupportedFieldFlags)dlsym(lib, "ContentGetSupportedFieldFlags");
    get_value_w = ansi ? NULL : (GetValueW)dlsym(lib, "ContentGetValueW");
    StopGetValueW stop_value_w = (StopGetValueW)dlsym(lib, "ContentStopGetValueW");
    printf("exports%s%s%s%s%s%s%s%s%s\n", get_field ? " ContentGetSupportedField" : "",
           get_value ? " ContentGetValue" : "", get_value_w ? " ContentGetValueW" : "",
           get_detect ? " ContentGetDetectString" : "", set_params ? " ContentSetDefaultParams" : "",
           stop_value ? " ContentStopGetValue" : "", stop_value_w ? " ContentStopGetValueW" : "",
           get_flags ? " ContentGetSupportedFieldFlags" : "",
           unloading ? " ContentPluginUnloading" : "");
    check(get_field && (get_value || get_value_w), "exports", "ContentGetSupportedField + ContentGetValue(W) are mandatory");
    if (!get_field || !(get_value || get_value_w))
        return 1;

    if (set_params) {
        ContentDefaultParamStruct *dps = (ContentDefaultParamStruct *)guarded(sizeof *dps);
        memset(dps, 0, sizeof *dps);
        snprintf(dps->DefaultIniName, sizeof dps->DefaultIniName, "%s", ini);
        dps->PluginInterfaceVersionHi = 1;
        dps->PluginInterfaceVersionLow = 50;
        dps->size = sizeof *dps;
        set_params(dps);
        check_guard((unsigned char *)dps, sizeof *dps, "ContentSetDefaultParams");
        printf("params size=%d\n", (int)sizeof *dps);
        free(dps);
    }

    /* The field loop: the buffers are not cleared between calls (as in DC). */
    char names[256][FIELD_LEN], units[256][FIELD_LEN];
    int types[256], nfields = 0;
    unsigned char *name = guarded(FIELD_LEN), *unit = guarded(FIELD_LEN);
    name[0] = unit[0] = 0;
    for (int i = 0;; i++) {
        int rez = get_field(i, (char *)name, (char *)unit, FIELD_LEN);
        check_guard(name, FIELD_LEN, "ContentGetSupportedField FieldName");
        check_guard(unit, FIELD_LEN, "ContentGetSupportedField Units");
        if (rez <= 0 || nfields == 256)
            break;
        check_nul(name, FIELD_LEN, 1, "FieldName");
        check_nul(unit, FIELD_LEN, 1, "Units");
        snprintf(names[nfields], FIELD_LEN, "%s", (char *)name);
        snprintf(units[nfields], FIELD_LEN, "%s", (char *)unit);
        types[nfields++] = rez;
        printf("field %d %d %s|%s\n", i, rez, names[i], units[i]);
    }
    free(name);
    free(unit);

    if (get_detect) {
        unsigned char *detect = guarded(DETECT_LEN);
        memset(detect, 0, DETECT_LEN);
        get_detect((char *)detect, DETECT_LEN);
        check_guard(detect, DETECT_LEN, "ContentGetDetectString");
        check_nul(detect, DETECT_LEN, 1, "DetectString");
        printf("detect %s\n", (char *)detect);
        free(detect);
    }
    if (get_flags)
        printf("flags -1 %d\n", get_flags(-1));

    if (stop_field && nfiles > 0)
        stop_scenario(files[0], stop_field, names, nfields, ansi ? NULL : stop_value_w, stop_value);
    for (int f = 0; f < (stop_field ? 0 : nfiles); f++) {
        for (int i = 0; i < nfields; i++) {
            if (types[i] == 9 || types[i] == 12) {
                full_text(files[f], i, names[i]);
                continue;
            }
            /* One value per unit ("a|b|c"); a multiple choice lists choices. */
            int nunits = 1;
            if (types[i] != 7 && units[i][0])
                for (const char *p = units[i]; *p; p++)
                    nunits += *p == '|';
            for (int u = 0; u < nunits; u++) {
                char what[600];
                snprintf(what, sizeof what, "%.300s %.200s[%d]", files[f], names[i], u);
                unsigned char *buf = guarded(VALUE_LEN);
                struct call c = {files[f], i, u, 1 /* CONTENT_DELAYIFSLOW */, 0, buf};
                do_call(&c);
                int delayed = c.result == 0;
                if (delayed) {
                    pthread_t t;
                    c.flags = 0;
                    pthread_create(&t, NULL, do_call, &c);
                    pthread_join(t, NULL);
                }
                check_guard(buf, VALUE_LEN, what);
                printf("value %s %s[%d] ", files[f], names[i], u);
                print_value(c.result, buf, what);
                printf("%s\n", delayed ? " (delayed)" : "");
                free(buf);
            }
        }
    }
    if (nfiles > 0) {
        if (stop_value_w && !ansi) {
            uint16_t *w = to_utf16(files[0]);
            stop_value_w(w);
            free(w);
        } else if (stop_value)
            stop_value(files[0]);
    }
    if (unloading)
        unloading();
    dlclose(lib);
    printf("checks %d, %d failed\n", checks, failed);
    return failed ? 1 : 0;
}
