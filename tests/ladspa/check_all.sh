#!/bin/bash
# check_all.sh [LIB.so] - every LADSPA host check on one library, then the benchmark.
#
# Without an argument it builds and checks the C reference effects
# (benches/ladspa/c_effects.c), which must always pass: if they do not, the
# host or the checks are broken, not the Python plugin.  Pass the epy-built
# library to check it against the same contract.  Builds go to a temporary
# directory (nothing is written to the source tree).  Set BENCH=0 to skip the
# benchmark.  Exit status: 0 if every check passed.
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
BENCHES=$HERE/../../benches/ladspa
OUT=$(mktemp -d -t ladspa_checks.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

gcc -O2 -Wall -o "$OUT/bench_run" "$BENCHES/bench_run.c" -ldl -lm
gcc -O2 -Wall -o "$OUT/two_instances" "$HERE/two_instances.c" -ldl -lm
if [ -n "${1:-}" ]; then
    LIB=$(readlink -f "$1")
else
    gcc -O2 -shared -fPIC -o "$OUT/c_effects.so" "$BENCHES/c_effects.c" -lm
    LIB=$OUT/c_effects.so
fi

fail=0
step() { echo "### $*"; "$@" || { echo "### FAILED: $*"; fail=1; }; }
for label in epy_gain epy_lowpass; do
    step python3 "$HERE/check_analyse.py" "$LIB" "$label"
done
step python3 "$HERE/check_apply.py" "$LIB" --label epy_gain
step python3 "$HERE/check_apply.py" "$LIB" --label epy_gain --control 0.5
step python3 "$HERE/check_apply.py" "$LIB" --label epy_gain --control 2.5 --rate 48000
step python3 "$HERE/check_apply.py" "$LIB" --label epy_lowpass
# 16384 input frames = 8 x 2048: applyplugin then also calls run(handle, 0).
step python3 "$HERE/check_apply.py" "$LIB" --label epy_lowpass --control 1000 --rate 32768
step python3 "$HERE/check_apply.py" "$LIB" --label epy_lowpass --control 10
step python3 "$HERE/check_apply.py" "$LIB" --label epy_lowpass --control 20000 --rate 48000 --seconds 1
step "$OUT/two_instances" "$LIB" epy_lowpass
if [ "${BENCH:-1}" != 0 ]; then
    for label in epy_gain epy_lowpass; do step "$OUT/bench_run" "$LIB" "$label" 64 1024; done
fi
[ "$fail" = 0 ] && echo "check_all: all passed ($LIB)" || echo "check_all: FAILURES ($LIB)"
exit "$fail"
