"""A LADSPA gain whose run() always raises: the host must get silence (the
pack's declared behaviour), the log at most one traceback a second, and the
host must finish normally."""

from ladspa_h import AudioIn, AudioOut, ControlIn, Plugin, descriptors


class Broken(Plugin):
    """Declared like epy_gain; run() fails on every block."""

    label = "epy_gain"
    unique_id = 4901
    name = "epy gain"
    maker = "epy"
    copyright = "MIT"

    gain = ControlIn("Gain", lower=0.0, upper=8.0, default=1)
    input = AudioIn("Input")
    output = AudioOut("Output")

    def run(self, n: int) -> None:
        raise ZeroDivisionError("run() is broken on purpose")


ladspa_descriptor = descriptors(Broken)
