"""Lists endless members named `v1-0`, `v1-1`, … (the reload test rewrites
VERSION on disk while the host holds an archive handle)."""

from typing import Any

from wcxhead_h import tHeaderDataExW, tOpenArchiveDataW

VERSION = "v1"


class _Arc:
    def __init__(self) -> None:
        self.n = 0


def OpenArchiveW(ArchiveData: tOpenArchiveDataW, /) -> object:
    return _Arc()


def ReadHeaderExW(hArcData: Any, HeaderData: tHeaderDataExW, /) -> int:
    HeaderData.FileName = f"{VERSION}-{hArcData.n}"
    hArcData.n += 1
    return 0


def ProcessFileW(hArcData: Any, Operation: int, DestPath: str | None, DestName: str | None, /) -> int:
    return 0


def CloseArchive(hArcData: Any, /) -> int:
    return 0
