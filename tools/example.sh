#!/usr/bin/env bash
# Builds the bench example plugin from its Python script and runs it in the
# C test host: set-up, codegen, cargo build, dlopen(RTLD_LOCAL), every check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
out=target/example
mkdir -p "$out"
cp tests/scripts/bench.py "$out/bench.py"
cargo run --release -q -p epy-codegen -- build "$out/bench.py" \
    --header tests/headers/bench.h --annotations tests/headers/bench.toml
gcc -O1 -o "$out/bench_host" tests/hosts/bench_host.c -ldl
"$out/bench_host" "$PWD/$out/bench.so"
echo "example: done. The tracebacks above are deliberate: those checks make the"
echo "script raise and verify the host gets the declared error value instead."
