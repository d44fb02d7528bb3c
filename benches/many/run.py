#!/usr/bin/env python3
"""The many-plugin benchmark of issue 15: one epy plugin copied under N names
into one folder (the README layout: `p000.so` beside `p000.py`, and a
`p000.toml` sidecar for a mode other than the default), all loaded by one C
host (benches/many/host.c).

    python3 benches/many/run.py [--rounds R] [--cpu-time] [--target-dir DIR]

Prints, per interpreter mode (shared; own-gil with Python 3.12+) and N = 1,
50, 200: load time and resident memory per plugin, ns per `add` on one plugin
and round-robin over all N from one host thread; two floors of hand-written
C-API code: `benches/many/floor.c` (N sub-interpreters, one copy of the code:
what the interpreters cost by themselves) and `benches/many/floor_plugin.c`
copied N times (what separate libraries cost by themselves), and `benches/many/floor_runtime.c`
shared by N copies of `benches/many/floor_stub.c` (what a shared runtime library
could reach); and the p50/p99 latency of a call into
plugin B while plugin A runs a CPU-bound call on another thread. Run with
another Python (`python3.12 benches/many/run.py`) to measure that version.
`benches/run.py` calls `section()`. Standard library only.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SIZES = (1, 50, 200)
# Issue 15: round-robin over 200 plugins <= 1.5x a call to one (then 1.3x).
TARGET = 1.5


def run(cmd, *, env=None, timeout=900, what=None):
    """Runs cmd; returns stdout; raises RuntimeError with the tail of stderr."""
    p = subprocess.run([str(c) for c in cmd], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        tail = (p.stderr + p.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{what or cmd[0]}: exit {p.returncode}: {' | '.join(tail)}")
    return p.stdout


def parse(stdout):
    vals = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                vals[parts[0]] = float(parts[1])
            except ValueError:
                pass
    return vals


def python_flags():
    """gcc flags to embed the running Python."""
    include = sysconfig.get_paths()["include"]
    libdir = sysconfig.get_config_var("LIBDIR")
    ldv = sysconfig.get_config_var("LDVERSION")
    return [f"-I{include}", f"-L{libdir}", f"-Wl,-rpath,{libdir}", f"-lpython{ldv}", "-ldl", "-lm", "-lpthread"]


def modes():
    """The interpreter modes this Python supports, as sidecar values."""
    return ["shared", "own-gil"] if sys.version_info >= (3, 12) else ["shared"]


def populate(lib, script, folder, n, mode):
    """n copies of the plugin, each beside its script (and sidecar)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(n):
        stem = folder / f"p{i:03d}"
        shutil.copy(lib, f"{stem}.so")
        shutil.copy(script, f"{stem}.py")
        if mode != "shared":
            Path(f"{stem}.toml").write_text(f'[plugin]\ninterpreter = "{mode}"\n')


def median_runs(cmd, rounds, what):
    runs = [parse(run(cmd, timeout=600, what=what)) for _ in range(rounds)]
    return {k: statistics.median(r[k] for r in runs if k in r) for k in runs[0]}


