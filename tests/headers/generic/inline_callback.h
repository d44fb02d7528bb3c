/* generic/inline_callback.h - a function-pointer parameter without a
 * typedef: the stubs name its type `set_handler_handler`. */
int set_handler(void (*handler)(int code));
