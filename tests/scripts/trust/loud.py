"""A trust-test plugin (interface tests/headers/life.h) whose compute()
raises an exception with a 10 MB message: the log must stay bounded."""


def ident() -> int:
    return 1


def compute(x: int) -> int:
    raise ValueError("x" * 10_000_000)
