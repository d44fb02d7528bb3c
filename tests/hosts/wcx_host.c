/* A WCX test host doing what Double Commander does (hosts.md):
 *   wcx_host [--ansi] [--strict] PLUGIN.wcx ARCHIVE OUTDIR NEWARCHIVE SRCDIR
 * Over the Unicode (...W) exports, or the ANSI ones with --ansi:
 *   list:    OpenArchive(PK_OM_LIST), Set*Proc when exported, ReadHeader(ExW|Ex)
 *            + ProcessFile(PK_SKIP) until E_END_ARCHIVE, CloseArchive;
 *            prints "entry NAME SIZE MODE MTIME"
 *   extract: on a worker thread, OpenArchive(PK_OM_EXTRACT), ProcessFile(PK_EXTRACT,
 *            DestPath=NULL, DestName=OUTDIR/NAME) for each member
 *   pack:    PackFiles(NEWARCHIVE, NULL, SRCDIR/, "a.txt\0sub/b.txt\0\0", PK_PACK_SAVE_PATHS)
 *   delete:  DeleteFiles(NEWARCHIVE, "a.txt\0\0")
 * --read-only stops after list and extract (a plugin without PackFiles/DeleteFiles).
 * --strict adds what a well-behaved plugin must also do: PK_TEST and PK_SKIP
 * in extract mode, a progress callback returning 0 aborts with E_EABORTED,
 * and a closed or forged handle gives an error value (no crash).
 *   wcx_host --errors PLUGIN.wcx ARCHIVE
 * calls every Unicode export of a plugin whose functions all raise (but
 * OpenArchiveW in list mode) and checks each returns the pack's error value
 * (GetPackerCaps 2000 times: the log must stay short).
 * Uses interfaces/wcx/wcxhead.h, so it also checks that header's layouts
 * against a plugin built from the host's own SDK. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../../interfaces/wcx/wcxhead.h"

static void *lib;
static int ansi, strict, read_only;
static void *opt(const char *n) { return dlsym(lib, n); }
static void *sym(const char *n) { void *p = dlsym(lib, n); if (!p) { printf("FAIL missing export %s\n", n); exit(2); } return p; }
/* UTF-8 <-> UTF-16 (BMP only: enough for the tests' names). */
static void to_w(const char *s, WCHAR *out, size_t cap) {
    size_t o = 0; const unsigned char *p = (const unsigned char *)s;
    while (*p && o + 1 < cap) {
        unsigned c = *p++;
        if (c >= 0xe0) { c = ((c & 0x0f) << 12) | ((p[0] & 0x3f) << 6) | (p[1] & 0x3f); p += 2; }
        else if (c >= 0xc0) { c = ((c & 0x1f) << 6) | (p[0] & 0x3f); p += 1; }
        out[o++] = (WCHAR)c;
    }
    out[o] = 0;
}
static void from_w(const WCHAR *w, char *out, size_t cap) {
    size_t o = 0;
    for (; *w && o + 4 < cap; w++) {
        unsigned c = *w;
        if (c < 0x80) out[o++] = (char)c;
        else if (c < 0x800) { out[o++] = (char)(0xc0 | (c >> 6)); out[o++] = (char)(0x80 | (c & 0x3f)); }
        else { out[o++] = (char)(0xe0 | (c >> 12)); out[o++] = (char)(0x80 | ((c >> 6) & 0x3f)); out[o++] = (char)(0x80 | (c & 0x3f)); }
    }
    out[o] = 0;
}

static int progress_calls, abort_progress;
static int DCPCALL on_progress_w(WCHAR *name, int size) { (void)name; (void)size; progress_calls++; return !abort_progress; }
static int DCPCALL on_progress(char *name, int size) { (void)name; (void)size; progress_calls++; return !abort_progress; }
static int DCPCALL on_volume_w(WCHAR *name, int mode) { (void)name; (void)mode; return 1; }
static int DCPCALL on_volume(char *name, int mode) { (void)name; (void)mode; return 1; }

static const char *ARCHIVE, *OUTDIR;
static int extracted, extract_errors, failed, passed;
#define CHECK(cond, ...) do { if (cond) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

/* The host creates the destination's folders before extracting into it. */
static void make_parents(const char *path) {
    char tmp[4096]; snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) if (*p == '/') { *p = 0; mkdir(tmp, 0755); *p = '/'; }
}

