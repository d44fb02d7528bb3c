#!/usr/bin/env bash
# The whole test suite: set-up, formatting, lints, unit/golden/end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
log=$(mktemp)
status=0
cargo test --workspace --all-targets -- --test-threads=2 2>&1 | tee "$log" || status=$?
# One closing line for the whole run.
awk '/^test result:/ { p += $4; f += $6 } END { printf "all tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
