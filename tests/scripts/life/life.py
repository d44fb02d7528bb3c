"""A lifecycle-test plugin: its identity comes from IDENT, which the test
writes into a copy of this script per plugin (life_a.py, life_b.py, ...)."""

import sys

import helper  # a module named `helper` beside the script: each plugin has its own

IDENT = 1
FACTOR = 3
VALUE = IDENT * 1000  # same global name in every plugin, different values


def ident() -> int:
    return IDENT


def compute(x: int) -> int:
    return (x * FACTOR + IDENT) & 0x7FFFFFFF


def global_value() -> int:
    return VALUE


def module_value() -> int:
    return int(helper.VALUE)


def spin(n: int) -> int:
    acc = 0
    for i in range(n):
        acc = (acc * 31 + i) & 0xFFFFFFFF
    return acc


def call_host(cb, x: int) -> int:  # type: ignore[no-untyped-def]
    return int(cb(x)) + 1


def python_version() -> int:
    return sys.version_info[0] * 100 + sys.version_info[1]
