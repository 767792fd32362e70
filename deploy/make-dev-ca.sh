#!/bin/sh
# Makes a development CA and one certificate per cluster node, for mutual TLS
# between gateways and workers (CLUSTER_TLS_CERT / _KEY / _CA; docs/security.md).
#
#   deploy/make-dev-ca.sh [-o DIR] [-d DAYS] [-u OWNER] NAME...
#
# DIR (default ./cluster-tls) gets ca.pem and ca.key (made once, reused on
# later calls) and NAME.pem / NAME.key for each NAME (e.g. gateway worker-1).
# Every node gets CLUSTER_TLS_CA=DIR/ca.pem and its own pair. Keys are EC
# P-256, unencrypted, mode 600; -u chowns the node keys (e.g. 10001:10001,
# the containers' user; needs root). ca.key stays here: keep it off the
# nodes. For production, use your own PKI: agentwire only needs PEM files
# whose certificates that CA signed.
set -eu

out=./cluster-tls
days=365
owner=
while getopts "o:d:u:h" opt; do
  case "$opt" in
    o) out=$OPTARG ;;
    d) days=$OPTARG ;;
    u) owner=$OPTARG ;;
    *) sed -n '2,15p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
  echo "usage: $0 [-o DIR] [-d DAYS] [-u OWNER] NAME..." >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "$0: needs the openssl command (apt-get install openssl)" >&2; exit 1; }

umask 077
mkdir -p "$out"
if [ ! -f "$out/ca.pem" ] || [ ! -f "$out/ca.key" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
    -keyout "$out/ca.key" -out "$out/ca.pem" -days "$days" -subj "/CN=agentwire cluster dev CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
fi

ext=$(mktemp)
trap 'rm -f "$ext" "$out"/*.csr' EXIT
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n' >"$ext"
for name in "$@"; do
  case "$name" in
    *[!A-Za-z0-9._-]*|'') echo "$0: '$name' is not a plain name" >&2; exit 2 ;;
  esac
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
    -keyout "$out/$name.key" -out "$out/$name.csr" -subj "/CN=$name" 2>/dev/null
  openssl x509 -req -in "$out/$name.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" \
    -CAcreateserial -sha256 -days "$days" -extfile "$ext" -out "$out/$name.pem" 2>/dev/null
  chmod 600 "$out/$name.key"
  if [ -n "$owner" ]; then chown "$owner" "$out/$name.key"; fi
  echo "$out/$name.pem $out/$name.key"
done
chmod 644 "$out"/*.pem
chmod 755 "$out"
