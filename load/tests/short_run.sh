#!/usr/bin/env bash
# A short agentwire-load run against the real binary on an ephemeral loopback
# port: 20 users x 2 connections, 3 requests each (2 in flight), then checks
# the exit code, the JSON report and the PNG plots.
#   short_run.sh AGENTWIRE_BIN AGENTWIRE_LOAD_BIN
set -euo pipefail
bin="$1"
load="$2"

work="$(mktemp -d /tmp/agentwire-load-short.XXXXXX)"
log="$work/server.log"
env PORT=0 HOST=127.0.0.1 "$bin" 2>"$log" &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Wait (bounded) for the "listening" line that carries the port.
line="$(timeout 30 tail -n +1 -f "$log" | grep -m1 '"msg":"listening"' || true)"
port="$(sed -n 's/.*"port":"\([0-9]*\)".*/\1/p' <<<"$line")"
if [ -z "$port" ]; then
  echo "server did not start:" >&2
  cat "$log" >&2
  exit 1
fi

fail() {
  echo "FAIL: $*" >&2
  echo "--- server log (last 40 lines)" >&2
  tail -n 40 "$log" >&2
  exit 1
}

set +e
timeout 120 "$load" run --url "ws://127.0.0.1:$port/ws" --users 20 --conns-per-user 2 \
  --requests 3 --concurrency 2 --duration-max 60 \
  --json "$work/report.json" --plots "$work/plots" --server-pid "$server"
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "agentwire-load exited with $rc"
[ -s "$work/report.json" ] || fail "no JSON report"

# The JSON report: 0 violations, 0 lost runs, 60 completed runs.
number() {  # number KEY: the first integer value of "KEY": in the report
  grep -m1 -o "\"$1\": *[0-9]*" "$work/report.json" | grep -o '[0-9]*$'
}
[ "$(number violations)" = "0" ] || fail "violations: $(number violations)"
[ "$(number lost)" = "0" ] || fail "lost runs: $(number lost)"
[ "$(number completed)" = "60" ] || fail "completed runs: $(number completed), expected 60"

# The plots exist and are PNG files.
for f in latency_cdf throughput p99_completed server_rss; do
  png="$work/plots/$f.png"
  [ -s "$png" ] || fail "missing plot $png"
  sig="$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')"
  [ "$sig" = "89504e470d0a1a0a" ] || fail "$png does not start with the PNG signature ($sig)"
done

# The server is still up and stops on SIGTERM (a watchdog bounds the wait).
kill -0 "$server" 2>/dev/null || fail "server died during the run"
kill -TERM "$server"
set +e
timeout 30 tail --pid="$server" -f /dev/null
stopped=$?
[ $stopped -eq 0 ] || kill -KILL "$server" 2>/dev/null
wait "$server"
src=$?
set -e
[ $stopped -eq 0 ] || fail "server did not stop within 30 s of SIGTERM"
[ "$src" -eq 0 ] || fail "server exited with status $src after SIGTERM"
echo "OK: 60 runs, 0 violations, 0 lost, plots written (server exit status $src)"
