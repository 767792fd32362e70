#!/usr/bin/env bash
# `nginx -t` for real on deploy/nginx: the shipped nginx.conf and agentwire.conf
# with the shipped agentwire.d/server.conf, and a gateways.conf naming loopback
# addresses (the compose names gateway-1/-2 only resolve on the compose network;
# lint_files.js checks them against docker-compose.yml). Then the same check on
# a copy with one broken line must fail, so this test can fail.
#   lint_nginx.sh DEPLOY_DIR
set -euo pipefail
deploy="$1"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [ ! -x "$nginx_bin" ]; then
  echo "nginx not found (Debian package nginx-light)" >&2
  exit 1
fi

tmp="$(mktemp -d /tmp/agentwire-nginx-lint.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

# A prefix of our own: config, temp paths, pid and logs all under $tmp.
setup() {
  local dir="$1" main="$2"
  mkdir -p "$dir/agentwire.d" "$dir/logs"
  cp "$deploy/nginx/agentwire.conf" "$dir/"
  cp "$deploy/nginx/agentwire.d/server.conf" "$dir/agentwire.d/"
  printf 'server 127.0.0.1:18081 max_fails=1 fail_timeout=10s;\nserver 127.0.0.1:18082 max_fails=1 fail_timeout=10s;\n' \
    >"$dir/agentwire.d/gateways.conf"
  cp /etc/nginx/mime.types "$dir/" 2>/dev/null || echo 'types { text/html html; }' >"$dir/mime.types"
  cp "$main" "$dir/nginx.conf"
}

free_port() { echo $((20000 + RANDOM % 20000)); }

check() {
  local dir="$1"
  "$nginx_bin" -e stderr -p "$dir" -c "$dir/nginx.conf" -t 2>&1
}

# 1. The shipped main config (the compose nginx container's), its pid file
# moved into the prefix (nginx -t writes it; /tmp/nginx.pid may be another's).
setup "$tmp/main" "$deploy/nginx/nginx.conf"
sed -i "s|^pid .*;|pid $tmp/main/nginx.pid;|" "$tmp/main/nginx.conf"
grep -q "^pid $tmp/main/nginx.pid;" "$tmp/main/nginx.conf"
# nginx -t binds the listen address: port 80 only as root; otherwise a
# loopback port (the rest of server.conf stays as shipped).
if [ "$(id -u)" -ne 0 ]; then
  sed -i "s|^listen 80;|listen 127.0.0.1:$(free_port);|" "$tmp/main/agentwire.d/server.conf"
fi
check "$tmp/main"

# 2. agentwire.conf inside a minimal wrapper, as a host nginx includes it,
# with a server.conf of this test's own (loopback, log in the prefix).
cat >"$tmp/wrapper.conf" <<CONF
pid $tmp/wrapped/nginx.pid;
events { worker_connections 64; }
http {
    client_body_temp_path $tmp/wrapped/body;
    proxy_temp_path $tmp/wrapped/proxy;
    include agentwire.conf;
}
CONF
setup "$tmp/wrapped" "$tmp/wrapper.conf"
printf 'listen 127.0.0.1:%s;\naccess_log %s agentwire;\n' "$(free_port)" "$tmp/wrapped/logs/access.log" \
  >"$tmp/wrapped/agentwire.d/server.conf"
check "$tmp/wrapped"

# 3. A broken copy must be refused (a directive nginx does not know).
setup "$tmp/broken" "$tmp/wrapper.conf"
sed -i 's|$tmp/wrapped|$tmp/broken|g' "$tmp/broken/nginx.conf"
sed -i 's/proxy_read_timeout 3600s;/proxy_read_timeout_typo 3600s;/' "$tmp/broken/agentwire.conf"
if out="$(check "$tmp/broken")"; then
  echo "nginx -t accepted a broken agentwire.conf: the check cannot fail" >&2
  exit 1
fi
grep -q 'unknown directive "proxy_read_timeout_typo"' <<<"$out" || {
  echo "nginx -t refused the broken copy for another reason:" >&2
  echo "$out" >&2
  exit 1
}
echo "nginx -t: shipped config ok, wrapped config ok, broken copy refused"
