#!/bin/bash
# Runs the core unit and engine tests under Miri (nightly), with the portable SIMD code and the
# portable dispatch (`cfg(miri)` selects it). See docs/fuzzing.md for the subset and results.
# usage: fuzz/miri.sh [LOGDIR]     (from anywhere; CARGO_TARGET_DIR is honoured)
set -u
cd "$(dirname "$0")/.."
LOG=${1:-target/miri-logs}
mkdir -p "$LOG"
if ! cargo +nightly miri --version >/dev/null 2>&1; then
    rustup component add miri rust-src --toolchain nightly || exit 1
fi
cargo +nightly miri setup >/dev/null 2>&1 || exit 1
# Tests that read the spec testsuite from disk or loop over thousands of modules take hours
# under Miri: they are skipped by name (listed in docs/fuzzing.md).
SKIP_BINARY=(--skip decode_throughput --skip spec --skip roundtrip --skip proposals)
SKIP_WVM=()
status=0
run() {
    local name=$1; shift
    local t0=$(date +%s)
    echo "== $name: cargo +nightly miri test $*" | tee -a "$LOG/summary.txt"
    cargo +nightly miri test "$@" > "$LOG/$name.log" 2>&1
    local rc=$?
    local t1=$(date +%s)
    local res=$(grep -E "^test result:" "$LOG/$name.log" | tr '\n' ' ')
    echo "   rc=$rc wall=$((t1 - t0))s $res" | tee -a "$LOG/summary.txt"
    [ $rc -eq 0 ] || status=1
}
run binary -p wvm-binary -- "${SKIP_BINARY[@]}"
run validate -p wvm-validate --lib
run simd -p wvm-simd --features portable --lib
run wvm-lib -p wvm --lib
run wvm-api-errors -p wvm --test api_errors
run wvm-examples -p wvm --test examples "${SKIP_WVM[@]}"
exit $status
