# The wdx pack's authoring layer: run by epy inside the `wdxplugin_h` module a
# plugin script imports, next to the header's constants (ft_*, contflags_*).
# Fields are declared once with @field; the exports defined here derive the
# host's answers from them, and a script exports them by importing them
# (`from wdxplugin_h import ContentGetSupportedField, ContentGetValueW`).
# Values go into the host's buffer through the memoryview epy passes
# (FieldValue, maxlen bytes, revoked after the call): never past maxlen.
# Field indices are the host's: the names it read from ContentGetSupportedField
# are kept in epy's per-process memo, so a live reload is read by name.
# Types are in layer.pyi (no `typing` import here: a fresh interpreter would
# pay for it at load).
"""Write WDX content plugins: declare fields with `@field`, import the
exports; the host gets each value in its own binary format."""

import datetime as _dt
import struct as _struct
import sys as _sys

# The encoding of ANSI strings (ContentGetValue, ft_string): Double Commander
# on Linux uses UTF-8; Total Commander the ANSI code page.
_ANSI = "mbcs" if _sys.platform == "win32" else "utf-8"
_UTC = _dt.timezone.utc
_FILETIME_EPOCH = _dt.datetime(1601, 1, 1, tzinfo=_UTC)
_FORBIDDEN = ".|:\0"
# ContentGetSupportedField's buffers: 256 bytes with the NUL (TC and DC).
_MAX_NAME = 255
_pytype = type

class Error(Exception):
    """`raise Error(ft_fileerror)` (or ft_fieldempty, ft_ondemand, ...) from a
    field function (or any export): the host gets that result and nothing
    is logged. The code must be one of the interface's results (ft_* <= 0):
    any other is a ValueError listing them."""

    # Marks an interface error for epy, which returns `code` from an export
    # that raises it (the layer's own exports catch it themselves).
    __epy_interface_error__ = True

    def __init__(self, code=ft_fileerror, message=""):
        _check_code(code)
        super().__init__(code, message)
        self.code = code
        self.message = message


# The codes an export may answer with (value -> names), from the header's
# constants (the results: ft_* <= 0; the pack supplies any an SDK header lacks).
_CODES = {}
for _n, _v in list(globals().items()):
    if _n.startswith("ft_") and type(_v) is int and _v <= 0 and type(_v) is int:
        _CODES.setdefault(_v, []).append(_n)
del _n, _v


def _check_code(code):
    if isinstance(code, int) and code in _CODES:
        return
    valid = ", ".join(f"{'/'.join(n)} ({v})" for v, n in sorted(_CODES.items()))
    raise ValueError(f"Error({code!r}): not a code of the wdx interface; use one of {valid}")


class Field:
    """One declared field: what ContentGetSupportedField reports at `index`."""

    def __init__(self, index, name, kind, units, flags, slow, func):
        self.index = index
        self.name = name
        self.kind = kind
        self.units = units
        self.flags = flags
        self.slow = slow
        self.func = func

    def __repr__(self):
        return f"Field({self.index}, {self.name!r}, ft={self.kind})"

    def value(self, path, unit_index):
        # A field with units (not choices) gets the unit's name.
        if self.units and self.kind != ft_multiplechoice:
            if not 0 <= unit_index < len(self.units):
                raise Error(ft_fieldempty)  # a unit the field does not have
            return self.func(path, self.units[unit_index])
        return self.func(path)


_TYPES = {
    bool: ft_boolean,
    int: ft_numeric_64,
    float: ft_numeric_floating,
    str: ft_string,
    _dt.datetime: ft_datetime,
    _dt.date: ft_date,
    _dt.time: ft_time,
}
_fields = []
# The field names in the order the host read them (ContentGetSupportedField),
# kept in epy's memo so a live reload does not renumber the host's columns;
# `_by_host[i]` is the field behind the host's index i (None: removed).
_memo = _epy_memo
_log = _epy_log
del buffer_at, _epy_memo, _epy_log
_by_host = []
_host_read = [False]
_removed_logged = set()
_detect = [""]
_stops = set()
_texts = {}


