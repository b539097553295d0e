#!/usr/bin/env bash
# Fuzz the REST API with schemathesis against a live server: a fresh SQLite database with
# the demo entity, served on a free port of 127.0.0.1, tested through its own OpenAPI
# schema once with a staff (superuser) token and once anonymously. Fails on any server
# error (5xx), undocumented status code or content type, or response that does not match
# the schema. SCHEMATHESIS_MAX_EXAMPLES (default 10) bounds the cases per operation;
# SCHEMATHESIS_DATABASE_URL runs against another (empty) database, e.g. PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
PY="$root/.venv/bin/python"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-10}"
SEED="${SCHEMATHESIS_SEED:-2026}"
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL="${SCHEMATHESIS_DATABASE_URL:-sqlite:///$work/db.sqlite3}"
export MEDIA_ROOT="$work/media"
export CELERY_BROKER_URL=""
export API_ANON_RATE=off   # the anonymous run would otherwise be throttled (429)
export DEBUG=false

"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py seed_demo >/dev/null
token=$("$PY" manage.py create_api_token admin --name schemathesis)

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$root/.venv/bin/gunicorn" mipg.wsgi --bind "127.0.0.1:$port" --workers 4 --access-logfile - \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  "$PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/healthz', timeout=2)" \
    2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "server did not start" >&2; exit 1; }
  sleep 0.5
done

# The two runs go in parallel; each writes its own log, printed when both are done.
run() {
  local name=$1 log="$work/$2.log"
  shift 2
  echo "==> schemathesis: $name" >"$log"
  # Run from the scratch directory: schemathesis keeps a cache in ./.schemathesis.
  (cd "$work" && "$root/.venv/bin/schemathesis" run "http://127.0.0.1:$port/api/schema/?format=json" \
    --checks "$CHECKS" \
    --phases examples,coverage,fuzzing \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers 1 \
    --generation-database none \
    --request-timeout 30 \
    --no-color \
    "$@") >>"$log" 2>&1
}

run "staff token" staff -H "Authorization: Bearer $token" &
staff_pid=$!
run "anonymous" anonymous &
anonymous_pid=$!
status=0
wait "$staff_pid" || status=1
wait "$anonymous_pid" || status=1
cat "$work/staff.log" "$work/anonymous.log"
if [ "$status" -ne 0 ]; then
  echo "--- server log (errors)"
  grep -v '" [1-4][0-9][0-9] ' "$work/server.log" | tail -n 80 || true
fi
exit "$status"
