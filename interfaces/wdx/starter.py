"""@NAME@: a content plugin (WDX) for Double Commander, written in Python.

Made by `epy-codegen new @NAME@ --pack wdx`. As it stands it gives text files
two columns, `Lines` and `First line`: replace the TODOs with your fields.
Build, type-check, then add @NAME@.wdx in Double Commander (Options →
Plugins → Content plugins (WDX)) and show a field as a custom column:

    epy-codegen build @NAME@.py --pack wdx
    python3 -m mypy --strict @NAME@.py
"""

from @MODULE@ import ContentGetDetectString, ContentGetSupportedField, ContentGetValue
from @MODULE@ import ContentGetValueW, ContentPluginUnloading, ContentSetDefaultParams
from @MODULE@ import detect_string, field

# Which files the host asks about (Total Commander's detect-string syntax).
detect_string('EXT="TXT"')  # TODO: your files


# Each @field is one column: its name, its Python type (int, float, bool, str,
# datetime, date, time, or an ft_* constant), optional units. The function
# gets the file's path and returns the value, or None for an empty field; an
# OSError tells the host the file could not be read.
@field("Lines", int)
def lines(path: str) -> int | None:
    """Lines of the file."""  # TODO: your field
    with open(path, "rb") as f:
        return sum(1 for _ in f)


@field("First line", str)
def first_line(path: str) -> str | None:
    """The file's first line (empty field for an empty file)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        line = f.readline().rstrip("\r\n")
    return line or None
