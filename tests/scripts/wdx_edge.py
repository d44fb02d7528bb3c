"""Fields for tests/wdx.rs's edge cases (host-given lengths and units, a
live reload that reorders fields): `VERSION` and the field list are what
the tests rewrite."""

from wdxplugin_h import ContentGetSupportedField, ContentGetValueW, field

VERSION = "1"


@field("Version", str)
def version(path: str) -> str:
    return VERSION


@field("A", str)
def a(path: str) -> str:
    return "a"


@field("B", str)
def b(path: str) -> str:
    return "b"


@field("Size", int, units=("bytes", "kbytes"))
def size(path: str, unit: str) -> int:
    return 2048 if unit == "bytes" else 2
