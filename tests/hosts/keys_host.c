/* Thread keys run out:  keys_host FIRST_LIB SECOND_LIB
 * The host keeps a value in a thread key of its own, starts Python through
 * the first plugin, then uses up every thread key the process has left and
 * calls the second plugin. That plugin cannot make the key its interpreter
 * needs: its call returns the error value (NULL), and no key of the host's
 * is touched (a plugin that went on with an uncreated key would write to
 * key 0, the host's). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static int passed, failed;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 3) return 2;
    static int sentinel;
    pthread_key_t mine;
    pthread_key_create(&mine, NULL);
    pthread_setspecific(mine, &sentinel);

    void *a = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!a) { printf("FAIL dlopen %s\n", dlerror()); return 2; }
    int (*read_a)(void *) = (int (*)(void *))dlsym(a, "res_read");
    CHECK(read_a(NULL) == -1, "the first plugin runs");

    static pthread_key_t rest[2048];
    int n = 0;
    while (n < 2048 && pthread_key_create(&rest[n], NULL) == 0) n++;
    printf("keys_host: %d keys were left\n", n);

    void *b = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
    if (!b) { printf("FAIL dlopen %s\n", dlerror()); return 2; }
    void *(*open_b)(int) = (void *(*)(int))dlsym(b, "res_open");
    CHECK(open_b(7) == NULL, "without a thread key the second plugin returns its error value");
    CHECK(pthread_getspecific(mine) == &sentinel, "the host's own key keeps its value");
    int touched = 0;
    for (int i = 0; i < n; i++) touched += pthread_getspecific(rest[i]) != NULL;
    CHECK(touched == 0, "%d of the host's keys were written by a plugin", touched);
    CHECK(read_a(NULL) == -1, "the first plugin still runs");

    printf("keys_host: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
