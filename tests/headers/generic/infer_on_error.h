/* generic/infer_on_error.h - rule `on-error`: an export returning an enum
 * with one error value returns it when the script raises, not 0. */
typedef enum { STATUS_OK = 0, STATUS_ERROR = -1, STATUS_BUSY = 2 } status_t;
status_t start(int flags);
/* Two error values: the header does not choose; the build warns. */
typedef enum { RESULT_OK, RESULT_ERR_IO = 5, RESULT_ERR_MEMORY = 6 } result_t;
result_t load(const char *path);
/* A plain int: 0 on error unless annotated; the build warns. */
int count_items(void *ctx);
