#!/usr/bin/env bash
# `cargo test` over every test binary even when one fails (--no-fail-fast),
# then one closing line for the whole run and the name of every failed test.
# Arguments go to `cargo test` (e.g. `--workspace --all-targets -- --test-threads=2`).
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --no-fail-fast "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
awk '
    /^test result:/ { p += $4; f += $6 }
    /^test .* \.\.\. FAILED$/ { sub(/^test /, ""); sub(/ \.\.\. FAILED$/, ""); failed[++n] = $0 }
    /^error: (could not compile|failed to run)/ { broken[++b] = $0 }
    END {
        printf "all tests: %d passed, %d failed\n", p, f
        for (i = 1; i <= n; i++) printf "  FAILED: %s\n", failed[i]
        for (i = 1; i <= b; i++) printf "  %s\n", broken[i]
    }' "$log"
exit "$status"
