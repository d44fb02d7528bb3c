/* generic/prelude.h - what generic/needs_prelude.h expects to be included first. */
typedef struct snd_thing snd_thing_t;
