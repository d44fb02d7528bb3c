"""tarwcx: a tar archive plugin (WCX) for Double Commander and Total Commander,
written in Python.

The host sees a native packer plugin; each exported C function is this
script's top-level function of the same name, run by the epy runtime in an
embedded CPython. The work is done by the standard library's `tarfile`:

- lists, extracts and tests .tar, .tar.gz/.tgz, .tar.bz2/.tbz2 and
  .tar.xz/.txz archives (the compression is detected from the content, and
  `CanYouHandleThisFile` recognises tar archives whatever their name);
- creates archives (the compression follows the new archive's extension),
  adds files to existing ones (a plain .tar is appended to in place; a
  compressed one is rewritten into a temporary file that then replaces it)
  and deletes members and folders;
- reports progress to the host and stops when the user cancels.

Build (the interface pack is `interfaces/wcx`)::

    epy-codegen build tarwcx.py --pack wcx

writes `tarwcx.wcx` (the plugin) beside the script, and `wcxhead_h.pyi`, the
types of the `wcxhead_h` module imported below, so that
`mypy --strict tarwcx.py` checks the script against the interface.

Register it in Double Commander with Configuration > Options > Plugins >
Plugins WCX > Add, choosing `tarwcx.wcx`, once per extension (Double
Commander matches the last extension of a name: tar, tgz, tbz2, txz, and gz,
bz2, xz for x.tar.gz and the like). Or add to
`doublecmd.xml`, one entry per extension (Flags 79 = PK_CAPS_NEW | MODIFY |
MULTIPLE | DELETE | BY_CONTENT; Double Commander takes the capabilities from
this field, not from GetPackerCaps)::

    <Plugins><WcxPlugins>
      <WcxPlugin Enabled="True"><ArchiveExt>tar</ArchiveExt>
        <Path>/abs/path/tarwcx.wcx</Path><Flags>79</Flags></WcxPlugin>
      <WcxPlugin Enabled="True"><ArchiveExt>tgz</ArchiveExt>
        <Path>/abs/path/tarwcx.wcx</Path><Flags>79</Flags></WcxPlugin>
    </WcxPlugins></Plugins>

Set the environment variable TARWCX_LOG to a file name to have the calls
logged there (all but ReadHeader and skips).
"""

import copy
import hashlib
import os
import posixpath
import stat
import sys
import tarfile
import threading
import time
from collections.abc import Callable, Iterable
from typing import IO, Any, Protocol

import wcxhead_h
from wcxhead_h import (
    BACKGROUND_PACK,
    BACKGROUND_UNPACK,
    E_BAD_ARCHIVE,
    E_BAD_DATA,
    E_EABORTED,
    E_ECLOSE,
    E_ECREATE,
    E_END_ARCHIVE,
    E_EOPEN,
    E_EREAD,
    E_EWRITE,
    E_NO_FILES,
    E_NOT_SUPPORTED,
    E_UNKNOWN_FORMAT,
    PK_CAPS_BY_CONTENT,
    PK_CAPS_DELETE,
    PK_CAPS_MODIFY,
    PK_CAPS_MULTIPLE,
    PK_CAPS_NEW,
    PK_EXTRACT,
    PK_PACK_MOVE_FILES,
    PK_PACK_SAVE_PATHS,
    PK_SKIP,
    PK_TEST,
    PackDefaultParamStruct,
    tChangeVolProc,
    tChangeVolProcW,
    tHeaderData,
    tHeaderDataEx,
    tHeaderDataExW,
    tOpenArchiveData,
    tOpenArchiveDataW,
    tProcessDataProc,
    tProcessDataProcW,
)

_CAPS = PK_CAPS_NEW | PK_CAPS_MODIFY | PK_CAPS_MULTIPLE | PK_CAPS_DELETE | PK_CAPS_BY_CONTENT
_CHUNK = 1 << 20  # bytes read/written at a time and between two progress reports
_INT_MAX = 2**31 - 1
_WINDOWS = sys.platform == "win32"
_ENCODING = "utf-8"  # member names in the archive; undecodable bytes become surrogates

# What reading archive data can raise besides our own errors: tarfile's errors,
# I/O errors, truncated streams and the decompressors' own exceptions.
_DATA_ERRORS: tuple[type[Exception], ...] = (OSError, EOFError, tarfile.TarError)
try:
    import zlib

    _DATA_ERRORS += (zlib.error,)
except ImportError:  # pragma: no cover - zlib is optional in CPython
    pass
try:
    import lzma

    _DATA_ERRORS += (lzma.LZMAError,)
except ImportError:  # pragma: no cover - lzma is optional in CPython
    pass

_Callback = Callable[[str | None, int], int]

_lock = threading.Lock()  # guards the module-wide state below
_log_path = os.environ.get("TARWCX_LOG")


