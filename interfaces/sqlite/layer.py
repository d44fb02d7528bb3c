# The sqlite pack's authoring layer: run by epy inside the `sqlite3ext_h`
# module, next to the header's constants (SQLITE_*), and importable as
# `sqlite`. The decorators only record what to register; when SQLite calls
# the extension's entry point, the pack's native code registers every entry
# of `_epy_registry` with that connection and converts values in Rust.
# Types are in layer.pyi (no `typing` import here: a fresh interpreter would
# pay for it at load).
"""Write SQLite extensions in Python: `@scalar` functions, `@aggregate`
classes (window functions with `inverse` and `value`) and `@table` classes
(table-valued functions and virtual tables)."""

import sys as _sys

_sys.modules.setdefault("sqlite", _sys.modules[__name__])

# For annotations: a value as a function gets it (BLOB: read-only memoryview
# valid during the call), and as it returns it.
SqlArg = None | int | float | str | memoryview
SqlValue = None | int | float | str | bytes | bytearray | memoryview

# (kind, name, nargs, flags, object, "file:line"), read by native.rs at
# each load.
_epy_registry = []
_SCALAR, _AGGREGATE, _WINDOW, _TABLE = 0, 1, 2, 3


def _flags(deterministic, direct_only, innocuous):
    flags = SQLITE_UTF8
    if deterministic:
        flags |= SQLITE_DETERMINISTIC
    if direct_only:
        flags |= SQLITE_DIRECTONLY
    if innocuous:
        flags |= SQLITE_INNOCUOUS
    return flags


def _origin():
    # `file:line` of the script's decorated def or class (the first frame
    # outside this module), for messages.
    f = _sys._getframe(1)
    while f is not None and f.f_globals is globals():
        f = f.f_back
    if f is None:
        return "?"
    return f"{f.f_code.co_filename.rpartition('/')[2]}:{f.f_lineno}"


def _arity(func, skip):
    # SQLite registers a function per argument count; -1 accepts any.
    code = getattr(func, "__code__", None)
    if code is None or code.co_flags & 0x04 or getattr(func, "__defaults__", None):
        return -1
    return code.co_argcount - skip


def scalar(func=None, *, name=None, nargs=None, deterministic=False,
           direct_only=False, innocuous=False):
    """Registers a SQL function: `@scalar` or `@scalar(deterministic=True)`.

    Arguments arrive as None/int/float/str, BLOBs as read-only memoryviews
    valid during the call; return None/int/float/str/bytes (bool is int).
    An exception fails the statement with its message."""

    def register(f):
        n = _arity(f, 0) if nargs is None else nargs
        _epy_registry.append((_SCALAR, name or f.__name__, n,
                              _flags(deterministic, direct_only, innocuous), f, _origin()))
        return f

    return register if func is None else register(func)


def aggregate(cls=None, *, name=None, nargs=None, deterministic=False,
              direct_only=False, innocuous=False):
    """Registers an aggregate: a class whose object lives for one group;
    `step(self, *values)` per row, `final(self)` gives the result (also for
    a group without rows). With `inverse(self, *values)` and `value(self)`
    it is also a window function."""

    def register(c):
        for method in ("step", "final"):
            if not callable(getattr(c, method, None)):
                raise TypeError(f"aggregate {c.__name__} needs a {method}() method")
        window = callable(getattr(c, "inverse", None)) and callable(getattr(c, "value", None))
        n = _arity(c.step, 1) if nargs is None else nargs
        _epy_registry.append((_WINDOW if window else _AGGREGATE, name or c.__name__, n,
                              _flags(deterministic, direct_only, innocuous), c, _origin()))
        return c

    return register if cls is None else register(cls)


def _unquote(arg):
    # Module arguments arrive as SQL text: 'a''b' → a'b.
    arg = arg.strip()
    if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "'\"":
        return arg[1:-1].replace(arg[0] * 2, arg[0])
    return arg


def _quote_name(name):
    return '"' + str(name).replace('"', '""') + '"'


