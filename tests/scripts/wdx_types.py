"""Every WDX field type through the wdx pack's layer, with values tests/wdx.rs knows."""

import datetime as dt
import os
import time as _time

from wdxplugin_h import (
    CONTENT_DELAYIFSLOW,
    ContentGetDetectString,
    ContentGetSupportedField,
    ContentGetSupportedFieldFlags,
    ContentGetValue,
    ContentGetValueW,
    ContentPluginUnloading,
    ContentSetDefaultParams,
    ContentStopGetValueW,
    Error,
    contflags_substsize,
    default_params,
    detect_string,
    field,
    stop_requested,
    ft_fulltext,
    ft_multiplechoice,
    ft_numeric_32,
    ft_ondemand,
    ft_stringw,
)

assert CONTENT_DELAYIFSLOW == 1
detect_string('EXT="TXT" | EXT="BIN"')
BODY = "".join(f"line {i} ünïcode 𝄞\n" for i in range(150))


@field("Int32", ft_numeric_32)
def int32(path: str) -> int:
    return -123456


@field("Int64", int)
def int64(path: str) -> int:
    return 1 << 40


@field("Float", float)
def floating(path: str) -> float:
    return 2.5


@field("Date", dt.date)
def date(path: str) -> dt.date:
    return dt.date(2024, 2, 29)


@field("Time", dt.time)
def time(path: str) -> dt.time:
    return dt.time(23, 59, 58)


@field("Bool", bool)
def boolean(path: str) -> bool:
    return True


@field("Choice", ft_multiplechoice, units=["Mono", "Stereo"])
def choice(path: str) -> str:
    return "Stereo"


@field("Text", str)
def text(path: str) -> str:
    return "héllo wörld ✓"


@field("Wide", ft_stringw)
def wide(path: str) -> str:
    return "𝄞 clef"


@field("When", dt.datetime)
def when(path: str) -> dt.datetime:
    return dt.datetime(2021, 6, 1, 12, 0, 0, 123456, tzinfo=dt.timezone.utc)


@field("Size", int, units=["bytes", "kbytes"], flags=contflags_substsize)
def size(path: str, unit: str) -> int:
    return 4096 if unit == "bytes" else 4


@field("Empty", str)
def empty(path: str) -> str | None:
    return None


@field("Bytes", int)
def nbytes(path: str) -> int:
    return os.path.getsize(path)  # OSError for a missing file: ft_fileerror


@field("Slow", int, slow=True)
def slow(path: str) -> int:
    return 7


@field("TooLong", str)
def too_long(path: str) -> str:
    return "x" * 5000  # more than the host's 2049 bytes: an error, never truncated


@field("Body", ft_fulltext)
def body(path: str) -> str:
    return BODY


@field("Overflow", ft_numeric_32)
def overflow(path: str) -> int:
    return 1 << 40


@field("OnDemand", int)
def on_demand(path: str) -> int:
    raise Error(ft_ondemand)


@field("Ini", str)
def ini(path: str) -> str:
    return f"{default_params.ini_name} {default_params.version[0]}.{default_params.version[1]}"


@field("Stop", str)
def stop(path: str) -> str | None:
    """Runs until the host calls ContentStopGetValue(W) for a `.stop` file."""
    if not path.endswith(".stop"):
        return None
    open(path + ".started", "w").close()
    deadline = _time.monotonic() + 60  # a failure detector only
    while not stop_requested(path):
        if _time.monotonic() > deadline:
            return "never stopped"
        _time.sleep(0.01)
    return "stopped"


@field("BadCode", int)
def bad_code(path: str) -> int:
    raise Error(12345)  # not an ft_* result: refused (ValueError), ft_fileerror and a log line
