#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the store tests.
#
#   postgres_fixture.sh start STATE_DIR   # writes STATE_DIR/url (postgresql://...)
#   postgres_fixture.sh stop STATE_DIR    # stops it and removes its files
#
# The cluster lives in a fresh directory under /tmp (short unix socket paths,
# and the postgres user can reach it); STATE_DIR/cluster names it. PostgreSQL
# refuses to run as root, so as root the server runs as the postgres user.
# Every wait is bounded.
set -euo pipefail

action="${1:-}"
state="${2:-}"
if [ -z "$action" ] || [ -z "$state" ]; then
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
fi

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "postgres_fixture: no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_cluster() {
  [ -f "$state/cluster" ] || return 0
  local cluster
  cluster="$(cat "$state/cluster")"
  if [ -d "$cluster/data" ]; then
    as_owner "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate -t 30 stop >/dev/null 2>&1 || true
  fi
  case "$cluster" in /tmp/aw-pg.*) rm -rf "$cluster" ;; esac
  rm -f "$state/cluster" "$state/url"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_cluster() {
  mkdir -p "$state"
  stop_cluster  # a server left by an interrupted run
  local cluster
  cluster="$(mktemp -d /tmp/aw-pg.XXXXXX)"
  echo "$cluster" >"$state/cluster"
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "postgres_fixture: running as root but there is no postgres user" >&2
      exit 1
    fi
    chown postgres:postgres "$cluster"
  fi
  if ! as_owner "$pg_bin/initdb" -D "$cluster/data" -U aw --auth=trust -E UTF8 --locale=C \
      >"$cluster/initdb.log" 2>&1; then
    echo "postgres_fixture: initdb failed:" >&2
    tail -n 20 "$cluster/initdb.log" >&2
    exit 1
  fi
  local port="" try
  for try in 1 2 3 4 5; do
    local candidate=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    port_in_use "$candidate" && continue
    if as_owner "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $candidate -k $cluster -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
      port="$candidate"
      break
    fi
  done
  if [ -z "$port" ]; then
    echo "postgres_fixture: the server did not start; its log:" >&2
    tail -n 30 "$cluster/server.log" >&2 || true
    exit 1
  fi
  if ! timeout 30 "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U aw aw_test; then
    echo "postgres_fixture: createdb failed" >&2
    exit 1
  fi
  echo "postgresql://aw@127.0.0.1:$port/aw_test" >"$state/url"
  echo "postgres_fixture: serving postgresql://aw@127.0.0.1:$port/aw_test from $cluster"
}

case "$action" in
  start) start_cluster ;;
  stop) stop_cluster ;;
  *)
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
