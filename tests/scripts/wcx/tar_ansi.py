"""The tar example's ANSI exports only (no `...W` functions), so Double
Commander takes the ANSI path: OpenArchive, ReadHeaderEx, ProcessFile,
PackFiles. Re-exported from the example, which must sit beside this script."""

from tarwcx import (
    CanYouHandleThisFile,
    CloseArchive,
    DeleteFiles,
    GetBackgroundFlags,
    GetPackerCaps,
    OpenArchive,
    PackFiles,
    PackSetDefaultParams,
    ProcessFile,
    ReadHeader,
    ReadHeaderEx,
    SetChangeVolProc,
    SetProcessDataProc,
)

__all__ = [
    "CanYouHandleThisFile",
    "CloseArchive",
    "DeleteFiles",
    "GetBackgroundFlags",
    "GetPackerCaps",
    "OpenArchive",
    "PackFiles",
    "PackSetDefaultParams",
    "ProcessFile",
    "ReadHeader",
    "ReadHeaderEx",
    "SetChangeVolProc",
    "SetProcessDataProc",
]
