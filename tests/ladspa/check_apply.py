#!/usr/bin/env python3
"""Verify a LADSPA library with the real SDK host, ``applyplugin``.

Usage:
    check_apply.py LIB.so --label epy_gain|epy_lowpass [--control VALUE]
                   [--rate 44100] [--seconds 0.5] [--tail 0.05]
                   [--tolerance LSB] [--expect-silence | --expect-passthrough]

A deterministic 16-bit mono WAV (log sine sweep + pseudo-random noise, peak
about 0.45 of full scale) is run through ``applyplugin`` and the output is
compared sample by sample with a model of what the C reference effects
(benches/ladspa/c_effects.c) produce *through this host*.  Why model the host:
applyplugin converts 16-bit samples to float and back, and its conversion is
not the textbook ``round(x * 32767)``; a reference that ignores it is off by
one LSB on about half of the samples and cannot be exact.

How ladspa-sdk 1.17 applyplugin (Debian 1.17-1, linked to libsndfile 1.2.0)
converts, found by experiment (all 65536 sample values through epy_gain at
gains 1, 2, 0.5, 1.5, 0.999, 3.7, -1) and confirmed in its disassembly:

* Input: libsndfile ``sf_readf_float`` with normalisation: x = s / 32768,
  exact in float.  -32768 -> -1.0, 32767 -> 0.999969...
* The input and output ports are connected to the *same* buffer (in place),
  so a plugin that writes nothing at all looks like a pass-through, not like
  silence.
* run() gets blocks of at most 2048 frames: the input file in 2048-frame
  blocks plus its remainder, then the ``-s`` tail separately (e.g. 22050 +
  2205 frames -> 10 x 2048, 1570, 2048, 157).  When the input length is a
  multiple of 2048 there is one extra ``run(handle, 0)`` after the input
  (``--rate 32768 --seconds 0.5`` triggers it: 16384 frames).
* Control values are ``(float)strtod(arg)``; bounds are not enforced.
* Output: applyplugin computes v = y * 2**31 in float, clamps v to
  [-2**31, 2**31], converts with ``llrintf`` (round half to even), keeps the
  low 32 bits, and hands the int32 to ``sf_writef_int``; libsndfile then
  stores ``i >> 16`` (arithmetic shift).  Net effect:
    out = floor(y * 32768)   for -1 <= y < 1   (floor, NOT round; only for
                             |y| < 2**-8 can the llrintf step first round
                             y * 2**31 up to the next multiple of 65536),
    y <= -1  -> -32768       (clipped),
    y >= 1   -> -32768       (!! the clamp to exactly 2**31 overflows int32:
                              positive overflow wraps to the most negative
                              sample instead of clipping to 32767),
    y NaN    -> 0.
  Hence gain 1 is an exact identity, gain 0.5 maps 32767 -> 16383 and
  -32767 -> -16384, and gain 2 maps 32767 -> -32768.
* ``-s SECONDS`` appends (unsigned long)((float)SECONDS * rate) frames, for
  which the plugin is run on zero input (44100 Hz, 0.05 s -> 2205 frames).

The gain model reproduces the host bit for bit (default tolerance 0 LSB); the
low-pass model recomputes the double-precision recurrence of c_effects.c
(default tolerance 1 LSB, for a libm ``exp`` that may differ in the last bit).

Exit status: 0 when every sample is within tolerance, 1 on any mismatch or
host failure, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import math
import os
import struct
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

LABELS = ("epy_gain", "epy_lowpass")
DEFAULT_CONTROL = {"epy_gain": 1.0, "epy_lowpass": 440.0}  # the ports' declared defaults
DEFAULT_TOLERANCE = {"epy_gain": 0, "epy_lowpass": 1}
MAX_SHOWN = 10  # mismatches printed before giving up


def f32(x: float) -> float:
    """Round a double to the nearest float32, as a C ``(float)`` cast does."""
    result: float = struct.unpack("<f", struct.pack("<f", x))[0]
    return result


def host_to_float(sample: int) -> float:
    """applyplugin's 16-bit -> float conversion (libsndfile, exact)."""
    return sample / 32768.0


