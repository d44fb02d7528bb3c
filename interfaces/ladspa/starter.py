"""@NAME@: an audio effect (LADSPA) written in Python.

Made by `epy-codegen new @NAME@ --pack ladspa`. As it stands it multiplies
the input by a Gain control: replace the TODO with your effect. Build,
type-check and try it:

    epy-codegen build @NAME@.py --pack ladspa
    python3 -m mypy --strict @NAME@.py
    applyplugin in.wav out.wav ./@NAME@.so @NAME@ 0.5
"""

from @MODULE@ import AudioIn, AudioOut, ControlIn, Plugin, descriptors


class Effect(Plugin):
    """One instance per host instantiation: keep state on `self`."""

    label = "@NAME@"
    unique_id = 9999  # TODO: a unique id (see ladspa.org)
    name = "@NAME@"
    gain = ControlIn("Gain", lower=0.0, upper=4.0, default=1)
    input = AudioIn("Input")
    output = AudioOut("Output")

    def run(self, n: int) -> None:
        """Processes n samples: ports are memoryviews of the host's buffers."""
        g, src, dst = self.gain, self.input, self.output
        for i in range(n):
            dst[i] = src[i] * g  # TODO: your effect


ladspa_descriptor = descriptors(Effect)
