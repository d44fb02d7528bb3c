/* A WFX test host doing what Double Commander 1.0.10 does (hosts.md,
 * uwfxmodule.pas, filesources/wfxplugin/):
 *   wfx_host [--ansi] PLUGIN.wfx CONFDIR COMMAND...
 * load:    dlopen(RTLD_LOCAL); VFSInit = FsSetDefaultParams (DefaultIniName
 *          CONFDIR/wfx.ini, interface 2.0), FsGetBackgroundFlags, ExtensionInitialize
 *          (PluginConfDir CONFDIR/); FsInit and FsInitW (both, when exported);
 *          VFSInit again; FsGetDefRootName(buf, 4096)
 * COMMANDs, each on the main thread (listings) or a worker thread (file
 * operations), wrapped in FsStatusInfo(W) START/END:
 *   ls PATH          FsFindFirst(W) / FsFindNext(W) / FsFindClose; prints
 *                    "entry NAME SIZE ATTR MODE MTIME" (MODE: dwReserved0 with
 *                    FILE_ATTRIBUTE_UNIX_MODE, else -; MTIME: Unix seconds, rounded)
 *   get REMOTE LOCAL FsGetFile(W) with a RemoteInfo; prints "get RESULT"
 *   abort REMOTE LOCAL  FsGetFile(W), the progress callback answering Cancel
 *   put LOCAL REMOTE FsPutFile(W), then FsSetTime(W) with the local mtime as
 *                    Double Commander passes it (a FILETIME a few ticks short
 *                    of the whole second); prints "put RESULT"
 *   mkdir PATH | rm PATH | rmdir PATH   FsMkDir / FsDeleteFile / FsRemoveDir (W)
 *   mv OLD NEW       FsRenMovFile(W, Move=TRUE, OverWrite=FALSE)
 *   exec PATH VERB   FsExecuteFile(W) with a MAX_PATH buffer; prints the result
 *                    and the (possibly rewritten) name
 *   attr PATH ATTR   FsSetAttr(W) (status OP_ATTRIB around it, worker thread);
 *                    prints "attr RESULT"
 *   disconnect PATH  FsDisconnect(W) on the main thread, as Double Commander's
 *                    Disconnect button does; prints "disconnect RESULT"
 * Every record the host passes is allocated at Double Commander's size
 * (WIN32_FIND_DATAW 8264, WIN32_FIND_DATAA 4154, FsDefaultParamStruct 4108,
 * FsGetDefRootName 4096) followed by guard bytes that must stay untouched.
 * The request callback answers message types OK/Yes, RT_Password with
 * $WFX_PASSWORD, other text types with $WFX_ANSWER (unset: Cancel). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../../interfaces/wfx/wfxplugin.h"

_Static_assert(sizeof(WIN32_FIND_DATAW) == 8264, "WIN32_FIND_DATAW");
_Static_assert(__builtin_offsetof(WIN32_FIND_DATAW, cFileName) == 44, "cFileName");
_Static_assert(__builtin_offsetof(WIN32_FIND_DATAW, cAlternateFileName) == 8236, "cAlternateFileName");
_Static_assert(sizeof(WIN32_FIND_DATAA) == 4154, "WIN32_FIND_DATAA");
_Static_assert(sizeof(FsDefaultParamStruct) == 4108, "FsDefaultParamStruct");
_Static_assert(sizeof(RemoteInfoStruct) == 20, "RemoteInfoStruct");
_Static_assert(sizeof(BOOL) == 4 && sizeof(HANDLE) == 8, "BOOL, HANDLE");
/* The pack's INVALID_HANDLE_VALUE is the handle (HANDLE)-1, as in the SDK. */
_Static_assert(__builtin_types_compatible_p(__typeof__(INVALID_HANDLE_VALUE), HANDLE), "INVALID_HANDLE_VALUE is a HANDLE");

#define GUARD 64
#define ROOTNAME 4096
static void *lib;
static int ansi, failed, abort_progress, progress_calls;
static const char *confdir;
static void *opt(const char *n) { return dlsym(lib, n); }
static void *sym(const char *n) { void *p = dlsym(lib, n); if (!p) { printf("FAIL missing export %s\n", n); exit(2); } return p; }
#define FAIL(...) do { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } while (0)

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

/* A record of `size` bytes followed by GUARD bytes of 0xA5. */
static unsigned char *guarded(size_t size) {
    unsigned char *p = malloc(size + GUARD);
    memset(p, 0, size);
    memset(p + size, 0xA5, GUARD);
    return p;
}
static void check_guard(const unsigned char *p, size_t size, const char *what) {
    for (size_t i = 0; i < GUARD; i++)
        if (p[size + i] != 0xA5) { FAIL("%s wrote past its %zu bytes (byte %zu)", what, size, i); return; }
}

