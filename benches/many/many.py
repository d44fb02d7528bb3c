"""The epy implementation of benches/many/many.h (the many-plugin benchmark)."""


def add(a: int, b: int) -> int:
    return a + b


def spin(n: int) -> int:
    # Pure Python: holds the GIL (of its interpreter) the whole time.
    i = 0
    while i < n:
        i += 1
    return i
