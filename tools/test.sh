#!/usr/bin/env bash
# The whole test suite: set-up, formatting, lints, unit/golden/end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace --quiet
# Module cycles: none in the codegen, only the data-forced ones in the runtime.
python3 tools/modgraph.py --quiet
# Every test binary runs even when one fails; the last lines sum up the run.
exec bash tools/cargo-test.sh --workspace --all-targets -- --test-threads=2
