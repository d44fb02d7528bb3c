/* A WCX test host doing what Double Commander does (hosts.md), over the
 * Unicode (...W) exports:  wcx_host PLUGIN.wcx ARCHIVE OUTDIR NEWARCHIVE SRCDIR
 *   list:    OpenArchiveW(PK_OM_LIST), Set*ProcW, ReadHeaderExW + ProcessFileW(PK_SKIP)
 *            until E_END_ARCHIVE, CloseArchive; prints "entry NAME SIZE"
 *   extract: on a worker thread, OpenArchiveW(PK_OM_EXTRACT), ProcessFileW(PK_EXTRACT,
 *            DestPath=NULL, DestName=OUTDIR/NAME) for each member
 *   pack:    PackFilesW(NEWARCHIVE, NULL, SRCDIR/, "a.txt\0sub/b.txt\0\0", PK_PACK_SAVE_PATHS)
 *   delete:  DeleteFilesW(NEWARCHIVE, "a.txt\0\0")
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
static void *sym(const char *n) { void *p = dlsym(lib, n); if (!p) { printf("FAIL missing export %s\n", n); exit(2); } return p; }
static void to_w(const char *s, WCHAR *out, size_t cap) { size_t i = 0; for (; s[i] && i + 1 < cap; i++) out[i] = (unsigned char)s[i]; out[i] = 0; }
static void from_w(const WCHAR *w, char *out, size_t cap) { size_t i = 0; for (; w[i] && i + 1 < cap; i++) out[i] = (char)w[i]; out[i] = 0; }

static int progress_calls;
static int DCPCALL on_progress(WCHAR *name, int size) { (void)name; (void)size; progress_calls++; return 1; }
static int DCPCALL on_volume(WCHAR *name, int mode) { (void)name; (void)mode; return 1; }

static const char *ARCHIVE, *OUTDIR;
static int extracted, extract_errors;

/* The host creates the destination's folders before extracting into it. */
static void make_parents(const char *path) {
    char tmp[2048]; snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) if (*p == '/') { *p = 0; mkdir(tmp, 0755); *p = '/'; }
}

static HANDLE open_w(const char *path, int mode) {
    HANDLE (DCPCALL *OpenArchiveW_)(tOpenArchiveDataW *) = sym("OpenArchiveW");
    void (DCPCALL *SetProcessDataProcW_)(HANDLE, tProcessDataProcW) = sym("SetProcessDataProcW");
    void (DCPCALL *SetChangeVolProcW_)(HANDLE, tChangeVolProcW) = sym("SetChangeVolProcW");
    WCHAR wpath[1024]; to_w(path, wpath, 1024);
    tOpenArchiveDataW d; memset(&d, 0, sizeof d);
    d.ArcName = wpath; d.OpenMode = mode;
    HANDLE h = OpenArchiveW_(&d);
    if (!h) { printf("FAIL OpenArchiveW(%s) result %d\n", path, d.OpenResult); exit(1); }
    SetChangeVolProcW_(h, on_volume);
    SetProcessDataProcW_(h, on_progress);
    return h;
}

static void *extract(void *arg) {
    (void)arg;
    int (DCPCALL *ReadHeaderExW_)(HANDLE, tHeaderDataExW *) = sym("ReadHeaderExW");
    int (DCPCALL *ProcessFileW_)(HANDLE, int, WCHAR *, WCHAR *) = sym("ProcessFileW");
    int (DCPCALL *CloseArchive_)(HANDLE) = sym("CloseArchive");
    HANDLE h = open_w(ARCHIVE, PK_OM_EXTRACT);
    tHeaderDataExW hd;
    while (memset(&hd, 0, sizeof hd), ReadHeaderExW_(h, &hd) == 0) {
        char name[1024], dest[2048]; from_w(hd.FileName, name, sizeof name);
        int dir = (hd.FileAttr & 0170000) == 0040000;
        snprintf(dest, sizeof dest, "%s/%s", OUTDIR, name);
        WCHAR wdest[2048]; to_w(dest, wdest, 2048);
        if (!dir) make_parents(dest);
        int r = ProcessFileW_(h, dir ? PK_SKIP : PK_EXTRACT, NULL, dir ? NULL : wdest);
        if (r) { extract_errors++; printf("FAIL extract %s: %d\n", name, r); } else if (!dir) extracted++;
    }
    CloseArchive_(h);
    return NULL;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 6) { fprintf(stderr, "usage: %s PLUGIN ARCHIVE OUTDIR NEWARCHIVE SRCDIR\n", argv[0]); return 2; }
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    ARCHIVE = argv[2]; OUTDIR = argv[3];
    int (DCPCALL *ReadHeaderExW_)(HANDLE, tHeaderDataExW *) = sym("ReadHeaderExW");
    int (DCPCALL *ProcessFileW_)(HANDLE, int, WCHAR *, WCHAR *) = sym("ProcessFileW");
    int (DCPCALL *CloseArchive_)(HANDLE) = sym("CloseArchive");
    int failed = 0, passed = 0;

    /* list */
    HANDLE h = open_w(ARCHIVE, PK_OM_LIST);
    tHeaderDataExW hd; int r, n = 0;
    while (memset(&hd, 0, sizeof hd), (r = ReadHeaderExW_(h, &hd)) == 0) {
        char name[1024]; from_w(hd.FileName, name, sizeof name);
        unsigned long long size = ((unsigned long long)hd.UnpSizeHigh << 32) | hd.UnpSize;
        printf("entry %s %llu\n", name, size);
        n++;
        ProcessFileW_(h, PK_SKIP, NULL, NULL);
    }
    if (r == E_END_ARCHIVE) passed++; else { failed++; printf("FAIL listing ended with %d\n", r); }
    CloseArchive_(h);

    /* extract on a worker thread, as Double Commander does */
    pthread_t t; pthread_create(&t, NULL, extract, NULL); pthread_join(t, NULL);
    if (extract_errors == 0 && extracted > 0) passed++; else failed++;
    printf("extracted %d\n", extracted);

    /* pack a new archive, then delete a member */
    int (DCPCALL *PackFilesW_)(WCHAR *, WCHAR *, WCHAR *, WCHAR *, int) = sym("PackFilesW");
    int (DCPCALL *DeleteFilesW_)(WCHAR *, WCHAR *) = sym("DeleteFilesW");
    WCHAR packed[1024], src[1024], list[64] = {0}, del[16] = {0};
    char srcdir[1024]; snprintf(srcdir, sizeof srcdir, "%s/", argv[5]);
    to_w(argv[4], packed, 1024); to_w(srcdir, src, 1024);
    const char *items = "a.txt\0sub/b.txt\0"; /* NUL-separated, ends with two NULs */
    for (int i = 0; i < 16; i++) list[i] = (unsigned char)items[i];
    r = PackFilesW_(packed, NULL, src, list, PK_PACK_SAVE_PATHS);
    if (r == 0) passed++; else { failed++; printf("FAIL PackFilesW: %d\n", r); }
    if (r == 0) {
        const char *d = "a.txt\0"; for (int i = 0; i < 6; i++) del[i] = (unsigned char)d[i];
        r = DeleteFilesW_(packed, del);
        if (r == 0) passed++; else { failed++; printf("FAIL DeleteFilesW: %d\n", r); }
    }
    printf("progress callbacks %d\n", progress_calls);
    printf("wcx_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
