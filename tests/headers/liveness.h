/* liveness.h - the interface of the liveness tests: a plugin must make
 * progress while another plugin (or the host's own Python) runs Python code
 * on another thread. The flags live in host memory; scripts read and write
 * them through memoryviews, in pure Python loops that never release the GIL. */
#include <stddef.h>

/** Sets flags[1] = 1 (started), then spins until flags[0] != 0 or
 *  `timeout_s` seconds pass: 1 if it saw the flag, 0 on timeout
 *  (-1 if it raised). */
int spin_until(int *flags, size_t n, double timeout_s);

/** flags[index] = value; returns 1. */
int set_flag(int *flags, size_t n, int index, int value);

/** Lets go of the GIL by itself, the ways Python code does: three
 *  10 ms sleeps, a read of its own script file, a 10 ms wait on a held lock;
 *  then flags[index] = value; returns 1. */
int sleep_then_set(int *flags, size_t n, int index, int value);

/** Player `me` (0 or 1) of a ping-pong on the counter flags[2]: moves (adds 1)
 *  whenever the counter's parity is `me`, `rounds` times, with the switch
 *  interval of its GIL set to 1000 s meanwhile (no GIL hand-off can interleave
 *  the players). 1 when all its moves were made, 0 on timeout. */
int ping_pong(int *flags, size_t n, int me, int rounds, double timeout_s);
