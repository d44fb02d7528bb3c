"""Registers Python functions with the host as C function pointers."""
import weakref
from typing import Any, Callable

import callbacks_h

api: dict[str, Callable[..., Any]] = {}
destroyed: list[object] = []
user_ref: "weakref.ref[Factor] | None" = None
# Struct fields set to Python callables (kept alive here: the host keeps
# the pointer).
methods = callbacks_h.cb_methods(version=1, step=lambda x: x * 3, reset=lambda: 7)


class Factor:
    """User data of an op: the host hands it back to the callable."""

    def __init__(self, k: int) -> None:
        self.k = k


def cb_init(host: callbacks_h.cb_host) -> int:
    global user_ref
    create_op, drop_op, create_scale = host.create_op, host.drop_op, host.create_scale
    op_user_data = host.op_user_data
    assert create_op and drop_op and create_scale and op_user_data
    api["create_op"], api["drop_op"], api["create_scale"] = create_op, drop_op, create_scale
    api["op_user_data"] = op_user_data
    rc = create_op("add", None, lambda ctx, a, b: a + b, None)
    f = Factor(10)
    user_ref = weakref.ref(f)

    def mul(ctx: object, a: int, b: int) -> int:
        assert isinstance(ctx, Factor)
        return a * b * ctx.k

    rc |= create_op("mul", f, mul, lambda ctx: destroyed.append(isinstance(ctx, Factor)))
    rc |= create_op("fail", None, lambda ctx, a, b: 1 // 0, None)
    rc |= create_scale("half", lambda x: x / 2)
    rc |= create_scale("boom", lambda x: float("nan") if x < 0 else 1 / 0)
    set_text, install = host.set_text, host.install
    assert set_text and install
    rc |= set_text("copied", callbacks_h.CB_TRANSIENT)
    rc |= install(methods)
    assert callbacks_h.CB_OK == 0 and callbacks_h.CB_VERSION == "1.0"
    assert callbacks_h.CB_TRANSIENT == -1 and int(callbacks_h.CB_INTEGER) == 1
    assert not hasattr(callbacks_h, "OTHER_LIMIT")
    return rc


def cb_churn(n: int) -> int:
    create, drop = api["create_op"], api["drop_op"]
    for i in range(n):
        data = Factor(i)
        if create("tmp", data, lambda ctx, a, b: a - b, None) != callbacks_h.CB_OK:
            return -1
        if drop("tmp") != callbacks_h.CB_OK:
            return -1
    return n


def cb_fill_pool(n: int) -> int:
    taken = 0
    for i in range(n):
        try:
            api["create_scale"](f"s{i}", lambda x, i=i: x * i)
        except RuntimeError as e:
            assert "trampolines" in str(e), e
            return taken
        taken += 1
    return taken


def cb_get_scale() -> Callable[[float], float]:
    return lambda x: x + 0.5


def cb_destroyed() -> int:
    return len(destroyed)


def cb_user_alive() -> int:
    """1: the user data lives; 2: and `user_data` finds it from the pointer
    the host holds (as `sqlite3_user_data` would return it)."""
    alive = user_ref is not None and user_ref() is not None
    if not alive or user_ref is None:
        return 0
    lookup = api["op_user_data"]("mul")
    if lookup is not None and callbacks_h.user_data(lookup) is user_ref():
        return 2
    return 1
