# --- The wfx pack's layer (interfaces/wfx/layer.py) --------------------------
import datetime as _dt
from typing import Any as _Any

class Error(Exception):
    """Raise `Error(FS_FILE_NOTFOUND)` from any export: the host gets that
    code (a number result; for BOOL results 0 or 1), or the export's error
    value (FsFindFirst: INVALID_HANDLE_VALUE). No traceback is logged. The
    code must be one of the interface's (FS_FILE_*, FS_EXEC_*,
    ERROR_NO_MORE_FILES): any other is a ValueError listing them."""

    code: int
    message: str
    def __init__(self, code: int, message: str = "") -> None: ...

class Entry:
    """One directory entry for FsFindFirst(W)'s iterable. `name`: one name
    (no "/" or NUL); `size`: bytes, 0 to 2**64-1; `mtime`: a `datetime`
    (naive = local time) or Unix seconds (int or float), None = unknown;
    `mode`: a Unix st_mode (permission bits alone are fine), sent the Double
    Commander way (FILE_ATTRIBUTE_UNIX_MODE + dwReserved0); `attributes`:
    FILE_ATTRIBUTE_* bits. Checked here: a wrong type is a TypeError, a
    wrong value a ValueError, both naming the entry."""

    name: str
    size: int
    mtime: _dt.datetime | float | None
    is_dir: bool
    mode: int | None
    attributes: int
    def __init__(
        self,
        name: str,
        size: int = 0,
        mtime: _dt.datetime | float | None = None,
        *,
        is_dir: bool = False,
        mode: int | None = None,
        attributes: int = 0,
    ) -> None: ...

class RemoteInfo:
    """What FsGetFile(W)/FsRenMovFile(W) are told about the remote file."""

    size: int
    mtime: _dt.datetime | None
    attributes: int
    def __init__(self, size: int, mtime: _dt.datetime | None, attributes: int) -> None: ...

def filetime_ticks(when: _dt.datetime | float) -> int:
    """A datetime or Unix seconds as FILETIME ticks (100 ns since 1601), rounded."""

def unix_time(ft: FILETIME | None) -> int | None:
    """A FILETIME (view) as whole Unix seconds, rounded to the nearest; None
    for a missing or unknown time."""

def to_datetime(ft: FILETIME | None) -> _dt.datetime | None:
    """A FILETIME (view) as an aware UTC datetime, rounded to the microsecond;
    None for a missing or unknown time."""

def set_filetime(ft: FILETIME, when: _dt.datetime | float | None) -> None:
    """Writes a datetime / Unix seconds (None = unknown) into a FILETIME view."""

def remote_info(ri: RemoteInfoStruct | None) -> RemoteInfo | None:
    """A RemoteInfoStruct view as a RemoteInfo record (None for NULL)."""

def FsFindNextW(Hdl: _Any, FindData: WIN32_FIND_DATAW, /) -> int:
    """The next entry of a listing (epy drives the script's iterable)."""

def FsFindNext(Hdl: _Any, FindData: WIN32_FIND_DATAA, /) -> int:
    """The next entry of a listing (epy drives the script's iterable)."""

def FsFindClose(Hdl: _Any, /) -> int:
    """Ends a listing: closes the script's iterator if it can be closed."""

class _Host:
    plugin_nr: int
    def progress(self, source: str | None, target: str | None, percent: int) -> bool:
        """Reports progress (0..100); True when the user pressed Cancel."""
    def log(self, msg_type: int, text: str) -> None:
        """A line in the host's log (MSGTYPE_*)."""
    def request(self, request_type: int, title: str | None, text: str | None) -> bool:
        """Asks the user (RT_MsgOK, RT_MsgYesNo, RT_MsgOKCancel); True on OK/Yes."""
    def request_text(
        self, request_type: int, title: str | None, text: str | None, default: str = "", maxlen: int = 1024
    ) -> str | None:
        """Asks the user for text (RT_Password, RT_UserName, RT_Account,
        RT_URL, RT_TargetDir, RT_Other...), `default` filled in: the text
        typed, or None on Cancel. At most `maxlen` characters (the host's
        ReturnedText buffer, which epy allocates)."""

host: _Host
"""The host's callbacks (set by FsInit(W): the script's own or the layer's)."""

def FsInitW(PluginNr: int, pProgressProc: tProgressProcW, pLogProc: tLogProcW, pRequestProc: tRequestProcW, /) -> int:
    """Keeps the host's callbacks in `host` (import this when the script does
    not need an FsInitW of its own)."""

def FsInit(PluginNr: int, pProgressProc: tProgressProc, pLogProc: tLogProc, pRequestProc: tRequestProc, /) -> int:
    """Keeps the host's callbacks in `host`."""