def section(codegen, target_dir, out, rounds=3, cpu_time=False, log=print):
    """Builds and runs everything; returns the report's lines (Markdown)."""
    out.mkdir(parents=True, exist_ok=True)
    host = out / "host"
    run(["gcc", "-O2", "-Wall", "-o", host, HERE / "host.c", "-ldl", "-lpthread"], what="gcc many/host.c")
    floor = out / "floor"
    run(["gcc", "-O2", "-Wall", "-o", floor, HERE / "floor.c", *python_flags()], what="gcc many/floor.c")
    floor_src = out / "floor-src"
    floor_src.mkdir(parents=True, exist_ok=True)
    run(["gcc", "-O2", "-Wall", "-shared", "-fPIC", "-o", floor_src / "many.so", HERE / "floor_plugin.c",
         *python_flags()], what="gcc many/floor_plugin.c")
    (floor_src / "many.py").write_text("# unused: floor_plugin.c defines its functions itself\n")
    # The shared-runtime floor: one libfloor_runtime.so, N stub libraries that link it.
    rt_src = out / "floor-rt-src"
    rt_src.mkdir(parents=True, exist_ok=True)
    run(["gcc", "-O2", "-Wall", "-shared", "-fPIC", "-o", rt_src / "libfloor_runtime.so", HERE / "floor_runtime.c",
         *python_flags()], what="gcc many/floor_runtime.c")
    run(["gcc", "-O2", "-Wall", "-shared", "-fPIC", "-o", rt_src / "many.so", HERE / "floor_stub.c",
         f"-L{rt_src}", f"-Wl,-rpath,{rt_src}", "-lfloor_runtime"], what="gcc many/floor_stub.c")
    (rt_src / "many.py").write_text("# unused: floor_runtime.c defines its functions itself\n")
    src = out / "src"
    src.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "many.py", src / "many.py")
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir))
    log("many: build the plugin")
    run([codegen, "build", src / "many.py", "--header", HERE / "many.h", "-o", src,
         "--target-dir", target_dir, "--python", sys.executable], env=env, what="epy-codegen build many.py")
    clock = ["--cpu-time"] if cpu_time else []
    rows = [
        "| mode | N | load ms / plugin | RSS KiB / plugin | one ns | round-robin ns | rr / one | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    lat_rows = ["| mode | p50 µs | p99 µs | max µs | samples |", "|---|---:|---:|---:|---:|"]
    missed = []
    for mode in modes():
        folder = out / mode
        populate(src / "many.so", src / "many.py", folder, max(SIZES), mode)
        for n in SIZES:
            log(f"many: {mode}, N = {n}")
            v = median_runs([host, folder, n, *clock], rounds, f"many host {mode} N={n}")
            ratio = v["rr_ns"] / v["one_ns"]
            load = f"{v['load_ms']:.2f}" if "load_ms" in v else f"{v['load_first_ms']:.1f} (first)"
            rss = f"{v['rss_kb']:,.0f}" if "rss_kb" in v else f"{v['rss_first_kb']:,.0f} (first)"
            target = f"≤ {TARGET}×" if n == max(SIZES) else ""
            if target and ratio > TARGET:
                missed.append(f"{mode}: round-robin over {n} = {ratio:.2f}× one (target ≤ {TARGET}×)")
            rows.append(f"| {mode} | {n} | {load} | {rss} | {v['one_ns']:.0f} | {v['rr_ns']:.0f} | {ratio:.2f}× | {target} |")
        log(f"many: {mode}, latency")
        v = parse(run([host, folder, 2, "--latency"], timeout=600, what=f"many host {mode} --latency"))
        lat_rows.append(f"| {mode} | {v['lat_p50_us']:.1f} | {v['lat_p99_us']:.1f} | {v['lat_max_us']:.1f} | {v['lat_n']:.0f} |")
    for n in SIZES:
        log(f"many: floor, N = {n}")
        v = median_runs([floor, n, *clock], rounds, f"many floor N={n}")
        rows.append(f"| floor, one library | {n} | | | {v['one_ns']:.0f} | {v['rr_ns']:.0f} | {v['rr_ns'] / v['one_ns']:.2f}× | |")
    folder = out / "floor-libs"
    populate(floor_src / "many.so", floor_src / "many.py", folder, max(SIZES), "shared")
    for n in SIZES:
        log(f"many: floor libraries, N = {n}")
        v = median_runs([host, folder, n, *clock], rounds, f"many floor libraries N={n}")
        rows.append(f"| floor, N libraries | {n} | | | {v['one_ns']:.0f} | {v['rr_ns']:.0f} | {v['rr_ns'] / v['one_ns']:.2f}× | |")
    folder = out / "floor-rt-libs"
    populate(rt_src / "many.so", rt_src / "many.py", folder, max(SIZES), "shared")
    for n in SIZES:
        log(f"many: floor, shared runtime, N = {n}")
        v = median_runs([host, folder, n, *clock], rounds, f"many floor shared runtime N={n}")
        rows.append(f"| floor, shared runtime | {n} | | | {v['one_ns']:.0f} | {v['rr_ns']:.0f} | {v['rr_ns'] / v['one_ns']:.2f}× | |")
    return [
        f"Python {sys.version.split()[0]}. One plugin (`benches/many/many.py`) copied N times into one folder "
        "and dlopened RTLD_LOCAL by `benches/many/host.c`; load and RSS per plugin are means over plugins 2..N "
        "(the first starts Python); ns per `add`, median of 5 repetitions"
        + (" (thread CPU time)" if cpu_time else " (wall clock)")
        + f", median of {rounds} processes. `floor, one library`: N sub-interpreters on the main GIL called by "
        "one copy of hand-written C-API code (`benches/many/floor.c`); `floor, N libraries`: that code as a "
        "plugin library (`benches/many/floor_plugin.c`, its own sub-interpreter each) copied N times like the "
        "epy plugin: what separate libraries cost by themselves; `floor, shared runtime`: that code once, in one "
        "shared library (`benches/many/floor_runtime.c`) that N copies of a stub library (`benches/many/floor_stub.c`: "
        "exports that pass the library's own state) link: the best a shared runtime library could do.",
        "",
        *rows,
        "",
        "Latency of one `add` into plugin B while plugin A runs a CPU-bound `spin` on another thread:",
        "",
        *lat_rows,
        "",
        *([f"- own-gil: n/a on Python {sys.version.split()[0]} (3.12+: `python3.12 benches/many/run.py`)"]
          if sys.version_info < (3, 12) else []),
        *[f"- **missed**: {m}" for m in missed],
    ], missed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cpu-time", action="store_true")
    ap.add_argument("--target-dir", type=Path,
                    default=Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target"))
    args = ap.parse_args()
    target_dir = args.target_dir.resolve()
    run(["cargo", "build", "--release", "-q", "-p", "epy-codegen"],
        env=dict(os.environ, CARGO_TARGET_DIR=str(target_dir)), what="cargo build -p epy-codegen")
    out = ROOT / "target" / "bench" / "many" / f"py{sys.version_info[0]}{sys.version_info[1]}"
    lines, _ = section(target_dir / "release" / "epy-codegen", target_dir, out, args.rounds, args.cpu_time,
                       log=lambda m: print(f"[bench] {m}", file=sys.stderr, flush=True))
    print("\n".join(["## Many plugins in one process (issue 15)", "", *lines]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
