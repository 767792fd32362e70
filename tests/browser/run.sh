#!/usr/bin/env bash
# The chat page in a real browser: starts the real binary on an ephemeral
# loopback port and runs chat_page_test.js (headless Debian chromium driven by
# playwright-core) against it. Screenshots and the server log go to OUT_DIR.
#   run.sh AGENTWIRE_BIN OUT_DIR
set -euo pipefail
bin="$1"
out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
chromium="${AW_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "chromium not found at $chromium (Debian package chromium, in AW_TEST_APT_PACKAGES)" >&2
  exit 1
fi
mkdir -p "$out"

# playwright-core, pinned by package-lock.json, installed into the build tree
# once: npm ci only when node_modules is missing or the lock file changed, so
# later runs work offline.
client="$out/node-client"
source "$here/../../scripts/lib/node_deps.sh"
aw_npm_install "$here" "$client" playwright-core

source "$here/../../scripts/lib/server.sh"
log="$out/server.log"
trap 'aw_stop_server || true' EXIT
aw_start_server "$bin" "$log"

set +e
NODE_PATH="$client/node_modules" node "$here/chat_page_test.js" \
  --port "$AW_SERVER_PORT" --out "$out" --chromium "$chromium"
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "--- server log (last 40 lines)" >&2
  tail -n 40 "$log" >&2
fi
exit $rc
