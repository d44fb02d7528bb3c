# --- The sqlite pack's authoring layer (interfaces/sqlite/layer.py) ---------
# Scripts import it as `from sqlite import scalar, aggregate, table`.
from collections.abc import Callable as _Callable, Iterable as _Iterable, Sequence as _Sequence
from typing import Protocol as _Protocol, TypeVar as _TypeVar, overload as _overload

SqlArg = None | int | float | str | memoryview
"""A SQL value as a function gets it: NULL, INTEGER, REAL, TEXT, or a BLOB as
a read-only memoryview valid during the call (`bytes(v)` keeps a copy)."""
SqlValue = None | int | float | str | bytes | bytearray | memoryview
"""A SQL value a function returns: NULL, INTEGER (bool too), REAL, TEXT, BLOB."""

_F = _TypeVar("_F", bound=_Callable[..., SqlValue])
_A = _TypeVar("_A", bound=type)
_T = _TypeVar("_T", bound=type)

@_overload
def scalar(func: _F, /) -> _F:
    """Registers a SQL function (its name, or `name=`): `@scalar` or
    `@scalar(deterministic=True)`. An exception fails the statement with its
    message; the connection stays usable."""
@_overload
def scalar(
    *,
    name: str | None = None,
    nargs: int | None = None,
    deterministic: bool = False,
    direct_only: bool = False,
    innocuous: bool = False,
) -> _Callable[[_F], _F]: ...

@_overload
def aggregate(cls: _A, /) -> _A:
    """Registers an aggregate class: one object per group, `step(self, *values)`
    per row, `final(self) -> SqlValue` (also for a group without rows); with
    `inverse(self, *values)` and `value(self) -> SqlValue`, a window function."""
@_overload
def aggregate(
    *,
    name: str | None = None,
    nargs: int | None = None,
    deterministic: bool = False,
    direct_only: bool = False,
    innocuous: bool = False,
) -> _Callable[[_A], _A]: ...

class Cursor(_Protocol):
    """What `open()` of a low-level `@table` class returns (SQLite's cursor)."""
    def filter(self, idx_num: int, idx_str: str | None, args: tuple[SqlArg | bytes, ...]) -> None: ...
    def next(self) -> None: ...
    def eof(self) -> bool: ...
    def column(self, i: int) -> SqlValue: ...
    def rowid(self) -> int: ...

BestIndex = tuple[_Sequence[int | None], int, str | None, float, bool]
"""`best_index`'s answer: per constraint its position among filter()'s
arguments (1-based) or None, idx_num, idx_str, estimated cost, whether the
rows come in the ORDER BY's order."""

@_overload
def table(cls: _T, /) -> _T:
    """Registers a virtual table module: a class with `columns` (names) and
    `rows(self, *args) -> Iterable[tuple[SqlValue, ...] | SqlValue]`, whose
    parameters are hidden columns (`SELECT * FROM name(a, b)` calls
    `rows(a, b)`). `CREATE VIRTUAL TABLE t USING name(x)` calls the class with
    the module arguments (`'x'` unquoted). For full control: `schema` (CREATE
    TABLE text), `best_index(constraints: list[tuple[int, int, bool]],
    order_by: list[tuple[int, bool]]) -> BestIndex` and `open() -> Cursor`."""
@_overload
def table(*, name: str | None = None) -> _Callable[[_T], _T]: ...
