"""The gain with numpy: one vectorised multiply, in place, over the host's buffers.

numpy does not support sub-interpreters, so gain_numpy.toml (copied beside the
library by `epy-codegen build`) runs this plugin in the main interpreter.
Build: ``epy-codegen build gain_numpy.py --pack ladspa``.
"""

import numpy as np

from ladspa_h import AudioIn, AudioOut, ControlIn, Plugin, descriptors


class GainNumpy(Plugin):
    """Output = Input * Gain, as one numpy multiply into the host's buffer."""

    label = "epy_gain"
    unique_id = 4901
    name = "epy gain"
    maker = "epy"
    copyright = "MIT"

    gain = ControlIn("Gain", lower=0.0, upper=8.0, default=1)
    input = AudioIn("Input")
    output = AudioOut("Output")

    def run(self, n: int) -> None:
        # (as bytes for numpy's type hints; the same memory, no copy)
        src = np.frombuffer(self.input.cast("B"), dtype=np.float32)
        dst = np.frombuffer(self.output.cast("B"), dtype=np.float32)
        np.multiply(src, np.float32(self.gain), out=dst)


ladspa_descriptor = descriptors(GainNumpy)
