"""A WFX plugin for the exports and callbacks the other scripts leave out:
FsSetAttr(W) (the listing shows the attributes set), FsDisconnect(W),
FsExecuteFile(W) rewriting RemoteName (FS_EXEC_SYMLINK) and
host.request_text (the text the host's RequestProc writes back)."""

from collections.abc import Iterator

from wfxplugin_h import (
    FS_EXEC_OK,
    FS_EXEC_SYMLINK,
    MSGTYPE_DETAILS,
    MSGTYPE_DISCONNECT,
    RT_MsgYesNo,
    RT_Password,
    RT_URL,
    WIN32_FIND_DATAA,
    WIN32_FIND_DATAW,
    Entry,
    FsFindClose,
    FsFindNext,
    FsFindNextW,
    FsInit,
    FsInitW,
    host,
)

_ = (FsFindClose, FsFindNext, FsFindNextW, FsInit, FsInitW)
ATTRS: dict[str, int] = {"a.txt": 0}


def _entries() -> Iterator[Entry]:
    for name, attr in sorted(ATTRS.items()):
        yield Entry(name, 1, 1700000000, attributes=attr)


def FsFindFirstW(Path: str | None, FindData: WIN32_FIND_DATAW, /) -> Iterator[Entry]:
    return _entries()


def FsFindFirst(Path: str | None, FindData: WIN32_FIND_DATAA, /) -> Iterator[Entry]:
    return _entries()


def FsSetAttrW(RemoteName: str | None, NewAttr: int, /) -> bool:
    name = (RemoteName or "").lstrip("/")
    if name not in ATTRS:
        return False
    ATTRS[name] = NewAttr
    return True


def FsSetAttr(RemoteName: str | None, NewAttr: int, /) -> bool:
    return FsSetAttrW(RemoteName, NewAttr)


def FsDisconnectW(DisconnectRoot: str | None, /) -> bool:
    host.log(MSGTYPE_DISCONNECT, f"disconnected {DisconnectRoot}")
    return True


def FsDisconnect(DisconnectRoot: str | None, /) -> bool:
    return FsDisconnectW(DisconnectRoot)


def FsMkDirW(Path: str | None, /) -> bool:
    if Path == "/ask":
        password = host.request_text(RT_Password, "Login", "Password for epy", default="old")
        url = host.request_text(RT_URL, "Where", "URL?")  # the host cancels
        yes = host.request(RT_MsgYesNo, "Sure", "Make it?")
        host.log(MSGTYPE_DETAILS, f"password {password!r} url {url!r} yes {yes!r}")
        return True
    return False


def FsExecuteFileW(MainWin: int | None, RemoteName: str | None, Verb: str | None, /) -> int | tuple[int, str]:
    if RemoteName == "/link":  # a symlink: the host goes to its target
        return FS_EXEC_SYMLINK, "/target/dïr"
    if (Verb or "").startswith("quote cd "):
        return FS_EXEC_SYMLINK, (Verb or "")[len("quote cd ") :]
    if RemoteName == "/long":  # more than MAX_PATH: an error, the name kept
        return FS_EXEC_SYMLINK, "x" * 5000
    return FS_EXEC_OK


def FsExecuteFile(MainWin: int | None, RemoteName: str | None, Verb: str | None, /) -> int | tuple[int, str]:
    return FsExecuteFileW(MainWin, RemoteName, Verb)
