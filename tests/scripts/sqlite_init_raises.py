"""An SQLite extension whose load fails (tests/sqlite/shell.py)."""

from sqlite import scalar


@scalar
def never(x: int) -> int:
    return x


raise RuntimeError("no database for you today")
