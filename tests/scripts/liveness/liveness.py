"""Liveness-test plugin: busy loops in pure Python (no call releases the GIL
inside them) over flags that live in the host's memory."""

import _thread
import sys
import time


def spin_until(flags: memoryview, n: int, timeout_s: float) -> int:
    flags[1] = 1
    deadline = time.monotonic() + timeout_s
    i = 0
    while flags[0] == 0:
        i += 1
        if i % 4096 == 0 and time.monotonic() > deadline:
            return 0
    return 1


def set_flag(flags: memoryview, n: int, index: int, value: int) -> int:
    flags[index] = value
    return 1


def sleep_then_set(flags: memoryview, n: int, index: int, value: int) -> int:
    for _ in range(3):
        time.sleep(0.01)
    with open(__file__, "rb") as f:
        f.read()
    lock = _thread.allocate_lock()
    lock.acquire()
    lock.acquire(timeout=0.01)
    flags[index] = value
    return 1


def ping_pong(flags: memoryview, n: int, me: int, rounds: int, timeout_s: float) -> int:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        deadline = time.monotonic() + timeout_s
        i = 0
        for _ in range(rounds):
            while flags[2] % 2 != me:
                i += 1
                if i % 4096 == 0 and time.monotonic() > deadline:
                    return 0
            flags[2] += 1
        return 1
    finally:
        sys.setswitchinterval(interval)