static HANDLE open_archive(const char *path, int mode) {
    HANDLE h; int result;
    if (ansi) {
        HANDLE (DCPCALL *OpenArchive_)(tOpenArchiveData *) = sym("OpenArchive");
        tOpenArchiveData d; memset(&d, 0, sizeof d);
        d.ArcName = (char *)path; d.OpenMode = mode;
        h = OpenArchive_(&d); result = d.OpenResult;
        void (DCPCALL *vol)(HANDLE, tChangeVolProc) = opt("SetChangeVolProc");
        void (DCPCALL *prog)(HANDLE, tProcessDataProc) = opt("SetProcessDataProc");
        if (h && vol) vol(h, on_volume);
        if (h && prog) prog(h, on_progress);
    } else {
        HANDLE (DCPCALL *OpenArchiveW_)(tOpenArchiveDataW *) = sym("OpenArchiveW");
        WCHAR wpath[1024]; to_w(path, wpath, 1024);
        tOpenArchiveDataW d; memset(&d, 0, sizeof d);
        d.ArcName = wpath; d.OpenMode = mode;
        h = OpenArchiveW_(&d); result = d.OpenResult;
        void (DCPCALL *vol)(HANDLE, tChangeVolProcW) = opt("SetChangeVolProcW");
        void (DCPCALL *prog)(HANDLE, tProcessDataProcW) = opt("SetProcessDataProcW");
        if (h && vol) vol(h, on_volume_w);
        if (h && prog) prog(h, on_progress_w);
    }
    if (!h) { printf("FAIL OpenArchive(%s) result %d\n", path, result); exit(1); }
    return h;
}

/* One member header, whichever ReadHeader the host would use. */
struct member { char name[3072]; unsigned long long size; int attr, time; };
static int read_header(HANDLE h, struct member *m) {
    int r;
    if (!ansi) {
        int (DCPCALL *f)(HANDLE, tHeaderDataExW *) = sym("ReadHeaderExW");
        static __thread tHeaderDataExW hd; memset(&hd, 0, sizeof hd);
        r = f(h, &hd);
        from_w(hd.FileName, m->name, sizeof m->name);
        m->size = ((unsigned long long)hd.UnpSizeHigh << 32) | hd.UnpSize;
        m->attr = hd.FileAttr; m->time = hd.FileTime;
    } else if (opt("ReadHeaderEx")) {
        int (DCPCALL *f)(HANDLE, tHeaderDataEx *) = sym("ReadHeaderEx");
        static __thread tHeaderDataEx hd; memset(&hd, 0, sizeof hd);
        r = f(h, &hd);
        snprintf(m->name, sizeof m->name, "%s", hd.FileName);
        m->size = ((unsigned long long)hd.UnpSizeHigh << 32) | hd.UnpSize;
        m->attr = hd.FileAttr; m->time = hd.FileTime;
    } else {
        int (DCPCALL *f)(HANDLE, tHeaderData *) = sym("ReadHeader");
        static __thread tHeaderData hd; memset(&hd, 0, sizeof hd);
        r = f(h, &hd);
        snprintf(m->name, sizeof m->name, "%s", hd.FileName);
        m->size = (unsigned)hd.UnpSize; m->attr = hd.FileAttr; m->time = hd.FileTime;
    }
    return r;
}

static int process(HANDLE h, int op, const char *dest) {
    if (ansi) {
        int (DCPCALL *f)(HANDLE, int, char *, char *) = sym("ProcessFile");
        return f(h, op, NULL, (char *)dest);
    }
    int (DCPCALL *f)(HANDLE, int, WCHAR *, WCHAR *) = sym("ProcessFileW");
    WCHAR w[2048]; if (dest) to_w(dest, w, 2048);
    return f(h, op, NULL, dest ? w : NULL);
}

static int close_archive(HANDLE h) { int (DCPCALL *f)(HANDLE) = sym("CloseArchive"); return f(h); }

static void *extract(void *arg) {
    (void)arg;
    HANDLE h = open_archive(ARCHIVE, PK_OM_EXTRACT);
    struct member m;
    while (read_header(h, &m) == 0) {
        char dest[4096];
        int dir = (m.attr & 0170000) == 0040000;
        snprintf(dest, sizeof dest, "%s/%s", OUTDIR, m.name);
        if (!dir) make_parents(dest);
        int r = process(h, dir ? PK_SKIP : PK_EXTRACT, dir ? NULL : dest);
        if (r) { extract_errors++; printf("FAIL extract %s: %d\n", m.name, r); } else if (!dir) extracted++;
    }
    close_archive(h);
    return NULL;
}

