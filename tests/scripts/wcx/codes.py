"""A WCX plugin failing on purpose with `Error(code)` from each export: the
test host checks that it gets exactly those codes, and the log no traceback."""

import os
from typing import Any

from wcxhead_h import (
    E_EOPEN,
    E_ECREATE,
    E_EREAD,
    E_TOO_MANY_FILES,
    E_UNKNOWN_FORMAT,
    Error,
    tHeaderDataExW,
    tOpenArchiveData,
    tOpenArchiveDataW,
)


def OpenArchiveW(ArchiveData: tOpenArchiveDataW, /) -> object:
    name = os.path.basename(ArchiveData.ArcName or "")
    if name == "eopen":
        raise Error(E_EOPEN, "cannot open")
    if name == "none":
        return None
    return name


def OpenArchive(ArchiveData: tOpenArchiveData, /) -> object:
    raise Error(E_UNKNOWN_FORMAT)


def ReadHeaderExW(hArcData: Any, HeaderData: tHeaderDataExW, /) -> int:
    raise Error(E_EREAD)


def ReadHeader(hArcData: Any, HeaderData: Any, /) -> int:
    raise Error(E_EREAD)


def ProcessFileW(hArcData: Any, Operation: int, DestPath: str | None, DestName: str | None, /) -> int:
    raise Error(E_ECREATE)


def ProcessFile(hArcData: Any, Operation: int, DestPath: str | None, DestName: str | None, /) -> int:
    raise Error(E_ECREATE)


def CloseArchive(hArcData: Any, /) -> int:
    return 0


def PackFilesW(PackedFile: str | None, SubPath: str | None, SrcPath: str | None, AddList: list[str], Flags: int, /) -> int:
    raise Error(E_TOO_MANY_FILES)


def GetPackerCaps() -> int:
    raise Error(12345)  # not an E_* code: refused (ValueError), the error value, a log line
