/* wcx_reload_host PLUGIN.wcx SCRIPT.py NEW_SCRIPT.py
 * Live reload while the host holds a handle: the script is replaced on disk
 * between two ReadHeaderExW calls on one open archive. The open archive must
 * keep working on the old code (no dangling handle); after CloseArchive the
 * next OpenArchiveW runs the new script. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../../interfaces/wcx/wcxhead.h"

static int passed, failed;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

static void name_of(const WCHAR *w, char *out) { int i = 0; for (; w[i] && i < 63; i++) out[i] = (char)w[i]; out[i] = 0; }

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 4) return 2;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen %s\n", dlerror()); return 2; }
    HANDLE (*open_w)(tOpenArchiveDataW *) = (HANDLE (*)(tOpenArchiveDataW *))dlsym(lib, "OpenArchiveW");
    int (*read_w)(HANDLE, tHeaderDataExW *) = (int (*)(HANDLE, tHeaderDataExW *))dlsym(lib, "ReadHeaderExW");
    int (*close_a)(HANDLE) = (int (*)(HANDLE))dlsym(lib, "CloseArchive");
    WCHAR arc[] = {'x', 0};
    tOpenArchiveDataW d; memset(&d, 0, sizeof d); d.ArcName = arc;
    static tHeaderDataExW hd; char name[64];

    HANDLE h = open_w(&d);
    CHECK(h != NULL, "OpenArchiveW");
    memset(&hd, 0, sizeof hd); read_w(h, &hd); name_of(hd.FileName, name);
    CHECK(strcmp(name, "v1-0") == 0, "first member %s", name);

    if (rename(argv[3], argv[2]) != 0) { printf("FAIL rename\n"); return 2; }
    sleep(1); /* inotify notices */
    memset(&hd, 0, sizeof hd);
    int r = read_w(h, &hd); name_of(hd.FileName, name);
    CHECK(r == 0 && strcmp(name, "v1-1") == 0, "the open archive after the edit: %d %s", r, name);
    CHECK(close_a(h) == 0, "CloseArchive");

    h = open_w(&d);
    memset(&hd, 0, sizeof hd); read_w(h, &hd); name_of(hd.FileName, name);
    CHECK(strcmp(name, "v2-0") == 0, "after closing, the new script: %s", name);
    close_a(h);
    printf("wcx_reload_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