class _Fail(Exception):
    """An expected failure, carrying the E_ code the host gets."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _log(message: str) -> None:
    if _log_path:
        with _lock, open(_log_path, "a", encoding="utf-8", errors="backslashreplace") as f:
            f.write(f"{time.strftime('%H:%M:%S')} [{threading.get_ident()}] {message}\n")


# ----------------------------------------------------------------- callbacks


class _Callbacks:
    """The ProcessData callbacks a host set; the ANSI and the Unicode one are
    kept apart (Double Commander sets both when both exports exist)."""

    def __init__(self) -> None:
        self.ansi: _Callback | None = None
        self.wide: _Callback | None = None

    def set(self, callback: _Callback | None, wide: bool) -> None:
        if wide:
            self.wide = callback
        else:
            self.ansi = callback

    def pick(self, wide: bool) -> _Callback | None:
        return (self.wide or self.ansi) if wide else (self.ansi or self.wide)


_pack_callbacks = _Callbacks()  # set with no archive handle, used by PackFiles/DeleteFiles


class _Reporter:
    """Reports the bytes processed for one file at a time, in steps of _CHUNK
    and at least once per file; raises _Fail(E_EABORTED) when the host's
    callback answers 0. Bytes the host does not expect (copying the members
    an archive already had while adding to it) are reported as 0, so that
    the host's progress does not overshoot but cancelling still works."""

    def __init__(self, callback: _Callback | None) -> None:
        self.callback = callback
        self.name = ""
        self.pending = 0
        self.reported = False
        self.counted = True

    def start(self, name: str, counted: bool = True) -> None:
        self.name = _display(name)
        self.pending = 0
        self.reported = False
        self.counted = counted

    def add(self, count: int) -> None:
        self.pending += count
        if self.pending >= _CHUNK:
            self._flush()

    def done(self) -> None:
        if self.pending or not self.reported:
            self._flush()

    def _flush(self) -> None:
        count, self.pending = self.pending, 0
        self.reported = True
        if self.callback is not None and self.callback(self.name, count if self.counted else 0) == 0:
            raise _Fail(E_EABORTED)


class _Source:
    """The file object TarFile.addfile copies from: counts progress, and turns
    read errors (and data shorter than announced) into _Fail(error) so that
    they are not taken for errors writing the archive."""

    def __init__(self, file: IO[bytes], size: int, reporter: _Reporter, error: int) -> None:
        self.file = file
        self.left = size
        self.reporter = reporter
        self.error = error

    def read(self, size: int = -1, /) -> bytes:
        want = self.left if size < 0 else min(size, self.left)
        try:
            data = self.file.read(want)
        except _DATA_ERRORS as e:
            raise _Fail(self.error) from e
        if len(data) < want:
            raise _Fail(self.error)
        self.left -= len(data)
        self.reporter.add(len(data))
        return data


# ----------------------------------------------------------------- names


def _split(name: str) -> list[str]:
    if _WINDOWS:
        name = name.replace("\\", "/")
    return name.split("/")


def _norm(name: str) -> tuple[str, bool]:
    """A member name as the host sees it: no leading '/', no '.' or empty parts
    (as GNU tar does); and whether it stays inside the destination (no '..'
    part, and on Windows no drive)."""
    parts = [p for p in _split(name) if p not in ("", ".")]
    safe = ".." not in parts and not (_WINDOWS and any(":" in p for p in parts))
    return "/".join(parts), safe


