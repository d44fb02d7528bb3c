"""@NAME@: an archive plugin (WCX) for Double Commander, written in Python.

Made by `epy-codegen new @NAME@ --pack wcx`. As it stands it lists a text
file, one member per line, and extracts each as an empty file: replace the
TODOs with your format. Build, type-check and register:

    epy-codegen build @NAME@.py --pack wcx
    python3 -m mypy --strict @NAME@.py
    epy-codegen install @NAME@.wcx --host doublecmd
"""

import os
import stat
from typing import Any

from @MODULE@ import E_END_ARCHIVE, E_EOPEN, PK_EXTRACT, Error, check_exports, tHeaderDataExW, tOpenArchiveDataW

EXTENSIONS = ["@NAME@"]  # what `epy-codegen install` registers when given no --ext


class Archive:
    """The handle: OpenArchiveW returns it, every later call gets it back."""

    def __init__(self, path: str) -> None:
        # TODO: read your archive format here.
        with open(path, encoding="utf-8") as f:
            self.names = [line.strip() for line in f if line.strip()]
        self.mtime = int(os.path.getmtime(path))
        self.next = 0  # the member ReadHeaderExW reports next


def OpenArchiveW(ArchiveData: tOpenArchiveDataW, /) -> object:
    """@DOC(OpenArchiveW)@"""
    try:
        return Archive(ArchiveData.ArcName or "")
    except (OSError, UnicodeDecodeError) as e:
        # Error(code) from any export: the host gets that code (here in
        # OpenResult); any other exception gives OpenResult = E_BAD_ARCHIVE.
        raise Error(E_EOPEN, str(e)) from e


def ReadHeaderExW(hArcData: Any, HeaderData: tHeaderDataExW, /) -> int:
    """@DOC(ReadHeaderExW)@"""
    arc: Archive = hArcData
    if arc.next >= len(arc.names):
        return E_END_ARCHIVE
    HeaderData.FileName = arc.names[arc.next]
    HeaderData.PackSize = HeaderData.UnpSize = 0  # TODO: the member's size
    HeaderData.FileAttr = stat.S_IFREG | 0o644  # a Unix st_mode on Linux hosts
    HeaderData.FileTime = arc.mtime  # a Unix time on Linux hosts
    arc.next += 1
    return 0


def ProcessFileW(hArcData: Any, Operation: int, DestPath: str | None, DestName: str | None, /) -> int:
    """@DOC(ProcessFileW)@"""
    if Operation == PK_EXTRACT and DestName:
        with open(os.path.join(DestPath or "", DestName), "wb") as f:
            f.write(b"")  # TODO: the member's content
    return 0


def CloseArchive(hArcData: Any, /) -> int:
    """@DOC(CloseArchive)@"""
    return 0


# mypy checks each export against the header (nothing happens at run time):
# name every export you add here.
check_exports(OpenArchiveW=OpenArchiveW, ReadHeaderExW=ReadHeaderExW, ProcessFileW=ProcessFileW, CloseArchive=CloseArchive)
