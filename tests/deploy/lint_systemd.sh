#!/usr/bin/env bash
# `systemd-analyze verify` on deploy/systemd's units. verify needs the
# ExecStart binary to exist, so the copies point at the agentwire just built;
# nothing else changes. Any message counts as a failure (verify exits 0 on
# unknown keys and bad values, it only prints them). A broken copy must fail.
# Exit 77 (CTest: skipped) when systemd-analyze is not installed.
#   lint_systemd.sh DEPLOY_DIR AGENTWIRE_BIN
set -euo pipefail
deploy="$1"
bin="$2"
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze not installed: skipped" >&2
  exit 77
fi
tmp="$(mktemp -d /tmp/agentwire-systemd-lint.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

copy() {  # copy SRC_NAME DEST_DIR
  mkdir -p "$2"
  sed "s|/usr/local/bin/agentwire|$bin|g" "$deploy/systemd/$1" >"$2/$1"
}

verify() {  # verify DIR UNIT...: prints verify's messages, fails if any
  local dir="$1" out
  shift
  out="$(cd "$dir" && systemd-analyze verify "${@/#/./}" 2>&1)" || { echo "$out"; return 1; }
  if [ -n "$out" ]; then
    echo "$out"
    return 1
  fi
}

copy agentwire-gateway.service "$tmp/ok"
copy agentwire-worker@.service "$tmp/ok"
ln -s agentwire-worker@.service "$tmp/ok/agentwire-worker@9100.service"
verify "$tmp/ok" agentwire-gateway.service agentwire-worker@9100.service

# The hardening the units promise is there.
for unit in agentwire-gateway.service agentwire-worker@.service; do
  for line in 'DynamicUser=yes' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'Restart=on-failure' \
              'KillSignal=SIGTERM' 'KillMode=mixed' 'LimitNOFILE=65536'; do
    grep -qx "$line" "$deploy/systemd/$unit" || { echo "$unit: missing $line" >&2; exit 1; }
  done
  stop="$(sed -n 's/^TimeoutStopSec=\([0-9]*\)$/\1/p' "$deploy/systemd/$unit")"
  # TimeoutStopSec must leave room for DRAIN_TIMEOUT_S (default 30).
  if [ -z "$stop" ] || [ "$stop" -le 30 ]; then
    echo "$unit: TimeoutStopSec=${stop:-unset} is not above DRAIN_TIMEOUT_S (30)" >&2
    exit 1
  fi
done

# A broken copy (a value systemd cannot parse) must fail.
copy agentwire-gateway.service "$tmp/broken"
sed -i 's/^Restart=on-failure/Restart=sometimes/' "$tmp/broken/agentwire-gateway.service"
if verify "$tmp/broken" agentwire-gateway.service >/dev/null; then
  echo "systemd-analyze verify accepted a broken unit: the check cannot fail" >&2
  exit 1
fi
echo "systemd-analyze verify: agentwire-gateway.service, agentwire-worker@9100.service ok; broken copy refused"
