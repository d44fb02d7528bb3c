/* generic/infer_descriptor.h - rule `descriptor`: an entry point returning
 * a struct of data and function pointers (LADSPA/LV2 style); the script
 * returns an object, the host calls its methods through the fields. */
typedef void *Handle;
typedef struct Effect {
    const char *name;
    unsigned id;
    Handle (*instantiate)(const struct Effect *effect, double rate);
    void (*process)(Handle instance, unsigned long n);
    double (*gain)(Handle instance);
    void (*cleanup)(Handle instance);
    /* No parameter says whose: left NULL. */
    const void *(*extension_data)(const char *uri);
} Effect;
const Effect *get_effect(unsigned index);