def _display(name: str) -> str:
    """The name with undecodable bytes (surrogates) shown as U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _key(name: str) -> str:
    """What host-given names are compared with: the displayed, normalized name."""
    return _display(_norm(name)[0])


def _native(name: str) -> str:
    return name.replace("/", os.sep) if os.sep != "/" else name


class _Header(Protocol):
    """The fields tHeaderData, tHeaderDataEx and tHeaderDataExW share."""

    @property
    def FileName(self) -> str: ...
    @FileName.setter
    def FileName(self, value: str) -> None: ...

    Flags: int
    PackSize: int
    UnpSize: int
    HostOS: int
    FileCRC: int
    FileTime: int
    UnpVer: int
    Method: int
    FileAttr: int


class _HeaderEx(_Header, Protocol):
    PackSizeHigh: int
    UnpSizeHigh: int


class _OpenData(Protocol):
    @property
    def ArcName(self) -> str | None: ...

    OpenResult: int


def _try_name(header: _Header, name: str) -> bool:
    try:
        header.FileName = name
    except ValueError:  # does not fit (or cannot be encoded)
        return False
    return True


def _set_name(header: _Header, name: str) -> None:
    """Writes the member name into the host's record. A name the record cannot
    hold is shortened: its folder is kept when it fits, the file name becomes
    a prefix + '~' + 8 hex digits of a hash of the full name + its extension.
    The member stays listed, and extracting it uses the shortened name."""
    shown = _native(_display(name))
    if _try_name(header, shown):
        return
    tag = "~" + hashlib.blake2s(name.encode(_ENCODING, "surrogateescape"), digest_size=4).hexdigest()
    folder, _, base = shown.rpartition(os.sep)
    stem, ext = os.path.splitext(base)
    if len(ext) > 16:
        stem, ext = base, ""
    for prefix in (folder + os.sep if folder else "", ""):
        if not _try_name(header, prefix + tag + ext):
            continue
        low, high = 0, len(stem)  # the longest stem prefix that fits
        while low < high:
            mid = (low + high + 1) // 2
            if _try_name(header, prefix + stem[:mid] + tag + ext):
                low = mid
            else:
                high = mid - 1
        header.FileName = prefix + stem[:low] + tag + ext
        return
    header.FileName = tag  # 9 characters fit every record


def _file_time(mtime: float) -> int:
    """FileTime: a Unix time on Linux hosts, a DOS date/time on Windows."""
    if not _WINDOWS:
        return max(0, min(int(mtime), _INT_MAX))
    first = 1 << 21 | 1 << 16  # 1980-01-01 00:00, the first DOS date
    try:
        t = time.localtime(mtime)
    except (OverflowError, OSError, ValueError):
        return first
    if t.tm_year < 1980:
        return first
    if t.tm_year > 2107:  # the last DOS date: 2107-12-31 23:59:58
        t = time.struct_time((2107, 12, 31, 23, 59, 58, 0, 365, 0))
    date = (t.tm_year - 1980) << 9 | t.tm_mon << 5 | t.tm_mday
    dos = date << 16 | t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec // 2
    return dos - 2**32 if dos > _INT_MAX else dos


def _file_attr(member: tarfile.TarInfo) -> int:
    """FileAttr: a Unix st_mode on Linux hosts, FILE_ATTRIBUTE_* on Windows."""
    if _WINDOWS:
        if member.isdir():
            return 0x10  # FILE_ATTRIBUTE_DIRECTORY
        return 0x20 | (0 if member.mode & 0o200 else 0x1)  # ARCHIVE, READONLY
    kinds = [
        (member.isdir, stat.S_IFDIR),
        (member.issym, stat.S_IFLNK),
        (member.ischr, stat.S_IFCHR),
        (member.isblk, stat.S_IFBLK),
        (member.isfifo, stat.S_IFIFO),
    ]
    kind = next((bits for test, bits in kinds if test()), stat.S_IFREG)
    return kind | (member.mode & 0o7777)


def _has_data(member: tarfile.TarInfo) -> bool:
    # tarfile treats members of unknown types as regular files, too
    return member.isreg() or member.type not in tarfile.SUPPORTED_TYPES


# ----------------------------------------------------------------- paths


def _inside(path: str, root: str) -> bool:
    """Whether path, with the symbolic links that exist resolved, is root or below it."""
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    try:
        return os.path.commonpath([real, real_root]) == real_root
    except ValueError:  # another drive
        return False


def _guess_root(target: str, name: str) -> str:
    """The folder the host extracts the archive into, when it gives only the
    full target path: the target minus the trailing parts it shares with the
    member name (the host may drop leading folders of the name); the target's
    own folder when it shares none."""
    head = target
    root = os.path.dirname(target)
    for part in reversed(name.split("/")):
        parent, tail = os.path.split(head)
        if tail != part or parent == head:
            break
        head = root = parent
    return root


def _clear(target: str) -> None:
    """Removes what is at target (never writing through a symbolic link); refuses a folder."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        raise _Fail(E_ECREATE)
    os.unlink(target)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _set_metadata(target: str, member: tarfile.TarInfo) -> None:
    # Permissions without setuid/setgid/sticky and group/other write, owner can
    # read and write (as tarfile's "data" filter does); failures do not matter.
    try:
        os.chmod(target, (member.mode & 0o755) | 0o600)
        mtime = max(0, int(member.mtime))
        os.utime(target, (mtime, mtime))
    except (OSError, OverflowError, ValueError):
        pass


# ----------------------------------------------------------------- reading


def _open_read(path: str) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:*", encoding=_ENCODING)
    except (tarfile.ReadError, tarfile.CompressionError) as e:
        raise _Fail(E_UNKNOWN_FORMAT) from e
    except OSError as e:
        raise _Fail(E_EOPEN) from e
    except _DATA_ERRORS as e:
        raise _Fail(E_BAD_ARCHIVE) from e


def _read_error(e: Exception) -> int:
    """E_EREAD for a real I/O error, E_BAD_ARCHIVE for damaged contents."""
    return E_EREAD if isinstance(e, OSError) and e.errno is not None else E_BAD_ARCHIVE


