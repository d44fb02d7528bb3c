/* descriptor_host PLUGIN.so: the call sequence of a LADSPA/LV2-style host
 * on tests/headers/generic/infer_descriptor.h's Effect descriptor. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef void *Handle;
typedef struct Effect {
    const char *name;
    unsigned id;
    Handle (*instantiate)(const struct Effect *effect, double rate);
    void (*process)(Handle instance, unsigned long n);
    double (*gain)(Handle instance);
    void (*cleanup)(Handle instance);
    const void *(*extension_data)(const char *uri);
} Effect;

static int passed, failed;
#define CHECK(c, ...) do { if (c) passed++; else { failed++; printf("FAIL " __VA_ARGS__); printf("\n"); } } while (0)

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("FAIL dlopen: %s\n", dlerror()); return 2; }
    const Effect *(*get_effect)(unsigned) = (const Effect *(*)(unsigned))dlsym(lib, "get_effect");
    if (!get_effect) { printf("FAIL no get_effect\n"); return 2; }
    const Effect *e = get_effect(0);
    if (!e) { printf("FAIL get_effect(0) is NULL\n"); return 1; }
    CHECK(e->name && strcmp(e->name, "halver") == 0, "name '%s'", e->name ? e->name : "(null)");
    CHECK(e->id == 7, "id %u", e->id);
    CHECK(e->instantiate && e->process && e->gain && e->cleanup, "methods missing");
    CHECK(e->extension_data == NULL, "extension_data is set");
    if (!e->instantiate || !e->process || !e->gain || !e->cleanup) return 1;
    Handle a = e->instantiate(e, 48000.0);
    Handle b = e->instantiate(e, 8000.0);
    CHECK(a && b && a != b, "handles %p %p", a, b);
    e->process(a, 64);
    e->process(a, 64);
    e->process(b, 1);
    double ga = e->gain(a), gb = e->gain(b);
    CHECK(ga == 176.0, "gain(a) = %g", ga);
    CHECK(gb == 9.0, "gain(b) = %g", gb);
    e->cleanup(a);
    e->cleanup(b);
    CHECK(get_effect(1) == NULL, "get_effect(1) is not NULL");
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
