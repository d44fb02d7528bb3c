"""textarc: a read-only archive plugin (WCX) for Double Commander, in Python.

A "text archive" is a text file of members, each a line `--- NAME` followed by
its content lines. Build, type-check and register:

    epy-codegen build textarc.py --pack wcx
    python3 -m mypy --strict textarc.py
    epy-codegen install textarc.wcx --host doublecmd --ext txa
"""

import os
import stat
from typing import Any

from wcxhead_h import E_END_ARCHIVE, E_EOPEN, PK_EXTRACT, check_exports, tHeaderDataExW, tOpenArchiveDataW

EXTENSIONS = ["txa"]  # what `epy-codegen install` registers when given no --ext


class Archive:
    """What OpenArchiveW hands the host: later calls get it back."""

    def __init__(self, path: str) -> None:
        self.members: list[tuple[str, str]] = []  # (name, content)
        self.mtime = int(os.path.getmtime(path))
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("--- "):
                    self.members.append((line[4:].strip(), ""))
                elif self.members:
                    name, text = self.members[-1]
                    self.members[-1] = (name, text + line)
        self.next = 0  # index of the member ReadHeaderExW reports next


def OpenArchiveW(ArchiveData: tOpenArchiveDataW, /) -> object:
    """Opens the archive; on failure sets OpenResult and returns None."""
    try:
        return Archive(ArchiveData.ArcName or "")
    except (OSError, UnicodeDecodeError):
        ArchiveData.OpenResult = E_EOPEN
        return None


def ReadHeaderExW(hArcData: Any, HeaderData: tHeaderDataExW, /) -> int:
    """Describes the next member: 0, or E_END_ARCHIVE after the last."""
    arc: Archive = hArcData
    if arc.next >= len(arc.members):
        return E_END_ARCHIVE
    name, text = arc.members[arc.next]
    HeaderData.FileName = name
    HeaderData.PackSize = HeaderData.UnpSize = len(text.encode())
    HeaderData.FileAttr = stat.S_IFREG | 0o644  # a Unix st_mode on Linux hosts
    HeaderData.FileTime = arc.mtime  # a Unix time on Linux hosts
    arc.next += 1
    return 0


def ProcessFileW(hArcData: Any, Operation: int, DestPath: str | None, DestName: str | None, /) -> int:
    """Extracts (PK_EXTRACT) the member read last to DestPath/DestName."""
    arc: Archive = hArcData
    if Operation == PK_EXTRACT and DestName:
        target = os.path.join(DestPath or "", DestName)
        with open(target, "w", encoding="utf-8") as f:
            f.write(arc.members[arc.next - 1][1])
    return 0


def CloseArchive(hArcData: Any, /) -> int:
    """Closes the archive (the host drops its handle)."""
    return 0


# mypy checks each export against wcxhead.h (nothing happens at run time).
check_exports(OpenArchiveW=OpenArchiveW, ReadHeaderExW=ReadHeaderExW, ProcessFileW=ProcessFileW, CloseArchive=CloseArchive)