class _Archive:
    """An archive opened by OpenArchive: the handle the host gets back. The
    host walks it member by member: ReadHeader moves to the next member,
    ProcessFile skips, tests or extracts it."""

    def __init__(self, path: str, tar: tarfile.TarFile, compressed: bool) -> None:
        self.path = path
        self.tar = tar
        self.compressed = compressed
        self.lock = threading.Lock()
        self.callbacks = _Callbacks()
        self.member: tarfile.TarInfo | None = None  # the member ReadHeader reported last
        self.name = ""  # its normalized name
        self.safe = True  # whether that name stays inside the destination
        self.files: dict[str, tarfile.TarInfo] = {}  # regular members seen, for links
        self.failed = 0  # sticky: the code the walk ended with

    def next(self) -> tarfile.TarInfo | int:
        """Moves to the next member; the member, or E_END_ARCHIVE or an error code."""
        self.member = None
        while not self.failed:
            try:
                member = self.tar.next()
            except _DATA_ERRORS as e:
                self.failed = _read_error(e)
                break
            if member is None:
                self.failed = self._finish()
                break
            name, safe = _norm(member.name)
            if not name:  # "./", "/": the archive's root folder itself
                continue
            if _has_data(member):
                self.files[name] = member
            elif member.islnk():
                target = self.files.get(_norm(member.linkname)[0])
                if target is not None:
                    self.files[name] = target
            self.member, self.name, self.safe = member, name, safe
            return member
        return self.failed

    def _finish(self) -> int:
        """E_END_ARCHIVE, once the rest of a compressed stream has been read: a
        gzip checksum covers the whole stream and is only checked at its end."""
        if self.compressed:
            try:
                while self.tar.fileobj.read(_CHUNK):
                    pass
            except _DATA_ERRORS as e:
                return _read_error(e)
        return E_END_ARCHIVE

    def size(self, member: tarfile.TarInfo) -> int:
        """The unpacked size: a hard link's is its target's."""
        if member.islnk():
            target = self.files.get(self.name)
            return target.size if target is not None else 0
        return member.size if _has_data(member) else 0

    def process(self, operation: int, dest_path: str | None, dest_name: str | None, wide: bool) -> int:
        member, self.member = self.member, None
        if operation == PK_SKIP:
            return 0
        if member is None:
            return E_NO_FILES
        reporter = _Reporter(self.callbacks.pick(wide) or _pack_callbacks_pick(wide))
        try:
            if operation == PK_TEST:
                return self._test(member, reporter)
            if operation == PK_EXTRACT:
                return self._extract(member, dest_path, dest_name, reporter)
            return E_NOT_SUPPORTED
        except _Fail as f:
            return f.code

    def _data(self, member: tarfile.TarInfo) -> tarfile.TarInfo | None:
        """The member holding the data of a file or link (resolved among the
        members seen so far, never by a search that would read ahead)."""
        if _has_data(member):
            return member
        if member.islnk():
            return self.files.get(self.name)
        if member.issym():
            link = posixpath.normpath(posixpath.join(posixpath.dirname(self.name), member.linkname))
            return self.files.get(_norm(link)[0])
        return None

    def _copy(self, member: tarfile.TarInfo, out: IO[bytes] | None, reporter: _Reporter) -> None:
        source = self.tar.extractfile(member)
        if source is None:
            raise _Fail(E_BAD_DATA)
        while True:
            try:
                chunk = source.read(_CHUNK)
            except _DATA_ERRORS as e:
                raise _Fail(E_BAD_DATA) from e
            if not chunk:
                return
            if out is not None:
                try:
                    out.write(chunk)
                except OSError as e:
                    raise _Fail(E_EWRITE) from e
            reporter.add(len(chunk))

    def _test(self, member: tarfile.TarInfo, reporter: _Reporter) -> int:
        reporter.start(self.name)
        if _has_data(member):
            self._copy(member, None, reporter)
        elif member.islnk() and self._data(member) is None:
            return E_BAD_DATA  # a hard link to nothing before it
        reporter.done()
        return 0

    def _extract(
        self, member: tarfile.TarInfo, dest_path: str | None, dest_name: str | None, reporter: _Reporter
    ) -> int:
        if not dest_name or not self.safe:
            return E_ECREATE
        if dest_path:
            if os.path.isabs(dest_name) or os.path.splitdrive(dest_name)[0] or not _norm(dest_name)[1]:
                return E_ECREATE
            root = os.path.abspath(dest_path)
            target = os.path.join(root, dest_name)
        else:
            target = os.path.abspath(dest_name)
            root = _guess_root(target, self.name)
        target = target.rstrip("/" + os.sep) or target
        parent = os.path.dirname(target)
        if not _inside(parent, root):  # would write through a symbolic link
            return E_ECREATE
        reporter.start(target)
        try:
            os.makedirs(parent, exist_ok=True)
            if member.isdir():
                if os.path.lexists(target) and not _inside(target, root):
                    return E_ECREATE
                os.makedirs(target, exist_ok=True)
            elif member.issym():
                return self._symlink(member, target, root, reporter)
            elif _has_data(member) or member.islnk():
                return self._write(member, target, reporter)
            # devices and FIFOs are listed but not created
        except OSError:
            return E_ECREATE
        reporter.done()
        return 0

    def _symlink(self, member: tarfile.TarInfo, target: str, root: str, reporter: _Reporter) -> int:
        link = member.linkname
        in_archive = posixpath.normpath(posixpath.join(posixpath.dirname(self.name), link))
        if (
            not link
            or os.path.isabs(link)
            or posixpath.isabs(link)
            or in_archive == ".."
            or in_archive.startswith("../")
            or not _inside(os.path.join(os.path.dirname(target), link), root)
        ):
            return E_ECREATE  # points outside the extracted tree
        _clear(target)
        try:
            os.symlink(link, target)
        except OSError:
            # no symbolic links here (Windows without the privilege, FAT...):
            # a copy of the target, when it is a file seen earlier
            return self._write(member, target, reporter)
        try:
            reporter.done()
        except _Fail:
            _unlink_quietly(target)
            raise
        return 0

    def _write(self, member: tarfile.TarInfo, target: str, reporter: _Reporter) -> int:
        data = self._data(member)
        if data is None:
            return E_BAD_DATA if member.islnk() else E_ECREATE
        _clear(target)
        try:
            out = open(target, "xb")
        except OSError:
            return E_ECREATE
        ok = False
        try:
            with out:
                self._copy(data, out, reporter)
            reporter.done()
            ok = True
        except OSError:  # closing (flushing) the file
            return E_EWRITE
        finally:
            if not ok:
                _unlink_quietly(target)
        _set_metadata(target, member)
        return 0

    def close(self) -> int:
        try:
            self.tar.close()
        except OSError:
            return E_ECLOSE
        return 0


