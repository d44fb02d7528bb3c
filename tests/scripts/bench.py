"""The Python side of the end-to-end test: every function of tests/headers/bench.h.

The C host (tests/hosts/bench_host.c) checks every value it gets back.
"""

import builtins

from bench_h import GREETING, LIMIT, NAME_LEN, RATIO, Color, LogFn, Packed, Point, ProgressFn, Record


def add(a: int, b: int) -> int:
    return a + b


def neg8(v: int) -> int:
    return -v  # neg8(-128) overflows int8_t: the host gets the error value 0


def inc_u8(v: int) -> int:
    return v + 1  # inc_u8(255) overflows uint8_t


def twice16(v: int) -> int:
    return v * 2


def twice_u16(v: int) -> int:
    return v * 2


def twice_u32(v: int) -> int:
    return v * 2


def twice64(v: int) -> int:
    return v * 2


def twice_u64(v: int) -> int:
    return v * 2


def halve_f(v: float) -> float:
    return v / 2


def scale(v: float, factor: float) -> float:
    return v * factor


def negate(v: bool) -> bool:
    return not v


def next_color(c: Color) -> int:
    if not isinstance(c, Color):
        raise TypeError(f"expected a Color, got {c!r}")
    return Color.COLOR_RED if c is Color.COLOR_BLUE else Color(c * 2)


def length(s: str | None) -> int:
    if s is None:
        raise ValueError("NULL string")  # on-error = "LIMIT"
    return len(s)


def greet(name: str | None) -> str | None:
    return f"{GREETING}, {name}!"


def fill(r: Record, id: int) -> int:
    r.id = id
    r.value = id * RATIO
    try:
        r.name = "x" * NAME_LEN  # needs NAME_LEN + 1 bytes with its NUL
    except ValueError:
        pass
    else:
        raise AssertionError("a too-long name was truncated instead of refused")
    r.name = f"record-{id}"
    r.where.x = 3
    r.where.y = -4
    for i in range(4):
        r.samples[i] = -(i + 1) * 100
    r.color = Color.COLOR_GREEN
    r.flags = 5
    r.level = 17
    r.as_float = 1.5
    return r.id


def weigh(r: Record) -> float:
    try:
        r.id = 0  # a const Record* is a read-only view
    except (AttributeError, TypeError):
        pass
    else:
        raise AssertionError("wrote through a const pointer")
    label = r.label or ""
    return r.value + r.where.x + r.where.y + len(r.name) + r.flags + r.level + len(label) + r.samples[1]


def mirror(p: Point) -> Point:
    q = Point()
    q.x, q.y = p.y, p.x
    return q


def packed_sum(p: Packed) -> int:
    return p.tag + p.length + builtins.sum(p.wide)


def sum(values: memoryview, n: int) -> float:
    assert values.format == "d" and len(values) == n and values.readonly
    return builtins.sum(values)


def double_all(values: memoryview, n: int) -> None:
    for i in range(n):
        values[i] *= 2


def call_log(log: LogFn, times: int) -> int:
    return builtins.sum(log(f"message {i}", i) for i in range(times))


def run_progress(progress: ProgressFn, user: int | None, steps: int) -> None:
    for i in range(steps + 1):
        progress(user, i / steps)


def clamp(v: int) -> int:
    if v < 0:
        raise ValueError(f"clamp({v}): negative")  # on-error = -1
    return min(v, LIMIT)


def wide_echo(text: str | None) -> str | None:
    return None if text is None else text.upper() + " \U0001d11e"


def pass_through(p: int | None) -> int | None:
    return p


def _helper() -> None:
    """Private helpers (leading underscore) are not exports."""
