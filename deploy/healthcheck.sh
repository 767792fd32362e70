#!/bin/sh
# Container health for every role: a gateway (or `all`) answers GET /readyz on
# PORT (200 only when it can serve runs: store up, a worker live); a worker has no HTTP, so a TCP connect to its WORKER_PORT tells it is
# alive. Used by the Dockerfile's HEALTHCHECK and docker-compose.yml.
set -eu
role="${ROLE:-all}"
if [ "$role" = "worker" ]; then
  port="${WORKER_PORT:?WORKER_PORT is not set}"
  exec timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
fi
exec curl -fsS --max-time 3 -o /dev/null "http://127.0.0.1:${PORT:-8080}/readyz"
