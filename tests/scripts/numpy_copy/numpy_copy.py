"""Keeps numpy arrays over host memory past the call (in the main
interpreter, where numpy loads): they must see a copy, never freed memory."""

import numpy

from numpy_copy_h import Frame

KEPT: list = []


def keep(values: memoryview, n: int, consts: memoryview, m: int, frame: Frame) -> float:
    """Writes through numpy and plain views; keeps the arrays."""
    a = numpy.frombuffer(values, dtype=numpy.float64)
    c = numpy.frombuffer(consts, dtype=numpy.float64)
    f = numpy.frombuffer(frame.samples, dtype=numpy.float64)
    a *= 2.0
    values[0] = 42.0
    f += 1.0
    # A second access of the field sees what the first one wrote, and both
    # write back only what changed through them.
    again = frame.samples
    again[6] = again[6] * 10.0
    g = numpy.frombuffer(frame.samples[4:6], dtype=numpy.float64)
    g[1] = -5.0
    try:
        c[0] = 0.0
    except ValueError:
        pass  # read-only: a const buffer
    KEPT.clear()
    KEPT.extend([a, c, f, g, values[1:3], again])
    return float(c.sum()) + float(a[0])


def use_kept() -> float:
    """Reads, then overwrites, everything kept (the host freed it)."""
    a, c, f, g, part, again = KEPT
    total = float(a.sum() + c.sum() + f.sum() + g.sum()) + part[0] + again[6]
    a[:] = 7.0
    f[:] = 7.0
    g[:] = 7.0
    part[0] = 7.0
    again[0] = 7.0
    return total
