/* A plugin interface whose host exports functions the plugin calls
 * (declared `extern`, as pam_modules.h declares pam_get_user). */

/* The plugin's entry point: the host calls it. */
int plugin_run(int what);

/* The host's functions. */
extern int host_twice(int x);
/* Stores a name for `id` in *name (host-owned), NULL when it has none. */
extern int host_name(int id, const char **name);
/* Declared, but the host does not define it. */
extern int host_absent(int x);
