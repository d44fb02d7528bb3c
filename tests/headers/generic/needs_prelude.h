/* generic/needs_prelude.h - uses a type only another header declares
 * (alsa's pcm_external.h style): read with `--include generic/prelude.h`. */
int open_device(snd_thing_t *thing, int mode);