class _RowsCursor:
    """The cursor `@table` gives a class that has `rows()`."""

    def __init__(self, table):
        self._table = table
        self._rows = iter(())
        self._row = ()
        self._args = ()
        self._eof = True
        self._rowid = 0

    def filter(self, idx_num, idx_str, args):
        self._args = args
        self._width = len(self._table._epy_columns())
        self._rows = iter(self._table.rows(*args))
        self._rowid = 0
        self.next()

    def next(self):
        for row in self._rows:
            row = row if type(row) is tuple or type(row) is list else (row,)
            if len(row) != self._width:
                self._wrong_width(row)
            self._row = row
            self._rowid += 1
            self._eof = False
            return
        self._eof = True

    def _wrong_width(self, row):
        t = self._table
        cols = ", ".join(t._epy_columns())
        w = self._width
        raise ValueError(f"table {t._epy_name} ({t._epy_origin}): row {self._rowid + 1} has "
                         f"{len(row)} values, the table has {w} column{'s' * (w != 1)} ({cols})")

    def eof(self):
        return self._eof

    def column(self, i):
        row = self._row
        if i < len(row):
            return row[i]
        j = i - len(self._table._epy_columns())
        return self._args[j] if 0 <= j < len(self._args) else None

    def rowid(self):
        return self._rowid


def _columns(self):
    cols = getattr(self, "columns", None)
    if cols is None:
        raise TypeError(f"table {self._epy_name} ({self._epy_origin}): no columns "
                        f"(set columns = [names] in the class or in __init__)")
    return [cols] if isinstance(cols, str) else list(cols)


def _declares_columns(c):
    # A `columns` attribute, or `self.columns = ...` in __init__.
    if hasattr(c, "columns"):
        return True
    code = getattr(getattr(c, "__init__", None), "__code__", None)
    return code is not None and "columns" in code.co_names


def _schema(self):
    cols = [_quote_name(c) for c in self._epy_columns()]
    cols += [f"{_quote_name(p)} HIDDEN" for p in self._epy_params]
    return f"CREATE TABLE x({', '.join(cols)})"


def _open(self):
    return _RowsCursor(self)


def _best_index(self, constraints, order_by):
    # `rows(a, b=…)`: an equality on hidden column a, then b, … becomes the
    # arguments, in order; a plan without the required ones costs the most.
    first = len(self._epy_columns())
    found = {}
    for i, (column, op, usable) in enumerate(constraints):
        j = column - first
        if usable and op == SQLITE_INDEX_CONSTRAINT_EQ and 0 <= j and j not in found:
            found[j] = i
    used = [None] * len(constraints)
    k = 0
    while k in found:
        used[found[k]] = k + 1
        k += 1
    cost = 1000.0 if k >= self._epy_required else 1e300
    return used, k, None, cost, False


def table(cls=None, *, name=None):
    """Registers a virtual table module. Simplest form: a class with
    `columns` (names) and `rows(self, *args)` yielding tuples (or single
    values); `rows`' parameters are hidden columns, so
    `SELECT * FROM name(a, b)` calls `rows(a, b)` (a table-valued function).
    `CREATE VIRTUAL TABLE t USING name(x, y)` calls `cls('x', 'y')` (module
    arguments, unquoted). For full control define `schema` (a CREATE TABLE
    statement), `best_index(constraints, order_by)` and `open()` returning a
    cursor with filter/next/eof/column/rowid, as SQLite's xBestIndex, xOpen,
    xFilter, xNext, xEof, xColumn and xRowid."""

    def register(c):
        origin = _origin()
        c._epy_name = name or c.__name__
        c._epy_origin = origin
        rows = getattr(c, "rows", None)
        if rows is not None:
            if "schema" not in vars(c) and not _declares_columns(c):
                raise TypeError(
                    f"table {c._epy_name} has rows() but no columns: name the "
                    f"values of a row with columns = [\"a\", \"b\"] in the class (or "
                    f"self.columns = [...] in __init__)")
            code = rows.__code__
            c._epy_params = list(code.co_varnames[1:code.co_argcount])
            c._epy_required = len(c._epy_params) - len(rows.__defaults__ or ())
            c._epy_columns = _columns
            if "schema" not in vars(c):
                c.schema = property(_schema)
            if "best_index" not in vars(c):
                c.best_index = _best_index
            if "open" not in vars(c):
                c.open = _open
        for attr in ("schema", "best_index", "open"):
            if not hasattr(c, attr):
                raise TypeError(f"table {c._epy_name} needs rows() or {attr}")

        def connect(*args):
            return c(*[_unquote(a) for a in args])

        _epy_registry.append((_TABLE, c._epy_name, 0, 0, connect, origin))
        return c

    return register if cls is None else register(cls)
