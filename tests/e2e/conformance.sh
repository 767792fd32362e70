#!/usr/bin/env bash
# Runs the independent conformance client (../shared/conformance) against the
# real binary on an ephemeral loopback port.
#   conformance.sh AGENTWIRE_BIN SHARED_DIR CHECKS [NAME=VALUE ...]
# Exits 77 (CTest's SKIP_RETURN_CODE, see CMakeLists.txt) with the reason on
# stderr when SHARED_DIR has no conformance client: a clone of this repository
# alone has no ../shared beside it.
set -euo pipefail
bin="$1"
shared="$2"
checks="$3"
shift 3

if [ ! -f "$shared/conformance/accept.js" ]; then
  echo "SKIPPED: conformance client not found at $shared/conformance/accept.js (configure with -DAW_SHARED_DIR=PATH/TO/shared to run it)" >&2
  exit 77
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

source "$(dirname "$0")/../../scripts/lib/server.sh"
log="$(mktemp /tmp/agentwire-conformance.XXXXXX.log)"
trap 'aw_stop_server || true; rm -f "$log"' EXIT
aw_start_server "$bin" "$log" "$@"
port="$AW_SERVER_PORT"

rc=0
node "$client/accept.js" --url "ws://127.0.0.1:$port" --only "$checks" || rc=$?
aw_show_logs_if_failed "$rc" "$log:40"
exit "$rc"