def _pack_callbacks_pick(wide: bool) -> _Callback | None:
    with _lock:
        return _pack_callbacks.pick(wide)


def _open_archive(data: _OpenData, wide: bool) -> object:
    name = data.ArcName
    _log(f"OpenArchive{'W' if wide else ''}({name!r})")
    if not name:
        data.OpenResult = E_EOPEN
        return None
    try:
        compressed = _sniff(name) != _PLAIN
        return _Archive(name, _open_read(name), compressed)
    except _Fail as f:
        data.OpenResult = f.code
        _log(f"  -> OpenResult {f.code}")
        return None


def _archive(handle: Any) -> _Archive:
    if not isinstance(handle, _Archive):
        raise _Fail(E_BAD_ARCHIVE)
    return handle


def _read_header(handle: Any, header: _Header, ex: _HeaderEx | None) -> int:
    """Fills a header record (ex: the same record, when it has the High size fields)."""
    try:
        archive = _archive(handle)
    except _Fail as f:
        return f.code
    with archive.lock:
        member = archive.next()
        if isinstance(member, int):
            return member
        _set_name(header, archive.name)
        size = archive.size(member)
        header.PackSize = header.UnpSize = min(size, _INT_MAX) if ex is None else size & 0xFFFFFFFF
        if ex is not None:
            ex.PackSizeHigh = ex.UnpSizeHigh = size >> 32 & 0xFFFFFFFF
        header.Flags = header.HostOS = header.FileCRC = header.UnpVer = header.Method = 0
        header.FileTime = _file_time(member.mtime)
        header.FileAttr = _file_attr(member)
        return 0


def _process(handle: Any, operation: int, dest_path: str | None, dest_name: str | None, wide: bool) -> int:
    try:
        archive = _archive(handle)
    except _Fail as f:
        return f.code
    with archive.lock:
        if operation != PK_SKIP:
            w = "W" if wide else ""
            _log(f"ProcessFile{w}({operation}, {dest_path!r}, {dest_name!r}) {archive.name!r}")
        code = archive.process(operation, dest_path, dest_name, wide)
    if code:
        _log(f"  -> {code}")
    return code


def _set_process_data(handle: Any, callback: _Callback | None, wide: bool) -> None:
    if isinstance(handle, _Archive):
        with handle.lock:
            handle.callbacks.set(callback, wide)
    else:  # no archive (None, or INVALID_HANDLE_VALUE): for PackFiles/DeleteFiles
        with _lock:
            _pack_callbacks.set(callback, wide)


# ----------------------------------------------------------------- writing

_GZ, _BZ2, _XZ, _PLAIN = "gz", "bz2", "xz", ""


