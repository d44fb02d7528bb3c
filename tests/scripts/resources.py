"""The resource-test plugin: handles, returned strings, and a VERSION the
reload test rewrites on every save."""

VERSION = 0


class Res:
    def __init__(self, id: int) -> None:
        self.id = id


def res_open(id: int) -> object:
    return Res(id)


def res_read(h: Res) -> int:
    return h.id


def res_close(h: Res) -> int:
    return 0


def res_text(who: int, n: int) -> str:
    # Each call's text differs from the last one's (length and content).
    return f"thread {who} call {n} " + "x" * (n % 61)


def res_version() -> int:
    return VERSION
