#!/usr/bin/env python3
"""The call-overhead benchmark of issue 5: one plugin interface (benches/calls.h),
four implementations, one C host, one table.

    python3 benches/run.py [--rounds R] [--cpu-time] [--target-dir DIR]

Builds, with the Python running this script (its headers and libpython):
  floor   benches/floor/floor.c      hand-written C-API stub, cached thread state per thread
  epy     benches/epy/calls.py       `epy-codegen build` (release)
  CFFI    benches/cffi/build.py      CFFI embedding mode (loaded RTLD_GLOBAL: it needs it)
  ctypes  benches/ctypes/shim.c      the 2008 mechanism: CFUNCTYPE callbacks behind a C shim
then runs benches/host.c against each (dlopen, first call, 5 cases), times
epy-codegen on /usr/include/sqlite3ext.h and an incremental plugin rebuild, and
prints one table, also written to target/bench/report.md. Exit status 0 even if
targets are missed (it is a report); 1 only if the floor itself cannot be built.
Standard library only.
"""

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ROOT / "benches"
OUT = ROOT / "target" / "bench"
SQLITE_HEADER = Path("/usr/include/sqlite3ext.h")
FIRST_CALL_PROCESSES = 5
CODEGEN_RUNS = 3

IMPLS = ["floor", "epy", "cffi", "ctypes"]
TITLES = {"floor": "floor", "epy": "epy", "cffi": "CFFI", "ctypes": "ctypes"}

# (key, label, unit, targets as [(reference implementation, max ratio of epy to it)])
CASES = [
    ("add_main", "`add`, loading thread", "ns", [("floor", 1.25), ("cffi", 0.5)]),
    ("add_thread", "`add`, host-created thread", "ns", [("floor", 1.25), ("cffi", 0.5)]),
    ("fill", "`fill`, struct by pointer", "ns", [("cffi", 0.5)]),
    ("sum", "`sum` of 1024 doubles", "ns", [("floor", 1.1)]),
    ("callback", "`call_cb`, host callback", "ns", [("cffi", 0.5)]),
    # Issue 5: 1.5x CFFI on 3.11 (a sub-interpreter costs more there), 1.1x on 3.12+.
    ("first_call_ms", "first call after dlopen", "ms", [("cffi", 1.5 if sys.version_info < (3, 12) else 1.1)]),
]
CODEGEN_TARGET_S = 1.0


