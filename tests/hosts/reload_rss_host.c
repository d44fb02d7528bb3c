/* Live reload does not accumulate interpreters:
 *   reload_rss_host LIB SCRIPT SAVES [THREADS]
 * Saves the script SAVES times, each time with a new VERSION, and calls
 * res_version() after each save until it returns the new number (the watcher
 * flags the change; the next call reloads). THREADS more threads call
 * res_version() all the while and check it never goes back. Prints the
 * process's RSS (from /proc/self/statm) after save 10 and after the last. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb"); if (!f) return NULL;
    fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
    char *s = calloc(1, n + 1); if (fread(s, 1, n, f) != (size_t)n) { fclose(f); free(s); return NULL; }
    fclose(f); return s;
}
static void write_version(const char *path, const char *orig, int version) {
    /* like an editor: a temporary file renamed over the script */
    const char *at = strstr(orig, "VERSION = 0");
    char tmp[4096]; snprintf(tmp, sizeof tmp, "%s.tmp~", path);
    FILE *f = fopen(tmp, "wb");
    fwrite(orig, 1, at - orig, f);
    fprintf(f, "VERSION = %d", version);
    fputs(at + strlen("VERSION = 0"), f);
    fclose(f);
    rename(tmp, path);
}
static long rss_kb(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
    if (f) fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int (*version)(void);
static atomic_int done;

static void *caller(void *arg) {
    (void)arg;
    long bad = 0;
    int last = 0;
    while (!atomic_load(&done)) {
        int r = version();
        if (r < last) { if (!bad) printf("FAIL: a calling thread saw version %d after %d\n", r, last); bad++; }
        else last = r;
    }
    return (void *)bad;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 4) { fprintf(stderr, "usage: %s LIB SCRIPT SAVES\n", argv[0]); return 2; }
    int saves = atoi(argv[3]), failed = 0;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    version = (int (*)(void))dlsym(lib, "res_version");
    int threads = argc > 4 ? atoi(argv[4]) : 0;
    pthread_t t[16];
    char *orig = read_file(argv[2]);
    if (!orig || !strstr(orig, "VERSION = 0")) { printf("FAIL: no VERSION = 0 in %s\n", argv[2]); return 2; }
    if (version() != 0) { printf("FAIL: first call\n"); failed++; }
    for (int i = 0; i < threads && i < 16; i++) pthread_create(&t[i], NULL, caller, NULL);
    long at10 = 0;
    for (int v = 1; v <= saves; v++) {
        write_version(argv[2], orig, v);
        /* The watcher thread sees the save shortly; until then calls still
         * run the previous version. 10 s without the new one is a failure. */
        int r = -1;
        for (int i = 0; i < 10000 && (r = version()) != v; i++) {
            if (r != v - 1) break; /* neither old nor new code: wrong */
            usleep(1000);
        }
        if (r != v) { printf("FAIL: save %d: res_version() = %d, want %d\n", v, r, v); failed++; break; }
        if (v == 10) at10 = rss_kb();
    }
    atomic_store(&done, 1);
    for (int i = 0; i < threads && i < 16; i++) {
        void *bad;
        pthread_join(t[i], &bad);
        failed += (int)(long)bad;
    }
    long end = rss_kb();
    printf("reload_rss_host: %d saves, %d calling threads, RSS %ld KiB after save 10, %ld KiB after save %d: +%ld KiB\n",
           saves, threads, at10, end, saves, end - at10);
    printf("reload_rss_host: %d failed\n", failed);
    return failed ? 1 : 0;
}
