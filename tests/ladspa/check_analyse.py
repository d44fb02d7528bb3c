#!/usr/bin/env python3
"""Check a LADSPA library's descriptors with the SDK's own inspectors.

Usage:
    check_analyse.py LIB.so LABEL        (LABEL: epy_gain or epy_lowpass)

Runs ``analyseplugin LIB.so LABEL`` and ``listplugins`` (LADSPA_PATH = the
library's directory) and compares what *they print* with the contract of
benches/ladspa/c_effects.c.  Going through the SDK tools rather than reading
the descriptor ourselves is the point: it is what a user's host will see, so
it also catches a descriptor that is right in memory but wrongly exported
(wrong index order, strings freed too early, bad hint bits).

Every check is printed; exit status 0 when all pass, 1 otherwise, 2 on bad
usage.

Notes on what the tools print (ladspa-sdk 1.17):
* Port line: ``"NAME" input|output, control|audio[, LOW to HIGH][, default D]
  [, logarithmic]`` - bounds with %g, defaults 0/1/100/440 by name.
* LADSPA 1.1 has no DEFAULT_1000 hint; an undefined default code prints
  ``UNKNOWN DEFAULT CODE``.  The low-pass therefore uses DEFAULT_440.
* ``Environment: Normal or Hard Real-Time`` means LADSPA_PROPERTY_HARD_RT_CAPABLE.
* Structural problems are printed as lines containing ``ERROR`` and a plugin
  with INPLACE_BROKEN gets "cannot use in-place processing"; applyplugin
  refuses such plugins, so both count as failures here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Spec:
    unique_id: int
    name: str
    maker: str
    copyright: str
    hard_rt: bool | None  # None: not specified by the contract, only reported
    ports: tuple[str, ...]  # analyseplugin's rendering, in port order


SPECS: dict[str, Spec] = {
    "epy_gain": Spec(
        unique_id=4901, name="epy gain", maker="epy", copyright="MIT", hard_rt=None,
        ports=(
            '"Gain" input, control, 0 to 8, default 1',
            '"Input" input, audio',
            '"Output" output, audio',
        ),
    ),
    "epy_lowpass": Spec(
        unique_id=4902, name="epy one-pole low-pass", maker="epy", copyright="MIT", hard_rt=None,
        ports=(
            '"Cutoff (Hz)" input, control, 10 to 20000, default 440, logarithmic',
            '"Input" input, audio',
            '"Output" output, audio',
        ),
    ),
}


class Checker:
    def __init__(self) -> None:
        self.failures = 0

    def check(self, what: str, expected: object, got: object) -> None:
        ok = expected == got
        self.failures += not ok
        if ok:
            print(f"  ok    {what}: {got!r}")
        else:
            print(f"  FAIL  {what}: expected {expected!r}, got {got!r}")

    def require(self, what: str, ok: bool, detail: str = "") -> None:
        self.failures += not ok
        # The detail explains a failure; on success it would only be noise.
        print(f"  ok    {what}" if ok else f"  FAIL  {what}{': ' + detail if detail else ''}")


def run(cmd: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    print("check_analyse: $ " + " ".join(cmd))
    return subprocess.run(list(cmd), env=env, capture_output=True, text=True, timeout=60)


def parse_analyse(text: str) -> tuple[dict[str, str], list[str]]:
    """Split analyseplugin's report into 'Key: value' fields and port lines."""
    fields: dict[str, str] = {}
    ports: list[str] = []
    in_ports = False
    for line in text.splitlines():
        if line.startswith("Ports:"):
            in_ports = True
            line = line[len("Ports:"):]
        if in_ports and line.startswith("\t"):
            ports.append(line.strip())
        elif ": " in line and not in_ports:
            key, value = line.split(": ", 1)
            fields[key.strip()] = value.strip()
    return fields, ports


def unquote(value: str | None) -> str | None:
    if value is not None and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def check_analyseplugin(c: Checker, lib: Path, label: str, spec: Spec, env: dict[str, str]) -> None:
    proc = run(["analyseplugin", str(lib), label], env)
    c.check("analyseplugin exit status", 0, proc.returncode)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout + proc.stderr)
        return
    fields, ports = parse_analyse(proc.stdout)
    c.check("Plugin Label", label, unquote(fields.get("Plugin Label")))
    c.check("Plugin Unique ID", str(spec.unique_id), fields.get("Plugin Unique ID"))
    c.check("Plugin Name", spec.name, unquote(fields.get("Plugin Name")))
    c.check("Maker", spec.maker, unquote(fields.get("Maker")))
    c.check("Copyright", spec.copyright, unquote(fields.get("Copyright")))
    c.check("Must Run Real-Time", "No", fields.get("Must Run Real-Time"))
    environment = fields.get("Environment")
    if spec.hard_rt is None:
        print(f"  info  Environment: {environment!r} (not part of the contract)")
    else:
        c.check("Environment (HARD_RT_CAPABLE)",
                "Normal or Hard Real-Time" if spec.hard_rt else "Normal", environment)
    for key in ("Has activate() Function", "Has deactivate() Function", "Has run_adding() Function"):
        print(f"  info  {key}: {fields.get(key)!r}")
    c.check("port count", len(spec.ports), len(ports))
    for i, expected in enumerate(spec.ports):
        c.check(f"port {i}", expected, ports[i] if i < len(ports) else None)
    problems = [ln.strip() for ln in (proc.stdout + proc.stderr).splitlines()
                if "ERROR" in ln or "cannot use in-place" in ln]
    c.require("no ERROR / in-place warnings from analyseplugin", not problems, "; ".join(problems))


def check_listplugins(c: Checker, lib: Path, label: str, spec: Spec, env: dict[str, str]) -> None:
    proc = run(["listplugins"], env)
    c.check("listplugins exit status", 0, proc.returncode)
    # Output: one "PATH:" header per library file, then "\tNAME (ID/LABEL)".
    sections: dict[Path, list[str]] = {}
    current: list[str] | None = None
    for line in proc.stdout.splitlines():
        if line.startswith("\t"):
            if current is not None:
                current.append(line.strip())
        elif line.endswith(":"):
            current = sections.setdefault(Path(os.path.realpath(line[:-1])), [])
    entries = sections.get(lib)
    c.require(f"listplugins lists {lib.name}", entries is not None,
              f"libraries seen: {[str(p) for p in sections]}")
    if entries is not None:
        want = f"{spec.name} ({spec.unique_id}/{label})"
        c.require(f"listplugins entry {want!r}", want in entries, f"entries: {entries}")


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2 or argv[1] not in SPECS:
        print(f"usage: check_analyse.py LIB.so {'|'.join(SPECS)}", file=sys.stderr)
        return 2
    lib = Path(argv[0]).resolve()
    label = argv[1]
    if not lib.is_file():
        print(f"check_analyse: no such library: {lib}", file=sys.stderr)
        return 2
    spec = SPECS[label]
    env = dict(os.environ, LADSPA_PATH=str(lib.parent))
    c = Checker()
    print(f"check_analyse: {lib} {label} (LADSPA_PATH={lib.parent})")
    check_analyseplugin(c, lib, label, spec, env)
    check_listplugins(c, lib, label, spec, env)
    if c.failures:
        print(f"check_analyse: {label}: {c.failures} check(s) FAILED")
        return 1
    print(f"check_analyse: {label}: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
