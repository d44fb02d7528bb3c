"""A WFX plugin for the edges of the pack: empty and failing listings,
Error(code) from exports, a raising export, ANSI and Unicode exports side by
side, times as datetime and as fractional Unix seconds."""

import datetime
from collections.abc import Iterator

from wfxplugin_h import (
    FS_FILE_NOTFOUND,
    FS_FILE_NOTSUPPORTED,
    Entry,
    Error,
    FsFindClose,
    FsFindNext,
    FsFindNextW,
    FsInit,
    FsInitW,
    RemoteInfoStruct,
    WIN32_FIND_DATAA,
    WIN32_FIND_DATAW,
    host,
    remote_info,
)

UTC = datetime.timezone.utc


def _entries(path: str) -> Iterator[Entry]:
    if path == "/empty":
        return
    if path == "/boom":
        raise RuntimeError("listing failed")
    if path == "/missing":
        raise Error(FS_FILE_NOTFOUND)
    yield Entry("Grüße 日本.txt", 5, 1700000000.4999, mode=0o644)  # rounds down
    yield Entry("half.bin", 2**33 + 7, 1700000000.5, mode=0o100644)  # rounds up; > 32 bits
    yield Entry("dated", 0, datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC), is_dir=True, mode=0o755)
    yield Entry("nomode", 1)  # no mode, no time: FILE_ATTRIBUTE_UNIX_MODE unset, time unknown
    host.log(3, "listed " + path)


def FsFindFirstW(Path: str | None, FindData: WIN32_FIND_DATAW, /) -> Iterator[Entry]:
    return _entries(Path or "/")


def FsFindFirst(Path: str | None, FindData: WIN32_FIND_DATAA, /) -> Iterator[Entry]:
    return _entries(Path or "/")


def FsGetFileW(RemoteName: str | None, LocalName: str | None, CopyFlags: int, ri: RemoteInfoStruct, /) -> int:
    info = remote_info(ri)
    assert info is not None and info.size == 123 and info.mtime is not None
    # The host's FILETIME is 3 ticks short of 1700000000 s: rounded, not truncated.
    if round(info.mtime.timestamp()) != 1700000000:
        raise AssertionError(info)
    raise Error(FS_FILE_NOTSUPPORTED)


def FsPutFileW(LocalName: str | None, RemoteName: str | None, CopyFlags: int, /) -> int:
    raise ValueError("cannot store " + str(RemoteName))


def FsMkDirW(Path: str | None, /) -> bool:
    raise Error(0 if Path == "/no" else 1)
