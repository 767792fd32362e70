#!/usr/bin/env bash
# The chat page in a real browser: starts the real binary on an ephemeral
# loopback port and runs chat_page_test.js (headless Debian chromium driven by
# playwright-core) against it. A second server on the fake OpenAI-compatible
# model (tests/support/fake_openai.js) streams thoughts and can be made slow,
# for the streamed-thoughts and cancel checks. Screenshots and the server logs
# go to OUT_DIR.
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
source "$here/../../scripts/lib/fake_model.sh"
AW_FAKE_MODEL_PID=""
model_pid=""
cleanup() {
  aw_stop_server || true
  if [ -n "$model_pid" ]; then AW_SERVER_PID="$model_pid" AW_SERVER_DATA_DIR="" aw_stop_server || true; fi
  if [ -n "$AW_FAKE_MODEL_PID" ]; then kill "$AW_FAKE_MODEL_PID" 2>/dev/null || true; fi
  rm -rf "$out/model-data"
}
trap cleanup EXIT

aw_start_fake_model "$out/fake-model.out"
rm -rf "$out/model-data"
mkdir -p "$out/model-data"
aw_start_server "$bin" "$out/model-server.log" DATA_DIR="$out/model-data" "${AW_FAKE_MODEL_ENV[@]}"
model_pid="$AW_SERVER_PID"
model_port="$AW_SERVER_PORT"

log="$out/server.log"
aw_start_server "$bin" "$log"

rc=0
NODE_PATH="$client/node_modules" node "$here/chat_page_test.js" \
  --port "$AW_SERVER_PORT" --model-port "$model_port" --out "$out" --chromium "$chromium" || rc=$?
aw_show_logs_if_failed "$rc" "$log:40" "$out/model-server.log:20"
exit "$rc"