def host_from_float(y: float) -> int:
    """applyplugin's float -> 16-bit conversion, including its overflow wrap.

    ``y`` must already be a float32 value: the plugin's output buffer holds
    floats, and scaling by 2**31 is then exact in double precision too.
    """
    if math.isnan(y):
        return 0  # llrintf(NaN) is 0x8000000000000000; its low 32 bits are 0
    v = y * 2147483648.0
    if v >= 2147483648.0:
        v = 2147483648.0  # the host's clamp ...
    elif v <= -2147483648.0:
        v = -2147483648.0
    i = round(v)  # llrintf: round half to even, like Python's round()
    if i == 2**31:
        i = -(2**31)  # ... keeps the low 32 bits of llrintf(2**31): wraps
    return i >> 16  # libsndfile int -> 16 bit: arithmetic shift (floor)


def test_signal(frames: int, rate: int) -> list[int]:
    """Deterministic program material: log sweep plus LCG noise, peak < 0.45 FS.

    The sweep exercises the low-pass across its whole band; the noise gives
    odd sample values, which is where floor-versus-round shows.
    """
    f0, f1 = 20.0, 0.45 * rate
    duration = max(frames, 1) / rate
    k = math.log(f1 / f0) / duration
    seed = 0x2545F491
    out: list[int] = []
    for n in range(frames):
        t = n / rate
        phase = 2.0 * math.pi * f0 * (math.exp(k * t) - 1.0) / k
        seed = (seed * 1664525 + 1013904223) & 0xFFFFFFFF  # Numerical Recipes LCG
        noise = (seed >> 8) / float(1 << 24) * 2.0 - 1.0
        out.append(int(round(32768.0 * (0.35 * math.sin(phase) + 0.1 * noise))))
    return out


def reference_gain(control: float) -> Callable[[Sequence[int]], list[int]]:
    gain = f32(control)  # applyplugin passes (float)strtod(arg)

    def apply(samples: Sequence[int]) -> list[int]:
        # x * gain of two floats is exact in double; f32() is then the one
        # float rounding that C's float multiply performs.
        return [host_from_float(f32(host_to_float(s) * gain)) for s in samples]

    return apply


def reference_lowpass(control: float, rate: int) -> Callable[[Sequence[int]], list[int]]:
    cutoff = f32(control)
    # Same expression order as c_effects.c: ((2*pi)*cutoff)/rate, in double.
    a = 1.0 - math.exp(-2.0 * math.pi * cutoff / float(rate))

    def apply(samples: Sequence[int]) -> list[int]:
        y = 0.0  # activate() resets the state; block boundaries do not matter
        out: list[int] = []
        for s in samples:
            y = y + a * (host_to_float(s) - y)
            out.append(host_from_float(f32(y)))
        return out

    return apply


def write_wav(path: Path, samples: Sequence[int], rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack(f"<{len(samples)}h", *samples))


def read_wav(path: Path) -> tuple[list[int], int]:
    with wave.open(str(path), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(
                f"{path}: expected 16-bit mono, got {w.getnchannels()} channel(s) "
                f"of {8 * w.getsampwidth()} bits"
            )
        n = w.getnframes()
        data = w.readframes(n)
        return list(struct.unpack(f"<{n}h", data)), w.getframerate()


def tail_frames(seconds: float, rate: int) -> int:
    """Frames applyplugin appends for ``-s seconds``: float arithmetic, truncated."""
    return int(f32(f32(seconds) * f32(float(rate))))


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Check a LADSPA library (epy_gain / epy_lowpass) with the SDK's applyplugin."
    )
    p.add_argument("lib", type=Path, help="path of the LADSPA .so")
    p.add_argument("--label", required=True, choices=LABELS)
    p.add_argument("--control", type=float, help="control port value (default: the port default)")
    p.add_argument("--rate", type=int, default=44100, help="sample rate of the test WAV")
    p.add_argument("--seconds", type=float, default=0.5, help="length of the test signal")
    p.add_argument(
        "--tail", type=float, default=0.05,
        help="seconds of silence applyplugin appends (-s); 0 to disable",
    )
    p.add_argument("--tolerance", type=int, help="allowed |diff| in LSB (default: 0 gain, 1 lowpass)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--expect-silence", action="store_true", help="every output sample must be 0")
    mode.add_argument(
        "--expect-passthrough", action="store_true",
        help="output must equal input (tail: 0); note applyplugin runs in place",
    )
    p.add_argument("--keep", type=Path, help="keep in.wav/out.wav in this directory")
    return p.parse_args(argv)


