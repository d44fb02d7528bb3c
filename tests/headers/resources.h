/* resources.h - the interface of the resource tests: a handle slot reused
 * many times, strings returned to several threads at once, a script saved
 * many times while the host keeps calling. */
#ifndef RESOURCES_H
#define RESOURCES_H

/** Opens an object holding `id`; returns its handle (NULL on failure). */
void *res_open(int id);
/** The id of the object behind `h`; -1 when `h` is not a live handle. */
int res_read(void *h);
/** Closes `h`; -1 when it is not a live handle. */
int res_close(void *h);
/** A text naming `who` and `n`, owned by the plugin until this thread's next call. */
const char *res_text(int who, int n);
/** The script's `VERSION` (the reload test rewrites it). */
int res_version(void);

#endif
