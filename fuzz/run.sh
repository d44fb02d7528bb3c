#!/usr/bin/env bash
# Runs one fuzz target for SECONDS: `fuzz/run.sh header|annotations|sidecar SECONDS`.
# Its corpus (fuzz/corpus/TARGET, not in git) starts from the repository's
# own inputs: tests/headers and interfaces/ headers for `header`, their
# annotation and pack TOML files for `annotations`, fuzz/seeds/sidecar for
# `sidecar`. A crash is saved in fuzz/artifacts/TARGET and fails the run.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh header|annotations|sidecar SECONDS}
seconds=${2:-600}
corpus=corpus/$target
mkdir -p "$corpus"
# Seeds are named for their path (tests_headers_bench.h) and copied once.
seed() {
    for f in "$@"; do
        local to="$corpus/$(echo "${f#../}" | tr / _)"
        if [ -f "$f" ] && [ ! -e "$to" ]; then cp "$f" "$to"; fi
    done
}
case $target in
    header) seed ../tests/headers/*.h ../tests/headers/sdk*/*.h ../interfaces/*/*.h ;;
    annotations) seed ../tests/headers/*.toml ../interfaces/*/pack.toml ;;
    sidecar) seed seeds/sidecar/* ;;
    *) echo "fuzz/run.sh: unknown target $target" >&2; exit 2 ;;
esac
# Leaks are not what this looks for (libclang keeps caches); a slow input
# on a busy machine is not a hang until a minute has passed.
exec cargo +nightly fuzz run "$target" "$corpus" -- \
    -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1
