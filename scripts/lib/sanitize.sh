#!/usr/bin/env bash
# The tests under AddressSanitizer (with LeakSanitizer) and
# UndefinedBehaviorSanitizer: configures build-asan with -DAW_SANITIZE=ON,
# builds the <area>_tests executables of tests/unit, the end-to-end and the
# cluster tests (with the sanitized server they start) and runs each once.
# Exits non-zero on any sanitizer finding, failing test or build error.
# Logs: build-asan/sanitize-logs/<target>.log.
#
#   bash scripts/lib/sanitize.sh [--build-only] [TARGET...]
#       (default: every tests/unit/<area>, e2e_tests and cluster_tests;
#        --build-only builds them and runs nothing)
#
# Environment: AW_ASAN_BUILD (default <repo>/build-asan), AW_SANITIZE_JOBS
# (compile jobs and test binaries run at once, default 1), AW_SANITIZE_TIMEOUT
# (seconds per test binary, 900).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build="${AW_ASAN_BUILD:-$AW_ROOT/build-asan}"
jobs="${AW_SANITIZE_JOBS:-1}"
per_binary_timeout="${AW_SANITIZE_TIMEOUT:-900}"

build_only=0
if [ "${1:-}" = --build-only ]; then
  build_only=1
  shift
fi

# One doctest executable per folder of tests/unit that has test sources
# (tests/CMakeLists.txt), unless targets are named on the command line.
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in "$AW_ROOT"/tests/unit/*/; do
    area="$(basename "$dir")"
    if compgen -G "$dir*.cpp" >/dev/null; then targets+=("${area}_tests"); fi
  done
  # The end-to-end tests too: they start the sanitized agentwire binary, and
  # its own reports are copied into the test's output (server_process.cpp).
  targets+=(e2e_tests cluster_tests)
fi
if [ ${#targets[@]} -eq 0 ]; then
  aw_log "sanitize: no unit test targets found"
  exit 1
fi

# Debug (-O0): the clearest stacks, and fast enough for the tests; line
# tables (-g1) are all a sanitizer report needs, and build faster than -g.
aw_log "sanitize: configuring $build (AW_SANITIZE=ON, Debug)"
cmake -S "$AW_ROOT" -B "$build" -DAW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" >/dev/null

logs="$build/sanitize-logs"
mkdir -p "$logs"
failed=()

# All targets in one build, so that links overlap with compiles; only when it
# fails is each target built on its own, to say which ones do not build (the
# others still run; the script fails all the same).
built=()
aw_log "sanitize: building ${targets[*]} (-j $jobs)"
if cmake --build "$build" -j "$jobs" --target "${targets[@]}" >"$logs/build.log" 2>&1; then
  built=("${targets[@]}")
else
  for t in "${targets[@]}"; do
    if cmake --build "$build" -j "$jobs" --target "$t" >"$logs/$t.build.log" 2>&1; then
      built+=("$t")
    else
      aw_log "sanitize: $t does not build; from $logs/$t.build.log:"
      grep -E -m 10 'error|Error' "$logs/$t.build.log" >&2 || tail -n 20 "$logs/$t.build.log" >&2
      failed+=("$t (build)")
    fi
  done
fi
if [ "$build_only" = 1 ]; then
  if [ ${#failed[@]} -ne 0 ]; then exit 1; fi
  exit 0
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# fontconfig's allocations for a render thread's pango font map are not freed
# when the thread ends (tests/fontconfig_thread_exit.supp says why and how narrowly);
# the servers the end-to-end tests start inherit this.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$AW_ROOT/tests/fontconfig_thread_exit.supp}"

# What runs: one job per test binary, the end-to-end tests in one shard more
# than there are jobs (they mostly wait on servers and timeouts, so shards
# overlap well, and smaller shards even out the load). The longest go first;
# jobs run $jobs at a time.
job_names=()
job_cmds=()
add_job() {  # name, then the command line
  job_names+=("$1")
  shift
  job_cmds+=("$(printf '%q ' "$@")")
}
ordered=()
for t in e2e_tests cluster_tests render_tests; do
  if [[ " ${built[*]} " == *" $t "* ]]; then ordered+=("$t"); fi
done
for t in "${built[@]}"; do
  if [[ " ${ordered[*]} " != *" $t "* ]]; then ordered+=("$t"); fi
done
for t in "${ordered[@]}"; do
  exe="$(find "$build/tests" -maxdepth 2 -type f -name "$t" -perm -u+x | head -n 1)"
  if [ -z "$exe" ]; then
    aw_log "sanitize: $t was built but not found under $build/tests"
    failed+=("$t (missing)")
    continue
  fi
  if [ "$t" = invariants_tests ]; then
    add_job "$t" "$exe" -s run_invariants -r 60  # CAF's own test runner (tests/CMakeLists.txt)
  elif [ "$t" = e2e_tests ] && [ "$jobs" -gt 1 ]; then
    # A fixed shuffle spreads the long tests over the shards.
    shards=$((jobs + 1))
    cases="$("$exe" --no-intro --count | grep -oE '[0-9]+$' | tail -n 1)"
    per=$(((cases + shards - 1) / shards))
    for ((k = 0; k < shards; ++k)); do
      add_job "$t.$((k + 1))" "$exe" --no-intro --order-by=rand --rand-seed=7 \
        --first=$((k * per + 1)) --last=$(((k + 1) * per))
    done
  else
    add_job "$t" "$exe" --no-intro  # doctest
  fi
done

run_job() {  # index: runs it, writes its log and its status file
  local name="${job_names[$1]}" log="$logs/${job_names[$1]}.log" start=$SECONDS status=0
  (cd "$build" && eval "timeout $per_binary_timeout ${job_cmds[$1]}" >"$log" 2>&1) || status=$?
  echo "$status $((SECONDS - start))" >"$logs/$name.status"
}

running=0
for i in "${!job_names[@]}"; do
  rm -f "$logs/${job_names[$i]}.status"
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_job "$i" &
  running=$((running + 1))
done
wait || true

for name in "${job_names[@]}"; do
  log="$logs/$name.log"
  read -r status took <"$logs/$name.status" 2>/dev/null || { status=255; took=0; }
  findings="$(grep -cE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log" || true)"
  if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
    aw_log "sanitize: $name FAILED (exit $status, $findings sanitizer report(s), ${took}s); from $log:"
    grep -E -A 30 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log" | head -n 60 >&2 ||
      true
    tail -n 20 "$log" >&2
    failed+=("$name")
  else
    aw_log "sanitize: $name passed ($(grep -E '^\[doctest\] test cases' "$log" | tr -s ' ' || true), ${took}s)"
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  aw_log "sanitize: FAILED: $(printf '%s, ' "${failed[@]}" | sed 's/, $//')"
  exit 1
fi
aw_log "sanitize: all clean: ${targets[*]}"
