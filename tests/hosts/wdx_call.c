/* wdx_call: single WDX calls with the arguments a test gives, for what
 * Double Commander's sequence (wdx_host) never passes.
 *
 *   wdx_call PLUGIN FILE [FIELD UNIT MAXLEN]...
 *
 * Loads PLUGIN, lists the fields (ContentGetSupportedField over two 256-byte
 * buffers until a result <= 0: "field I TYPE NAME|UNITS", then "fields N
 * end=R"), then per triple calls ContentGetValueW(FILE, index of FIELD,
 * UNIT, buffer, MAXLEN, 0) with a 2049-byte buffer whatever MAXLEN says
 * (FIELD "#I" is index I) and prints "call FIELD UNIT MAXLEN -> RESULT";
 * and " = VALUE" for a string (ASCII shown) or 64-bit number;
 * FIELD "@supported" calls ContentGetSupportedField(0, ..., MAXLEN) instead;
 * "@swap SRC DST" renames SRC over DST (an editor's save), "@await FIELD
 * TEXT" asks FIELD until its string value is TEXT (30 s at most: a live
 * reload), printing "await FIELD TEXT ok|TIMEOUT".
 * The buffer is filled with 0xA5 first; "guard ok" when bytes past a
 * non-negative MAXLEN (and all of it for a negative one) are untouched. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF 2049

typedef int (*GetSupportedField)(int, char *, char *, int);
typedef int (*GetValueW)(uint16_t *, int, int, void *, int, int);

static unsigned char buf[BUF + 64], units[BUF + 64];
static char names[64][256];
static int n;
static uint16_t wname[4096];
static GetValueW gv;

static int index_of(const char *field) {
    if (field[0] == '#')
        return atoi(field + 1);
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], field))
            return i;
    return -1;
}

/* The value as text: ASCII of a UTF-16 string, a 64-bit number, else "". */
static void show(int res, char *out, size_t size) {
    out[0] = 0;
    if (res == 11) {
        size_t i = 0;
        for (; i + 1 < size && i * 2 + 1 < BUF && (buf[2 * i] || buf[2 * i + 1]); i++)
            out[i] = (char)buf[2 * i];
        out[i] = 0;
    } else if (res == 2) {
        long long v;
        memcpy(&v, buf, sizeof v);
        snprintf(out, size, "%lld", v);
    }
}

int main(int argc, char **argv) {
    if (argc < 3 || (argc - 3) % 3) {
        fprintf(stderr, "usage: wdx_call PLUGIN FILE [FIELD UNIT MAXLEN]...\n");
        return 2;
    }
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("dlopen failed: %s\n", dlerror());
        return 1;
    }
    GetSupportedField gsf = (GetSupportedField)dlsym(h, "ContentGetSupportedField");
    gv = (GetValueW)dlsym(h, "ContentGetValueW");
    if (!gsf || !gv) {
        printf("missing exports\n");
        return 1;
    }
    int r = 0;
    for (; n < 64; n++) {
        memset(buf, 0, 256);
        memset(units, 0, 256);
        r = gsf(n, (char *)buf, (char *)units, 256);
        if (r <= 0)
            break;
        memcpy(names[n], buf, 255);
        names[n][255] = 0;
        printf("field %d %d %s|%s\n", n, r, (char *)buf, (char *)units);
    }
    printf("fields %d end=%d\n", n, r);
    size_t len = strlen(argv[2]);
    for (size_t i = 0; i <= len && i < 4095; i++)
        wname[i] = (unsigned char)argv[2][i];
    wname[4095] = 0;
    for (int a = 3; a + 2 < argc; a += 3) {
        const char *field = argv[a];
        if (!strcmp(field, "@swap")) {
            rename(argv[a + 1], argv[a + 2]);
            continue;
        }
        if (!strcmp(field, "@await")) {
            char text[256] = "";
            int i = 0;
            for (; i < 1500 && strcmp(text, argv[a + 2]); i++) {
                memset(buf, 0, sizeof buf);
                show(gv(wname, index_of(argv[a + 1]), 0, buf, BUF, 0), text, sizeof text);
                usleep(20000);
            }
            printf("await %s %s %s\n", argv[a + 1], argv[a + 2], strcmp(text, argv[a + 2]) ? "TIMEOUT" : "ok");
            continue;
        }
        int unit = atoi(argv[a + 1]), maxlen = atoi(argv[a + 2]);
        memset(buf, 0xA5, sizeof buf);
        memset(units, 0xA5, sizeof units);
        int res;
        if (!strcmp(field, "@supported")) {
            res = gsf(0, (char *)buf, (char *)units, maxlen);
        } else {
            res = gv(wname, index_of(field), unit, buf, maxlen, 0);
        }
        size_t from = maxlen < 0 ? 0 : (size_t)maxlen;
        int ok = 1;
        for (size_t i = from; i < sizeof buf; i++)
            ok &= buf[i] == 0xA5 && (strcmp(field, "@supported") || units[i] == 0xA5);
        char text[256];
        show(res, text, sizeof text);
        printf("call %s %d %d -> %d%s%s guard %s\n", field, unit, maxlen, res, *text ? " = " : "", text,
               ok ? "ok" : "BROKEN");
    }
    dlclose(h);
    return 0;
}