class DefaultParams:
    """What ContentSetDefaultParams told the plugin (`default_params`)."""

    ini_name = ""
    version = (0, 0)


default_params = DefaultParams()


def field(name, type, *, units=(), flags=0, slow=False):
    """Declares a field: `@field("Width", int)` on `def width(path) -> int | None`.

    `type` is a Python type (int → ft_numeric_64, float, bool, str, datetime,
    date, time) or an ft_* constant (ft_numeric_32, ft_multiplechoice with the
    choices as `units`, ft_fulltext, ...). With `units` ("bytes", "kbytes") the
    function gets the unit's name as its second argument. `slow=True`: asked in
    the foreground (CONTENT_DELAYIFSLOW) the host gets ft_delayed and asks
    again in the background. The function returns the value, or None for an
    empty field; an OSError gives ft_fileerror, `raise Error(code)` any result.
    Fields are numbered in declaration order."""
    if not isinstance(name, str) or not name or any(c in name for c in _FORBIDDEN):
        raise ValueError(
            f"@field({name!r}): a field name must be non-empty and must not contain "
            f"'.', '|' or ':' (the host's field syntax)")
    if len(name.encode(_ANSI, "replace")) > _MAX_NAME:
        raise ValueError(
            f"@field({name!r}): the name is {len(name.encode(_ANSI, 'replace'))} bytes; "
            f"the host reads at most {_MAX_NAME}: shorten it")
    kind = _TYPES.get(type) if isinstance(type, _pytype) else type
    if kind is None and isinstance(type, _pytype):
        for base, ft in _TYPES.items():
            if issubclass(type, base):
                kind = ft
                break
    if not isinstance(kind, int) or not ft_numeric_32 <= kind <= ft_fulltextw:
        raise ValueError(
            f"@field({name!r}, {getattr(type, '__name__', repr(type))}): unsupported type; "
            f"use int, float, bool, str, datetime, date, time or an ft_* constant "
            f"(e.g. ft_multiplechoice with units=)")
    if any(f.name == name for f in _fields):
        raise ValueError(
            f"@field({name!r}): this name is already declared (field "
            f"{next(f.index for f in _fields if f.name == name)}); give each field its own name")
    units = tuple(units)
    if kind == ft_multiplechoice and not units:
        raise ValueError(f"@field({name!r}): ft_multiplechoice lists its choices in units=")
    if any(not isinstance(u, str) or not u or "|" in u for u in units):
        raise ValueError(f"@field({name!r}): units must be non-empty names without '|'")
    if len("|".join(units).encode(_ANSI, "replace")) > _MAX_NAME:
        raise ValueError(
            f"@field({name!r}): the units joined by '|' exceed the host's {_MAX_NAME} bytes: "
            f"use fewer or shorter units")

    def declare(func):
        _fields.append(Field(len(_fields), name, kind, units, flags, slow, func))
        return func

    return declare


def detect_string(text):
    """What ContentGetDetectString gives the host (e.g. `EXT="PNG" | EXT="GIF"`)."""
    _detect[0] = text


def fields():
    """The declared fields, in index order."""
    return list(_fields)


def stop_requested(path):
    """Whether the host asked (ContentStopGetValue) to stop reading `path`."""
    return path in _stops


# --- Writing values in the host's format -----------------------------------
def _text(out, data, unit, what):
    if len(data) + unit > len(out):
        raise ValueError(
            f"{what}: {len(data) + unit} bytes with the NUL do not fit the host's "
            f"{len(out)}-byte buffer (never truncated; ft_fulltext returns long text)")
    out[:len(data)] = data
    out[len(data):len(data) + unit] = bytes(unit)


