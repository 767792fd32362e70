#!/usr/bin/env bash
# Runs the independent conformance client (../shared/conformance) against the
# real binary on an ephemeral loopback port.
#   conformance.sh AGENTWIRE_BIN SHARED_DIR CHECKS [NAME=VALUE ...]
set -euo pipefail
bin="$1"
shared="$2"
checks="$3"
shift 3

if [ ! -f "$shared/conformance/accept.js" ]; then
  echo "conformance client not found at $shared/conformance" >&2
  exit 1
fi

# The shared folder is read-only to us: install the client's one dependency
# into a copy inside the build tree, once (ctest may run several of these).
client="$(dirname "$bin")/../conformance-client"
mkdir -p "$client"
(
  flock 9
  if [ ! -d "$client/node_modules/ws" ] || ! cmp -s "$shared/conformance/accept.js" "$client/accept.js"; then
    rm -rf "$client"/{accept.js,lib,package.json,package-lock.json}
    cp -r "$shared/conformance/accept.js" "$shared/conformance/lib" \
          "$shared/conformance/package.json" "$shared/conformance/package-lock.json" "$client/"
    (cd "$client" && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
) 9>"$client.lock"

log="$(mktemp /tmp/agentwire-conformance.XXXXXX.log)"
env PORT=0 HOST=127.0.0.1 "$@" "$bin" 2>"$log" &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null || true
  # Bounded: the server must stop within 30 s of SIGTERM.
  timeout 30 tail --pid="$server" -f /dev/null || kill -KILL "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$log"
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

set +e
node "$client/accept.js" --url "ws://127.0.0.1:$port" --only "$checks"
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "--- server log (last 40 lines)" >&2
  tail -n 40 "$log" >&2
fi
exit $rc
