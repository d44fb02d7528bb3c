"""Typed pointers (tests/headers/generic/typed_ptr.h, no annotations)."""

from typed_ptr_h import Point, Ptr

kept: list[Ptr[float]] = []
kept_views: list[memoryview] = []


def invert(width: int, height: int, inframe: Ptr[int] | None, outframe: Ptr[int] | None) -> int:
    if inframe is None or outframe is None:
        return -1
    n = width * height
    src, dst = inframe.array(n), outframe.array(n)
    for i in range(n):
        dst[i] = src[i] ^ 0x00FFFFFF
    return n


def bump(cell: Ptr[Ptr[int] | None] | None) -> int:
    if cell is None:
        return -2
    inner = cell.value
    if inner is None:
        return -1
    old = inner.value
    inner.value = old + 1
    return old


def choose(slot: Ptr[Point | None] | None, other: Point) -> int:
    if slot is None:
        return -1
    old = slot.value
    before = old.x if old is not None else 0
    slot.value = None if other.x < 0 else other
    return before


def pick(a: Point, b: Point, which: int) -> Point | None:
    if which == 0:
        return Point(x=3, y=4)
    return None if which < 0 else b


def keep(samples: Ptr[float] | None) -> float:
    if samples is None:
        return -1.0
    kept.append(samples)
    kept_views.append(samples.array(2))
    total: float = samples.value + kept_views[0][1]
    samples.value = 0.25
    return total


def use_kept() -> int:
    r = 0
    try:
        kept[0].value
    except ValueError:
        r |= 1
    try:
        kept_views[0][0]
    except ValueError:
        r |= 2
    return r
