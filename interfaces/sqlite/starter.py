"""@NAME@: an SQLite extension written in Python.

Made by `epy-codegen new @NAME@ --pack sqlite`. As it stands it adds a SQL
function, an aggregate and a table-valued function: replace the TODOs with
yours. Build, type-check and try it:

    epy-codegen build @NAME@.py --pack sqlite
    python3 -m mypy --strict @NAME@.py
    sqlite3 :memory: '.load ./@NAME@' "select @NAME@_upper('hi')"
"""

from collections.abc import Iterator

from sqlite import SqlArg, SqlValue, aggregate, scalar, table


@scalar(deterministic=True)
def @NAME@_upper(text: SqlArg) -> SqlValue:
    """A SQL function. An argument is any SQL value (SqlArg: None, int,
    float, str, or a BLOB as a memoryview): mypy makes you check which."""
    return text.upper() if isinstance(text, str) else text  # TODO: your function


@aggregate
class @NAME@_total:
    """An aggregate: one object per group, step() per row, final() at the end."""

    def __init__(self) -> None:
        self.total = 0.0

    def step(self, x: SqlArg) -> None:
        if isinstance(x, (int, float)):
            self.total += x

    def final(self) -> float:
        return self.total


@table
class @NAME@_range:
    """A table-valued function: `select value from @NAME@_range(1, 5)`."""

    columns = ["value"]

    def rows(self, start: SqlArg, stop: SqlArg) -> Iterator[int]:
        if not isinstance(start, int) or not isinstance(stop, int):
            raise TypeError("@NAME@_range(start, stop) takes integers")  # the statement's error
        return iter(range(start, stop))
