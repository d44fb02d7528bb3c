# The wfx pack's layer: run by epy inside the stub module (`wfxplugin_h`) a
# plugin script imports, next to the header's constants and record types.
# Types are in layer.pyi (no `typing` import here: a fresh interpreter would
# pay for it at load).
"""Write file systems as Python: FsFindFirst(W) returns an iterable of
`Entry` records and epy drives the listing (`FsFindNextW`, `FsFindClose`
come from here); `host` holds the host's callbacks; `Error(code)` fails any
export with a specific FS_* code; FILETIME helpers round, never truncate."""

import datetime as _dt

_EPOCH_OFFSET = 116444736000000000  # 1601-01-01 to 1970-01-01 in 100 ns ticks
_TICKS = 10_000_000
_UNKNOWN_TIME = (0xFFFFFFFE, 0xFFFFFFFF)  # "time unknown" (low, high)
_S_IFMT, _S_IFDIR, _S_IFREG = 0o170000, 0o040000, 0o100000


class Error(Exception):
    """Raise `Error(FS_FILE_NOTFOUND)` from any export: the host gets that
    code (a number result; for BOOL results 0 or 1), or the export's error
    value (FsFindFirst: INVALID_HANDLE_VALUE). No traceback is logged. The
    code must be one of the interface's (FS_FILE_*, FS_EXEC_*,
    ERROR_NO_MORE_FILES): any other is a ValueError listing them."""

    __epy_interface_error__ = True

    def __init__(self, code, message=""):
        _check_code(code)
        super().__init__(code, message)
        self.code = code
        self.message = message


# The codes an export may answer with (value -> names), from the header's
# constants (the pack supplies any an SDK header lacks).
_CODES = {}
for _n, _v in list(globals().items()):
    if _n.startswith(("FS_FILE_", "FS_EXEC_")) or _n == "ERROR_NO_MORE_FILES":
        if type(_v) is int:
            _CODES.setdefault(_v, []).append(_n)
del _n, _v


def _check_code(code):
    if isinstance(code, int) and code in _CODES:
        return
    valid = ", ".join(f"{'/'.join(n)} ({v})" for v, n in sorted(_CODES.items()))
    raise ValueError(f"Error({code!r}): not a code of the wfx interface; use one of {valid}")


_log = _epy_log
_U32 = 0xFFFFFFFF
_MAX_TICKS = (1 << 63) - 1


def _bad(entry, what):
    return ValueError(f"Entry({entry!r}): {what}")


class Entry:
    """One directory entry for FsFindFirst(W)'s iterable. `name`: one name
    (no "/" or NUL); `size`: bytes, 0 to 2**64-1; `mtime`: a `datetime`
    (naive = local time) or Unix seconds (int or float), None = unknown;
    `mode`: a Unix st_mode (permission bits alone are fine), sent the Double
    Commander way (FILE_ATTRIBUTE_UNIX_MODE + dwReserved0); `attributes`:
    FILE_ATTRIBUTE_* bits. Checked here: a wrong type is a TypeError, a
    wrong value a ValueError, both naming the entry."""

    __slots__ = ("name", "size", "mtime", "is_dir", "mode", "attributes")

    def __init__(self, name, size=0, mtime=None, *, is_dir=False, mode=None, attributes=0):
        if not isinstance(name, str):
            raise TypeError(f"Entry({name!r}): the name is a str, not {type(name).__name__}")
        if not name or "\0" in name or "/" in name:
            raise _bad(name, "a name is one non-empty name in its folder, without '/' or NUL")
        _uint(name, "size", size, (1 << 64) - 1)
        if mtime is not None:
            if not isinstance(mtime, (int, float, _dt.datetime)) or isinstance(mtime, bool):
                raise TypeError(
                    f"Entry({name!r}): mtime is a datetime, Unix seconds (int or float) "
                    f"or None, not {type(mtime).__name__}")
            if isinstance(mtime, float) and mtime != mtime or mtime in (_INF, -_INF):
                raise _bad(name, f"mtime {mtime!r} is not a time")
            try:
                ticks = filetime_ticks(mtime)
            except (OverflowError, ValueError):
                ticks = -1
            if not 0 <= ticks <= _MAX_TICKS:
                raise _bad(name, f"mtime {mtime!r} is outside what a FILETIME holds (1601 on)")
        if not isinstance(is_dir, bool):
            raise TypeError(f"Entry({name!r}): is_dir is a bool, not {type(is_dir).__name__}")
        if mode is not None:
            _uint(name, "mode", mode, 0o177777)
        _uint(name, "attributes", attributes, _U32)
        self.name = name
        self.size = size
        self.mtime = mtime
        self.is_dir = is_dir
        self.mode = mode
        self.attributes = attributes

    def __repr__(self):
        kind = "dir" if self.is_dir else f"{self.size} bytes"
        return f"Entry({self.name!r}, {kind})"


