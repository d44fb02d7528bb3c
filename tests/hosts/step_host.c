/* A host driven one step at a time from stdin, so a test can change files
 * between calls:  step_host LIB
 * Prints "pid N" first, then answers each command with one line:
 *   call               compute(10) once           -> "compute = R"
 *   until WANT MS      compute(10) every 20 ms until it returns WANT or MS pass
 *                                                  -> "compute = R"
 *   repeat N MS        compute(10) N times, MS ms apart -> "compute = R" (the last)
 *   seed-sem           creates the named semaphore "/epy-start-<pid>" at 0, as
 *                      another user could before the first call -> "seeded"
 *   quit               dlclose, exit 0 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2) { fprintf(stderr, "usage: %s LIB\n", argv[0]); return 2; }
    printf("pid %d\n", (int)getpid());
    void *h = NULL;
    int (*compute)(int) = NULL;
    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        int a = 0, b = 0;
        if (!h && strncmp(line, "seed-sem", 8) != 0 && strncmp(line, "quit", 4) != 0) {
            h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
            if (!h) { printf("dlopen failed: %s\n", dlerror()); return 2; }
            compute = (int (*)(int))dlsym(h, "compute");
        }
        if (strncmp(line, "call", 4) == 0) {
            printf("compute = %d\n", compute(10));
        } else if (sscanf(line, "until %d %d", &a, &b) == 2) {
            int r = 0;
            for (int i = 0; i <= b / 20; i++) { r = compute(10); if (r == a) break; usleep(20000); }
            printf("compute = %d\n", r);
        } else if (sscanf(line, "repeat %d %d", &a, &b) == 2) {
            int r = 0;
            for (int i = 0; i < a; i++) { r = compute(10); usleep(b * 1000); }
            printf("compute = %d\n", r);
        } else if (strncmp(line, "seed-sem", 8) == 0) {
            char name[64];
            snprintf(name, sizeof name, "/epy-start-%d", (int)getpid());
            sem_t *s = sem_open(name, O_CREAT, 0600, 0);
            printf(s == SEM_FAILED ? "seed failed\n" : "seeded\n");
        } else if (strncmp(line, "quit", 4) == 0) {
            break;
        } else {
            printf("unknown command: %s", line);
        }
    }
    if (h) dlclose(h);
    return 0;
}
