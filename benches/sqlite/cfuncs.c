/* The benchmark's SQL functions in C, as a loadable extension
 * (benches/sqlite/run.py): py_add(a, b) and regexp(pattern, text) with
 * POSIX extended regular expressions, the compiled pattern kept as
 * SQLite auxiliary data (compiled once per statement, as re's cache does). */
#include <regex.h>
#include <stdlib.h>
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

static void py_add(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    sqlite3_result_int64(ctx, sqlite3_value_int64(argv[0]) + sqlite3_value_int64(argv[1]));
}

static void free_regex(void *p) {
    regfree((regex_t *)p);
    free(p);
}

static void regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    regex_t *re = sqlite3_get_auxdata(ctx, 0);
    if (!re) {
        re = malloc(sizeof *re);
        if (!re || regcomp(re, (const char *)sqlite3_value_text(argv[0]), REG_EXTENDED | REG_NOSUB)) {
            free(re);
            sqlite3_result_error(ctx, "bad pattern", -1);
            return;
        }
        sqlite3_set_auxdata(ctx, 0, re, free_regex);
        re = sqlite3_get_auxdata(ctx, 0);
        if (!re) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
    }
    const char *text = (const char *)sqlite3_value_text(argv[1]);
    sqlite3_result_int(ctx, text && regexec(re, text, 0, 0, 0) == 0);
}

int sqlite3_cfuncs_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
    (void)err;
    SQLITE_EXTENSION_INIT2(api);
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    int rc = sqlite3_create_function(db, "py_add", 2, flags, 0, py_add, 0, 0);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "regexp", 2, flags, 0, regexp, 0, 0);
    return rc;
}