_INF = float("inf")


def _uint(name, what, value, top):
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"Entry({name!r}): {what} is an int, not {type(value).__name__}")
    if not 0 <= value <= top:
        raise _bad(name, f"{what} {value!r} is outside 0..{top:#o}" if what == "mode"
                   else f"{what} {value!r} is outside 0..{top}")


class RemoteInfo:
    """What FsGetFile(W)/FsRenMovFile(W) are told about the remote file."""

    __slots__ = ("size", "mtime", "attributes")

    def __init__(self, size, mtime, attributes):
        self.size = size
        self.mtime = mtime
        self.attributes = attributes

    def __repr__(self):
        return f"RemoteInfo(size={self.size}, mtime={self.mtime!r}, attributes={self.attributes:#x})"


def filetime_ticks(when):
    """A datetime or Unix seconds as FILETIME ticks (100 ns since 1601), rounded."""
    if isinstance(when, _dt.datetime):
        if when.tzinfo is None:
            when = when.astimezone()
        delta = when - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
        micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
        return _EPOCH_OFFSET + micros * 10
    return _EPOCH_OFFSET + round(when * _TICKS)


def _ticks(ft):
    return (ft.dwHighDateTime << 32) | ft.dwLowDateTime


def unix_time(ft):
    """A FILETIME (view) as whole Unix seconds, rounded to the nearest
    (Double Commander's FILETIMEs pass through a floating-point date and are
    not whole seconds); None for a missing or unknown time."""
    if ft is None or (ft.dwLowDateTime, ft.dwHighDateTime) == _UNKNOWN_TIME:
        return None
    q, r = divmod(_ticks(ft) - _EPOCH_OFFSET, _TICKS)
    return q + (1 if 2 * r >= _TICKS else 0)


def to_datetime(ft):
    """A FILETIME (view) as an aware UTC datetime, rounded to the microsecond;
    None for a missing or unknown time."""
    if ft is None or (ft.dwLowDateTime, ft.dwHighDateTime) == _UNKNOWN_TIME:
        return None
    q, r = divmod(_ticks(ft) - _EPOCH_OFFSET, 10)
    micros = q + (1 if 2 * r >= 10 else 0)
    return _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(microseconds=micros)


def set_filetime(ft, when):
    """Writes a datetime / Unix seconds (None = unknown) into a FILETIME view."""
    if when is None:
        ft.dwLowDateTime, ft.dwHighDateTime = _UNKNOWN_TIME
    else:
        t = filetime_ticks(when)
        ft.dwLowDateTime, ft.dwHighDateTime = t & 0xFFFFFFFF, t >> 32


def remote_info(ri):
    """A RemoteInfoStruct view as a RemoteInfo record (None for NULL)."""
    if ri is None:
        return None
    return RemoteInfo((ri.SizeHigh << 32) | ri.SizeLow, to_datetime(ri.LastWriteTime), ri.Attr)


def _fill(fd, e):
    attrs = e.attributes | (FILE_ATTRIBUTE_DIRECTORY if e.is_dir else 0)
    mode = 0
    if e.mode is not None:
        mode = e.mode if e.mode & _S_IFMT else e.mode | (_S_IFDIR if e.is_dir else _S_IFREG)
        attrs |= FILE_ATTRIBUTE_UNIX_MODE
    size = 0 if e.is_dir else e.size
    fd.dwFileAttributes = attrs
    fd.nFileSizeHigh, fd.nFileSizeLow = size >> 32, size & 0xFFFFFFFF
    fd.dwReserved0, fd.dwReserved1 = mode, 0
    for ft in (fd.ftCreationTime, fd.ftLastAccessTime, fd.ftLastWriteTime):
        set_filetime(ft, e.mtime)
    fd.cFileName = e.name
    fd.cAlternateFileName = ""


class _Listing:
    """The find handle: the script's iterator and the folder it lists."""

    __slots__ = ("it", "path")

    def __init__(self, it, path):
        self.it = it
        self.path = path


