"""A WFX plugin for the pack's checks: Entry refuses bad arguments at
creation (naming the entry), a listing skips what the host's record cannot
hold and goes on, Error refuses a code the interface does not have."""

import datetime
from collections.abc import Callable, Iterator

from wfxplugin_h import (
    FS_FILE_NOTFOUND,
    Entry,
    Error,
    FsFindClose,
    FsFindNextW,
    FsInitW,
    RemoteInfoStruct,
    WIN32_FIND_DATAW,
    host,
)

_ = (FsFindClose, FsFindNextW, FsInitW)
UTC = datetime.timezone.utc

# (case, a call that must be refused): the listing of /refused shows
# "refused-CASE-EXCEPTION" for each, and the message goes to the host's log.
CASES: list[tuple[str, Callable[[], object]]] = [
    ("nul", lambda: Entry("a\0b")),
    ("slash", lambda: Entry("a/b")),
    ("empty", lambda: Entry("")),
    ("bytes", lambda: Entry(b"x")),  # type: ignore[arg-type]
    ("size-negative", lambda: Entry("s", -1)),
    ("size-65-bits", lambda: Entry("s", 2**64)),
    ("size-str", lambda: Entry("s", "12")),  # type: ignore[arg-type]
    ("size-float", lambda: Entry("s", 1.5)),  # type: ignore[arg-type]
    ("mtime-str", lambda: Entry("t", 0, "yesterday")),  # type: ignore[arg-type]
    ("mtime-nan", lambda: Entry("t", 0, float("nan"))),
    ("mtime-before-1601", lambda: Entry("t", 0, -2e10)),
    ("is_dir-int", lambda: Entry("d", is_dir=1)),  # type: ignore[arg-type]
    ("mode-negative", lambda: Entry("m", mode=-1)),
    ("mode-too-big", lambda: Entry("m", mode=0o1000000)),
    ("attributes-33-bits", lambda: Entry("a", attributes=2**32)),
    ("error-code", lambda: Error(12345)),
]


def _refused() -> Iterator[Entry]:
    for case, make in CASES:
        try:
            make()
        except (TypeError, ValueError) as e:
            host.log(3, str(e))
            yield Entry(f"refused-{case}-{type(e).__name__}")
        else:
            yield Entry(f"accepted-{case}")
    yield Entry("ok", 2**64 - 1, datetime.datetime(1601, 1, 1, tzinfo=UTC), mode=0o644, attributes=1)


def _skips() -> Iterator[object]:
    yield Entry("first")
    yield "not an entry"
    yield Entry("x" * 5000)  # longer than cFileName (4096 UTF-16 units)
    yield Entry("last")


def FsFindFirstW(Path: str | None, FindData: WIN32_FIND_DATAW, /) -> Iterator[object]:
    if Path == "/refused":
        return _refused()
    if Path == "/skips":
        return _skips()
    if Path == "/nul":
        return iter([Entry("a\0b")])
    raise Error(FS_FILE_NOTFOUND)


def FsGetFileW(RemoteName: str | None, LocalName: str | None, CopyFlags: int, ri: RemoteInfoStruct, /) -> int:
    raise Error(12345)  # not an FS_FILE_* code: refused, the host gets FS_FILE_READERROR


def FsMkDirW(Path: str | None, /) -> bool:
    return "yes"  # type: ignore[return-value]  # not a BOOL: the log names this def's line