def _write(f, value, out, wide):
    kind = f.kind
    what = f"field {f.name!r}"
    if kind in (ft_numeric_32, ft_numeric_64, ft_boolean):
        if not isinstance(value, int):
            raise TypeError(f"{what}: an int is expected, not {value.__class__.__name__}")
        if kind == ft_boolean:
            _struct.pack_into("<i", out, 0, 1 if value else 0)
        else:
            bits = 32 if kind == ft_numeric_32 else 64
            if not -(1 << (bits - 1)) <= value < 1 << (bits - 1):
                raise OverflowError(f"{what}: {value} does not fit a {bits}-bit integer")
            _struct.pack_into("<i" if bits == 32 else "<q", out, 0, value)
    elif kind == ft_numeric_floating:
        if not isinstance(value, (int, float)):
            raise TypeError(f"{what}: a float is expected, not {value.__class__.__name__}")
        _struct.pack_into("<d", out, 0, value)
        if len(out) > 8:
            out[8] = 0  # no text after the double: the host formats it
    elif kind == ft_datetime:
        if not isinstance(value, _dt.datetime):
            raise TypeError(f"{what}: a datetime is expected, not {value.__class__.__name__}")
        # A naive datetime is local time (as datetime.timestamp() takes it).
        d = value.astimezone(_UTC) - _FILETIME_EPOCH
        ticks = (d.days * 86400 + d.seconds) * 10_000_000 + d.microseconds * 10
        _struct.pack_into("<Q", out, 0, ticks)
    elif kind == ft_date:
        if not isinstance(value, _dt.date):
            raise TypeError(f"{what}: a date is expected, not {value.__class__.__name__}")
        _struct.pack_into("<HHH", out, 0, value.year, value.month, value.day)
    elif kind == ft_time:
        if not isinstance(value, _dt.time):
            raise TypeError(f"{what}: a time is expected, not {value.__class__.__name__}")
        _struct.pack_into("<HHH", out, 0, value.hour, value.minute, value.second)
    else:
        if not isinstance(value, str):
            raise TypeError(f"{what}: a str is expected, not {value.__class__.__name__}")
        if "\0" in value:
            raise ValueError(f"{what}: the text contains NUL, which ends a host string")
        if kind == ft_multiplechoice:
            if value not in f.units:
                raise ValueError(f"{what}: {value!r} is not one of the choices {f.units}")
            wide = False  # the host reads choices as ANSI text
        if wide:
            _text(out, value.encode("utf-16-le", "surrogatepass"), 2, what)
            return ft_stringw
        _text(out, value.encode(_ANSI), 1, what)
        return ft_string if kind == ft_stringw else kind
    return kind


def _fulltext(f, path, offset, out, wide):
    # The host asks chunk after chunk, offset (UnitIndex) in bytes, until it
    # gets ft_fieldempty; -1 means it stopped early. The text is read once.
    key = (path, f.index, wide)
    if offset < 0:
        _texts.pop(key, None)
        return ft_fieldempty
    data = _texts.get(key) if offset > 0 else None
    if data is None:
        text = f.value(path, 0)
        if text is None:
            return ft_fieldempty
        if not isinstance(text, str):
            raise TypeError(f"field {f.name!r}: a str is expected, not {text.__class__.__name__}")
        text = text.replace("\0", " ")
        data = text.encode("utf-16-le", "surrogatepass") if wide else text.encode(_ANSI, "replace")
        while len(_texts) >= 8:
            _texts.pop(next(iter(_texts)))
        _texts[key] = data
    unit = 2 if wide else 1
    end = offset + (len(out) - unit) // unit * unit
    if wide:
        if end < len(data) and 0xD8 <= data[end - 1] <= 0xDB:
            end -= 2  # not between the halves of a surrogate pair
    else:
        while offset < end < len(data) and data[end] & 0xC0 == 0x80:
            end -= 1  # not inside a UTF-8 sequence
    chunk = data[offset:end]
    if not chunk:
        _texts.pop(key, None)
        return ft_fieldempty
    out[:len(chunk)] = chunk
    out[len(chunk):len(chunk) + unit] = bytes(unit)
    return ft_fulltextw if wide else ft_fulltext


