# The ladspa pack's authoring layer: run by epy inside the `ladspa_h` module a
# plugin script imports, next to the header's constants (LADSPA_*). epy lends
# it `buffer_at` (memoryviews over raw host addresses): it is captured in a
# closure below and deleted from the module, so scripts cannot import it.
# Types are in layer.pyi (no `typing` import here: a fresh interpreter would
# pay for it at load).
"""Write LADSPA plugins as classes: declare ports as class attributes,
implement `run(n)`; `descriptors(...)` makes the `ladspa_descriptor` export."""

import time as _time

_DEFAULTS = {
    "minimum": LADSPA_HINT_DEFAULT_MINIMUM,
    "low": LADSPA_HINT_DEFAULT_LOW,
    "middle": LADSPA_HINT_DEFAULT_MIDDLE,
    "high": LADSPA_HINT_DEFAULT_HIGH,
    "maximum": LADSPA_HINT_DEFAULT_MAXIMUM,
    0: LADSPA_HINT_DEFAULT_0,
    1: LADSPA_HINT_DEFAULT_1,
    100: LADSPA_HINT_DEFAULT_100,
    440: LADSPA_HINT_DEFAULT_440,
}


class PortRangeHint:
    """One LADSPA_PortRangeHint: what hosts read to draw a control."""

    def __init__(self, hint, lower, upper):
        self.HintDescriptor = hint
        self.LowerBound = lower
        self.UpperBound = upper


class _Port:
    kind = 0

    def __init__(self, name, *, lower=None, upper=None, default=None,
                 logarithmic=False, integer=False, toggled=False, sample_rate=False):
        hint = 0
        if lower is not None:
            hint |= LADSPA_HINT_BOUNDED_BELOW
        if upper is not None:
            hint |= LADSPA_HINT_BOUNDED_ABOVE
        if logarithmic:
            hint |= LADSPA_HINT_LOGARITHMIC
        if integer:
            hint |= LADSPA_HINT_INTEGER
        if toggled:
            hint |= LADSPA_HINT_TOGGLED
        if sample_rate:
            hint |= LADSPA_HINT_SAMPLE_RATE
        if default is not None:
            if default not in _DEFAULTS:
                raise ValueError(
                    f"port {name!r}: default must be one of {sorted(map(str, _DEFAULTS))} "
                    "(LADSPA states defaults as hints)")
            hint |= _DEFAULTS[default]
        self.name = name
        self.hint = PortRangeHint(hint, float(lower or 0.0), float(upper or 0.0))
        self.index = -1

    def __set_name__(self, owner, attr):
        self.attr = attr


class AudioIn(_Port):
    """An audio input: reading it in `run` gives a float32 memoryview of
    the host's buffer (n samples, no copy)."""

    kind = LADSPA_PORT_AUDIO | LADSPA_PORT_INPUT

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return obj._epy_audio(self.index)


class AudioOut(AudioIn):
    """An audio output: write the n samples into the memoryview."""

    kind = LADSPA_PORT_AUDIO | LADSPA_PORT_OUTPUT


class ControlIn(_Port):
    """A control input: reading it gives the host's current value (float)."""

    kind = LADSPA_PORT_CONTROL | LADSPA_PORT_INPUT

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return obj._epy_control(self.index)[0]


class ControlOut(ControlIn):
    """A control output: assign a float to report it to the host."""

    kind = LADSPA_PORT_CONTROL | LADSPA_PORT_OUTPUT

    def __set__(self, obj, value):
        obj._epy_control(self.index)[0] = value