def _sniff(path: str) -> str:
    """The compression of an existing archive, from its first bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(6)
    except OSError as e:
        raise _Fail(E_EOPEN) from e
    if head.startswith(b"\x1f\x8b"):
        return _GZ
    if head.startswith(b"BZh"):
        return _BZ2
    if head.startswith(b"\xfd7zXZ\x00"):
        return _XZ
    return _PLAIN


def _kind_from_name(path: str) -> str:
    """The compression of a new archive, from its extension."""
    lower = path.lower()
    if lower.endswith((".gz", ".tgz", ".taz")):
        return _GZ
    if lower.endswith((".bz2", ".tbz2", ".tbz", ".tb2")):
        return _BZ2
    if lower.endswith((".xz", ".txz")):
        return _XZ
    return _PLAIN


def _open_write(path: str, out: IO[bytes], kind: str) -> tarfile.TarFile:
    # `path` only names the gzip header's member, the data goes to `out`
    if kind == _GZ:
        return tarfile.open(path, "w:gz", out, compresslevel=6, encoding=_ENCODING)
    if kind == _BZ2:
        return tarfile.open(path, "w:bz2", out, encoding=_ENCODING)
    if kind == _XZ:
        return tarfile.open(path, "w:xz", out, encoding=_ENCODING)
    return tarfile.open(path, "w", out, encoding=_ENCODING)


def _create_temp(path: str) -> tuple[str, IO[bytes]]:
    """A new file beside path (same file system, so os.replace is atomic)."""
    folder, base = os.path.split(os.path.abspath(path))
    for _ in range(100):
        temp = os.path.join(folder, f".{base}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        except OSError as e:
            raise _Fail(E_ECREATE) from e
        return temp, os.fdopen(fd, "wb")
    raise _Fail(E_ECREATE)


def _clean_copy(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """A member to write again: a sparse file is stored whole, without its sparse map."""
    info = copy.copy(member)
    sparse = member.sparse is not None or member.type == tarfile.GNUTYPE_SPARSE
    if sparse:
        info.type = tarfile.REGTYPE
        info.sparse = None
    info.pax_headers = {
        k: v
        for k, v in member.pax_headers.items()
        if not k.startswith("GNU.sparse.") and not (sparse and k == "size")
    }
    if not _has_data(info):
        info.size = 0
    return info


def _copy_member(
    old: tarfile.TarFile, member: tarfile.TarInfo, out: tarfile.TarFile, reporter: _Reporter, counted: bool
) -> None:
    info = _clean_copy(member)
    reporter.start(member.name, counted)
    if _has_data(info):
        source = old.extractfile(member)
        if source is None:
            raise _Fail(E_BAD_ARCHIVE)
        out.addfile(info, _Source(source, info.size, reporter, E_BAD_ARCHIVE))
    else:
        out.addfile(info)
    reporter.done()


def _add_source(out: tarfile.TarFile, name: str, source: str, reporter: _Reporter) -> bool:
    """Adds one file, folder (without its contents) or symbolic link; False
    for what tar cannot store (sockets)."""
    try:
        info = out.gettarinfo(source, name)
    except OSError as e:
        raise _Fail(E_EOPEN) from e
    if info is None:
        return False
    reporter.start(source)
    if info.isreg():
        try:
            file = open(source, "rb")
        except OSError as e:
            raise _Fail(E_EOPEN) from e
        with file:
            out.addfile(info, _Source(file, info.size, reporter, E_EREAD))
    else:
        out.addfile(info)
    reporter.done()
    return True


def _rewrite(
    path: str,
    kind: str,
    old: tarfile.TarFile | None,
    drop: Callable[[str], bool],
    adds: Iterable[tuple[str, str]],
    reporter: _Reporter,
    stored: list[str],
    deleting: bool = False,
) -> None:
    """Writes old's members (but those `drop` selects) and then the new files
    into a temporary file, which then replaces path. On failure or abort the
    archive is left as it was. When deleting, nothing dropped is E_NO_FILES,
    and the copied bytes count as progress."""
    path = os.path.realpath(path)  # an archive reached through a link stays a link
    temp, file = _create_temp(path)
    out: tarfile.TarFile | None = None
    done = False
    try:
        out = _open_write(path, file, kind)
        dropped = 0
        while old is not None:
            try:
                member = old.next()
            except _DATA_ERRORS as e:
                raise _Fail(_read_error(e)) from e
            if member is None:
                break
            if drop(_key(member.name)):
                dropped += 1
            else:
                _copy_member(old, member, out, reporter, deleting)
        if deleting and not dropped:
            raise _Fail(E_NO_FILES)
        for name, source in adds:
            if _add_source(out, name, source, reporter):
                stored.append(source)
        out.close()
        file.close()
        if old is not None:
            os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temp, path)
        done = True
    except OSError as e:
        raise _Fail(E_EWRITE) from e
    finally:
        if not done:
            try:
                if out is not None:
                    out.close()  # also ends the compressor that writes into file
            except Exception:
                pass
            try:
                file.close()
            except OSError:
                pass
            _unlink_quietly(temp)


def _append(path: str, adds: Iterable[tuple[str, str]], reporter: _Reporter, stored: list[str]) -> None:
    """Appends to a plain tar in place; on failure or abort, restores the end
    of the archive that the new members overwrote."""
    try:
        file = open(path, "r+b")
    except OSError as e:
        raise _Fail(E_EOPEN) from e
    with file:
        try:
            tar = tarfile.open(None, "a", file, encoding=_ENCODING)
        except tarfile.ReadError as e:
            raise _Fail(E_BAD_ARCHIVE) from e
        except OSError as e:
            raise _Fail(E_EREAD) from e
        start = tar.offset
        file.seek(start)
        tail = file.read()  # the end-of-archive blocks
        file.seek(start)
        try:
            for name, source in adds:
                if _add_source(tar, name, source, reporter):
                    stored.append(source)
            tar.close()
            file.flush()
        except BaseException as e:
            file.seek(start)
            file.truncate()
            file.write(tail)
            if isinstance(e, OSError):
                raise _Fail(E_EWRITE) from e
            raise


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _pack(
    packed: str | None, sub_path: str | None, src_path: str | None, add_list: list[str], flags: int, wide: bool
) -> int:
    if not packed:
        return E_ECREATE
    sub, sub_safe = _norm(sub_path or "")
    if not sub_safe:
        return E_ECREATE
    base = src_path or ""
    archive_real = os.path.realpath(packed)
    entries: dict[str, str] = {}  # name in the archive -> source path; a later duplicate wins
    folders: list[str] = []  # sources that are folders
    for item in add_list:
        rel, safe = _norm(item)
        if not rel:
            continue
        if not safe:
            return E_ECREATE
        source = os.path.join(base, _native(rel))
        if os.path.realpath(source) == archive_real:
            continue  # the archive itself
        is_dir = _is_dir(source)
        if is_dir:
            folders.append(source)
        if not flags & PK_PACK_SAVE_PATHS:
            if is_dir:
                continue  # without paths only files are stored, by their names
            rel = rel.rpartition("/")[2]
        entries[f"{sub}/{rel}" if sub else rel] = source
    if not entries:
        return E_NO_FILES
    reporter = _Reporter(_pack_callbacks_pick(wide))
    stored: list[str] = []  # the sources that went into the archive
    try:
        if not os.path.lexists(packed) or os.path.isfile(packed) and os.path.getsize(packed) == 0:
            kind = _kind_from_name(packed)
            _rewrite(packed, kind, None, lambda _: False, entries.items(), reporter, stored)
        else:
            kind = _sniff(packed)
            appended = False
            if kind == _PLAIN:
                with _open_read(packed) as old:
                    try:
                        present = {_key(m.name): m.isdir() for m in old.getmembers()}
                    except _DATA_ERRORS as e:
                        raise _Fail(_read_error(e)) from e
                # a folder already in the archive is not added again
                adds = [(n, s) for n, s in entries.items() if not (present.get(n) and _is_dir(s))]
                if not any(n in present for n, _ in adds):
                    _append(packed, adds, reporter, stored)
                    appended = True
            if not appended:  # compressed, or same names to replace
                with _open_read(packed) as old:
                    _rewrite(packed, kind, old, entries.__contains__, entries.items(), reporter, stored)
    except _Fail as f:
        return f.code
    except OSError:
        return E_EWRITE
    if flags & PK_PACK_MOVE_FILES:
        for source in stored:
            if source not in folders:
                _unlink_quietly(source)
        for folder in sorted(folders, key=lambda p: p.count(os.sep), reverse=True):
            try:
                os.rmdir(folder)
            except OSError:
                pass  # not empty: it holds files that were not packed
    return 0


def _delete(packed: str | None, delete_list: list[str], wide: bool) -> int:
    if not packed:
        return E_EOPEN
    names: set[str] = set()
    folders: list[str] = []
    for item in delete_list:
        item = item.replace(os.sep, "/")
        for wildcard in ("/*.*", "/*", "*.*", "*"):
            if item.endswith(wildcard) and (item == wildcard or wildcard.startswith("/")):
                folders.append(_key(item[: -len(wildcard)]))
                break
        else:
            if _key(item):
                names.add(_key(item))
    if not names and not folders:
        return E_NO_FILES

    def drop(name: str) -> bool:
        return name in names or any(not f or name == f or name.startswith(f + "/") for f in folders)

    reporter = _Reporter(_pack_callbacks_pick(wide))
    try:
        kind = _sniff(packed)
        with _open_read(packed) as old:
            _rewrite(packed, kind, old, drop, (), reporter, [], deleting=True)
    except _Fail as f:
        return f.code
    except OSError:
        return E_EWRITE
    return 0


def _can_handle(name: str | None) -> int:
    if not name or not os.path.isfile(name):
        return 0
    try:
        return 1 if tarfile.is_tarfile(name) else 0
    except Exception:  # whatever the contents make the readers raise: not ours
        return 0


# ----------------------------------------------------------------- exports


def OpenArchive(ArchiveData: tOpenArchiveData, /) -> object:
    """Opens ArchiveData.ArcName for listing or extracting (both modes are the
    same here). Returns the archive handle, or None with OpenResult set to
    E_EOPEN (cannot open) or E_UNKNOWN_FORMAT (not a tar archive)."""
    return _open_archive(ArchiveData, False)


def OpenArchiveW(ArchiveData: tOpenArchiveDataW, /) -> object:
    """OpenArchive with a Unicode archive name."""
    return _open_archive(ArchiveData, True)


def ReadHeader(hArcData: Any, HeaderData: tHeaderData, /) -> int:
    """Moves to the next member and describes it: 0, or E_END_ARCHIVE after
    the last one. Sizes are clamped to 2**31-1; a name too long for the
    260-byte field is shortened (see _set_name)."""
    return _read_header(hArcData, HeaderData, None)


def ReadHeaderEx(hArcData: Any, HeaderData: tHeaderDataEx, /) -> int:
    """ReadHeader with 64-bit sizes (the High fields) and 1024-byte names."""
    return _read_header(hArcData, HeaderData, HeaderData)


def ReadHeaderExW(hArcData: Any, HeaderData: tHeaderDataExW, /) -> int:
    """ReadHeaderEx with a Unicode name."""
    return _read_header(hArcData, HeaderData, HeaderData)


def ProcessFile(hArcData: Any, Operation: int, DestPath: str | None, DestName: str | None, /) -> int:
    """Skips (PK_SKIP), tests (PK_TEST) or extracts (PK_EXTRACT) the member
    ReadHeader reported last. The target is DestName, or DestPath joined with
    DestName when DestPath is given. Returns 0 or an E_ code; E_EABORTED when
    the progress callback answered 0 (the partial file is removed); E_ECREATE
    for a member that would land outside the destination."""
    return _process(hArcData, Operation, DestPath, DestName, False)


def ProcessFileW(hArcData: Any, Operation: int, DestPath: str | None, DestName: str | None, /) -> int:
    """ProcessFile with Unicode paths."""
    return _process(hArcData, Operation, DestPath, DestName, True)


def CloseArchive(hArcData: Any, /) -> int:
    """Closes the archive OpenArchive returned: 0, or E_ECLOSE."""
    _log("CloseArchive")
    try:
        archive = _archive(hArcData)
    except _Fail:
        return E_ECLOSE
    with archive.lock:
        return archive.close()


def PackFiles(
    PackedFile: str | None, SubPath: str | None, SrcPath: str | None, AddList: list[str], Flags: int, /
) -> int:
    """Packs AddList (names relative to SrcPath; a folder is its own entry
    "dir/") into PackedFile, under the folder SubPath of the archive when
    given; creates the archive, or adds to it (same names are replaced).
    PK_PACK_SAVE_PATHS keeps the relative paths (else only the file names are
    stored); PK_PACK_MOVE_FILES deletes the sources once the archive is
    written. Returns 0 or an E_ code (E_EABORTED when cancelled)."""
    _log(f"PackFiles({PackedFile!r}, {SubPath!r}, {SrcPath!r}, {AddList!r}, {Flags})")
    return _pack(PackedFile, SubPath, SrcPath, AddList, Flags, False)


def PackFilesW(
    PackedFile: str | None, SubPath: str | None, SrcPath: str | None, AddList: list[str], Flags: int, /
) -> int:
    """PackFiles with Unicode names."""
    _log(f"PackFilesW({PackedFile!r}, {SubPath!r}, {SrcPath!r}, {AddList!r}, {Flags})")
    return _pack(PackedFile, SubPath, SrcPath, AddList, Flags, True)


def DeleteFiles(PackedFile: str | None, DeleteList: list[str], /) -> int:
    """Deletes the members DeleteList names from PackedFile; "dir/*.*" (or
    "dir/*") deletes the folder and everything under it. Returns 0, or
    E_NO_FILES when nothing matched, or another E_ code."""
    _log(f"DeleteFiles({PackedFile!r}, {DeleteList!r})")
    return _delete(PackedFile, DeleteList, False)


def DeleteFilesW(PackedFile: str | None, DeleteList: list[str], /) -> int:
    """DeleteFiles with Unicode names."""
    _log(f"DeleteFilesW({PackedFile!r}, {DeleteList!r})")
    return _delete(PackedFile, DeleteList, True)


def GetPackerCaps() -> int:
    """What the plugin can do: create, modify, pack several files, delete,
    and recognise archives by their content."""
    return _CAPS


def SetChangeVolProc(hArcData: Any, pChangeVolProc1: tChangeVolProc, /) -> None:
    """Accepted and ignored: tar archives have no volumes."""


def SetChangeVolProcW(hArcData: Any, pChangeVolProc1: tChangeVolProcW, /) -> None:
    """Accepted and ignored: tar archives have no volumes."""


def SetProcessDataProc(hArcData: Any, pProcessDataProc: tProcessDataProc, /) -> None:
    """Keeps the progress callback: on the archive for extracting and testing,
    or, when no archive handle is given, for the next PackFiles/DeleteFiles."""
    _set_process_data(hArcData, pProcessDataProc, False)


def SetProcessDataProcW(hArcData: Any, pProcessDataProc: tProcessDataProcW, /) -> None:
    """SetProcessDataProc for the Unicode callback (used by the ...W functions)."""
    _set_process_data(hArcData, pProcessDataProc, True)


def CanYouHandleThisFile(FileName: str | None, /) -> int:
    """1 if FileName is a tar archive (plain or compressed), whatever its name, else 0."""
    return _can_handle(FileName)


def CanYouHandleThisFileW(FileName: str | None, /) -> int:
    """CanYouHandleThisFile with a Unicode name."""
    return _can_handle(FileName)


def PackSetDefaultParams(dps: PackDefaultParamStruct, /) -> None:
    """Called once after loading; the plugin has no settings to keep."""
    version = f"{dps.PluginInterfaceVersionHi}.{dps.PluginInterfaceVersionLow}"
    _log(f"PackSetDefaultParams(size={dps.size}, version {version}, ini {dps.DefaultIniName!r})")


def GetBackgroundFlags() -> int:
    """Extracting and packing may run on a background thread."""
    return BACKGROUND_UNPACK | BACKGROUND_PACK


# mypy checks every export above against wcxhead.h (a plugin defines only
# some of the interface's, so `Exports` does not apply); nothing at run time.
wcxhead_h.check_exports(
    OpenArchive=OpenArchive,
    OpenArchiveW=OpenArchiveW,
    ReadHeader=ReadHeader,
    ReadHeaderEx=ReadHeaderEx,
    ReadHeaderExW=ReadHeaderExW,
    ProcessFile=ProcessFile,
    ProcessFileW=ProcessFileW,
    CloseArchive=CloseArchive,
    PackFiles=PackFiles,
    PackFilesW=PackFilesW,
    DeleteFiles=DeleteFiles,
    DeleteFilesW=DeleteFilesW,
    GetPackerCaps=GetPackerCaps,
    SetChangeVolProc=SetChangeVolProc,
    SetChangeVolProcW=SetChangeVolProcW,
    SetProcessDataProc=SetProcessDataProc,
    SetProcessDataProcW=SetProcessDataProcW,
    CanYouHandleThisFile=CanYouHandleThisFile,
    CanYouHandleThisFileW=CanYouHandleThisFileW,
    PackSetDefaultParams=PackSetDefaultParams,
    GetBackgroundFlags=GetBackgroundFlags,
)
