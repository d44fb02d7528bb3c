#!/usr/bin/env python3
"""Per-row cost of SQL functions written in Python with epy, against the
same functions registered with Python's `sqlite3.Connection.create_function`
and written in C as a loadable extension (issue 13). Not a test: a report.

    python3 benches/sqlite/run.py [--rounds R] [--rows N] [--codegen EXE] [--target-dir DIR]

Builds benches/sqlite/pyfuncs.py with `epy-codegen build --pack sqlite`
(for the pyenv/PATH `python3`, which must be the host's minor version) and
benches/sqlite/cfuncs.c with gcc, then runs the host: Debian's
/usr/bin/python3 (its sqlite3 module loads extensions). Each variant gets
its own connection over the same table of N rows; the queries are
`select count(*) from t where py_add(a, b) > 0` and
`select count(*) from t where s regexp 'a[bc]+x'`. Per row = (query time -
the same scan without the function) / N, in CPU time of the querying
thread, best of R interleaved rounds (the least disturbed by other load).
Prints one table (also target/bench/sqlite.md).
"""

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "benches" / "sqlite"
HOST = "/usr/bin/python3"

QUERIES = {
    "py_add": ("select count(*) from t where py_add(a, b) > 0",
               "select count(*) from t where a + b > 0"),
    "regexp": ("select count(*) from t where s regexp 'a[bc]+x'",
               "select count(*) from t where s is not null"),
}

# Runs inside the host (Debian's python3): argv = rows, rounds, epy lib, C lib.
MEASURE = r'''
import random, re, sqlite3, statistics, sys, time
rows, rounds, epy_lib, c_lib = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
queries = %r
rng = random.Random(1)
data = [(rng.randint(-1000, 1000), rng.randint(-1000, 1000),
         "".join(rng.choice("abcxyz") for _ in range(rng.randint(4, 16)))) for _ in range(rows)]
_cache = {}
def py_add(a, b):
    return a + b
def regexp(pattern, text):
    p = _cache.get(pattern)
    if p is None:
        p = _cache[pattern] = re.compile(pattern)
    return p.search(text) is not None
def connect(kind):
    c = sqlite3.connect(":memory:")
    c.execute("create table t(a integer, b integer, s text)")
    c.executemany("insert into t values (?, ?, ?)", data)
    c.commit()
    if kind == "create_function":
        c.create_function("py_add", 2, py_add, deterministic=True)
        c.create_function("regexp", 2, regexp, deterministic=True)
    elif kind != "none":
        c.enable_load_extension(True)
        c.load_extension(epy_lib if kind == "epy" else c_lib)
    return c
kinds = ["create_function", "epy", "C"]
conns = {k: connect(k) for k in kinds}
times = {(k, q): [] for k in kinds for q in queries}
base = {q: [] for q in queries}
answers = {}
def timed(c, sql):
    # CPU time of this thread (the query runs on it): other load on the
    # machine delays it but does not count.
    t0 = time.thread_time()
    n = c.execute(sql).fetchone()[0]
    return time.thread_time() - t0, n
for k in kinds:  # warm up (epy: the plugin's first call)
    for q, (sql, _) in queries.items():
        answers[(k, q)] = timed(conns[k], sql)[1]
for r in range(rounds):
    for q, (sql, plain) in queries.items():
        base[q].append(timed(conns["C"], plain)[0])
        for k in kinds:
            times[(k, q)].append(timed(conns[k], sql)[0])
for q in queries:
    got = {answers[(k, q)] for k in kinds}
    if len(got) != 1:
        sys.exit(f"{q}: the variants disagree: {answers}")
for q in queries:
    b = min(base[q])
    for k in kinds:
        t = min(times[(k, q)])
        print(q, k, (t - b) / rows * 1e9, t / rows * 1e9)
print("host", sys.version.split()[0], sqlite3.sqlite_version)
''' % (QUERIES,)


def run(cmd, **kw):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{p.stdout}\n{p.stderr}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--codegen", help="an epy-codegen binary (default: cargo build --release)")
    ap.add_argument("--target-dir", default=os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    # tools/bench.sh passes benches/run.py's options too: ignore the others.
    args, _ = ap.parse_known_args()
    target = Path(args.target_dir)
    out = ROOT / "target" / "bench" / "sqlite"
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    codegen = args.codegen
    if codegen is None:
        run(["cargo", "build", "--release", "-q", "-p", "epy-codegen"], cwd=ROOT, env=env)
        codegen = target / "release" / "epy-codegen"
    # The plugin joins the host's Python: build it for the same minor version.
    check = "import sys; print(sys.version_info[:2])"
    if run([HOST, "-c", check]) != run(["python3", "-c", check]):
        sys.exit(f"python3 on PATH and {HOST} differ in version: the plugin is built "
                 f"for the former and must join the latter")
    shutil.copy(HERE / "pyfuncs.py", out / "pyfuncs.py")
    run([codegen, "build", out / "pyfuncs.py", "--pack", "sqlite", "--target-dir", target,
         "--python", "python3"], cwd=ROOT, env=env)
    run(["gcc", "-O2", "-shared", "-fPIC", "-o", out / "cfuncs.so", HERE / "cfuncs.c"])
    text = run([HOST, "-c", MEASURE, args.rows, args.rounds, out / "pyfuncs.so",
                out / "cfuncs.so"])
    ns, gross = {}, {}
    host = ""
    for line in text.splitlines():
        parts = line.split()
        if parts[0] == "host":
            host = f"{HOST} (Python {parts[1]}, SQLite {parts[2]})"
        else:
            ns[(parts[0], parts[1])] = float(parts[2])
            gross[(parts[0], parts[1])] = float(parts[3])
    lines = [
        f"SQLite per-row cost of the function (query CPU time minus the plain scan's, / rows), "
        f"{args.rows:,} rows, best of {args.rounds} rounds, host {host}:",
        "",
        "| query | create_function (ns/row) | epy (ns/row) | C (ns/row) | epy/create_function | epy/C | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for q, (sql, _) in QUERIES.items():
        cf, epy, c = ns[(q, "create_function")], ns[(q, "epy")], ns[(q, "C")]
        lines.append(f"| `{sql}` | {cf:,.0f} | {epy:,.0f} | {c:,.0f} | "
                     f"{epy / cf:.2f}× | {epy / c:.1f}× | ≤ 1.0× create_function |")
    lines.append("")
    lines.append("Whole query per row (ns): " + "; ".join(
        f"{q}: " + ", ".join(f"{k} {gross[(q, k)]:,.0f}" for k in ("create_function", "epy", "C"))
        for q in QUERIES))
    report = "\n".join(lines)
    print(report)
    (ROOT / "target" / "bench" / "sqlite.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
