/* generic/no_functions.h - a dispatch-table interface (openssl/core_dispatch.h
 * style): types only, the host looks up functions the header does not declare. */
typedef struct Dispatch {
    int id;
    void (*function)(void);
} Dispatch;
typedef const Dispatch *(query_fn)(void *provctx, int operation_id);