def _told_host():
    # ContentGetSupportedField answers from this script's fields: the host's
    # indices are theirs from now on (kept across reloads).
    names = "\0".join(f.name for f in _fields)
    if _memo() != names:
        _memo(names)
    _by_host[:] = _fields
    _host_read[0] = True


def _host_fields():
    # The fields by the host's index: at the first call after a reload, the
    # names the host read (from the memo) mapped onto this script's fields.
    if not _host_read[0]:
        _host_read[0] = True
        kept = _memo()
        if kept is None:
            _by_host[:] = _fields
        else:
            by_name = {f.name: f for f in _fields}
            names = kept.split("\0") if kept else []
            _by_host[:] = [by_name.get(n) for n in names]
            new = [f.name for f in _fields if f.name not in names]
            if new:
                _log(
                    f"wdx: field(s) {', '.join(map(repr, new))} are new since the host "
                    f"read the field list: they show once the host loads the plugin "
                    f"again (restart it); the others keep their columns")
    return _by_host


def _get_value(path, index, unit, out, flags, wide):
    fields = _host_fields()
    if path is None or not 0 <= index < len(fields):
        return ft_nosuchfield
    f = fields[index]
    if f is None:
        if index not in _removed_logged:
            _removed_logged.add(index)
            _log(
                f"wdx: the host's field {index} ({_memo().split(chr(0))[index]!r}) is "
                f"no longer declared since the reload: ft_fileerror until the host "
                f"loads the plugin again")
        return ft_fileerror
    if f.slow and flags & CONTENT_DELAYIFSLOW:
        return ft_delayed
    _stops.discard(path)
    try:
        if f.kind in (ft_fulltext, ft_fulltextw):
            return _fulltext(f, path, unit, out, wide)
        value = f.value(path, unit)
    except Error as e:
        return e.code
    except OSError:
        return ft_fileerror
    if value is None:
        return ft_fieldempty
    return _write(f, value, out, wide)


# --- The exports a script imports -------------------------------------------
def ContentGetDetectString(maxlen, /):
    return 0, _detect[0]


def ContentGetSupportedField(FieldIndex, maxlen, /):
    if FieldIndex == 0:  # the host (re)reads the list from the start
        _told_host()
    if not 0 <= FieldIndex < len(_fields):
        return ft_nomorefields, "", ""
    f = _fields[FieldIndex]
    return f.kind, f.name, "|".join(f.units)


def ContentGetValue(FileName, FieldIndex, UnitIndex, FieldValue, maxlen, flags, /):
    return _get_value(FileName, FieldIndex, UnitIndex, FieldValue, flags, False)


def ContentGetValueW(FileName, FieldIndex, UnitIndex, FieldValue, maxlen, flags, /):
    return _get_value(FileName, FieldIndex, UnitIndex, FieldValue, flags, True)


def ContentGetSupportedFieldFlags(FieldIndex, /):
    fields = _host_fields()
    if FieldIndex == -1:
        flags = 0
        for f in fields:
            flags |= f.flags if f is not None else 0
        return flags
    f = fields[FieldIndex] if 0 <= FieldIndex < len(fields) else None
    return f.flags if f is not None else 0


def ContentSetDefaultParams(dps, /):
    default_params.ini_name = dps.DefaultIniName
    default_params.version = (dps.PluginInterfaceVersionHi, dps.PluginInterfaceVersionLow)


def ContentPluginUnloading():
    _texts.clear()
    _stops.clear()


def ContentStopGetValue(FileName, /):
    if FileName is not None:
        _stops.add(FileName)


ContentStopGetValueW = ContentStopGetValue
