#!/usr/bin/env bash
# Build the libFuzzer target fuzz_parse with clang and run it, bounded.
#   fuzz/run.sh [RUNS]      (RUNS defaults to 200000; at most 120 s either way)
# The seed corpus fuzz/corpus/ is copied to a temporary directory, so the
# checked-in corpus never grows. Exits non-zero when the fuzzer finds a crash,
# a leak, a sanitizer report or a broken invariant; the input that triggered it
# is kept as build-fuzz/artifacts/crash-* (or leak-*, timeout-*, oom-*).
# Environment: AW_FUZZ_BUILD (default <repo>/build-fuzz), AW_FUZZ_MAX_TIME (120).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-200000}"
build="${AW_FUZZ_BUILD:-$root/build-fuzz}"
max_time="${AW_FUZZ_MAX_TIME:-120}"

log() { echo "[fuzz] $*" >&2; }

if ! command -v clang++ >/dev/null 2>&1; then
  log "clang++ not found: apt-get install -y clang libclang-rt-14-dev"
  exit 2
fi

log "building $build (clang, -fsanitize=fuzzer,address,undefined)"
CC=clang CXX=clang++ cmake -S "$root/fuzz" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j 1

work="$(mktemp -d "${TMPDIR:-/tmp}/aw-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -r "$root/fuzz/corpus/." "$work/"
mkdir -p "$build/artifacts"

log "running fuzz_parse: -runs=$runs, at most ${max_time}s"
start=$SECONDS
status=0
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  "$build/fuzz_parse" "$work" \
  -runs="$runs" -max_total_time="$max_time" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$build/artifacts/" || status=$?

if [ "$status" -ne 0 ]; then
  log "FAILED (exit $status) after $((SECONDS - start))s; inputs:"
  ls -1 "$build/artifacts" >&2 || true
  log "reproduce: $build/fuzz_parse $build/artifacts/<file>"
  exit 1
fi
log "passed in $((SECONDS - start))s"
