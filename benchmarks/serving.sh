#!/usr/bin/env bash
# How fast the landing page is served three ways, measured in one run on loopback with wrk:
#   gunicorn (WSGI, 1 worker) · `manage.py serve`'s ASGI process (pages handed to WSGI on a
#   thread pool) · Django's own ASGI handler under uvicorn. Prints req/s and the ratios.
# Needs Debian's wrk. Usage: bash benchmarks/serving.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-8}
export DEBUG=0 SECRET_KEY=bench-only ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 STATIC_MANIFEST=0
export VAR_DIR=${VAR_DIR:-var/bench/serving}
BIN=.venv/bin
$BIN/python manage.py migrate -v0
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
cat > "$tmp/plain_asgi.py" <<'PY'
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityhall.settings")
from django.core.asgi import get_asgi_application
application = get_asgi_application()
PY

measure() {  # name port
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$2/" && break; sleep 0.2; done
  wrk -t2 -c32 -d"${DURATION}s" "http://127.0.0.1:$2/" | awk -v n="$1" '/Requests\/sec/ {print n, $2}'
}

$BIN/gunicorn cityhall.wsgi -w 1 -b 127.0.0.1:8301 --log-level warning & pid=$!
wsgi=$(measure gunicorn-wsgi 8301); kill $pid; wait $pid 2>/dev/null || true
$BIN/python -m uvicorn cityhall.asgi:application --port 8302 --no-access-log --log-level warning & pid=$!
ours=$(measure serve-asgi+wsgi 8302); kill $pid; wait $pid 2>/dev/null || true
PYTHONPATH="$tmp:." $BIN/python -m uvicorn plain_asgi:application --port 8303 --no-access-log --log-level warning & pid=$!
plain=$(measure django-asgi 8303); kill $pid; wait $pid 2>/dev/null || true

printf '%s\n%s\n%s\n' "$wsgi" "$ours" "$plain" | awk '
  {rate[NR]=$2; name[NR]=$1; printf "%-18s %8.0f req/s\n", $1, $2}
  END {printf "serve / gunicorn     %.2f\ndjango-asgi / gunicorn %.2f\n", rate[2]/rate[1], rate[3]/rate[1]}'
