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
fake_pid=""
model_pid=""
cleanup() {
  aw_stop_server || true
  if [ -n "$model_pid" ]; then AW_SERVER_PID="$model_pid" AW_SERVER_DATA_DIR="" aw_stop_server || true; fi
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$out/model-data"
}
trap cleanup EXIT

: >"$out/fake-model.out"
node "$here/../support/fake_openai.js" >"$out/fake-model.out" 2>&1 &
fake_pid=$!
line="$(timeout 10 tail -n +1 -f "$out/fake-model.out" | grep -m1 '^listening' || true)"
fake_port="${line#listening }"
[ -n "$fake_port" ] || { echo "fake model did not start" >&2; cat "$out/fake-model.out" >&2; exit 1; }
rm -rf "$out/model-data"
mkdir -p "$out/model-data"
aw_start_server "$bin" "$out/model-server.log" DATA_DIR="$out/model-data" LLM_PROVIDER=openai \
  OPENAI_API_KEY=test-key LLM_BASE_URL="http://127.0.0.1:$fake_port/v1" LLM_MODEL=fake-model \
  LLM_TIMEOUT_S=10
model_pid="$AW_SERVER_PID"
model_port="$AW_SERVER_PORT"

log="$out/server.log"
aw_start_server "$bin" "$log"

set +e
NODE_PATH="$client/node_modules" node "$here/chat_page_test.js" \
  --port "$AW_SERVER_PORT" --model-port "$model_port" --out "$out" --chromium "$chromium"
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "--- server log (last 40 lines)" >&2
  tail -n 40 "$log" >&2
  echo "--- model server log (last 20 lines)" >&2
  tail -n 20 "$out/model-server.log" >&2
fi
exit $rc