def _next_into(listing, fd):
    """Fills fd from the listing's next good entry: True, or False at the
    end. An item that is not an Entry, or one the host's record cannot hold
    (a name too long for cFileName), is skipped with one log line naming it;
    an exception from the script's iterable itself propagates."""
    for e in listing.it:
        try:
            if not isinstance(e, Entry):
                raise TypeError(f"{type(e).__name__} is not an Entry")
            _fill(fd, e)
        except (TypeError, ValueError, OverflowError) as x:
            _log(f"wfx: listing {listing.path}: skipped {e!r:.200}: {x}")
            continue
        return True
    return False


def _find_first(find_first):
    """Wraps the script's FsFindFirst(W): its iterable becomes a find handle
    with the first entry in FindData; an empty one INVALID_HANDLE_VALUE."""

    def wrapped(Path, FindData):
        listing = _Listing(iter(find_first(Path, FindData)), Path)
        if _next_into(listing, FindData):
            return listing
        raise Error(ERROR_NO_MORE_FILES, "empty folder")

    wrapped.__name__ = wrapped.__qualname__ = find_first.__name__
    wrapped.__wrapped__ = find_first
    return wrapped


_epy_wrap_FsFindFirst = _epy_wrap_FsFindFirstW = _find_first


def FsFindNextW(Hdl, FindData, /):
    """The next entry of a listing (epy drives the script's iterable)."""
    return 1 if _next_into(Hdl, FindData) else 0


def FsFindNext(Hdl, FindData, /):
    """The next entry of a listing (epy drives the script's iterable)."""
    return 1 if _next_into(Hdl, FindData) else 0


def FsFindClose(Hdl, /):
    """Ends a listing: closes the script's iterator if it can be closed."""
    close = getattr(Hdl.it, "close", None)
    if close is not None:
        close()
    return 0


class _Host:
    """The host's callbacks, given to FsInit(W); the Unicode ones when both."""

    def __init__(self):
        self.plugin_nr = -1
        self._progress = self._log = self._request = None
        self._wide = False

    def init(self, plugin_nr, progress, log, request, wide):
        if wide or self._progress is None:
            self.plugin_nr = plugin_nr
            self._progress, self._log, self._request = progress, log, request
            self._wide = wide
        return 0

    def progress(self, source, target, percent):
        """Reports progress (0..100); True when the user pressed Cancel."""
        if self._progress is None:
            return False
        return self._progress(self.plugin_nr, source, target, percent) != 0

    def log(self, msg_type, text):
        """A line in the host's log (MSGTYPE_*)."""
        if self._log is not None:
            self._log(self.plugin_nr, msg_type, text)

    def request(self, request_type, title, text):
        """Asks the user (RT_MsgOK, RT_MsgYesNo, RT_MsgOKCancel); True on OK/Yes."""
        if self._request is None:
            return False
        return bool(self._request(self.plugin_nr, request_type, title, text, None, 0))

    def request_text(self, request_type, title, text, default="", maxlen=1024):
        """Asks the user for text (RT_Password, RT_UserName, RT_Account,
        RT_URL, RT_TargetDir, RT_Other...), `default` filled in: the text
        typed, or None on Cancel. At most `maxlen` characters (the host's
        ReturnedText buffer, which epy allocates)."""
        if self._request is None:
            return None
        codec, unit = ("utf-16-le", 2) if self._wide else ("utf-8", 1)
        start = default.encode(codec, "surrogatepass" if self._wide else "surrogateescape")
        if "\0" in default or len(start) > maxlen * unit:
            raise ValueError(f"request_text: the default {default!r:.60} does not fit {maxlen} characters")
        # maxlen characters and a NUL, and one more unit: Pascal's StrPLCopy
        # writes maxlen characters and then the NUL.
        buf = bytearray((maxlen + 2) * unit)
        buf[:len(start)] = start
        if not self._request(self.plugin_nr, request_type, title, text, buf, maxlen):
            return None
        end = len(buf)
        for i in range(0, len(buf), unit):
            if not any(buf[i:i + unit]):
                end = i
                break
        return buf[:end].decode(codec, "surrogatepass" if self._wide else "surrogateescape")


host = _Host()


def FsInitW(PluginNr, pProgressProc, pLogProc, pRequestProc, /):
    """Keeps the host's callbacks in `host` (import this when the script
    does not need an FsInitW of its own)."""
    return host.init(PluginNr, pProgressProc, pLogProc, pRequestProc, True)


def FsInit(PluginNr, pProgressProc, pLogProc, pRequestProc, /):
    """Keeps the host's callbacks in `host`."""
    return host.init(PluginNr, pProgressProc, pLogProc, pRequestProc, False)
