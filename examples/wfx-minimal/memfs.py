"""memfs: a file system in memory (WFX) for Double Commander, in Python.

Copy files in and out, make folders, delete; everything is gone when Double
Commander exits. epy drives the listing: FsFindFirstW returns entries.

    epy-codegen build memfs.py --pack wfx     # -> memfs.wfx
"""

import time
from collections.abc import Iterator

from wfxplugin_h import FS_COPYFLAGS_OVERWRITE, FS_FILE_EXISTS, FS_FILE_NOTFOUND, FS_FILE_OK
from wfxplugin_h import WIN32_FIND_DATAW, Entry, Error, RemoteInfoStruct, check_exports
from wfxplugin_h import FsFindClose, FsFindNextW, FsInitW  # the pack's, exported as they are

FILES: dict[str, tuple[bytes, float]] = {"/hello.txt": (b"Hello from Python\n", time.time())}
DIRS: set[str] = {"/"}


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] or "/"


def FsFindFirstW(Path: str | None, FindData: WIN32_FIND_DATAW, /) -> Iterator[Entry]:
    """The entries of folder Path (epy fills FindData and drives the rest)."""
    if Path not in DIRS:
        raise Error(FS_FILE_NOTFOUND)
    for d in sorted(DIRS - {"/"}):
        if _parent(d) == Path:
            yield Entry(d.rsplit("/", 1)[1], is_dir=True, mode=0o755)
    for f, (data, mtime) in sorted(FILES.items()):
        if _parent(f) == Path:
            yield Entry(f.rsplit("/", 1)[1], len(data), mtime, mode=0o644)


def FsGetFileW(RemoteName: str | None, LocalName: str | None, CopyFlags: int, ri: RemoteInfoStruct, /) -> int:
    """Copies a file out."""
    if RemoteName not in FILES or LocalName is None:
        return FS_FILE_NOTFOUND
    with open(LocalName, "wb") as f:
        f.write(FILES[RemoteName][0])
    return FS_FILE_OK


def FsPutFileW(LocalName: str | None, RemoteName: str | None, CopyFlags: int, /) -> int:
    """Copies a local file in."""
    if LocalName is None or RemoteName is None or _parent(RemoteName) not in DIRS:
        return FS_FILE_NOTFOUND
    if RemoteName in FILES and not CopyFlags & FS_COPYFLAGS_OVERWRITE:
        return FS_FILE_EXISTS
    with open(LocalName, "rb") as f:
        FILES[RemoteName] = (f.read(), time.time())
    return FS_FILE_OK


def FsMkDirW(Path: str | None, /) -> bool:
    """Makes a folder."""
    DIRS.add(Path or "/")
    return True


def FsDeleteFileW(RemoteName: str | None, /) -> bool:
    """Deletes a file."""
    return FILES.pop(RemoteName or "", None) is not None


def FsGetDefRootName(maxlen: int, /) -> str:
    """The name in Double Commander's list of file systems."""
    return "memfs"


# mypy checks each export against wfxplugin.h (nothing happens at run time).
check_exports(FsFindFirstW=FsFindFirstW, FsGetFileW=FsGetFileW, FsPutFileW=FsPutFileW, FsMkDirW=FsMkDirW,
              FsDeleteFileW=FsDeleteFileW, FsGetDefRootName=FsGetDefRootName, FsInitW=FsInitW,
              FsFindNextW=FsFindNextW, FsFindClose=FsFindClose)
