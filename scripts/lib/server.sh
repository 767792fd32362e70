# Starting and stopping the real binary on an ephemeral loopback port, for the
# scripts that drive it (conformance, load test, benchmarks). Sourced.
#   aw_start_server BIN LOG [NAME=VALUE ...]   sets AW_SERVER_PID and AW_SERVER_PORT
#   aw_stop_server                              SIGTERM, bounded wait; returns its status
#   aw_show_logs_if_failed RC LOG:LINES...      when RC is not 0, the last LINES of each LOG

aw_start_server() {
  local bin="$1" log="$2"
  shift 2
  # History and chart files go to a fresh directory (removed by aw_stop_server)
  # unless the caller names one.
  AW_SERVER_DATA_DIR=""
  if ! printf '%s\n' "$@" | grep -q '^DATA_DIR='; then
    AW_SERVER_DATA_DIR="$(mktemp -d /tmp/agentwire-data.XXXXXX)"
    set -- "DATA_DIR=$AW_SERVER_DATA_DIR" "$@"
  fi
  : >"$log"  # exists before tail -f looks for it
  env PORT=0 HOST=127.0.0.1 "$@" "$bin" 2>"$log" &
  AW_SERVER_PID=$!
  # Bounded wait for the "listening" log line, which carries the port.
  local line
  line="$(timeout 30 tail -n +1 -f "$log" | grep -m1 '"msg":"listening"' || true)"
  AW_SERVER_PORT="$(sed -n 's/.*"port":"\([0-9]*\)".*/\1/p' <<<"$line")"
  if [ -z "$AW_SERVER_PORT" ]; then
    echo "server did not start:" >&2
    cat "$log" >&2
    return 1
  fi
}

aw_stop_server() {
  [ -n "${AW_SERVER_PID:-}" ] || return 0
  kill -TERM "$AW_SERVER_PID" 2>/dev/null || true
  local status=0
  if ! timeout 30 tail --pid="$AW_SERVER_PID" -f /dev/null; then
    echo "server did not stop within 30 s of SIGTERM" >&2
    kill -KILL "$AW_SERVER_PID" 2>/dev/null || true
    status=1
  fi
  wait "$AW_SERVER_PID" 2>/dev/null || status=$?
  AW_SERVER_PID=""
  if [ -n "${AW_SERVER_DATA_DIR:-}" ]; then rm -rf "$AW_SERVER_DATA_DIR"; AW_SERVER_DATA_DIR=""; fi
  return $status
}

aw_show_logs_if_failed() {
  local rc="$1" spec
  shift
  [ "$rc" -eq 0 ] && return 0
  for spec in "$@"; do
    echo "--- ${spec%:*} (last ${spec##*:} lines)" >&2
    tail -n "${spec##*:}" "${spec%:*}" >&2 || true
  done
}
