"""A WCX plugin whose every export raises (except OpenArchiveW when listing,
so the others get a live handle): the test host checks that each returns the
error value interfaces/wcx/pack.toml declares, and that the process lives on."""

from typing import Any

from wcxhead_h import PK_OM_LIST, tHeaderDataExW, tOpenArchiveDataW, tProcessDataProcW


class _Boom(Exception):
    """What every export raises."""


def OpenArchiveW(ArchiveData: tOpenArchiveDataW, /) -> object:
    if ArchiveData.OpenMode == PK_OM_LIST:
        return object()
    raise _Boom("OpenArchiveW")


def ReadHeaderExW(hArcData: Any, HeaderData: tHeaderDataExW, /) -> int:
    raise _Boom("ReadHeaderExW")


def ProcessFileW(hArcData: Any, Operation: int, DestPath: str | None, DestName: str | None, /) -> int:
    raise _Boom("ProcessFileW")


def CloseArchive(hArcData: Any, /) -> int:
    raise _Boom("CloseArchive")


def PackFilesW(PackedFile: str | None, SubPath: str | None, SrcPath: str | None, AddList: list[str], Flags: int, /) -> int:
    raise _Boom("PackFilesW")


def DeleteFilesW(PackedFile: str | None, DeleteList: list[str], /) -> int:
    raise _Boom("DeleteFilesW")


def GetPackerCaps() -> int:
    raise _Boom("GetPackerCaps")


def CanYouHandleThisFileW(FileName: str | None, /) -> int:
    raise _Boom("CanYouHandleThisFileW")


def SetProcessDataProcW(hArcData: Any, pProcessDataProc: tProcessDataProcW, /) -> None:
    raise _Boom("SetProcessDataProcW")
