# --- The wdx pack's authoring layer (interfaces/wdx/layer.py) ---------------
from collections.abc import Callable as _Callable, Iterable as _Iterable
from typing import Any as _Any, TypeVar as _TypeVar, overload as _overload

_T = _TypeVar("_T")

class Error(Exception):
    """`raise Error(ft_fileerror)` (or ft_fieldempty, ft_ondemand, ...) from a
    field function (or any export): the host gets that result and nothing
    is logged. The code must be one of the interface's results (ft_* <= 0):
    any other is a ValueError listing them."""
    code: int
    message: str
    def __init__(self, code: int = ..., message: str = "") -> None: ...

class Field:
    """One declared field: what ContentGetSupportedField reports at `index`."""
    index: int
    name: str
    kind: int
    units: tuple[str, ...]
    flags: int
    slow: bool
    func: _Callable[..., object]

class DefaultParams:
    """What ContentSetDefaultParams told the plugin (`default_params`)."""
    ini_name: str
    version: tuple[int, int]

default_params: DefaultParams

@_overload
def field(
    name: str,
    type: type[_T],
    *,
    units: _Iterable[str] = (),
    flags: int = 0,
    slow: bool = False,
) -> _Callable[[_Callable[..., _T | None]], _Callable[..., _T | None]]:
    """Declares a field: `@field("Width", int)` on `def width(path: str) -> int | None`.

    `type`: int (ft_numeric_64), float, bool, str, datetime, date, time, or an
    ft_* constant. With `units` the function gets the unit's name as its
    second argument (ft_multiplechoice: `units` are the choices). `slow=True`:
    ft_delayed in the foreground, the value in the background. Return None for
    an empty field; an OSError gives ft_fileerror, `raise Error(code)` any result."""
@_overload
def field(
    name: str,
    type: int,
    *,
    units: _Iterable[str] = (),
    flags: int = 0,
    slow: bool = False,
) -> _Callable[[_Callable[..., _Any]], _Callable[..., _Any]]: ...
def detect_string(text: str) -> None:
    """What ContentGetDetectString gives the host (e.g. `EXT="PNG" | EXT="GIF"`)."""
def fields() -> list[Field]:
    """The declared fields, in index order."""
def stop_requested(path: str) -> bool:
    """Whether the host asked (ContentStopGetValue) to stop reading `path`."""

# The exports, derived from the declared fields: import the ones to export.
def ContentGetDetectString(maxlen: int, /) -> tuple[int, str]: ...
def ContentGetSupportedField(FieldIndex: int, maxlen: int, /) -> tuple[int, str, str]: ...
def ContentGetValue(
    FileName: str | None, FieldIndex: int, UnitIndex: int, FieldValue: memoryview, maxlen: int, flags: int, /
) -> int: ...
def ContentGetValueW(
    FileName: str | None, FieldIndex: int, UnitIndex: int, FieldValue: memoryview, maxlen: int, flags: int, /
) -> int: ...
def ContentGetSupportedFieldFlags(FieldIndex: int, /) -> int: ...
def ContentSetDefaultParams(dps: ContentDefaultParamStruct, /) -> None: ...
def ContentPluginUnloading() -> None: ...
def ContentStopGetValue(FileName: str | None, /) -> None: ...
def ContentStopGetValueW(FileName: str | None, /) -> None: ...
