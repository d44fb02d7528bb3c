"""Writes struct fields every way a script can; tests/hosts/field_writes_host.c
checks the host's memory afterwards."""

from collections.abc import Callable

from field_writes_h import Mode, Rec

KEPT: list[Rec] = []


class Sub(Rec):
    """A Python subclass: its writes take the generic attribute lookup."""


class Text(str):
    """A str subclass: not a compact str, so not read in place."""


def _refused(write: Callable[[], object], error: type[BaseException]) -> int:
    try:
        write()
    except error:
        return 1
    return 0


def write_all(r: Rec, id: int) -> int:
    ok = 0
    r.id = id
    r.value = id * 0.5
    r.name = "héllo"  # not ASCII: encoded to UTF-8
    ok += r.name == "héllo"
    r.name = Text("text")
    ok += r.name == "text"
    r.name = b"raw"
    ok += r.name == "raw"
    r.name = "x" * 15  # 15 bytes and the NUL: exactly full
    ok += r.name == "x" * 15
    r.name = f"rec-{id}"
    setattr(r, "".join(["fl", "ag"]), True)  # a name that is not interned
    r.mode = Mode.MODE_AUTO
    ok += r.mode is Mode.MODE_AUTO
    r.tag = "\udcff\udcfe"  # surrogate-escaped bytes 0xff 0xfe
    r.small = -5
    # Refused, and nothing written:
    ok += _refused(lambda: setattr(r, "small", 200), OverflowError)
    ok += _refused(lambda: setattr(r, "name", "x" * 16), ValueError)
    ok += _refused(lambda: setattr(r, "tag", "abcd"), ValueError)
    ok += _refused(lambda: setattr(r, "tag", "éé"), ValueError)  # 4 bytes
    ok += _refused(lambda: setattr(r, "id", "7"), TypeError)
    ok += _refused(lambda: delattr(r, "id"), TypeError)
    ok += _refused(lambda: setattr(r, "nope", 1), AttributeError)
    ok += _refused(lambda: setattr(r, "__class__", Sub), TypeError)
    s = Sub()
    s.id = 3
    s.name = "sub"
    ok += s.id == 3 and s.name == "sub"
    KEPT.append(r)
    return ok


def write_const(r: Rec) -> int:
    n = _refused(lambda: setattr(r, "id", 1), AttributeError)
    n += _refused(lambda: setattr(r, "".join(["i", "d"]), 1), AttributeError)
    return n + _refused(lambda: setattr(r, "name", "x"), AttributeError)


def write_kept() -> int:
    return _refused(lambda: setattr(KEPT[0], "id", 99), ValueError)
