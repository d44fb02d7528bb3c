"""wordswdx: the smallest useful content plugin (WDX): two columns for text files.

Declare each field once with @field (name, Python type); the pack derives what
the host asks for (field list, types, values in the host's binary format) and
the script exports it by importing the functions below. Build, check, use:

    epy-codegen build wordswdx.py --pack wdx       # -> wordswdx.wdx
    python3 -m mypy --strict wordswdx.py

Double Commander: Options → Plugins → Content plugins (WDX) → Add, then a
custom column `[Plugin(wordswdx).Words]`.
"""

from wdxplugin_h import ContentGetDetectString, ContentGetSupportedField, ContentGetValueW
from wdxplugin_h import detect_string, field

detect_string('EXT="TXT" | EXT="MD"')


def _text(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


@field("Words", int)
def words(path: str) -> int:
    """Whitespace-separated words."""
    return len(_text(path).split())


@field("Title", str)
def title(path: str) -> str | None:
    """The first non-empty line; an empty field when there is none."""
    for line in _text(path).splitlines():
        if line.strip():
            return line.strip()
    return None
