"""A one-pole low-pass filter as a LADSPA plugin in Python.

``y[n] = y[n-1] + a * (x[n] - y[n-1])`` with ``a = 1 - exp(-2π·fc/rate)``;
``y`` carries over from one ``run`` to the next (and is per instance).

Build: ``epy-codegen build lowpass.py --pack ladspa`` → ``lowpass.so``; try
``applyplugin in.wav out.wav ./lowpass.so epy_lowpass 1000``.
"""

import math

from ladspa_h import AudioIn, AudioOut, ControlIn, Plugin, descriptors


class LowPass(Plugin):
    """Smooths the input: frequencies above the cutoff are attenuated."""

    label = "epy_lowpass"
    unique_id = 4902
    name = "epy one-pole low-pass"
    maker = "epy"
    copyright = "MIT"

    cutoff = ControlIn("Cutoff (Hz)", lower=10.0, upper=20000.0, logarithmic=True, default=440)
    input = AudioIn("Input")
    output = AudioOut("Output")

    def __init__(self, sample_rate: int) -> None:
        super().__init__(sample_rate)
        self.y = 0.0

    def activate(self) -> None:
        self.y = 0.0

    def run(self, n: int) -> None:
        a = 1.0 - math.exp(-2.0 * math.pi * self.cutoff / self.sample_rate)
        y = self.y
        src, dst = self.input, self.output
        for i in range(n):
            y += a * (src[i] - y)
            dst[i] = y
        self.y = y


ladspa_descriptor = descriptors(LowPass)
