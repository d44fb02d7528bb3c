#!/usr/bin/env bash
# The whole test suite: set-up, formatting, lints, unit/golden/end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace -- --test-threads=2
