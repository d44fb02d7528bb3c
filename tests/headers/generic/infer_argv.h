/* generic/infer_argv.h - rule `argv`: a count of strings and the `char **`
 * holding them (PAM's pam_sm_* style) become a list[str]. */
int authenticate(void *handle, int flags, int argc, const char **argv);
int run(int objc, char **objv);
