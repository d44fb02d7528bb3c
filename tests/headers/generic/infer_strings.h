/* generic/infer_strings.h - rule `strings`: a `char **` / `const char **`
 * that can only be strings passed in becomes a list[str]. */
/* Outer pointer const: NULL-terminated (luaL_checkoption's `lst`). */
int check_option(const char *def, const char *const lst[]);
/* Named like lists, no count: NULL-terminated (openvpn's argv/envp). */
int plugin_open(unsigned int *type_mask, const char *argv[], const char *envp[]);
/* A count beside it, after or before (collectd, alsa). */
int register_config(const char *type, const char **keys, int keys_num);
int add_labels(unsigned int items, const char *const labels[]);
/* Left alone: out-strings, and a list beside a count of something else
 * (sqlite's azParam holds 2 * nParam strings). */
int prepare(const char *sql, const char **pzTail);
int get_user(void *handle, const char **user);
int create_filename(const char *db, int nParam, const char **azParam);
