"""`median(x)` for SQLite, in Python: an aggregate (and a window function).
NULLs are ignored; a group without values gives NULL."""

import bisect
import statistics

from sqlite import SqlArg, aggregate


@aggregate(deterministic=True)
class median:
    def __init__(self) -> None:
        self.values: list[float] = []  # kept sorted, so inverse() is cheap

    def step(self, x: SqlArg) -> None:
        if isinstance(x, (int, float)):
            bisect.insort(self.values, x)

    def inverse(self, x: SqlArg) -> None:
        """A row leaves the window frame."""
        if isinstance(x, (int, float)):
            del self.values[bisect.bisect_left(self.values, x)]

    def value(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    def final(self) -> float | None:
        return self.value()