static int DCPCALL on_progress_w(int nr, WCHAR *src, WCHAR *dst, int pct) {
    (void)nr; (void)src; (void)dst;
    if (pct < 0 || pct > 100) FAIL("progress %d%%", pct);
    progress_calls++;
    return abort_progress;
}
static int DCPCALL on_progress(int nr, char *src, char *dst, int pct) { (void)src; (void)dst; return on_progress_w(nr, NULL, NULL, pct); }
static void DCPCALL on_log_w(int nr, int type, WCHAR *text) {
    char s[4096]; from_w(text ? text : (WCHAR[]){0}, s, sizeof s);
    printf("log %d %d %s\n", nr, type, s);
}
static void DCPCALL on_log(int nr, int type, char *text) { printf("log %d %d %s\n", nr, type, text ? text : ""); }
/* Double Commander's RequestProc: message types answer OK/Yes; text types
 * show ReturnedText (prints it as "(default ...)") and write the answer back
 * into it, at most maxlen characters (RT_Password: $WFX_PASSWORD; others:
 * $WFX_ANSWER, else Cancel). */
static const char *answer(int type) {
    return type == RT_Password ? getenv("WFX_PASSWORD") : getenv("WFX_ANSWER");
}
static BOOL DCPCALL on_request_w(int nr, int type, WCHAR *title, WCHAR *text, WCHAR *ret, int maxlen) {
    (void)nr; (void)title;
    char s[4096] = ""; if (text) from_w(text, s, sizeof s);
    char d[4096] = ""; if (ret && maxlen > 0) from_w(ret, d, sizeof d);
    if (ret && maxlen > 0) printf("request %d %s (default %s)\n", type, s, d);
    else printf("request %d %s\n", type, s);
    const char *a = answer(type);
    if (type == RT_MsgOK || type == RT_MsgYesNo || type == RT_MsgOKCancel) return 1;
    if (a && ret && maxlen > 0) { to_w(a, ret, (size_t)maxlen); return 1; }
    return 0;
}
static BOOL DCPCALL on_request(int nr, int type, char *title, char *text, char *ret, int maxlen) {
    (void)nr; (void)title;
    if (ret && maxlen > 0) printf("request %d %s (default %s)\n", type, text ? text : "", ret);
    else printf("request %d %s\n", type, text ? text : "");
    const char *a = answer(type);
    if (type == RT_MsgOK || type == RT_MsgYesNo || type == RT_MsgOKCancel) return 1;
    if (a && ret && maxlen > 0) { snprintf(ret, (size_t)maxlen, "%s", a); return 1; }
    return 0;
}

static void default_params(void) {
    void (DCPCALL *f)(FsDefaultParamStruct *) = opt("FsSetDefaultParams");
    if (!f) return;
    FsDefaultParamStruct *dps = (FsDefaultParamStruct *)guarded(sizeof *dps);
    dps->size = sizeof *dps;
    dps->PluginInterfaceVersionLow = 0;
    dps->PluginInterfaceVersionHi = 2;
    snprintf(dps->DefaultIniName, MAX_PATH, "%s/wfx.ini", confdir);
    f(dps);
    check_guard((unsigned char *)dps, sizeof *dps, "FsSetDefaultParams");
    free(dps);
}

/* TWfxModule.VFSInit: run at load and again after FsInit(W). */
static void vfs_init(void) {
    default_params();
    int (DCPCALL *bg)(void) = opt("FsGetBackgroundFlags");
    if (bg) printf("background %d\n", bg());
    void (DCPCALL *ext)(void *) = opt("ExtensionInitialize");
    if (ext) {
        /* TExtensionStartupInfo: StructSize, PluginDir[16384], PluginConfDir[16384],
         * then dialog function pointers and reserved space. */
        size_t size = 4 + 2 * 16384 + 4096 * sizeof(void *) + 64 * sizeof(void *);
        unsigned char *info = calloc(1, size);
        *(unsigned *)info = (unsigned)size;
        snprintf((char *)info + 4 + 16384, 16384, "%s/", confdir);
        ext(info); /* the plugin keeps a copy (ftp.wfx: gStartupInfo) */
    }
}

