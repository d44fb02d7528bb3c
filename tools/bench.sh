#!/usr/bin/env bash
# The call-overhead benchmark (issue 5): builds benches/calls.h four ways
# (hand-written C-API floor, epy, CFFI embedding, ctypes shim), runs them in
# one C host and prints one table (also target/bench/report.md), then LADSPA
# run() of 64/1024 samples: the Python examples against the same effects in C;
# then the first call per Python version and 200 plugins (benches/first_call/);
# then many plugins in one process (benches/many/run.py: N = 1/50/200 copies of
# one plugin, round-robin calls, RSS and load time per plugin); then SQL
# functions per row (benches/sqlite/run.py): epy, Python's create_function and
# C, in Debian's python3.
# Arguments go to benches/run.py (--rounds R, --cpu-time, --target-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
# CFFI is the reference the targets are measured against.
python3 -c "import cffi" 2>/dev/null || {
    echo "bench: pip install cffi" >&2
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore cffi
}
python3 benches/run.py "$@"
python3 benches/sqlite/run.py "$@"
