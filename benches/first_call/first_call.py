#!/usr/bin/env python3
"""First call per Python version, and 200 plugins in one process (issue 15).

    python3 benches/first_call/first_call.py [--runs N] [--plugins N] [--instructions]
                                             [--python X.Y ...] [--target-dir DIR]

For each Python (pyenv's newest 3.11, 3.12 and 3.13 by default; every one built
with --enable-shared) this builds benches/calls.h two ways, epy
(benches/epy/calls.py) and CFFI (benches/cffi/build.py, which needs cffi, and
setuptools on 3.12+, in that Python), then:

- first call: N fresh processes of `host.c` each (epy and CFFI interleaved):
  process start (just before the spawn) to the first `add` returned, wall
  clock; the process's CPU time (user + sys, to its exit: steadier than the
  wall clock on a busy machine); dlopen returned to the first call returned.
  Medians. With --instructions also the process's instruction count
  (valgrind --tool=callgrind, one run each: the same on a busy machine).
- many plugins: `plugins_host.c` dlopens 1 and then N copies of the epy
  library (each its own file, so its own interpreter) and calls each once;
  memory (RSS) and time per added plugin: (X(N) - X(1)) / (N - 1).

Prints a markdown section (benches/run.py puts it in its report: `section`).
Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = HERE.parent
ROOT = BENCHES.parent
VERSIONS = ("3.11", "3.12", "3.13")
RUNS = 15
PLUGINS = 200
# Issue 15: first call ≤ 1.1× CFFI on 3.12+ (issue 5: 1.5× on 3.11).
TARGETS = {"3.11": 1.5}
DEFAULT_TARGET = 1.1


class Failed(Exception):
    """A build or run step failed; the message is short, for a table cell."""


def log(msg: str) -> None:
    print(f"[first-call] {msg}", file=sys.stderr, flush=True)


def run(cmd: list[object], *, env: dict[str, str] | None = None, timeout: float = 900, what: str = "") -> str:
    """Runs cmd; returns stdout; raises Failed with the last line of stderr."""
    try:
        p = subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Failed(f"{what or cmd[0]}: {e}") from None
    if p.returncode != 0:
        lines = [line for line in (p.stderr + p.stdout).splitlines() if line.strip()]
        raise Failed(f"{what or cmd[0]}: exit {p.returncode}: {lines[-1][:160] if lines else 'no output'}")
    return p.stdout


def keyvals(stdout: str) -> dict[str, float]:
    out = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                out[parts[0]] = float(parts[1])
            except ValueError:
                pass
    return out


# ---------------------------------------------------------------- Pythons


def pyenv_root() -> Path:
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"])
    try:
        return Path(subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip() or "~/.pyenv").expanduser()
    except OSError:
        return Path("~/.pyenv").expanduser()


def find_python(version: str) -> Path | None:
    """The newest pyenv build of `version` (X.Y), else pythonX.Y on PATH."""

    def patch(p: Path) -> int:
        m = re.match(rf"{re.escape(version)}\.(\d+)$", p.parent.parent.name)
        return int(m.group(1)) if m else -1

    found = [p for p in (pyenv_root() / "versions").glob(f"{version}.*/bin/python{version}") if patch(p) >= 0]
    if found:
        return max(found, key=patch)
    on_path = shutil.which(f"python{version}")
    return Path(on_path) if on_path else None


def full_version(py: Path) -> str:
    return run([py, "-c", "import platform; print(platform.python_version())"], what=str(py)).strip()


# ---------------------------------------------------------------- builds


def build_hosts(out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    host, many = out / "first_call_host", out / "plugins_host"
    run(["gcc", "-O2", "-Wall", "-o", host, HERE / "host.c", "-ldl"], what="gcc host.c")
    run(["gcc", "-O2", "-Wall", "-o", many, HERE / "plugins_host.c", "-ldl"], what="gcc plugins_host.c")
    return host, many


def build_epy(codegen: Path, py: Path, version: str, out: Path, target_dir: Path) -> Path:
    d = out / version / "epy"
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(BENCHES / "epy" / "calls.py", d / "calls.py")
    plugins = target_dir / "plugins" / version
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir), PYO3_PYTHON=str(py))
    cmd = [codegen, "build", d / "calls.py", "--header", BENCHES / "calls.h", "--annotations", BENCHES / "calls.toml",
           "-o", d, "--target-dir", plugins, "--python", py]
    run(cmd, env=env, what=f"epy-codegen build ({version})")
    return d / "calls.so"


def build_cffi(py: Path, version: str, out: Path) -> Path:
    d = out / version / "cffi"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    need = "cffi, setuptools" if version >= "3.12" else "cffi"
    probe = subprocess.run([str(py), "-c", f"import {need}"], capture_output=True)
    if probe.returncode != 0:
        raise Failed(f"{py} lacks {need} (tools/bench.sh installs them)")
    run([py, BENCHES / "cffi" / "build.py", d], what=f"cffi build.py ({version})")
    found = sorted(d.glob("calls_cffi*.so"))
    if not found:
        raise Failed("cffi build.py: no calls_cffi*.so")
    return found[0]


# ---------------------------------------------------------------- runs


def spawn_with_usage(args: list[str]) -> tuple[int, bytes, bytes, object]:
    """Popen + wait4 (communicate() would reap the child and lose its rusage)."""
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read() if p.stdout else b""
    err = p.stderr.read() if p.stderr else b""
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, out, err, usage


def first_call_times(host: Path, lib: Path, cffi: bool) -> dict[str, float]:
    t0 = time.monotonic_ns()  # CLOCK_MONOTONIC, the clock host.c prints
    code, out, err, usage = spawn_with_usage([str(host), str(lib)] + (["--global"] if cffi else []))
    if code != 0:
        raise Failed(f"{lib.name}: exit {code}: {err.decode(errors='replace').strip()[-160:]}")
    v = keyvals(out.decode())
    if "returned_ns" not in v:
        raise Failed(f"{lib.name}: host printed no returned_ns")
    return {
        "wall": (v["returned_ns"] - t0) / 1e6,
        "cpu": (usage.ru_utime + usage.ru_stime) * 1e3,  # type: ignore[attr-defined]
        "dlopen_call": v["dlopen_ms"] + v["call_ms"],
    }


# Phases of a first call: (label, function names as callgrind_annotate prints them).
PHASES = (
    ("dlopen", ("dlopen@@GLIBC",)),
    ("Python start", ("pylifecycle.c:Py_InitializeFromConfig ", "pylifecycle.c:Py_InitializeEx ")),
    ("plugin interpreter", ("pylifecycle.c:Py_NewInterpreterFromConfig ", "pylifecycle.c:Py_NewInterpreter ")),
    ("stub module + script", ("epy_runtime::instance::build_cx ",)),
)


def instructions(host: Path, lib: Path, cffi: bool, out: Path) -> dict[str, float]:
    """Instructions (millions) the whole host process executes ("ir"), and
    those inside each of PHASES (callgrind, inclusive; absent: not there)."""
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", host, lib] + (["--global"] if cffi else [])
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600)
    m = re.search(r"Collected : (\d+)", p.stderr)
    if p.returncode != 0 or not m:
        raise Failed(f"callgrind {lib.name}: exit {p.returncode}")
    result = {"ir": int(m.group(1)) / 1e6}
    try:
        text = run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out], what="callgrind_annotate")
    finally:
        out.unlink(missing_ok=True)
    for label, names in PHASES:
        for line in text.splitlines():
            count = re.match(r"\s*([\d,]+) ", line)
            if count and any(n in line + " " for n in names):
                result[label] = int(count.group(1).replace(",", "")) / 1e6
                break
    return result


def many_plugins(many: Path, lib: Path, n: int, work: Path) -> dict[str, float]:
    """1 and then n copies of lib in one process; per added plugin."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    script = lib.with_suffix(".py")
    libs = []
    for i in range(n):
        # Copies, not links: the loader treats one inode as one library.
        shutil.copy(lib, work / f"p{i:03d}.so")
        shutil.copy(script, work / f"p{i:03d}.py")
        libs.append(work / f"p{i:03d}.so")

    def measure(args: list[Path]) -> dict[str, float]:
        code, out, err, usage = spawn_with_usage([str(many), *map(str, args)])
        if code != 0:
            raise Failed(f"plugins_host ({len(args)}): exit {code}: {err.decode(errors='replace').strip()[-160:]}")
        v = keyvals(out.decode())
        v["cpu_ms"] = (usage.ru_utime + usage.ru_stime) * 1e3  # type: ignore[attr-defined]
        return v

    try:
        one, all_ = measure(libs[:1]), measure(libs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    k = n - 1
    return {
        "cpu_ms": (all_["cpu_ms"] - one["cpu_ms"]) / k,
        "rss_mb": (all_["rss_call_kb"] - one["rss_call_kb"]) / 1024 / k,
        "rss_open_mb": (all_["rss_open_kb"] - one["rss_open_kb"]) / 1024 / k,
        "open_ms": (all_["open_ms"] - one["open_ms"]) / k,
        "call_ms": (all_["call_ms"] - one["call_ms"]) / k,
        "total_mb": (all_["rss_call_kb"] - all_["rss0_kb"]) / 1024,
        "total_ms": all_["open_ms"] + all_["call_ms"],
    }


# ---------------------------------------------------------------- report


def phase_row(full: str, impl: str, counts: dict[str, float]) -> str:
    """A row of the phases table: total, each phase, the rest."""
    known = sum(counts.get(label, 0.0) for label, _ in PHASES)
    cells = [f"{counts[label]:.1f}" if label in counts else "—" for label, _ in PHASES]
    name = "CFFI" if impl == "cffi" else impl if " " in impl else "epy shared"
    return f"| {full} | {name} | {counts['ir']:.1f} | " + " | ".join(cells) + f" | {counts['ir'] - known:.1f} |"


def with_mode(lib: Path, mode: str) -> Path:
    """A copy of the epy library and its script whose `<stem>.toml` says
    `interpreter = MODE` (README: Interpreters)."""
    d = lib.parent.parent / f"epy-{mode}"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    shutil.copy(lib, d / lib.name)
    shutil.copy(lib.with_suffix(".py"), d / f"{lib.stem}.py")
    (d / f"{lib.stem}.toml").write_text(f'[plugin]\ninterpreter = "{mode}"\n')
    return d / lib.name


def section(codegen: Path, target_dir: Path, out: Path, *, runs: int = RUNS, plugins: int = PLUGINS,
            versions: tuple[str, ...] = VERSIONS, with_instructions: bool = False) -> tuple[list[str], list[str]]:
    """Builds, measures, returns (markdown lines, missed targets)."""
    host, many = build_hosts(out)
    first_rows: list[str] = []
    phase_rows: list[str] = []
    many_rows: list[str] = []
    notes: list[str] = []
    missed: list[str] = []
    for version in versions:
        py = find_python(version)
        if py is None:
            notes.append(f"Python {version}: not installed (pyenv install {version})")
            missed.append(f"first call on {version}: not measured")
            continue
        full = full_version(py)
        libs: dict[str, Path] = {}
        log(f"build epy for {full}")
        try:
            libs["epy"] = build_epy(codegen, py, version, out, target_dir)
            for mode in ("own-gil", "main") if version >= "3.12" else ("main",):
                libs[f"epy {mode}"] = with_mode(libs["epy"], mode)
        except Failed as e:
            notes.append(f"epy {full}: n/a ({e})")
        log(f"build CFFI for {full}")
        try:
            libs["cffi"] = build_cffi(py, version, out)
        except Failed as e:
            notes.append(f"CFFI {full}: n/a ({e})")
        samples: dict[str, list[dict[str, float]]] = {impl: [] for impl in libs}
        log(f"first call on {full}: {runs} processes each of {', '.join(libs)}")
        failed: set[str] = set()
        for _ in range(runs):
            for impl, lib in libs.items():
                if impl in failed:
                    continue
                try:
                    samples[impl].append(first_call_times(host, lib, impl == "cffi"))
                except Failed as e:
                    notes.append(f"{impl} {full}: run failed ({e})")
                    failed.add(impl)
        med = {impl: {k: statistics.median(s[k] for s in samples[impl]) for k in samples[impl][0]}
               for impl in libs if samples[impl] and impl not in failed}
        if with_instructions:
            for impl, lib in libs.items():
                if impl in med:
                    log(f"instructions {impl} {full} (callgrind)")
                    try:
                        counts = instructions(host, lib, impl == "cffi", out / version / "callgrind.out")
                        med[impl]["ir"] = counts["ir"]
                        phase_rows.append(phase_row(full, impl, counts))
                    except Failed as e:
                        notes.append(f"{impl} {full}: {e}")
        c = med.get("cffi")
        target = TARGETS.get(version, DEFAULT_TARGET)

        def cell(d: dict[str, float] | None, k: str) -> str:
            return f"{d[k]:.1f}" if d and k in d else "n/a"

        for impl in [i for i in libs if i != "cffi"]:
            ep = med.get(impl)

            def ratio(k: str) -> str:
                return f"{ep[k] / c[k]:.2f}×" if ep and c and k in ep and k in c and c[k] > 0 else "n/a"

            mode = impl.split(" ", 1)[1] if " " in impl else "shared (default)"
            goal, met = "—", "—"
            if impl == "epy":
                goal = f"≤ {target}×"
                if ep and c:
                    met = "yes" if ep["wall"] / c["wall"] <= target else "**NO**"
                    if met != "yes":
                        missed.append(f"first call on {full}: epy/CFFI = {ep['wall'] / c['wall']:.2f}× (target ≤ {target}×)")
                else:
                    met = "n/a"
                    missed.append(f"first call on {full}: not measured")
            first_rows.append(
                f"| {full} | {mode} | {cell(ep, 'wall')} | {cell(c, 'wall')} | {ratio('wall')} | {cell(ep, 'cpu')} "
                f"| {cell(c, 'cpu')} | {ratio('cpu')} | {cell(ep, 'dlopen_call')} | {cell(c, 'dlopen_call')} "
                + (f"| {cell(ep, 'ir')} | {cell(c, 'ir')} | {ratio('ir')} " if with_instructions else "")
                + f"| {goal} | {met} |"
            )
        if "epy" in med and plugins > 1:
            log(f"{plugins} plugins on {full}")
            try:
                m = many_plugins(many, libs["epy"], plugins, out / version / "many")
                many_rows.append(
                    f"| {full} | {m['rss_mb']:.2f} | {m['open_ms']:.2f} | {m['call_ms']:.2f} "
                    f"| {m['open_ms'] + m['call_ms']:.2f} | {m['cpu_ms']:.2f} | {m['total_mb']:.0f} | {m['total_ms']:.0f} |"
                )
            except Failed as e:
                notes.append(f"{plugins} plugins on {full}: n/a ({e})")
    ir_head = " epy Minstr | CFFI Minstr | epy/CFFI instr |" if with_instructions else ""
    lines = [
        f"Fresh host process per run (`benches/first_call/host.c`: dlopen, one `add`), {runs} runs per "
        "implementation, interleaved; medians. *wall*: process start (just before the spawn) to the first "
        "call returned; *CPU*: the process's user + sys time to its exit; *dlopen→call*: from before `dlopen` "
        "to the first call returned"
        + ("; *Minstr*: million instructions of the whole process (callgrind, one run)" if with_instructions else "")
        + ". *epy mode*: the `interpreter` of the plugin's `[plugin]` table; the target is the default's.",
        "",
        "| Python | epy mode | epy wall ms | CFFI wall ms | epy/CFFI wall | epy CPU ms | CFFI CPU ms | epy/CFFI CPU "
        "| epy dlopen→call ms | CFFI dlopen→call ms |" + ir_head + " target (wall) | met? |",
        "|---|---|" + "---:|" * (8 + (3 if with_instructions else 0)) + "---|---|",
        *first_rows,
        "",
    ]
    if phase_rows:
        lines += [
            "Where the instructions go (million, callgrind, inclusive): *Python start* is "
            "`Py_InitializeFromConfig` (epy) or `Py_InitializeEx` (CFFI, with `site`), *plugin interpreter* "
            "`Py_NewInterpreter(FromConfig)`, *stub module + script* epy's `build_cx` (stub module, compile and "
            "run the script); *rest* is everything else (process start and exit, CFFI's init code, epy's own "
            "checks and threads).",
            "",
            "| Python | implementation | total | " + " | ".join(label for label, _ in PHASES) + " | rest |",
            "|---|---|" + "---:|" * (len(PHASES) + 2),
            *phase_rows,
            "",
        ]
    if many_rows:
        lines += [
            f"{plugins} epy plugins in one process (`benches/first_call/plugins_host.c`: copies of the epy "
            f"library, each dlopened then called once); per added plugin = (X({plugins}) − X(1)) / {plugins - 1}.",
            "",
            "| Python | RSS MB / plugin | dlopen ms / plugin | first call ms / plugin | load ms / plugin "
            f"| CPU ms / plugin | RSS MB, all {plugins} | ms, all {plugins} |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            *many_rows,
            "",
        ]
    lines += [f"- {n}" for n in notes]
    return lines, missed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=RUNS, help=f"processes per implementation and Python (default {RUNS})")
    ap.add_argument("--plugins", type=int, default=PLUGINS, help=f"plugins in the many-plugin process (default {PLUGINS}; 0: skip)")
    ap.add_argument("--instructions", action="store_true", help="also count instructions (valgrind callgrind, slow)")
    ap.add_argument("--python", action="append", help="X.Y to measure (repeatable; default 3.11, 3.12, 3.13)")
    ap.add_argument("--target-dir", type=Path, default=Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target"),
                    help="cargo target directory (epy-codegen; plugins under plugins/X.Y)")
    args = ap.parse_args()
    target_dir = args.target_dir.resolve()
    log("build epy-codegen (cargo, release)")
    run(["cargo", "build", "--release", "-q", "-p", "epy-codegen"],
        env=dict(os.environ, CARGO_TARGET_DIR=str(target_dir)), what="cargo build -p epy-codegen")
    lines, missed = section(target_dir / "release" / "epy-codegen", target_dir, ROOT / "target" / "bench" / "first_call",
                            runs=max(1, args.runs), plugins=args.plugins,
                            versions=tuple(args.python or VERSIONS), with_instructions=args.instructions)
    print("\n".join(["## First call per Python version (issue 15)", "", *lines]))
    for m in missed:
        print(f"MISSED: {m}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