static void load(void) {
    vfs_init();
    int (DCPCALL *init)(int, tProgressProc, tLogProc, tRequestProc) = opt("FsInit");
    int (DCPCALL *initw)(int, tProgressProcW, tLogProcW, tRequestProcW) = opt("FsInitW");
    if (!init && !initw) { FAIL("neither FsInit nor FsInitW"); exit(2); }
    if (init) printf("FsInit %d\n", init(7, on_progress, on_log, on_request));
    if (initw) printf("FsInitW %d\n", initw(7, on_progress_w, on_log_w, on_request_w));
    vfs_init();
    void (DCPCALL *root)(char *, int) = opt("FsGetDefRootName");
    if (root) {
        unsigned char *buf = guarded(ROOTNAME);
        root((char *)buf, ROOTNAME);
        check_guard(buf, ROOTNAME, "FsGetDefRootName");
        printf("root %s\n", (char *)buf);
        free(buf);
    }
}

static void status(const char *path, int start_end, int op) {
    if (!ansi) {
        void (DCPCALL *f)(WCHAR *, int, int) = opt("FsStatusInfoW");
        if (f) { WCHAR w[MAX_PATH]; to_w(path, w, MAX_PATH); f(w, start_end, op); return; }
    }
    void (DCPCALL *f)(char *, int, int) = opt("FsStatusInfo");
    if (f) f((char *)path, start_end, op);
}

