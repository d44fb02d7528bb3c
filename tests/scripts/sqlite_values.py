"""SQLite values both ways (tests/sqlite/shell.py)."""

from sqlite import SqlArg, SqlValue, scalar

_kept: list[memoryview] = []


@scalar
def py_type(x: SqlArg) -> str:
    return type(x).__name__


@scalar
def py_echo(x: SqlArg) -> SqlValue:
    return bytes(x) if isinstance(x, memoryview) else x


@scalar
def py_blob(n: int) -> bytes:
    return bytes(range(n))


@scalar
def py_len(x: memoryview) -> int:
    return len(x)


@scalar
def py_keep(x: memoryview) -> int:
    _kept.append(x)
    return len(x)


@scalar
def py_kept() -> int:
    return _kept[0][0]


@scalar
def py_big() -> int:
    return 2**70


@scalar
def py_raise(message: str) -> None:
    raise ValueError(message)
