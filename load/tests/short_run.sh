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
source "$(dirname "$0")/../../scripts/lib/server.sh"
trap 'aw_stop_server || true; rm -rf "$work"' EXIT
aw_start_server "$bin" "$log"
port="$AW_SERVER_PORT"
server="$AW_SERVER_PID"

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

# The server is still up and stops on SIGTERM (aw_stop_server bounds the wait).
kill -0 "$server" 2>/dev/null || fail "server died during the run"
set +e
aw_stop_server
src=$?
set -e
[ "$src" -eq 0 ] || fail "server did not stop cleanly within 30 s of SIGTERM (status $src)"
echo "OK: 60 runs, 0 violations, 0 lost, plots written (server exit status $src)"
