"""A trust-test plugin (interface tests/headers/life.h): the tests edit
FACTOR, move this file, change its mode and owner."""

FACTOR = 3


def ident() -> int:
    return 1


def compute(x: int) -> int:
    return x * FACTOR + 1
