/* A plugin interface whose host exports functions the plugin calls
 * (declared `extern`, as pam_modules.h declares pam_get_user). */

/* The plugin's entry point: the host calls it. */
int plugin_run(int what);

/* The host's functions. */
extern int host_twice(int x);
/* Stores a name for `id` in *name (host-owned), NULL when it has none. */
extern int host_name(int id, const char **name);
/* Lists of strings the script passes (the `strings` rule): counted, and
 * NULL-terminated. */
extern int host_register(const char *type, const char **keys, int keys_num);
extern int host_join(const char *const names[]);
/* Declared, but the host does not define it. */
extern int host_absent(int x);
