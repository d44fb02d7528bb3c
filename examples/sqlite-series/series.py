"""`py_series(start, stop[, step])` for SQLite, in Python: a table-valued
function, `select value from py_series(1, 10, 2)` gives 1, 3, 5, 7, 9
(stop is exclusive, as Python's range)."""

from collections.abc import Iterator

from sqlite import SqlArg, table


@table
class py_series:
    columns = ["value"]

    def rows(self, start: SqlArg, stop: SqlArg, step: SqlArg = 1) -> Iterator[int]:
        if not (isinstance(start, int) and isinstance(stop, int) and isinstance(step, int)):
            raise TypeError("py_series(start, stop[, step]) takes integers")
        return iter(range(start, stop, step))
