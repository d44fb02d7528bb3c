"""A Python host whose own Python is busy: one of its threads spins in the
main interpreter (pure Python, never releasing the GIL) until another thread's
call into an epy plugin has set the flag it waits for. That call starts from C
(CALLER, liveness_caller.c) while the spinning thread holds the GIL. A plugin
frozen behind the host's Python makes the spin time out, and the host says so.

Usage: python3 py_liveness.py LIB CALLER
"""

import ctypes
import sys
import threading
import time

TIMEOUT = 30.0  # only a frozen run reaches it


def main() -> int:
    lib = ctypes.CDLL(sys.argv[1])
    caller = ctypes.CDLL(sys.argv[2])
    Flags = ctypes.c_int * 3
    lib.set_flag.argtypes = [Flags, ctypes.c_size_t, ctypes.c_int, ctypes.c_int]
    lib.set_flag.restype = ctypes.c_int
    caller.call_later.argtypes = [ctypes.c_void_p, Flags, ctypes.c_int, ctypes.POINTER(ctypes.c_double)]
    caller.call_later.restype = ctypes.c_int
    results: list[bool] = []

    def check(cond: bool, what: str) -> None:
        results.append(cond)
        print(f"{'ok' if cond else 'FAIL'}: {what}")

    scratch = Flags()
    check(lib.set_flag(scratch, 3, 2, 7) == 1 and scratch[2] == 7, "plugin loads")  # on this thread
    flags = Flags()
    saw: list[bool] = []

    def spin() -> None:
        flags[1] = 1
        deadline = time.monotonic() + TIMEOUT
        i = 0
        while flags[0] == 0:
            i += 1
            if i % 4096 == 0 and time.monotonic() > deadline:
                saw.append(False)
                return
        saw.append(True)

    spinner = threading.Thread(target=spin)
    spinner.start()
    while not flags[1]:
        time.sleep(0.001)
    waited = ctypes.c_double()
    set_flag = ctypes.cast(lib.set_flag, ctypes.c_void_p)
    r = caller.call_later(set_flag, flags, 50, ctypes.byref(waited))
    spinner.join()
    print(f"py_liveness: the plugin's call took {waited.value:.3f} ms while the host's Python spun")
    check(r == 1, "set_flag returned 1")
    check(saw == [True], "the host's spin saw the plugin's flag (the plugin was not frozen)")
    failed = results.count(False)
    print(f"py_liveness: {len(results) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
