"""@NAME@: a file system (WFX) for Double Commander, written in Python.

Made by `epy-codegen new @NAME@ --pack wfx`. As it stands it shows a folder
of the local disk ($@NAME@_ROOT, else your home folder) read-only: replace
the TODOs with your store. Build, type-check, then add @NAME@.wfx in Double
Commander (Options > Plugins > File system plugins (WFX) > Add):

    epy-codegen build @NAME@.py --pack wfx
    python3 -m mypy --strict @NAME@.py
"""

import os
import shutil
from collections.abc import Iterator

from @MODULE@ import (
    FS_FILE_EXISTS,
    FS_FILE_NOTFOUND,
    FS_FILE_OK,
    FS_FILE_USERABORT,
    FS_COPYFLAGS_OVERWRITE,
    Entry,
    Error,
    FsFindClose,  # epy drives listings: FsFindNextW and FsFindClose are the pack's
    FsFindNextW,
    FsInitW,  # the pack's FsInitW keeps Double Commander's callbacks in `host`
    RemoteInfoStruct,
    WIN32_FIND_DATAW,
    check_exports,
    host,
)

ROOT = os.environ.get("@NAME@_ROOT", os.path.expanduser("~"))  # TODO: your store


def _local(path: str | None) -> str:
    """Where a path of this file system lives (TODO: your store's lookup)."""
    return os.path.join(ROOT, (path or "/").lstrip("/"))


def FsFindFirstW(Path: str | None, FindData: WIN32_FIND_DATAW, /) -> Iterator[Entry]:
    """@DOC(FsFindFirstW)@"""
    try:
        names = sorted(os.listdir(_local(Path)))
    except OSError as e:
        raise Error(FS_FILE_NOTFOUND, str(e)) from e  # the host gets INVALID_HANDLE_VALUE
    for name in names:
        st = os.stat(os.path.join(_local(Path), name))
        is_dir = os.path.isdir(os.path.join(_local(Path), name))
        yield Entry(name, st.st_size, st.st_mtime, is_dir=is_dir, mode=st.st_mode)


def FsGetFileW(RemoteName: str | None, LocalName: str | None, CopyFlags: int, ri: RemoteInfoStruct, /) -> int:
    """@DOC(FsGetFileW)@"""
    src, dst = _local(RemoteName), LocalName or ""
    if not os.path.isfile(src):
        return FS_FILE_NOTFOUND
    if os.path.exists(dst) and not CopyFlags & FS_COPYFLAGS_OVERWRITE:
        return FS_FILE_EXISTS
    if host.progress(RemoteName, LocalName, 0):  # True: the user pressed Cancel
        return FS_FILE_USERABORT
    shutil.copyfile(src, dst)
    host.progress(RemoteName, LocalName, 100)
    return FS_FILE_OK


def FsGetDefRootName(maxlen: int, /) -> str:
    """@DOC(FsGetDefRootName)@"""
    return "@NAME@"


# mypy checks each export against the header (nothing happens at run time):
# name every export you add here.
check_exports(
    FsInitW=FsInitW,
    FsFindFirstW=FsFindFirstW,
    FsFindNextW=FsFindNextW,
    FsFindClose=FsFindClose,
    FsGetFileW=FsGetFileW,
    FsGetDefRootName=FsGetDefRootName,
)
