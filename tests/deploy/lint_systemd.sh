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

# Values from EnvironmentFile= override the unit's Environment= lines: no env
# file a unit reads may set what the unit sets (every worker got
# NODE_ID=gateway-1 that way), each file must ship beside the units, and the
# gateway's secrets never reach a worker.
#   env_problems SYSTEMD_DIR UNIT   prints one line per problem
env_problems() {
  local dir="$1" unit="$2" key file
  local -a unit_keys=() file_keys=()
  mapfile -t unit_keys < <(sed -n 's/^Environment=\([A-Z_][A-Z0-9_]*\)=.*/\1/p' "$dir/$unit")
  while read -r file; do
    file="${file#-}"
    if [ ! -f "$dir/$(basename "$file")" ]; then
      echo "$unit: reads $file, which deploy/systemd does not ship"
      continue
    fi
    mapfile -t file_keys < <(sed -n 's/^[[:space:]]*\(export[[:space:]]\+\)\?\([A-Z_][A-Z0-9_]*\)=.*/\2/p' \
      "$dir/$(basename "$file")")
    for key in "${file_keys[@]}"; do
      for u in "${unit_keys[@]}"; do
        [ "$key" = "$u" ] && echo "$unit: $(basename "$file") sets $key, overriding the unit's Environment=$key"
      done
      if [[ "$unit" == agentwire-worker* ]] && { [ "$key" = AUTH_SECRET ] || [ "$key" = STORE_URL ]; }; then
        echo "$unit: $(basename "$file") gives a worker the gateway's $key"
      fi
    done
  done < <(sed -n 's/^EnvironmentFile=//p' "$dir/$unit")
}

for unit in agentwire-gateway.service agentwire-worker@.service; do
  problems="$(env_problems "$deploy/systemd" "$unit")"
  if [ -n "$problems" ]; then
    echo "$problems" >&2
    exit 1
  fi
done
# Broken copies must be refused: a shared env file setting NODE_ID, and a
# worker reading the gateway's env file.
mkdir -p "$tmp/env"
cp "$deploy"/systemd/* "$tmp/env/"
echo 'NODE_ID=gateway-1' >>"$tmp/env/common.env"
grep -q "common.env sets NODE_ID" <<<"$(env_problems "$tmp/env" agentwire-worker@.service)" || {
  echo "env-file lint: a common.env setting NODE_ID was not refused" >&2
  exit 1
}
cp "$deploy/systemd/common.env" "$tmp/env/"
sed -i 's|^EnvironmentFile=/etc/agentwire/worker.env|EnvironmentFile=/etc/agentwire/gateway.env|' \
  "$tmp/env/agentwire-worker@.service"
grep -q "gives a worker the gateway's AUTH_SECRET" <<<"$(env_problems "$tmp/env" agentwire-worker@.service)" || {
  echo "env-file lint: a worker reading gateway.env was not refused" >&2
  exit 1
}

# Cluster TLS is on in both units: the three files loaded as credentials and
# named in CLUSTER_TLS_*, and nothing (unit or env file) turns it off.
#   tls_problems SYSTEMD_DIR UNIT   prints one line per problem
tls_problems() {
  local dir="$1" unit="$2" part key file
  for part in cert key ca; do
    key="CLUSTER_TLS_${part^^}"
    grep -q "^LoadCredential=cluster-tls-$part:/" "$dir/$unit" ||
      echo "$unit: no LoadCredential=cluster-tls-$part:..."
    grep -qx "Environment=$key=%d/cluster-tls-$part" "$dir/$unit" ||
      echo "$unit: no Environment=$key=%d/cluster-tls-$part"
  done
  for file in "$dir/$unit" $(sed -n 's|^EnvironmentFile=-\?/etc/agentwire/||p' "$dir/$unit" | sed "s|^|$dir/|"); do
    [ -f "$file" ] || continue
    if grep -Eq '^[[:space:]]*(export[[:space:]]+)?(INSECURE_CLUSTER|CLUSTER_TLS_[A-Z]+)=' "$file" &&
       [ "$file" != "$dir/$unit" ]; then
      echo "$unit: $(basename "$file") sets INSECURE_CLUSTER or CLUSTER_TLS_* (TLS off or overridden)"
    fi
    if grep -Eq '^[^#]*(--insecure-cluster|INSECURE_CLUSTER=1)' "$file" && [ "$file" = "$dir/$unit" ]; then
      echo "$unit: turns cluster TLS off (--insecure-cluster)"
    fi
  done
}
for unit in agentwire-gateway.service agentwire-worker@.service; do
  problems="$(tls_problems "$deploy/systemd" "$unit")"
  if [ -n "$problems" ]; then
    echo "$problems" >&2
    exit 1
  fi
done
mkdir -p "$tmp/tls"
cp "$deploy"/systemd/* "$tmp/tls/"
echo 'INSECURE_CLUSTER=1' >>"$tmp/tls/worker.env"
grep -q "worker.env sets INSECURE_CLUSTER" <<<"$(tls_problems "$tmp/tls" agentwire-worker@.service)" || {
  echo "TLS lint: a worker.env with INSECURE_CLUSTER=1 was not refused" >&2
  exit 1
}
cp "$deploy"/systemd/worker.env "$tmp/tls/"
sed -i '/^LoadCredential=cluster-tls-key:/d' "$tmp/tls/agentwire-gateway.service"
grep -q "no LoadCredential=cluster-tls-key" <<<"$(tls_problems "$tmp/tls" agentwire-gateway.service)" || {
  echo "TLS lint: a gateway unit without its TLS key was not refused" >&2
  exit 1
}
sed -i 's|^ExecStart=\(.*\)$|ExecStart=\1 --insecure-cluster|' "$tmp/tls/agentwire-worker@.service"
grep -q "turns cluster TLS off" <<<"$(tls_problems "$tmp/tls" agentwire-worker@.service)" || {
  echo "TLS lint: a worker unit with --insecure-cluster was not refused" >&2
  exit 1
}

# A broken copy (a value systemd cannot parse) must fail.
copy agentwire-gateway.service "$tmp/broken"
sed -i 's/^Restart=on-failure/Restart=sometimes/' "$tmp/broken/agentwire-gateway.service"
if verify "$tmp/broken" agentwire-gateway.service >/dev/null; then
  echo "systemd-analyze verify accepted a broken unit: the check cannot fail" >&2
  exit 1
fi
echo "systemd-analyze verify: agentwire-gateway.service, agentwire-worker@9100.service ok; env files set nothing the units set, no gateway secret for workers; cluster TLS on in both units; broken copies refused"
