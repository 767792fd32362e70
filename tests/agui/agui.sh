#!/usr/bin/env bash
# POST /agui against the real @ag-ui/client (HttpAgent), with two real servers
# on ephemeral loopback ports: one on the fake OpenAI-compatible model
# (tests/support/fake_openai.js, so thoughts stream and a run can be made slow),
# and one with AUTH_SECRET set.
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
tmp="$(mktemp -d /tmp/agentwire-agui.XXXXXX)"
touch "$tmp/fake.out" "$tmp/auth.log" "$tmp/server.log"  # tail -f needs them to exist
fake_pid=""
auth_pid=""
cleanup() {
  aw_stop_server || true
  if [ -n "$auth_pid" ]; then AW_SERVER_PID="$auth_pid" aw_stop_server || true; fi
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

node "$here/../support/fake_openai.js" >"$tmp/fake.out" 2>&1 &
fake_pid=$!
line="$(timeout 10 tail -n +1 -f "$tmp/fake.out" | grep -m1 '^listening' || true)"
fake_port="${line#listening }"
[ -n "$fake_port" ] || { echo "fake model did not start" >&2; cat "$tmp/fake.out" >&2; exit 1; }

secret="agui-test-secret"
aw_start_server "$bin" "$tmp/auth.log" AUTH_SECRET="$secret"
auth_pid="$AW_SERVER_PID"
auth_port="$AW_SERVER_PORT"
token="$(AUTH_SECRET="$secret" "$bin" token --user alice --ttl 600)"

aw_start_server "$bin" "$tmp/server.log" LLM_PROVIDER=openai OPENAI_API_KEY=test-key \
  LLM_BASE_URL="http://127.0.0.1:$fake_port/v1" LLM_MODEL=fake-model LLM_TIMEOUT_S=10

set +e
AGUI_BASE="http://127.0.0.1:$AW_SERVER_PORT" AGUI_AUTH_BASE="http://127.0.0.1:$auth_port" \
  AGUI_TOKEN="$token" timeout 150 node "$client/agui_test.js"
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "--- server log (last 40 lines)" >&2
  tail -n 40 "$tmp/server.log" >&2
  echo "--- auth server log (last 10 lines)" >&2
  tail -n 10 "$tmp/auth.log" >&2
fi
exit $rc
