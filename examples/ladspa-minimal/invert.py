"""invert: the smallest LADSPA effect in Python (Output = -Input).

    epy-codegen build invert.py --pack ladspa
    python3 -m mypy --strict invert.py
    applyplugin in.wav out.wav ./invert.so epy_invert
"""

from ladspa_h import AudioIn, AudioOut, Plugin, descriptors


class Invert(Plugin):
    """Turns the signal upside down (a polarity flip)."""

    label = "epy_invert"
    unique_id = 4903
    name = "epy invert"
    input = AudioIn("Input")
    output = AudioOut("Output")

    def run(self, n: int) -> None:  # ports are memoryviews of the host's buffers
        src, dst = self.input, self.output
        for i in range(n):
            dst[i] = -src[i]


ladspa_descriptor = descriptors(Invert)