/* PK_TEST and PK_SKIP, then an abort from the progress callback. */
static void strict_checks(void) {
    HANDLE h = open_archive(ARCHIVE, PK_OM_EXTRACT);
    struct member m; int tested = 0, r;
    while ((r = read_header(h, &m)) == 0) {
        int dir = (m.attr & 0170000) == 0040000;
        int op = (tested++ % 2) ? PK_SKIP : PK_TEST;
        int pr = process(h, dir ? PK_SKIP : op, NULL);
        CHECK(pr == 0, "%s %s: %d", op == PK_TEST ? "PK_TEST" : "PK_SKIP", m.name, pr);
    }
    CHECK(r == E_END_ARCHIVE, "test pass ended with %d", r);
    close_archive(h);
    /* A closed handle and a forged one: error values, never a crash. */
    r = read_header(h, &m);
    CHECK(r != 0 && r != E_END_ARCHIVE, "ReadHeader on a closed handle gave %d", r);
    r = read_header((HANDLE)(uintptr_t)0x5eed, &m);
    CHECK(r != 0 && r != E_END_ARCHIVE, "ReadHeader on a forged handle gave %d", r);
    CHECK(close_archive(h) != 0, "CloseArchive twice succeeded");

    abort_progress = 1;
    h = open_archive(ARCHIVE, PK_OM_EXTRACT);
    int aborted = 0;
    while (read_header(h, &m) == 0) {
        if ((m.attr & 0170000) == 0040000 || m.size == 0) { process(h, PK_SKIP, NULL); continue; }
        char dest[4096]; snprintf(dest, sizeof dest, "%s/aborted.bin", OUTDIR);
        r = process(h, PK_EXTRACT, dest);
        aborted = r == E_EABORTED;
        CHECK(aborted, "extract with progress returning 0 gave %d, not E_EABORTED", r);
        struct stat st;
        CHECK(stat(dest, &st) != 0, "an aborted extraction left %s", dest);
        break;
    }
    close_archive(h);
    abort_progress = 0;
}

/* PackFiles / PackFilesW with a NUL-separated list given as "a\0b\0". */
static int pack_files(const char *arc, const char *sub, const char *src, const char *list, size_t list_len, int flags) {
    if (ansi) {
        int (DCPCALL *f)(char *, char *, char *, char *, int) = sym("PackFiles");
        return f((char *)arc, (char *)sub, (char *)src, (char *)list, flags);
    }
    int (DCPCALL *f)(WCHAR *, WCHAR *, WCHAR *, WCHAR *, int) = sym("PackFilesW");
    WCHAR warc[1024], wsub[1024], wsrc[1024], wlist[256] = {0};
    to_w(arc, warc, 1024); to_w(src, wsrc, 1024); if (sub) to_w(sub, wsub, 1024);
    for (size_t i = 0; i < list_len && i < 255; i++) wlist[i] = (unsigned char)list[i];
    return f(warc, sub ? wsub : NULL, wsrc, wlist, flags);
}

/* Members of ARC as one "name|name|" string (for checks). */
static void members(const char *arc, char *out, size_t cap) {
    HANDLE h = open_archive(arc, PK_OM_LIST);
    struct member m; out[0] = 0;
    while (read_header(h, &m) == 0) {
        strncat(out, m.name, cap - strlen(out) - 2); strcat(out, "|");
        process(h, PK_SKIP, NULL);
    }
    close_archive(h);
}

/* What the Python example also does: caps, CanYouHandleThisFile, extract
 * with DestPath set, add to an existing archive, PK_PACK_MOVE_FILES. */