def run_applyplugin(lib: Path, label: str, control: float, tail: float,
                    wav_in: Path, wav_out: Path) -> bool:
    # A plugin "file name" containing '/' is dlopen()ed as given; LADSPA_PATH
    # is set anyway so that the library's directory is where hosts look.
    env = dict(os.environ, LADSPA_PATH=str(lib.parent))
    cmd = ["applyplugin"]
    if tail > 0:
        cmd += ["-s", repr(tail)]
    cmd += [str(wav_in), str(wav_out), str(lib), label, repr(control)]
    print("check_apply: $ " + " ".join(cmd))
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        how = (f"was killed by signal {-proc.returncode}" if proc.returncode < 0
               else f"exited with status {proc.returncode}")
        print(f"check_apply: applyplugin {how}")
        sys.stdout.write(proc.stdout)
        sys.stdout.write(proc.stderr)
        return False
    return True


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    lib: Path = args.lib.resolve()
    label: str = args.label
    rate: int = args.rate
    control: float = DEFAULT_CONTROL[label] if args.control is None else args.control
    tail: float = args.tail
    if not lib.is_file():
        print(f"check_apply: no such library: {lib}")
        return 2
    if rate <= 0 or args.seconds <= 0 or tail < 0:
        print("check_apply: --rate and --seconds must be positive, --tail non-negative")
        return 2

    signal = test_signal(int(args.seconds * rate), rate)
    padded = signal + [0] * (tail_frames(tail, rate) if tail > 0 else 0)
    if args.expect_silence:
        what, expected, tolerance = "silence", [0] * len(padded), 0
    elif args.expect_passthrough:
        what, expected, tolerance = "passthrough", list(padded), 0
    else:
        model = reference_gain(control) if label == "epy_gain" else reference_lowpass(control, rate)
        what, expected = f"{label}({control:g})", model(padded)
        tolerance = DEFAULT_TOLERANCE[label] if args.tolerance is None else args.tolerance

    with tempfile.TemporaryDirectory(prefix="check_apply.") as tmp:
        work = Path(tmp) if args.keep is None else args.keep
        work.mkdir(parents=True, exist_ok=True)
        wav_in, wav_out = work / "in.wav", work / "out.wav"
        write_wav(wav_in, signal, rate)
        if not run_applyplugin(lib, label, control, tail, wav_in, wav_out):
            return 1
        got, got_rate = read_wav(wav_out)

    if got_rate != rate or len(got) != len(expected):
        print(f"check_apply: output is {len(got)} frames at {got_rate} Hz, "
              f"expected {len(expected)} frames at {rate} Hz")
        return 1
    bad = [i for i, (e, g) in enumerate(zip(expected, got)) if abs(e - g) > tolerance]
    max_diff = max((abs(e - g) for e, g in zip(expected, got)), default=0)
    if bad:
        print(f"check_apply: {what}: {len(bad)} of {len(got)} samples off by more than "
              f"{tolerance} LSB (max |diff| {max_diff} LSB); first ones:")
        for i in bad[:MAX_SHOWN]:
            print(f"  frame {i}: input {padded[i]}, expected {expected[i]}, got {got[i]}")
        return 1
    print(f"check_apply: {len(got)} samples, max |diff| {max_diff} LSB, OK ({what}, {lib.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
