# The fake OpenAI-compatible model (tests/support/fake_openai.js) for the test
# scripts that run a server on it. Sourced.
#   aw_start_fake_model OUT   starts it on an ephemeral loopback port, its
#                             output in OUT; sets AW_FAKE_MODEL_PID and
#                             AW_FAKE_MODEL_ENV (NAME=VALUE settings for
#                             aw_start_server that point a server at it)

aw_start_fake_model() {
  local out="$1" here line port
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  : >"$out"  # tail -f needs it to exist
  node "$here/../../tests/support/fake_openai.js" >"$out" 2>&1 &
  AW_FAKE_MODEL_PID=$!
  line="$(timeout 10 tail -n +1 -f "$out" | grep -m1 '^listening' || true)"
  port="${line#listening }"
  if [ -z "$port" ]; then
    echo "fake model did not start:" >&2
    cat "$out" >&2
    return 1
  fi
  AW_FAKE_MODEL_ENV=(LLM_PROVIDER=openai OPENAI_API_KEY=test-key
    "LLM_BASE_URL=http://127.0.0.1:$port/v1" LLM_MODEL=fake-model LLM_TIMEOUT_S=10)
}
