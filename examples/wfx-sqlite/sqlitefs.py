"""sqlitefs: files and folders stored in one SQLite database file, as a
Double Commander / Total Commander file system (WFX), in Python.

Browse it, copy files out (F5) and in, make folders (F7), rename and move
(Shift+F6), delete (F8); copies report progress and stop when you press
Cancel. The database is `sqlitefs.sqlite` in Double Commander's settings
folder (beside the `wfx.ini` it names), or the file $SQLITEFS_DB names.

    epy-codegen build sqlitefs.py --pack wfx     # -> sqlitefs.wfx
    python3 -m mypy --strict sqlitefs.py
"""

import os
import sqlite3
import threading
from collections.abc import Iterator

from wfxplugin_h import (
    FS_COPYFLAGS_MOVE,
    FS_COPYFLAGS_OVERWRITE,
    FS_EXEC_OK,
    FS_EXEC_YOURSELF,
    FS_FILE_EXISTS,
    FS_FILE_NOTFOUND,
    FS_FILE_NOTSUPPORTED,
    FS_FILE_OK,
    FS_FILE_USERABORT,
    FS_STATUS_START,
    MSGTYPE_DETAILS,
    FILETIME,
    Entry,
    Error,
    FsDefaultParamStruct,
    FsFindClose,  # the pack drives listings: FsFindNextW and FsFindClose are its own
    FsFindNextW,
    FsInitW,  # the pack's FsInitW keeps the host's callbacks in `host`
    RemoteInfoStruct,
    WIN32_FIND_DATAW,
    check_exports,
    host,
    unix_time,
)

CHUNK = 64 * 1024
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    path TEXT PRIMARY KEY,      -- '/a/b.txt'; the root '/' is implied
    parent TEXT NOT NULL,       -- '/a'
    is_dir INTEGER NOT NULL,
    data BLOB,                  -- NULL for folders
    mtime INTEGER NOT NULL,     -- Unix seconds
    mode INTEGER NOT NULL       -- Unix permission bits
);
CREATE INDEX IF NOT EXISTS by_parent ON entries (parent);
"""


class Store:
    """The database: one connection, used by Double Commander's threads in turn."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.executescript(SCHEMA)

    def kind(self, path: str) -> str | None:
        """'dir', 'file' or None (missing)."""
        if path == "/":
            return "dir"
        row = self.db.execute("SELECT is_dir FROM entries WHERE path = ?", (path,)).fetchone()
        return None if row is None else ("dir" if row[0] else "file")


_store: Store | None = None
_db_path = os.environ.get("SQLITEFS_DB", "")


def _db() -> Store:
    """The database, opened on first use."""
    global _store
    if _store is None:
        _store = Store(_db_path or os.path.join(os.path.expanduser("~"), "sqlitefs.sqlite"))
    return _store


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] or "/"


def _norm(path: str | None) -> str:
    p = (path or "/").replace("\\", "/")
    return "/" + p.strip("/") if p.strip("/") else "/"


def FsSetDefaultParams(dps: FsDefaultParamStruct, /) -> None:
    """Puts the database beside Double Commander's wfx.ini (unless $SQLITEFS_DB)."""
    global _db_path
    if not _db_path:
        _db_path = os.path.join(os.path.dirname(dps.DefaultIniName), "sqlitefs.sqlite")


def FsGetDefRootName(maxlen: int, /) -> str:
    """The name in Double Commander's list of file systems."""
    return "SQLite"


def FsFindFirstW(Path: str | None, FindData: WIN32_FIND_DATAW, /) -> Iterator[Entry]:
    """The folder's entries; epy fills FindData from each and drives the listing."""
    s, path = _db(), _norm(Path)
    with s.lock:
        if s.kind(path) != "dir":
            raise Error(FS_FILE_NOTFOUND, f"no folder {path}")
        rows = s.db.execute(
            "SELECT path, is_dir, length(data), mtime, mode FROM entries WHERE parent = ? ORDER BY path",
            (path,),
        ).fetchall()
    for p, is_dir, size, mtime, mode in rows:
        yield Entry(p.rsplit("/", 1)[1], size or 0, mtime, is_dir=bool(is_dir), mode=mode)