static long long unix_of(const FILETIME *ft) {
    unsigned long long t = ((unsigned long long)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
    if (t == 0xFFFFFFFFFFFFFFFEull) return -1;
    long long d = (long long)(t - 116444736000000000ull);
    return (d + 5000000) / 10000000; /* rounded */
}

static void print_entry(DWORD attr, DWORD hi, DWORD lo, DWORD mode, const FILETIME *mt, const char *name) {
    char m[16] = "-";
    if (attr & FILE_ATTRIBUTE_UNIX_MODE) snprintf(m, sizeof m, "%o", mode);
    printf("entry %s %llu %#x %s %lld\n", name, ((unsigned long long)hi << 32) | lo, attr, m, unix_of(mt));
}

static void list(const char *path) {
    status(path, FS_STATUS_START, FS_STATUS_OP_LIST);
    int n = 0;
    if (ansi) {
        HANDLE (DCPCALL *first)(char *, WIN32_FIND_DATAA *) = sym("FsFindFirst");
        BOOL (DCPCALL *next)(HANDLE, WIN32_FIND_DATAA *) = sym("FsFindNext");
        int (DCPCALL *close)(HANDLE) = sym("FsFindClose");
        WIN32_FIND_DATAA *fd = (WIN32_FIND_DATAA *)guarded(sizeof *fd);
        HANDLE h = first((char *)path, fd);
        check_guard((unsigned char *)fd, sizeof *fd, "FsFindFirst");
        if (h != INVALID_HANDLE_VALUE) {
            do {
                print_entry(fd->dwFileAttributes, fd->nFileSizeHigh, fd->nFileSizeLow, fd->dwReserved0, &fd->ftLastWriteTime, fd->cFileName);
                n++;
                memset(fd, 0xCC, sizeof *fd);
            } while (next(h, fd) && (check_guard((unsigned char *)fd, sizeof *fd, "FsFindNext"), 1));
            printf("close %d\n", close(h));
        }
        free(fd);
    } else {
        HANDLE (DCPCALL *first)(WCHAR *, WIN32_FIND_DATAW *) = sym("FsFindFirstW");
        BOOL (DCPCALL *next)(HANDLE, WIN32_FIND_DATAW *) = sym("FsFindNextW");
        int (DCPCALL *close)(HANDLE) = sym("FsFindClose");
        WIN32_FIND_DATAW *fd = (WIN32_FIND_DATAW *)guarded(sizeof *fd);
        WCHAR w[MAX_PATH]; to_w(path, w, MAX_PATH);
        HANDLE h = first(w, fd);
        check_guard((unsigned char *)fd, sizeof *fd, "FsFindFirstW");
        if (h != INVALID_HANDLE_VALUE) {
            do {
                char name[3 * MAX_PATH];
                if (memchr(fd->cFileName, 0, sizeof fd->cFileName) == NULL) FAIL("cFileName not terminated");
                from_w(fd->cFileName, name, sizeof name);
                print_entry(fd->dwFileAttributes, fd->nFileSizeHigh, fd->nFileSizeLow, fd->dwReserved0, &fd->ftLastWriteTime, name);
                n++;
                memset(fd, 0xCC, sizeof *fd);
            } while (next(h, fd) && (check_guard((unsigned char *)fd, sizeof *fd, "FsFindNextW"), 1));
            printf("close %d\n", close(h));
        }
        free(fd);
    }
    printf("listed %d\n", n);
    status(path, FS_STATUS_END, FS_STATUS_OP_LIST);
}

/* File operations run on a worker thread, as in Double Commander. */
struct op { char **argv; };
static void *run_op(void *arg) {
    char **a = ((struct op *)arg)->argv;
    const char *cmd = a[0];
    WCHAR w1[MAX_PATH], w2[MAX_PATH];
    if (a[1]) to_w(a[1], w1, MAX_PATH);
    if (a[1] && a[2]) to_w(a[2], w2, MAX_PATH);
    if (!strcmp(cmd, "get") || !strcmp(cmd, "abort")) {
        abort_progress = !strcmp(cmd, "abort");
        progress_calls = 0;
        status(a[1], FS_STATUS_START, FS_STATUS_OP_GET_SINGLE);
        RemoteInfoStruct *ri = (RemoteInfoStruct *)guarded(sizeof *ri);
        struct stat st; (void)st;
        ri->SizeLow = 123; ri->Attr = FILE_ATTRIBUTE_ARCHIVE;
        unsigned long long t = 116444736000000000ull + 1700000000ull * 10000000ull - 3;
        ri->LastWriteTime.dwLowDateTime = (DWORD)t; ri->LastWriteTime.dwHighDateTime = (DWORD)(t >> 32);
        int r = ansi ? ((int (DCPCALL *)(char *, char *, int, RemoteInfoStruct *))sym("FsGetFile"))(a[1], a[2], 0, ri)
                     : ((int (DCPCALL *)(WCHAR *, WCHAR *, int, RemoteInfoStruct *))sym("FsGetFileW"))(w1, w2, 0, ri);
        check_guard((unsigned char *)ri, sizeof *ri, "FsGetFile");
        free(ri);
        status(a[1], FS_STATUS_END, FS_STATUS_OP_GET_SINGLE);
        printf("%s %d progress %s\n", cmd, r, progress_calls > 0 ? "yes" : "no");
        abort_progress = 0;
    } else if (!strcmp(cmd, "put")) {
        status(a[2], FS_STATUS_START, FS_STATUS_OP_PUT_SINGLE);
        progress_calls = 0;
        int r = ansi ? ((int (DCPCALL *)(char *, char *, int))sym("FsPutFile"))(a[1], a[2], 0)
                     : ((int (DCPCALL *)(WCHAR *, WCHAR *, int))sym("FsPutFileW"))(w1, w2, 0);
        printf("put %d progress %s\n", r, progress_calls > 0 ? "yes" : "no");
        struct stat st;
        if (r == FS_FILE_OK && stat(a[1], &st) == 0) {
            /* Double Commander's FILETIME goes through a floating-point date:
             * a few ticks short of the whole second. */
            unsigned long long t = 116444736000000000ull + (unsigned long long)st.st_mtime * 10000000ull - 3;
            FILETIME ft = { (DWORD)t, (DWORD)(t >> 32) };
            BOOL ok = ansi ? (opt("FsSetTime") ? ((BOOL (DCPCALL *)(char *, FILETIME *, FILETIME *, FILETIME *))opt("FsSetTime"))(a[2], NULL, NULL, &ft) : -1)
                           : (opt("FsSetTimeW") ? ((BOOL (DCPCALL *)(WCHAR *, FILETIME *, FILETIME *, FILETIME *))opt("FsSetTimeW"))(w2, NULL, NULL, &ft) : -1);
            printf("settime %d\n", ok);
        }
        status(a[2], FS_STATUS_END, FS_STATUS_OP_PUT_SINGLE);
    } else if (!strcmp(cmd, "mkdir")) {
        status(a[1], FS_STATUS_START, FS_STATUS_OP_MKDIR);
        BOOL r = ansi ? ((BOOL (DCPCALL *)(char *))sym("FsMkDir"))(a[1]) : ((BOOL (DCPCALL *)(WCHAR *))sym("FsMkDirW"))(w1);
        printf("mkdir %d\n", r);
        status(a[1], FS_STATUS_END, FS_STATUS_OP_MKDIR);
    } else if (!strcmp(cmd, "rm") || !strcmp(cmd, "rmdir")) {
        int dir = !strcmp(cmd, "rmdir");
        status(a[1], FS_STATUS_START, FS_STATUS_OP_DELETE);
        const char *n = dir ? (ansi ? "FsRemoveDir" : "FsRemoveDirW") : (ansi ? "FsDeleteFile" : "FsDeleteFileW");
        BOOL r = ansi ? ((BOOL (DCPCALL *)(char *))sym(n))(a[1]) : ((BOOL (DCPCALL *)(WCHAR *))sym(n))(w1);
        printf("%s %d\n", cmd, r);
        status(a[1], FS_STATUS_END, FS_STATUS_OP_DELETE);
    } else if (!strcmp(cmd, "mv")) {
        status(a[1], FS_STATUS_START, FS_STATUS_OP_RENMOV_SINGLE);
        RemoteInfoStruct ri; memset(&ri, 0, sizeof ri);
        int r = ansi ? ((int (DCPCALL *)(char *, char *, BOOL, BOOL, RemoteInfoStruct *))sym("FsRenMovFile"))(a[1], a[2], 1, 0, &ri)
                     : ((int (DCPCALL *)(WCHAR *, WCHAR *, BOOL, BOOL, RemoteInfoStruct *))sym("FsRenMovFileW"))(w1, w2, 1, 0, &ri);
        printf("mv %d\n", r);
        status(a[1], FS_STATUS_END, FS_STATUS_OP_RENMOV_SINGLE);
    } else if (!strcmp(cmd, "exec")) {
        status(a[1], FS_STATUS_START, FS_STATUS_OP_EXEC);
        int r; char out[3 * MAX_PATH];
        if (ansi) {
            char *buf = (char *)guarded(MAX_PATH); snprintf(buf, MAX_PATH, "%s", a[1]);
            r = ((int (DCPCALL *)(HWND, char *, char *))sym("FsExecuteFile"))(NULL, buf, a[2]);
            check_guard((unsigned char *)buf, MAX_PATH, "FsExecuteFile"); snprintf(out, sizeof out, "%s", buf); free(buf);
        } else {
            WCHAR *buf = (WCHAR *)guarded(MAX_PATH * sizeof(WCHAR)); to_w(a[1], buf, MAX_PATH);
            r = ((int (DCPCALL *)(HWND, WCHAR *, WCHAR *))sym("FsExecuteFileW"))(NULL, buf, w2);
            check_guard((unsigned char *)buf, MAX_PATH * sizeof(WCHAR), "FsExecuteFileW"); from_w(buf, out, sizeof out); free(buf);
        }
        printf("exec %d %s\n", r, out);
        status(a[1], FS_STATUS_END, FS_STATUS_OP_EXEC);
    } else if (!strcmp(cmd, "attr")) {
        status(a[1], FS_STATUS_START, FS_STATUS_OP_ATTRIB);
        int attr = atoi(a[2]);
        BOOL r = ansi ? ((BOOL (DCPCALL *)(char *, int))sym("FsSetAttr"))(a[1], attr)
                      : ((BOOL (DCPCALL *)(WCHAR *, int))sym("FsSetAttrW"))(w1, attr);
        printf("attr %d\n", r);
        status(a[1], FS_STATUS_END, FS_STATUS_OP_ATTRIB);
    } else {
        FAIL("unknown command %s", cmd);
    }
    return NULL;
}

/* TWfxPluginFileSource's disconnect: on the main thread, no status calls. */
static void disconnect(const char *path) {
    BOOL r;
    if (ansi) {
        r = ((BOOL (DCPCALL *)(char *))sym("FsDisconnect"))((char *)path);
    } else {
        WCHAR w[MAX_PATH]; to_w(path, w, MAX_PATH);
        r = ((BOOL (DCPCALL *)(WCHAR *))sym("FsDisconnectW"))(w);
    }
    printf("disconnect %d\n", r);
}

static int arity(const char *cmd) {
    if (!strcmp(cmd, "ls") || !strcmp(cmd, "mkdir") || !strcmp(cmd, "rm") || !strcmp(cmd, "rmdir")
        || !strcmp(cmd, "disconnect")) return 1;
    return 2;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int a = 1;
    if (a < argc && !strcmp(argv[a], "--ansi")) { ansi = 1; a++; }
    if (argc - a < 2) { fprintf(stderr, "usage: %s [--ansi] PLUGIN CONFDIR COMMAND...\n", argv[0]); return 2; }
    lib = dlopen(argv[a], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    confdir = argv[a + 1];
    load();
    for (a += 2; a < argc;) {
        const char *cmd = argv[a];
        int n = arity(cmd);
        if (a + n > argc - 1) { FAIL("%s needs %d arguments", cmd, n); break; }
        if (!strcmp(cmd, "ls")) {
            list(argv[a + 1]);
        } else if (!strcmp(cmd, "disconnect")) {
            disconnect(argv[a + 1]);
        } else {
            char *args[4] = { argv[a], argv[a + 1], n > 1 ? argv[a + 2] : NULL, NULL };
            struct op o = { args };
            pthread_t t;
            pthread_create(&t, NULL, run_op, &o);
            pthread_join(t, NULL);
        }
        a += n + 1;
    }
    printf("wfx_host: %d failed\n", failed);
    return failed ? 1 : 0;
}
