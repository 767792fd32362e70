#!/usr/bin/env bash
# POST /agui and the resume/join/cancel endpoints against the real
# @ag-ui/client (HttpAgent) 1.0.0 and 0.0.59, with two real servers on
# ephemeral loopback ports, both on the fake OpenAI-compatible model
# (tests/support/fake_openai.js, so thoughts stream and a run can be made
# slow): one with the defaults (AGUI_DISCONNECT=continue), one with
# AUTH_SECRET set, AGUI_DISCONNECT=cancel and EVENT_BUFFER_S=10 (a held run
# expires within the test).
#   agui.sh AGENTWIRE_BIN
set -euo pipefail
bin="$1"
here="$(cd "$(dirname "$0")" && pwd)"

# The client is installed into the build tree, once (npm ci from the lock file).
client="$(dirname "$bin")/../agui-client"
source "$here/../../scripts/lib/node_deps.sh"
aw_npm_install "$here" "$client" @ag-ui/client
cp "$here/agui_test.js" "$client/"  # resolves its packages from there

source "$here/../../scripts/lib/server.sh"
source "$here/../../scripts/lib/fake_model.sh"
tmp="$(mktemp -d /tmp/agentwire-agui.XXXXXX)"
touch "$tmp/auth.log" "$tmp/server.log"  # tail -f needs them to exist
AW_FAKE_MODEL_PID=""
auth_pid=""
auth_data=""
cleanup() {
  aw_stop_server || true
  if [ -n "$auth_pid" ]; then
    AW_SERVER_PID="$auth_pid" AW_SERVER_DATA_DIR="$auth_data" aw_stop_server || true
  fi
  if [ -n "$AW_FAKE_MODEL_PID" ]; then kill "$AW_FAKE_MODEL_PID" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

aw_start_fake_model "$tmp/fake.out"

secret="agui-test-secret-0123456789abcdef0123"
aw_start_server "$bin" "$tmp/auth.log" AUTH_SECRET="$secret" AGUI_DISCONNECT=cancel \
  EVENT_BUFFER_S=10 HEARTBEAT_S=1 \
  "${AW_FAKE_MODEL_ENV[@]}"
auth_pid="$AW_SERVER_PID"
auth_data="$AW_SERVER_DATA_DIR"
auth_port="$AW_SERVER_PORT"
token="$(AUTH_SECRET="$secret" "$bin" token --user alice --ttl 600)"

aw_start_server "$bin" "$tmp/server.log" "${AW_FAKE_MODEL_ENV[@]}"

rc=0
AGUI_ONLY="${AGUI_ONLY:-}" AGUI_BASE="http://127.0.0.1:$AW_SERVER_PORT" AGUI_AUTH_BASE="http://127.0.0.1:$auth_port" \
  AGUI_TOKEN="$token" timeout 150 node --experimental-websocket "$client/agui_test.js" || rc=$?
aw_show_logs_if_failed "$rc" "$tmp/server.log:40" "$tmp/auth.log:10"
exit "$rc"