def _epy_port_views(buffer_at):
    # The port memoryviews, made with the `buffer_at` epy lends the layer.
    def _epy_audio(self, i):
        view = self._epy_views[i]
        if view is None or len(view) != self._epy_n:
            address = self._epy_addr[i]
            if address is None:
                raise RuntimeError(f"port {self._epy_ports[i].name!r} is not connected")
            view = self._epy_views[i] = buffer_at(address, self._epy_n, "f")
        return view

    def _epy_control(self, i):
        view = self._epy_views[i]
        if view is None:
            address = self._epy_addr[i]
            if address is None:
                raise RuntimeError(f"port {self._epy_ports[i].name!r} is not connected")
            view = self._epy_views[i] = buffer_at(address, 1, "f")
        return view

    return _epy_audio, _epy_control


class Plugin:
    """Base class of a LADSPA plugin. Set `label`, `unique_id`, `name`
    (and `maker`, `copyright`), declare ports, implement `run(n)`; the host
    creates one object per instance with `__init__(sample_rate)`."""

    maker = "Unknown"
    copyright = "None"
    # Python allocates and may wait for the GIL: not hard real-time.
    properties = 0
    on_error = "silence"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        ports = []
        for klass in reversed(cls.__mro__):
            for value in vars(klass).values():
                if isinstance(value, _Port) and value not in ports:
                    ports.append(value)
        for i, port in enumerate(ports):
            port.index = i
        if cls.on_error not in ("silence", "passthrough"):
            raise ValueError(f"{cls.__name__}.on_error must be 'silence' or 'passthrough'")
        cls._epy_ports = ports
        # The LADSPA_Descriptor fields, read by epy when the host asks.
        cls.UniqueID = getattr(cls, "unique_id", 0)
        cls.Label = getattr(cls, "label", cls.__name__)
        cls.Name = getattr(cls, "name", cls.__name__)
        cls.Maker = cls.maker
        cls.Copyright = cls.copyright
        cls.Properties = cls.properties
        cls.PortCount = len(ports)
        cls.PortDescriptors = [p.kind for p in ports]
        cls.PortNames = [p.name for p in ports]
        cls.PortRangeHints = [p.hint for p in ports]
        cls._epy_outputs = [p.index for p in ports if p.kind == AudioOut.kind]
        cls._epy_inputs = [p.index for p in ports if p.kind == AudioIn.kind]

    def __init__(self, sample_rate):
        self.sample_rate = sample_rate

    def activate(self):
        """Called before the first `run` (and after a `deactivate`)."""

    def deactivate(self):
        """Called when the host stops running the instance."""

    def cleanup(self):
        """Called once, last; the instance is dropped after it."""

    def run(self, n):
        raise NotImplementedError(f"{type(self).__name__}.run")

    # --- what the descriptor's function pointers call --------------------
    @classmethod
    def instantiate(cls, sample_rate):
        self = cls.__new__(cls)
        count = len(cls._epy_ports)
        self._epy_addr = [None] * count
        self._epy_views = [None] * count
        self._epy_n = 0
        self._epy_logged = -1.0
        self.__init__(sample_rate)
        return self

    def connect_port(self, port, location):
        self._epy_addr[port] = location
        self._epy_views[port] = None

    def _epy_run(self, n):
        self._epy_n = n
        try:
            self.run(n)
        except Exception:
            self._epy_failed()

    _epy_audio, _epy_control = _epy_port_views(buffer_at)

    def _epy_failed(self):
        # The host gets silence (or the input) for this block; the exception
        # goes to the plugin's log at most once a second.
        for i in self._epy_outputs:
            out = self._epy_audio(i).cast("B")
            if self.on_error == "passthrough" and self._epy_inputs:
                out[:] = self._epy_audio(self._epy_inputs[0]).cast("B")
            else:
                out[:] = bytes(len(out))
        now = _time.monotonic()
        if now - self._epy_logged >= 1.0:
            self._epy_logged = now
            raise


def descriptors(*plugins):
    """`ladspa_descriptor = descriptors(Gain, Delay)`: the export the host
    calls with 0, 1, … until it returns None."""

    def ladspa_descriptor(index):
        return plugins[index] if 0 <= index < len(plugins) else None

    return ladspa_descriptor


del buffer_at, _epy_port_views
