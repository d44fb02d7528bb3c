"""Keeps what it is given past the call, swaps classes, hunts for raw
addresses: each must fail inside Python, never in the host."""

try:
    import numpy
except ImportError:  # the other Pythons under test may lack it
    numpy = None

import safety_h as safety
from safety_h import Big, Frame, Small

KEPT: list = []


def keep(values: memoryview, n: int, data: memoryview, size: int, frame: Frame) -> int:
    KEPT.clear()
    KEPT.extend([
        values[0:n], values.cast("B"), memoryview(values), values[::-1],
        data[1:], data.cast("b"),
        frame.samples[0:8], memoryview(frame.samples).cast("B"), frame.samples,
    ])
    values[0] = 42.0
    KEPT[0][1] = 43.0
    frame.samples[1] = 7.0
    KEPT[6][2] = 8.0
    # numpy during the call: zero copy, writes reach the host.
    if numpy is not None:
        a = numpy.frombuffer(KEPT[2], dtype=numpy.float64)
        a[2] = 5.0
    else:
        KEPT[2][2] = 5.0
    return int(sum(values)) + data[0]


def use_kept() -> int:
    raised = 0
    for view in KEPT:
        try:
            view[0]
        except ValueError:
            raised += 1
        try:
            bytes(view)
        except ValueError:
            raised += 1
    for view in KEPT[:4] + KEPT[6:]:
        try:
            view[0] = 1 if view.format == "B" else 1.0
        except ValueError:
            raised += 1
    for view in KEPT[:2]:
        try:
            memoryview(view.obj)
        except ValueError:
            raised += 1
    return raised


def class_swap(s: Small) -> int:
    refused = 0
    x = Small()

    class S2(Small):
        pass

    class B2(Big):
        pass

    for obj, cls in [(x, Big), (s, Big), (S2(), B2)]:
        try:
            obj.__class__ = cls
        except TypeError:
            refused += 1
        else:
            obj.name = "B" * 31
    return refused


def probe() -> int:
    found = 0
    try:
        from safety_h import buffer_at  # noqa: F401
        found += 1
    except ImportError:
        pass
    if hasattr(safety, "buffer_at"):
        found += 1
    if any(getattr(v, "__name__", "") == "buffer_at" for v in vars(safety).values()):
        found += 1
    return found


def raising(values: memoryview, n: int) -> float:
    return _helper(values[0])


def _helper(x: float) -> float:
    raise RuntimeError(f"the script's own message {x}")