static void more_checks(const char *srcdir) {
    int (DCPCALL *caps)(void) = sym("GetPackerCaps");
    int want = PK_CAPS_NEW | PK_CAPS_MODIFY | PK_CAPS_MULTIPLE | PK_CAPS_DELETE | PK_CAPS_BY_CONTENT;
    CHECK((caps() & want) == want, "GetPackerCaps = %d", caps());
    char text[2048]; snprintf(text, sizeof text, "%sa.txt", srcdir);
    if (ansi) {
        BOOL (DCPCALL *can)(char *) = sym("CanYouHandleThisFile");
        CHECK(can((char *)ARCHIVE) == 1 && can(text) == 0, "CanYouHandleThisFile");
    } else {
        BOOL (DCPCALL *can)(WCHAR *) = sym("CanYouHandleThisFileW");
        WCHAR wa[1024], wt[1024]; to_w(ARCHIVE, wa, 1024); to_w(text, wt, 1024);
        CHECK(can(wa) == 1 && can(wt) == 0, "CanYouHandleThisFileW");
    }
    /* DestPath set, DestName relative to it */
    HANDLE h = open_archive(ARCHIVE, PK_OM_EXTRACT);
    struct member m; int r, done = 0;
    char destdir[2048]; snprintf(destdir, sizeof destdir, "%s/destpath", OUTDIR); mkdir(destdir, 0755);
    while ((r = read_header(h, &m)) == 0) {
        if ((m.attr & 0170000) == 0040000 || strchr(m.name, '/') || done) { process(h, PK_SKIP, NULL); continue; }
        if (ansi) {
            int (DCPCALL *f)(HANDLE, int, char *, char *) = sym("ProcessFile");
            r = f(h, PK_EXTRACT, destdir, m.name);
        } else {
            int (DCPCALL *f)(HANDLE, int, WCHAR *, WCHAR *) = sym("ProcessFileW");
            WCHAR wd[2048], wn[2048]; to_w(destdir, wd, 2048); to_w(m.name, wn, 2048);
            r = f(h, PK_EXTRACT, wd, wn);
        }
        char path[8192]; snprintf(path, sizeof path, "%s/%s", destdir, m.name);
        struct stat st;
        CHECK(r == 0 && stat(path, &st) == 0 && (unsigned long long)st.st_size == m.size, "extract with DestPath: %d", r);
        done = 1;
    }
    close_archive(h);
    CHECK(done, "no top-level file to extract with DestPath set");
    /* a new archive, then another file added to it, then a moved file */
    char arc[2048], list[2048];
    snprintf(arc, sizeof arc, "%s/added.tar", OUTDIR);
    const char one[] = "a.txt\0", two[] = "sub/b.txt\0";
    r = pack_files(arc, NULL, srcdir, one, sizeof one, PK_PACK_SAVE_PATHS);
    CHECK(r == 0, "pack a.txt: %d", r);
    r = pack_files(arc, NULL, srcdir, two, sizeof two, PK_PACK_SAVE_PATHS);
    CHECK(r == 0, "add sub/b.txt: %d", r);
    members(arc, list, sizeof list);
    CHECK(strstr(list, "a.txt|") && strstr(list, "sub/b.txt|"), "after adding: %s", list);
    char moved[2048]; snprintf(moved, sizeof moved, "%smove-me.txt", srcdir);
    FILE *fp = fopen(moved, "w"); fputs("moved\n", fp); fclose(fp);
    const char three[] = "move-me.txt\0";
    r = pack_files(arc, "inside", srcdir, three, sizeof three, PK_PACK_MOVE_FILES);
    struct stat st;
    CHECK(r == 0 && stat(moved, &st) != 0, "PK_PACK_MOVE_FILES: %d, source %s", r, stat(moved, &st) ? "gone" : "still there");
    members(arc, list, sizeof list);
    CHECK(strstr(list, "inside/move-me.txt|") != NULL, "SubPath: %s", list);
}

