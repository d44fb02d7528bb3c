"""imagewdx: a content plugin (WDX) for Double Commander and Total Commander.

Columns `Width` and `Height` (pixels) for PNG, GIF and JPEG images, read from
their headers in pure Python (the format is told by the file's first bytes,
not its name), and `Lines` for text files. Build and type-check:

    epy-codegen build imagewdx.py --pack wdx     # -> imagewdx.wdx
    python3 -m mypy --strict imagewdx.py

In Double Commander: Configuration → Options → Plugins → Content plugins (WDX)
→ Add `imagewdx.wdx`; then a custom column `[Plugin(imagewdx).Width]`, or
`[=imagewdx.Width]` in Multi-Rename.
"""

import functools
import os
import struct
from typing import BinaryIO

from wdxplugin_h import ContentGetDetectString, ContentGetSupportedField, ContentGetValue
from wdxplugin_h import ContentGetValueW, ContentPluginUnloading, ContentSetDefaultParams
from wdxplugin_h import detect_string, field

detect_string('EXT="PNG" | EXT="GIF" | EXT="JPG" | EXT="JPEG" | EXT="JPE" | EXT="TXT" | '
              'EXT="MD" | EXT="CSV" | EXT="LOG" | EXT="INI" | EXT="PY" | EXT="C" | EXT="H" | '
              'EXT="RS" | EXT="TOML" | EXT="JSON" | EXT="XML" | EXT="HTML" | EXT="SH"')

# JPEG start-of-frame markers (their segment holds the size); C4, C8 and CC
# share the range but are other segments.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(f: BinaryIO) -> tuple[int, int] | None:
    """Walks the JPEG segments after SOI to the first start-of-frame."""
    f.seek(2)
    while True:
        if f.read(1) != b"\xff":
            return None
        marker = f.read(1)
        while marker == b"\xff":  # fill bytes
            marker = f.read(1)
        if not marker:
            return None
        if marker[0] == 0x01 or 0xD0 <= marker[0] <= 0xD8:  # no length
            continue
        head = f.read(7)
        if len(head) < 2:
            return None
        if marker[0] in _SOF:
            if len(head) < 7:
                return None
            height, width = struct.unpack_from(">HH", head, 3)
            return width, height
        (length,) = struct.unpack_from(">H", head)
        f.seek(length - 7, os.SEEK_CUR)


@functools.lru_cache(maxsize=256)
def _image_size(path: str, mtime_ns: int, size: int) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG file, else None (cached per version)."""
    with open(path, "rb") as f:
        head = f.read(32)
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            w, h = struct.unpack_from(">II", head, 16)
            return w, h
        if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
            w, h = struct.unpack_from("<HH", head, 6)
            return w, h
        if head.startswith(b"\xff\xd8"):
            return _jpeg_size(f)
    return None


def _dimensions(path: str) -> tuple[int, int] | None:
    st = os.stat(path)
    return _image_size(path, st.st_mtime_ns, st.st_size)


@field("Width", int)
def width(path: str) -> int | None:
    """Pixels across (PNG, GIF, JPEG)."""
    dims = _dimensions(path)
    return dims[0] if dims else None


@field("Height", int)
def height(path: str) -> int | None:
    """Pixels down (PNG, GIF, JPEG)."""
    dims = _dimensions(path)
    return dims[1] if dims else None


@field("Lines", int)
def lines(path: str) -> int | None:
    """Lines of a text file (a last line without a newline counts); empty for
    binary files (a NUL byte in the first 8 KiB)."""
    count, last = 0, b"\n"
    with open(path, "rb") as f:
        first = f.read(8192)
        if b"\0" in first:
            return None
        chunk = first
        while chunk:
            count += chunk.count(b"\n")
            last = chunk[-1:]
            chunk = f.read(1 << 20)
    return count + (last != b"\n")

