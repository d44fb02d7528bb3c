"""Output buffers: the functions return the text; epy writes it for the host."""

import outbuf_h


def describe(id: int, cap: int, /) -> tuple[int, str]:
    text = "item " + "x" * id
    return len(text), text


def wide_name(id: int, cap: int, /) -> str:
    return "naïve-ü" * id


_FIELDS = [("size", "bytes|kbytes|mbytes", 2), ("name", "", 8)]


def ContentGetSupportedField(FieldIndex: int, maxlen: int, /) -> tuple[int, str, str]:
    if FieldIndex == 2:
        return 1, "x" * maxlen, "ok"  # the name does not fit: neither buffer is written
    if FieldIndex == 3:
        return 1, "only the name"  # type: ignore[return-value]  # one text short
    name, units, kind = _FIELDS[FieldIndex]
    return kind, name, units


def split_name(id: int, first_cap: int, last_cap: int, /) -> tuple[str, str]:
    return "Ada" * id, "Lovelace-ü" * id


# mypy checks each export against the header; at run time this does nothing.
outbuf_h.check_exports(
    describe=describe,
    wide_name=wide_name,
    ContentGetSupportedField=ContentGetSupportedField,
    split_name=split_name,
)
