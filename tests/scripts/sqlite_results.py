"""Results and their errors (tests/sqlite.rs): a BLOB argument returned as
is, wrong results naming their SQL function, rows of the wrong width."""

from collections.abc import Iterator

from sqlite import SqlArg, scalar, table


@scalar
def py_ident(b: SqlArg) -> SqlArg:
    return b


@scalar
def py_slice(b: memoryview) -> memoryview:
    return b[1:4]


@scalar
def py_wrong() -> object:
    return [1, 2]


@table
class py_wide:
    columns = ["value"]

    def rows(self, n: int) -> Iterator[tuple[int, ...]]:
        for i in range(n):
            yield (i, i) if i == 1 else (i,)