/* Every export raises in Python: the host sees the pack's error values. */
static int error_values(const char *archive) {
    WCHAR w[1024]; to_w(archive, w, 1024);
    HANDLE (DCPCALL *OpenArchiveW_)(tOpenArchiveDataW *) = sym("OpenArchiveW");
    tOpenArchiveDataW d; memset(&d, 0, sizeof d); d.ArcName = w; d.OpenMode = PK_OM_EXTRACT;
    CHECK(OpenArchiveW_(&d) == NULL, "OpenArchiveW raising gave a handle");
    CHECK(d.OpenResult == E_BAD_ARCHIVE, "OpenArchiveW raising left OpenResult %d, not E_BAD_ARCHIVE", d.OpenResult);
    d.OpenMode = PK_OM_LIST;
    HANDLE h = OpenArchiveW_(&d);
    CHECK(h != NULL, "OpenArchiveW(PK_OM_LIST) failed");
    void (DCPCALL *SetProcessDataProcW_)(HANDLE, tProcessDataProcW) = sym("SetProcessDataProcW");
    SetProcessDataProcW_(h, on_progress_w); /* raises: nothing to return, must not crash */
    struct member m;
    int r = read_header(h, &m);
    CHECK(r == E_BAD_ARCHIVE, "ReadHeaderExW gave %d, not E_BAD_ARCHIVE", r);
    r = process(h, PK_EXTRACT, "/nonexistent/x");
    CHECK(r == E_BAD_DATA, "ProcessFileW gave %d, not E_BAD_DATA", r);
    r = close_archive(h);
    CHECK(r == E_ECLOSE, "CloseArchive gave %d, not E_ECLOSE", r);
    r = read_header(h, &m);
    CHECK(r == E_BAD_ARCHIVE, "the handle outlived a raising CloseArchive: %d", r);
    int (DCPCALL *PackFilesW_)(WCHAR *, WCHAR *, WCHAR *, WCHAR *, int) = sym("PackFilesW");
    WCHAR list[4] = {'a', 0, 0, 0};
    r = PackFilesW_(w, NULL, w, list, 0);
    CHECK(r == E_EWRITE, "PackFilesW gave %d, not E_EWRITE", r);
    int (DCPCALL *DeleteFilesW_)(WCHAR *, WCHAR *) = sym("DeleteFilesW");
    r = DeleteFilesW_(w, list);
    CHECK(r == E_EWRITE, "DeleteFilesW gave %d, not E_EWRITE", r);
    int (DCPCALL *GetPackerCaps_)(void) = sym("GetPackerCaps");
    CHECK(GetPackerCaps_() == 0, "GetPackerCaps raising gave caps");
    int flood = 0; /* a host calling a broken export in a loop: the log stays short */
    for (int i = 0; i < 2000; i++) flood += GetPackerCaps_();
    CHECK(flood == 0, "GetPackerCaps in a loop");
    BOOL (DCPCALL *CanYouHandleThisFileW_)(WCHAR *) = sym("CanYouHandleThisFileW");
    CHECK(CanYouHandleThisFileW_(w) == 0, "CanYouHandleThisFileW raising said yes");
    printf("wcx_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* --codes: a script raising wcxhead_h.Error(code) from each export (and
 * OpenArchiveW returning None): the host gets exactly those codes. */
static int error_codes(const char *dir) {
    char path[4096]; WCHAR w[1024];
    HANDLE (DCPCALL *OpenArchiveW_)(tOpenArchiveDataW *) = sym("OpenArchiveW");
    HANDLE (DCPCALL *OpenArchive_)(tOpenArchiveData *) = sym("OpenArchive");
    tOpenArchiveDataW d;
    snprintf(path, sizeof path, "%s/eopen", dir); to_w(path, w, 1024);
    memset(&d, 0, sizeof d); d.ArcName = w; d.OpenMode = PK_OM_LIST;
    CHECK(OpenArchiveW_(&d) == NULL && d.OpenResult == E_EOPEN, "Error(E_EOPEN): OpenResult %d", d.OpenResult);
    snprintf(path, sizeof path, "%s/none", dir); to_w(path, w, 1024);
    memset(&d, 0, sizeof d); d.ArcName = w; d.OpenMode = PK_OM_LIST;
    CHECK(OpenArchiveW_(&d) == NULL && d.OpenResult == E_BAD_ARCHIVE, "None: OpenResult %d", d.OpenResult);
    tOpenArchiveData a; memset(&a, 0, sizeof a); a.ArcName = path; a.OpenMode = PK_OM_LIST;
    CHECK(OpenArchive_(&a) == NULL && a.OpenResult == E_UNKNOWN_FORMAT, "ANSI Error(E_UNKNOWN_FORMAT): OpenResult %d", a.OpenResult);
    snprintf(path, sizeof path, "%s/ok", dir); to_w(path, w, 1024);
    memset(&d, 0, sizeof d); d.ArcName = w; d.OpenMode = PK_OM_LIST;
    HANDLE h = OpenArchiveW_(&d);
    CHECK(h != NULL && d.OpenResult == 0, "open ok: %p %d", h, d.OpenResult);
    struct member m;
    int r = read_header(h, &m);
    CHECK(r == E_EREAD, "ReadHeaderExW gave %d, not E_EREAD", r);
    r = process(h, PK_EXTRACT, "/nonexistent/x");
    CHECK(r == E_ECREATE, "ProcessFileW gave %d, not E_ECREATE", r);
    r = close_archive(h);
    CHECK(r == 0, "CloseArchive gave %d", r);
    int (DCPCALL *PackFilesW_)(WCHAR *, WCHAR *, WCHAR *, WCHAR *, int) = sym("PackFilesW");
    WCHAR list[4] = {'a', 0, 0, 0};
    r = PackFilesW_(w, NULL, w, list, 0);
    CHECK(r == E_TOO_MANY_FILES, "PackFilesW gave %d, not E_TOO_MANY_FILES", r);
    int (DCPCALL *GetPackerCaps_)(void) = sym("GetPackerCaps");
    r = GetPackerCaps_();
    CHECK(r == 0, "GetPackerCaps raising Error(2**40) gave %d, not its error value", r);
    printf("wcx_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int a = 1, errors = 0;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (!strcmp(argv[a], "--ansi")) ansi = 1;
        else if (!strcmp(argv[a], "--strict")) strict = 1;
        else if (!strcmp(argv[a], "--errors")) errors = 1;
        else if (!strcmp(argv[a], "--codes")) errors = 2;
        else if (!strcmp(argv[a], "--read-only")) read_only = 1;
    }
    if (errors && argc - a == 2) {
        lib = dlopen(argv[a], RTLD_NOW | RTLD_LOCAL);
        if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
        return errors == 2 ? error_codes(argv[a + 1]) : error_values(argv[a + 1]);
    }
    if (argc - a < 5) { fprintf(stderr, "usage: %s [--ansi] [--strict] PLUGIN ARCHIVE OUTDIR NEWARCHIVE SRCDIR\n", argv[0]); return 2; }
    lib = dlopen(argv[a], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    ARCHIVE = argv[a + 1]; OUTDIR = argv[a + 2];
    const char *newarc = argv[a + 3], *srcarg = argv[a + 4];

    /* list */
    HANDLE h = open_archive(ARCHIVE, PK_OM_LIST);
    struct member m; int r;
    while ((r = read_header(h, &m)) == 0) {
        printf("entry %s %llu %o %d\n", m.name, m.size, (unsigned)m.attr, m.time);
        process(h, PK_SKIP, NULL);
    }
    CHECK(r == E_END_ARCHIVE, "listing ended with %d", r);
    CHECK(close_archive(h) == 0, "CloseArchive failed");

    /* extract on a worker thread, as Double Commander does */
    pthread_t t; pthread_create(&t, NULL, extract, NULL); pthread_join(t, NULL);
    CHECK(extract_errors == 0 && extracted > 0, "extracted %d with %d errors", extracted, extract_errors);
    printf("extracted %d\n", extracted);
    if (strict) { strict_checks(); char s[1024]; snprintf(s, sizeof s, "%s/", srcarg); more_checks(s); }
    if (read_only) { printf("wcx_host: %d passed, %d failed\n", passed, failed); return failed ? 1 : 0; }

    /* pack a new archive, then delete a member */
    char srcdir[1024]; snprintf(srcdir, sizeof srcdir, "%s/", srcarg);
    const char items[] = "a.txt\0sub/b.txt\0"; /* NUL-separated, ends with two NULs */
    const char del[] = "a.txt\0";
    if (ansi) {
        int (DCPCALL *PackFiles_)(char *, char *, char *, char *, int) = sym("PackFiles");
        int (DCPCALL *DeleteFiles_)(char *, char *) = sym("DeleteFiles");
        r = PackFiles_((char *)newarc, NULL, srcdir, (char *)items, PK_PACK_SAVE_PATHS);
        CHECK(r == 0, "PackFiles: %d", r);
        if (r == 0) { r = DeleteFiles_((char *)newarc, (char *)del); CHECK(r == 0, "DeleteFiles: %d", r); }
    } else {
        int (DCPCALL *PackFilesW_)(WCHAR *, WCHAR *, WCHAR *, WCHAR *, int) = sym("PackFilesW");
        int (DCPCALL *DeleteFilesW_)(WCHAR *, WCHAR *) = sym("DeleteFilesW");
        WCHAR packed[1024], src[1024], list[64] = {0}, wdel[16] = {0};
        to_w(newarc, packed, 1024); to_w(srcdir, src, 1024);
        for (size_t i = 0; i < sizeof items; i++) list[i] = (unsigned char)items[i];
        for (size_t i = 0; i < sizeof del; i++) wdel[i] = (unsigned char)del[i];
        r = PackFilesW_(packed, NULL, src, list, PK_PACK_SAVE_PATHS);
        CHECK(r == 0, "PackFilesW: %d", r);
        if (r == 0) { r = DeleteFilesW_(packed, wdel); CHECK(r == 0, "DeleteFilesW: %d", r); }
    }
    printf("progress callbacks %d\n", progress_calls);
    printf("wcx_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
