/* host_fns_host PLUGIN.so: defines host_twice and host_name (exported with
 * -rdynamic, as a real host's own functions are) but not host_absent, loads
 * the plugin and calls plugin_run, whose script calls back into these. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int host_calls;

int host_twice(int x) { host_calls++; return 2 * x; }

int host_name(int id, const char **name) {
    host_calls++;
    *name = id == 1 ? "alice" : NULL;
    return id == 1 ? 0 : 7;
}

int host_register(const char *type, const char **keys, int keys_num) {
    host_calls++;
    if (strcmp(type, "cfg") != 0) return -1;
    int ok = 0;
    for (int i = 0; i < keys_num; i++) ok += keys[i] && strlen(keys[i]) == 4;
    return 10 * keys_num + ok;
}

int host_join(const char *const names[]) {
    host_calls++;
    int n = 0, len = 0;
    for (; names && names[n]; n++) len += (int)strlen(names[n]);
    return 100 * n + len;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    int (*run)(int) = (int (*)(int))dlsym(lib, "plugin_run");
    if (!run) { printf("FAIL no plugin_run\n"); return 2; }
    for (int what = 0; what < 6; what++) printf("plugin_run(%d) = %d\n", what, run(what));
    printf("host calls: %d\n", host_calls);
    return 0;
}