def FsMkDirW(Path: str | None, /) -> bool:
    """Makes a folder (its parent must exist)."""
    s, path = _db(), _norm(Path)
    with s.lock:
        if s.kind(path) is not None or s.kind(_parent(path)) != "dir":
            return False
        s.db.execute(
            "INSERT INTO entries VALUES (?, ?, 1, NULL, strftime('%s', 'now'), 493)", (path, _parent(path))
        )
    return True


def FsGetFileW(RemoteName: str | None, LocalName: str | None, CopyFlags: int, ri: RemoteInfoStruct, /) -> int:
    """Copies a file out in chunks, with progress; Cancel leaves no partial file."""
    s, path = _db(), _norm(RemoteName)
    local = LocalName or ""
    with s.lock:
        row = s.db.execute("SELECT rowid, length(data) FROM entries WHERE path = ? AND NOT is_dir", (path,)).fetchone()
    if row is None:
        return FS_FILE_NOTFOUND
    if os.path.exists(local) and not CopyFlags & FS_COPYFLAGS_OVERWRITE:
        return FS_FILE_EXISTS
    rowid, size = row[0], row[1] or 0
    done = 0
    with open(local, "wb") as out:
        while True:
            if host.progress(path, local, done * 100 // size if size else 0):
                out.close()
                os.remove(local)
                return FS_FILE_USERABORT
            if done >= size:
                break
            with s.lock:
                (chunk,) = s.db.execute(
                    "SELECT substr(data, ?, ?) FROM entries WHERE rowid = ?", (done + 1, CHUNK, rowid)
                ).fetchone()
            out.write(chunk)
            done += len(chunk)
    host.progress(path, local, 100)
    if CopyFlags & FS_COPYFLAGS_MOVE:
        FsDeleteFileW(path)
    return FS_FILE_OK


def FsPutFileW(LocalName: str | None, RemoteName: str | None, CopyFlags: int, /) -> int:
    """Copies a local file in, with progress; Cancel stores nothing."""
    s, path = _db(), _norm(RemoteName)
    local = LocalName or ""
    with s.lock:
        if s.kind(_parent(path)) != "dir":
            return FS_FILE_NOTFOUND
        kind = s.kind(path)
    if kind == "dir" or (kind == "file" and not CopyFlags & FS_COPYFLAGS_OVERWRITE):
        return FS_FILE_EXISTS
    size, parts, done = os.path.getsize(local), [], 0
    with open(local, "rb") as f:
        while chunk := f.read(CHUNK):
            parts.append(chunk)
            done += len(chunk)
            if host.progress(local, path, done * 100 // size):
                return FS_FILE_USERABORT
    st = os.stat(local)
    with s.lock:
        s.db.execute(
            "INSERT OR REPLACE INTO entries VALUES (?, ?, 0, ?, ?, ?)",
            (path, _parent(path), b"".join(parts), round(st.st_mtime), st.st_mode & 0o7777),
        )
    if CopyFlags & FS_COPYFLAGS_MOVE:
        os.remove(local)
    return FS_FILE_OK


def FsRenMovFileW(OldName: str | None, NewName: str | None, Move: int, OverWrite: int, ri: RemoteInfoStruct, /) -> int:
    """Renames or moves a file or folder (with everything in it); copies a file."""
    s, old, new = _db(), _norm(OldName), _norm(NewName)
    with s.lock:
        kind = s.kind(old)
        if kind is None:
            return FS_FILE_NOTFOUND
        if s.kind(_parent(new)) != "dir" or (new + "/").startswith(old + "/"):
            return FS_FILE_NOTSUPPORTED
        if s.kind(new) is not None:
            if not OverWrite or s.kind(new) == "dir":
                return FS_FILE_EXISTS
            s.db.execute("DELETE FROM entries WHERE path = ?", (new,))
        if not Move:
            if kind == "dir":
                return FS_FILE_NOTSUPPORTED
            s.db.execute(
                "INSERT INTO entries SELECT ?, ?, 0, data, mtime, mode FROM entries WHERE path = ?",
                (new, _parent(new), old),
            )
            return FS_FILE_OK
        s.db.execute("BEGIN")
        s.db.execute("UPDATE entries SET path = ?, parent = ? WHERE path = ?", (new, _parent(new), old))
        n = len(old)
        s.db.execute(
            "UPDATE entries SET path = ? || substr(path, ?), parent = ? || substr(parent, ?) "
            "WHERE path LIKE ? ESCAPE '\\'",
            (new, n + 1, new, n + 1, _like_prefix(old)),
        )
        s.db.execute("COMMIT")
    return FS_FILE_OK


def _like_prefix(path: str) -> str:
    """A LIKE pattern for everything under folder `path`."""
    return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"


def FsDeleteFileW(RemoteName: str | None, /) -> bool:
    """Deletes a file."""
    s = _db()
    with s.lock:
        return s.db.execute("DELETE FROM entries WHERE path = ? AND NOT is_dir", (_norm(RemoteName),)).rowcount == 1


def FsRemoveDirW(RemoteName: str | None, /) -> bool:
    """Deletes an empty folder (Double Commander empties it first)."""
    s, path = _db(), _norm(RemoteName)
    with s.lock:
        if s.db.execute("SELECT 1 FROM entries WHERE parent = ? LIMIT 1", (path,)).fetchone():
            return False
        return s.db.execute("DELETE FROM entries WHERE path = ? AND is_dir", (path,)).rowcount == 1


def FsSetTimeW(
    RemoteName: str | None, CreationTime: FILETIME, LastAccessTime: FILETIME, LastWriteTime: FILETIME, /
) -> bool:
    """Sets the modification time (rounded to the second, as Double Commander's
    FILETIMEs are not whole seconds); other times are not stored."""
    mtime = unix_time(LastWriteTime)
    if mtime is None:
        return True
    s = _db()
    with s.lock:
        return s.db.execute("UPDATE entries SET mtime = ? WHERE path = ?", (mtime, _norm(RemoteName))).rowcount == 1


def FsExecuteFileW(MainWin: int | None, RemoteName: str | None, Verb: str | None, /) -> int:
    """"open": let Double Commander copy the file out and open it."""
    return FS_EXEC_YOURSELF if (Verb or "").startswith("open") else FS_EXEC_OK


def FsStatusInfoW(RemoteDir: str | None, InfoStartEnd: int, InfoOperation: int, /) -> None:
    """Logs each operation's start in Double Commander's log window."""
    if InfoStartEnd == FS_STATUS_START:
        host.log(MSGTYPE_DETAILS, f"sqlitefs: operation {InfoOperation} in {RemoteDir}")


def shutdown() -> None:
    """Closes the database when the plugin unloads."""
    if _store is not None:
        _store.db.close()


# mypy checks each export against wfxplugin.h (nothing happens at run time).
check_exports(
    FsSetDefaultParams=FsSetDefaultParams,
    FsGetDefRootName=FsGetDefRootName,
    FsInitW=FsInitW,
    FsFindFirstW=FsFindFirstW,
    FsFindNextW=FsFindNextW,
    FsFindClose=FsFindClose,
    FsMkDirW=FsMkDirW,
    FsGetFileW=FsGetFileW,
    FsPutFileW=FsPutFileW,
    FsRenMovFileW=FsRenMovFileW,
    FsDeleteFileW=FsDeleteFileW,
    FsRemoveDirW=FsRemoveDirW,
    FsSetTimeW=FsSetTimeW,
    FsExecuteFileW=FsExecuteFileW,
    FsStatusInfoW=FsStatusInfoW,
)