class Failed(Exception):
    """A build or run step failed; the message is short, for a table cell."""


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def short(text, limit=160):
    """The most telling line of a tool's output: the last error-looking one."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The first specific compiler error beats cargo's "could not compile ... (see above)".
    vague = re.compile(r"see above|could not compile|aborting due to|warnings? emitted")
    for i, line in enumerate(lines):
        if re.match(r"error(\[E\d+\])?:", line) and not vague.search(line):
            where = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].startswith("-->") else ""
            return f"{line} {where}".strip()[:limit]
    for line in reversed(lines):
        if re.search(r"error|panicked|failed|cannot|not yet implemented|Traceback|Error", line):
            return line[:limit]
    return (lines[-1] if lines else "no output")[:limit]


def run(cmd, *, env=None, cwd=None, timeout=900, what=None):
    """Runs cmd; returns stdout; raises Failed with the telling line of stderr."""
    try:
        p = subprocess.run(
            [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise Failed(f"{what or cmd[0]}: timed out after {timeout} s") from None
    except OSError as e:
        raise Failed(f"{what or cmd[0]}: {e}") from None
    if p.returncode != 0:
        detail = short(p.stderr + "\n" + p.stdout)
        status = f"signal {-p.returncode}" if p.returncode < 0 else f"exit {p.returncode}"
        raise Failed(f"{what or Path(str(cmd[0])).name}: {status}: {detail}")
    return p.stdout


# ---------------------------------------------------------------- builds


def python_flags():
    """gcc flags to embed the running Python (its headers, libpython, an rpath)."""
    include = sysconfig.get_paths()["include"]
    libdir = sysconfig.get_config_var("LIBDIR")
    ldversion = sysconfig.get_config_var("LDVERSION")
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        raise Failed(f"{sys.executable} is not built with --enable-shared")
    return [
        f"-I{include}",
        f"-L{libdir}",
        f"-Wl,-rpath,{libdir}",
        f"-lpython{ldversion}",
        "-ldl",
        "-lm",
        "-lpthread",
    ]


def build_host():
    out = OUT / "host"
    run(["gcc", "-O2", "-Wall", "-o", out, BENCHES / "host.c", f"-I{BENCHES}", "-ldl", "-lpthread", "-lm"], what="gcc host.c")
    return out


def build_floor():
    d = OUT / "floor"
    d.mkdir(parents=True, exist_ok=True)
    lib = d / "calls_floor.so"
    run(["gcc", "-O2", "-Wall", "-shared", "-fPIC", "-o", lib, BENCHES / "floor" / "floor.c", *python_flags()], what="gcc floor.c")
    return lib


def build_ctypes():
    d = OUT / "ctypes"
    d.mkdir(parents=True, exist_ok=True)
    # Not calls_ctypes.so: the shim imports calls_ctypes, and an extension
    # module of that name beside it would win over the .py.
    lib = d / "calls_ctypes_shim.so"
    run(["gcc", "-O2", "-Wall", "-shared", "-fPIC", "-o", lib, BENCHES / "ctypes" / "shim.c", *python_flags()], what="gcc shim.c")
    shutil.copy(BENCHES / "ctypes" / "calls_ctypes.py", d / "calls_ctypes.py")
    return lib


def build_cffi():
    d = OUT / "cffi"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    run([sys.executable, BENCHES / "cffi" / "build.py", d], what="cffi build.py")
    lib = d / "calls_cffi.so"
    if not lib.exists():
        found = sorted(d.glob("calls_cffi*.so"))
        if not found:
            raise Failed("cffi build.py: no calls_cffi*.so produced")
        lib = found[0]
    return lib


def cargo_env(target_dir):
    env = dict(os.environ)
    env["CARGO_TARGET_DIR"] = str(target_dir)
    return env


def build_codegen(target_dir):
    """Builds the epy-codegen CLI (release); returns the binary."""
    run(
        ["cargo", "build", "--release", "-q", "-p", "epy-codegen"],
        env=cargo_env(target_dir),
        cwd=ROOT,
        what="cargo build -p epy-codegen",
    )
    exe = target_dir / "release" / "epy-codegen"
    if not exe.exists():
        raise Failed(f"no {exe}")
    return exe


def epy_build(codegen, script_src, out_dir, target_dir, script_text=None):
    """`epy-codegen build` of a copy of the script in out_dir (the .pyi lands there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    script = out_dir / "calls.py"
    if script_text is None:
        shutil.copy(script_src, script)
    else:
        script.write_text(script_text)
    cmd = [
        codegen, "build", script,
        "--header", BENCHES / "calls.h",
        "--annotations", BENCHES / "calls.toml",
        "-o", out_dir,
        "--target-dir", target_dir,
        "--python", sys.executable,
    ]
    t0 = time.perf_counter()
    run(cmd, env=cargo_env(target_dir), cwd=ROOT, what="epy-codegen build")
    elapsed = time.perf_counter() - t0
    lib = out_dir / "calls.so"
    if not lib.exists():
        raise Failed(f"epy-codegen build: no {lib.name} in {out_dir}")
    return lib, elapsed


# ---------------------------------------------------------------- runs


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


CPU_TIME = False


def host_args(host, lib, impl):
    return [host, lib] + (["--global"] if impl == "cffi" else []) + (["--cpu-time"] if CPU_TIME else [])


def first_call(host, lib, impl):
    times = []
    for _ in range(FIRST_CALL_PROCESSES):
        vals = parse(run(host_args(host, lib, impl) + ["--first-only"], timeout=120, what=f"host {impl} --first-only"))
        if "first_call_ms" not in vals:
            raise Failed("host printed no first_call_ms")
        times.append(vals["first_call_ms"])
    return statistics.median(times), times


def bench_all(host, libs, rounds):
    """Runs each built implementation's host `rounds` times, interleaved;
    returns {impl: {case: median over rounds}} or {impl: Failed}."""
    results = {impl: [] for impl in libs}
    failures = {}
    for r in range(rounds):
        for impl, lib in libs.items():
            if impl in failures:
                continue
            log(f"run {impl}" + (f" (round {r + 1}/{rounds})" if rounds > 1 else ""))
            try:
                vals = parse(run(host_args(host, lib, impl), timeout=600, what=f"host {impl}"))
                missing = [c for c, *_ in CASES if c != "first_call_ms" and c not in vals]
                if missing:
                    raise Failed(f"host {impl}: no result for {', '.join(missing)}")
                results[impl].append(vals)
            except Failed as e:
                failures[impl] = e
    out = {}
    for impl in libs:
        if impl in failures:
            out[impl] = failures[impl]
        else:
            runs = results[impl]
            out[impl] = {k: statistics.median(v[k] for v in runs) for k in runs[0]}
    return out


# ---------------------------------------------------------------- LADSPA run()
LADSPA_SIZES = (64, 1024)
# The cost of the call path alone: ports fetched, one slice copy, no per-sample Python.
LADSPA_COPY = """
from ladspa_h import AudioIn, AudioOut, ControlIn, Plugin, descriptors


class Copy(Plugin):
    label = "epy_gain"
    unique_id = 4901
    name = "epy gain"
    gain = ControlIn("Gain", lower=0.0, upper=8.0, default=1)
    input = AudioIn("Input")
    output = AudioOut("Output")

    def run(self, n: int) -> None:
        self.output[:] = self.input


ladspa_descriptor = descriptors(Copy)
"""


def ladspa_section(codegen, target_dir):
    """run() of 64 and 1024 samples: the Python examples vs the same effects in C."""
    d = OUT / "ladspa"
    d.mkdir(parents=True, exist_ok=True)
    bench = d / "bench_run"
    run(["gcc", "-O2", "-o", bench, BENCHES / "ladspa" / "bench_run.c", "-ldl", "-lm"], what="gcc bench_run")
    c_lib = d / "c_effects.so"
    run(["gcc", "-O2", "-shared", "-fPIC", "-o", c_lib, BENCHES / "ladspa" / "c_effects.c", "-lm"], what="gcc c_effects")
    (d / "copy.py").write_text(LADSPA_COPY)
    for src in (ROOT / "examples/ladspa-gain/gain.py", ROOT / "examples/ladspa-lowpass/lowpass.py",
                ROOT / "examples/ladspa-gain/gain_numpy.py", ROOT / "examples/ladspa-gain/gain_numpy.toml"):
        shutil.copy(src, d / src.name)
    libs = {}
    names = ["gain", "lowpass", "copy"]
    try:
        import numpy  # noqa: F401  (the numpy example needs it in this Python)

        names.append("gain_numpy")
    except ImportError:
        pass
    for name in names:
        cmd = [codegen, "build", d / f"{name}.py", "--pack", "ladspa", "--target-dir", target_dir,
               "--python", sys.executable]
        run(cmd, env=cargo_env(target_dir), cwd=ROOT, what=f"epy-codegen build {name}.py")
        libs[name] = d / f"{name}.so"

    def times(lib, label):
        out = run([bench, lib, label, *map(str, LADSPA_SIZES)], what=f"bench_run {lib.name} {label}")
        return {int(f[2]): float(f[3]) for f in (l.split() for l in out.splitlines()) if f and f[0] == "run"}

    rows = [
        "| effect | samples | C ns/run | epy ns/run | epy / C | epy ns/sample |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    c_gain, c_low = times(c_lib, "epy_gain"), times(c_lib, "epy_lowpass")
    for title, c, e in (
        ("gain (per-sample Python loop)", c_gain, times(libs["gain"], "epy_gain")),
        ("one-pole low-pass (per-sample loop)", c_low, times(libs["lowpass"], "epy_lowpass")),
        ("copy (`out[:] = in`: the call path)", c_gain, times(libs["copy"], "epy_gain")),
        *([("gain with numpy (main interpreter)", c_gain, times(libs["gain_numpy"], "epy_gain"))]
          if "gain_numpy" in libs else []),
    ):
        for n in LADSPA_SIZES:
            rows.append(f"| {title} | {n} | {c[n]:,.0f} | {e[n]:,.0f} | {e[n] / c[n]:,.0f}x | {e[n] / n:.1f} |")
    return rows


def first_call_section(codegen, target_dir):
    """benches/first_call/: first call per Python version, many plugins (issue 15)."""
    if codegen is None:
        return ["- n/a (epy-codegen did not build)"], ["first call per Python version: not measured"]
    sys.path.insert(0, str(BENCHES / "first_call"))
    import first_call

    log("first call per Python version, many plugins (benches/first_call)")
    try:
        return first_call.section(codegen, target_dir, OUT / "first_call")
    except first_call.Failed as e:
        return [f"- n/a (failed: {e})"], ["first call per Python version: not measured"]


# ---------------------------------------------------------------- many plugins


def many_section(codegen, target_dir, args):
    """benches/many/run.py's section: its lines and missed targets."""
    if codegen is None:
        return ["- n/a (epy-codegen did not build)"], ["many plugins: not measured"]
    import importlib.util

    spec = importlib.util.spec_from_file_location("many_run", BENCHES / "many" / "run.py")
    many = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(many)

    try:
        return many.section(codegen, target_dir, OUT / "many", max(1, args.rounds), args.cpu_time, log=log)
    except (RuntimeError, KeyError, OSError, subprocess.SubprocessError) as e:
        return [f"- n/a (failed: {e})"], ["many plugins: not measured"]


# ---------------------------------------------------------------- report


def fmt(v, unit):
    if unit == "ms":
        return f"{v:.1f}"
    return f"{v:,.0f}" if v >= 1000 else f"{v:.1f}"


def table(values, notes):
    """values: {impl: {case: number} | str (why not available)}."""
    head = ["case", "floor", "epy", "CFFI", "ctypes", "epy/floor", "epy/CFFI", "target", "met?"]
    rows = []
    missed = []
    for key, label, unit, targets in CASES:
        row = [f"{label} ({unit})"]
        for impl in IMPLS:
            v = values[impl]
            row.append(fmt(v[key], unit) if isinstance(v, dict) and key in v else v if isinstance(v, str) else "n/a")
        ratios = {}
        for ref in ("floor", "cffi"):
            a, b = values["epy"], values[ref]
            if isinstance(a, dict) and isinstance(b, dict) and key in a and key in b and b[key] > 0:
                ratios[ref] = a[key] / b[key]
                row.append(f"{ratios[ref]:.2f}×")
            else:
                row.append("n/a")
        row.append(" and ".join(f"≤ {m}× {TITLES[ref]}" for ref, m in targets))
        if all(ref in ratios for ref, _ in targets):
            ok = all(ratios[ref] <= m for ref, m in targets)
            row.append("yes" if ok else "**NO**")
            if not ok:
                missed.append(f"{label}: " + ", ".join(f"epy/{TITLES[ref]} = {ratios[ref]:.2f}× (target ≤ {m}×)" for ref, m in targets))
        else:
            row.append("n/a")
            missed.append(f"{label}: not measured (epy or a reference missing)")
        rows.append(row)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines, missed


def environment():
    def cmd(c):
        try:
            return subprocess.run(c, capture_output=True, text=True, cwd=ROOT).stdout.strip()
        except OSError:
            return "?"

    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    rev = cmd(["git", "rev-parse", "--short", "HEAD"])
    dirty = " (+ uncommitted changes)" if cmd(["git", "status", "--porcelain"]) else ""
    return [
        f"- date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}; git {rev}{dirty}",
        f"- Python {platform.python_version()} ({sys.executable}); cffi {cffi_version()}",
        f"- CPU: {cpu}, {os.cpu_count()} cores; load average at start: {os.getloadavg()[0]:.2f}",
    ]


def cffi_version():
    try:
        import cffi

        return cffi.__version__
    except ImportError:
        return "not installed"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="run every host R times, interleaved; median per case (default 3)")
    ap.add_argument("--cpu-time", action="store_true", help="time the loops with the thread's CPU clock, not the wall clock")
    ap.add_argument(
        "--target-dir",
        type=Path,
        default=Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target"),
        help="cargo target directory for epy-codegen and the plugin (default: $CARGO_TARGET_DIR or target/)",
    )
    args = ap.parse_args()
    global CPU_TIME
    CPU_TIME = args.cpu_time
    target_dir = args.target_dir.resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    env_lines = environment()

    # ---- builds (floor, CFFI, ctypes first: they do not depend on epy)
    libs, values, notes = {}, {}, []
    log("build host")
    host = build_host()
    builders = {"floor": build_floor, "cffi": build_cffi, "ctypes": build_ctypes}
    for impl in ("floor", "cffi", "ctypes"):
        log(f"build {impl}")
        try:
            libs[impl] = builders[impl]()
        except Failed as e:
            values[impl] = "n/a (build failed)"
            notes.append(f"{TITLES[impl]}: n/a (build failed: {e})")
    codegen = None
    log("build epy-codegen (cargo, release)")
    try:
        codegen = build_codegen(target_dir)
        log("build epy plugin")
        libs["epy"], _ = epy_build(codegen, BENCHES / "epy" / "calls.py", OUT / "epy", target_dir)
    except Failed as e:
        values["epy"] = "n/a (build failed)"
        notes.append(f"epy: n/a (build failed: {e})")
    ordered = {impl: libs[impl] for impl in IMPLS if impl in libs}

    # ---- per-call cases, then first calls (fresh processes)
    for impl, res in bench_all(host, ordered, max(1, args.rounds)).items():
        if isinstance(res, Failed):
            values[impl] = "n/a (run failed)"
            notes.append(f"{TITLES[impl]}: n/a (run failed: {res})")
        else:
            values[impl] = res
    first_detail = []
    for impl in ordered:
        if not isinstance(values.get(impl), dict):
            continue
        log(f"first call {impl} ({FIRST_CALL_PROCESSES} processes)")
        try:
            med, times = first_call(host, ordered[impl], impl)
            values[impl]["first_call_ms"] = med
            first_detail.append(f"{TITLES[impl]} " + " / ".join(f"{t:.1f}" for t in sorted(times)))
        except Failed as e:
            values[impl].pop("first_call_ms", None)
            notes.append(f"{TITLES[impl]} first call: n/a ({e})")

    # ---- codegen timings
    codegen_lines, codegen_missed = [], []
    if codegen is None:
        codegen_lines.append("- epy-codegen on sqlite3ext.h: n/a (epy-codegen did not build)")
        codegen_missed.append("codegen on sqlite3ext.h: not measured")
    elif not SQLITE_HEADER.exists():
        codegen_lines.append(f"- epy-codegen on sqlite3ext.h: n/a ({SQLITE_HEADER} missing: install libsqlite3-dev)")
        codegen_missed.append("codegen on sqlite3ext.h: not measured")
    else:
        log(f"codegen {SQLITE_HEADER} ({CODEGEN_RUNS} runs)")
        try:
            times = []
            for _ in range(CODEGEN_RUNS):
                d = OUT / "codegen-sqlite3ext"
                shutil.rmtree(d, ignore_errors=True)
                t0 = time.perf_counter()
                run([codegen, SQLITE_HEADER, "-o", d], what="epy-codegen sqlite3ext.h")
                times.append(time.perf_counter() - t0)
            med = statistics.median(times)
            ok = med < CODEGEN_TARGET_S
            codegen_lines.append(
                f"- `epy-codegen {SQLITE_HEADER} -o DIR`: **{med * 1000:.0f} ms** (median of {CODEGEN_RUNS}: "
                + ", ".join(f"{t * 1000:.0f}" for t in sorted(times))
                + f" ms); target < {CODEGEN_TARGET_S:.0f} s: {'met' if ok else '**missed**'}"
            )
            if not ok:
                codegen_missed.append(f"codegen on sqlite3ext.h: {med:.2f} s (target < {CODEGEN_TARGET_S:.0f} s)")
        except Failed as e:
            codegen_lines.append(f"- epy-codegen on sqlite3ext.h: n/a (failed: {e})")
            codegen_missed.append("codegen on sqlite3ext.h: not measured")
    if codegen is not None and "epy" in libs:
        log("incremental rebuild (export set grows by one function)")
        try:
            full = (BENCHES / "epy" / "calls.py").read_text()
            fewer = re.sub(r"\n\ndef call_cb\(.*", "\n", full, flags=re.S)
            if fewer == full:
                raise Failed("could not drop call_cb from the script")
            d = OUT / "epy-incremental"
            epy_build(codegen, None, d, target_dir, script_text=fewer)
            _, t = epy_build(codegen, None, d, target_dir, script_text=full)
            codegen_lines.append(
                f"- incremental rebuild of the epy plugin after its export set changes "
                f"(built with add/fill/sum, then `call_cb` added to the script): **{t:.2f} s**"
            )
        except Failed as e:
            codegen_lines.append(f"- incremental rebuild: n/a (failed: {e})")
    else:
        codegen_lines.append("- incremental rebuild: n/a (the epy plugin did not build)")

    # ---- LADSPA run()
    ladspa_lines = []
    if codegen is None:
        ladspa_lines.append("- n/a (epy-codegen did not build)")
    else:
        log("LADSPA run(): epy examples vs C")
        try:
            ladspa_lines = ladspa_section(codegen, target_dir)
        except Failed as e:
            ladspa_lines.append(f"- n/a (failed: {e})")

    first_call_lines, first_call_missed = first_call_section(codegen, target_dir)

    # ---- many plugins in one process (benches/many/run.py)
    many_lines, many_missed = many_section(codegen, target_dir, args)
    codegen_missed += many_missed

    # ---- report
    for impl in IMPLS:
        values.setdefault(impl, "n/a")
    lines, missed = table(values, notes)
    missed += codegen_missed + first_call_missed
    n_lines = []
    for impl in IMPLS:
        v = values[impl]
        if isinstance(v, dict):
            n_lines.append(
                f"{TITLES[impl]}: " + ", ".join(f"{c} {int(v['n_' + c]):,}" for c, *_ in CASES if "n_" + c in v)
            )
    report = [
        "# epy call-overhead benchmark (issue 5)",
        "",
        *env_lines,
        "",
        "Median ns per call of 5 repetitions"
        + (" (thread CPU time)" if args.cpu_time else " (wall clock)")
        + " (first call: median of "
        f"{FIRST_CALL_PROCESSES} fresh processes, ms from before `dlopen` to after the first `add`). "
        "Host: `benches/host.c`, dlopen RTLD_NOW|RTLD_LOCAL (CFFI: RTLD_GLOBAL, which it needs)."
        + (f" Each host ran {args.rounds} times, interleaved; median per case." if args.rounds > 1 else ""),
        "",
        *lines,
        "",
        *[f"- {n}" for n in notes],
        *([f"- first-call processes (ms): " + "; ".join(first_detail)] if first_detail else []),
        *([f"- calls per repetition: " + "; ".join(n_lines)] if n_lines else []),
        "",
        "## LADSPA run() (issue 4)",
        "",
        "`benches/ladspa/bench_run.c` runs each effect's `run()` on 64- and 1024-sample blocks "
        "(48 kHz, separate in/out buffers; median of 3 timings of >= 0.3 s); the C effects are "
        "`benches/ladspa/c_effects.c`, the epy ones `examples/ladspa-*` built with `--pack ladspa`.",
        "",
        *ladspa_lines,
        "",
        "## First call per Python version (issue 15)",
        "",
        *first_call_lines,
        "",
        "## Many plugins in one process (issue 15)",
        "",
        *many_lines,
        "",
        "## Code generation",
        "",
        *codegen_lines,
        "",
        "## Targets missed",
        "",
        *([f"- {m}" for m in missed] or ["- none"]),
        "",
    ]
    text = "\n".join(report)
    (OUT / "report.md").write_text(text)
    print(text)
    print(f"(written to {OUT / 'report.md'})")
    if missed:
        print(f"\nMISSED {len(missed)} target(s):", file=sys.stderr)
        for m in missed:
            print(f"  - {m}", file=sys.stderr)
    # epy is the product: a failed epy build or run fails the benchmark (and CI).
    return 0 if "floor" in libs and isinstance(values.get("epy"), dict) else 1


if __name__ == "__main__":
    sys.exit(main())
