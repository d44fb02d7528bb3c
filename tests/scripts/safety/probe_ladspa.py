"""A LADSPA plugin that looks for the layer's raw-address helper and
reports in its name how many ways it found."""

import ladspa_h as ladspa
from ladspa_h import AudioIn, AudioOut, Plugin, descriptors


def _ways() -> int:
    found = 0
    try:
        from ladspa_h import buffer_at  # noqa: F401
        found += 1
    except ImportError:
        pass
    if hasattr(ladspa, "buffer_at"):
        found += 1
    if "buffer_at" in vars(ladspa) or "buffer_at" in Plugin.connect_port.__globals__:
        found += 1
    return found


class Probe(Plugin):
    label = "epy_probe"
    unique_id = 4999
    name = f"buffer_at reachable {_ways()} ways"

    input = AudioIn("Input")
    output = AudioOut("Output")

    def run(self, n: int) -> None:
        self.output[:] = self.input


ladspa_descriptor = descriptors(Probe)
