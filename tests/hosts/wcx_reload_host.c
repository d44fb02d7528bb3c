/* wcx_reload_host PLUGIN.wcx SCRIPT.py NEW_SCRIPT.py LOG
 * Live reload while the host holds a handle: the script is replaced on disk
 * between ReadHeaderExW calls on one open archive. The open archive keeps
 * working on the old code (no dangling handle) until the plugin's log says it
 * noticed the change (polled, so a busy machine only makes it slower); after
 * CloseArchive the next OpenArchiveW runs the new script. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../../interfaces/wcx/wcxhead.h"

static int passed, failed;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

/* Whether the file at `path` contains `needle`. */
static int log_has(const char *path, const char *needle) {
    static char text[1 << 16];
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    return strstr(text, needle) != NULL;
}

static void name_of(const WCHAR *w, char *out) { int i = 0; for (; w[i] && i < 63; i++) out[i] = (char)w[i]; out[i] = 0; }

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 5) return 2;
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
    /* Read on until the plugin has noticed the edit (a failure detector of
     * 120 s, not a timing): every member still comes from the old code. */
    int k = 1, noticed = 0, old_code = 1;
    time_t until = time(NULL) + 120;
    while (!noticed && time(NULL) < until) {
        char want[64];
        memset(&hd, 0, sizeof hd);
        int r = read_w(h, &hd); name_of(hd.FileName, name);
        snprintf(want, sizeof want, "v1-%d", k++);
        if (r != 0 || strcmp(name, want) != 0) { old_code = 0; printf("FAIL the open archive after the edit: %d %s (want %s)\n", r, name, want); break; }
        noticed = log_has(argv[4], "keeps running the old code");
        if (!noticed) usleep(10000);
    }
    CHECK(old_code, "the open archive ran the old code after the edit");
    CHECK(noticed, "the plugin noticed the edit within 120 s");
    CHECK(close_a(h) == 0, "CloseArchive");

    h = open_w(&d);
    memset(&hd, 0, sizeof hd); read_w(h, &hd); name_of(hd.FileName, name);
    CHECK(strcmp(name, "v2-0") == 0, "after closing, the new script: %s", name);
    close_a(h);
    printf("wcx_reload_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
