"""A LADSPA gain in Python: Output = Input * Gain.

Build: ``epy-codegen build gain.py --pack ladspa`` → ``gain.so`` (and
``ladspa_h.pyi`` beside this file for your editor). Try it with the SDK's host:
``applyplugin in.wav out.wav ./gain.so epy_gain 0.5``.
"""

from ladspa_h import AudioIn, AudioOut, ControlIn, Plugin, descriptors


class Gain(Plugin):
    """Multiplies every sample by the Gain control."""

    label = "epy_gain"
    unique_id = 4901
    name = "epy gain"
    maker = "epy"
    copyright = "MIT"

    gain = ControlIn("Gain", lower=0.0, upper=8.0, default=1)
    input = AudioIn("Input")
    output = AudioOut("Output")

    def run(self, n: int) -> None:
        g = self.gain
        src, dst = self.input, self.output
        for i in range(n):
            dst[i] = src[i] * g


ladspa_descriptor = descriptors(Gain)
