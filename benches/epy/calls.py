"""The epy implementation of benches/calls.h (the call-overhead benchmark).

Each function does the same work as its floor, CFFI and ctypes counterparts.
"""

import builtins

from calls_h import IntFn, Record


def add(a: int, b: int) -> int:
    return a + b


def fill(r: Record, id: int) -> int:
    # `r` is a live view of the host's struct: the writes land in its memory.
    r.id = id
    r.value = id * 0.25
    r.name = f"record-{id}"
    return id


def fill_str(r: Record, id: int) -> int:
    r.name = f"record-{id}"
    return id


def sum(values: memoryview, n: int) -> float:
    # `values` is a read-only memoryview (format 'd') over the host's array.
    return builtins.sum(values)


def call_cb(cb: IntFn, x: int) -> int:
    return cb(x)
