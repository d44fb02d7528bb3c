# --- The ladspa pack's authoring layer (interfaces/ladspa/layer.py) ---------
from collections.abc import Callable as _Callable
from typing import ClassVar as _ClassVar, Literal as _Literal, overload as _overload

_Default = _Literal["minimum", "low", "middle", "high", "maximum", 0, 1, 100, 440]

class PortRangeHint:
    """One LADSPA_PortRangeHint: what hosts read to draw a control."""
    HintDescriptor: int
    LowerBound: float
    UpperBound: float
    def __init__(self, hint: int, lower: float, upper: float) -> None: ...

class _Port:
    kind: _ClassVar[int]
    name: str
    index: int
    hint: PortRangeHint
    def __init__(
        self,
        name: str,
        *,
        lower: float | None = None,
        upper: float | None = None,
        default: _Default | None = None,
        logarithmic: bool = False,
        integer: bool = False,
        toggled: bool = False,
        sample_rate: bool = False,
    ) -> None: ...

class AudioIn(_Port):
    """An audio input: a float32 memoryview of the host's buffer (n samples, no copy)."""
    @_overload
    def __get__(self, obj: None, owner: type | None = None) -> AudioIn: ...
    @_overload
    def __get__(self, obj: Plugin, owner: type | None = None) -> memoryview[float]: ...

class AudioOut(AudioIn):
    """An audio output: write the n samples into the memoryview."""

class ControlIn(_Port):
    """A control input: the host's current value."""
    @_overload
    def __get__(self, obj: None, owner: type | None = None) -> ControlIn: ...
    @_overload
    def __get__(self, obj: Plugin, owner: type | None = None) -> float: ...

class ControlOut(ControlIn):
    """A control output: assign a float to report it to the host."""
    def __set__(self, obj: Plugin, value: float) -> None: ...

class Plugin:
    """Base class of a LADSPA plugin: set `label`, `unique_id`, `name`, declare
    ports as class attributes, implement `run(n)`."""
    label: _ClassVar[str]
    unique_id: _ClassVar[int]
    name: _ClassVar[str]
    maker: _ClassVar[str]
    copyright: _ClassVar[str]
    properties: _ClassVar[int]
    on_error: _ClassVar[_Literal["silence", "passthrough"]]
    sample_rate: int
    def __init__(self, sample_rate: int) -> None: ...
    def activate(self) -> None: ...
    def deactivate(self) -> None: ...
    def cleanup(self) -> None: ...
    def run(self, n: int) -> None: ...

def descriptors(*plugins: type[Plugin]) -> _Callable[[int], type[Plugin] | None]:
    """`ladspa_descriptor = descriptors(Gain, Delay)`: the export the host
    calls with 0, 1, ... until it returns None."""
