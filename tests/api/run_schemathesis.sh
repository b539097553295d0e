#!/usr/bin/env bash
# Fuzz the REST API with schemathesis against a live server: a fresh SQLite database with
# the demo entity, served on a free port of 127.0.0.1, tested through its own OpenAPI
# schema three times: with the token of the demo's Planeación user, with the token of a
# demo Responsable (so reporting, submitting and reviewing are exercised, not only
# refused) and anonymously. The two personas also run the stateful phase: chains of calls
# linked by the ids one answer gives the next (create → submit → approve), links that
# schemathesis infers from the schema. Fails on any server error (5xx), undocumented
# status code or content type, or response that does not match the schema.
# SCHEMATHESIS_MAX_EXAMPLES (default 10) bounds the cases per operation;
# SCHEMATHESIS_DATABASE_URL runs against another (empty) database, e.g. PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
VENV="${VENV:-$root/.venv}"   # another virtualenv, e.g. of a main checkout
PY="$VENV/bin/python"
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
planner_token=$("$PY" manage.py create_api_token planeacion --name schemathesis)
responsible_token=$("$PY" manage.py create_api_token responsable --name schemathesis)

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# No request-line limit: gunicorn would answer a long generated query string with its own
# HTML 414 before Django sees it.
"$VENV/bin/gunicorn" mipg.wsgi --bind "127.0.0.1:$port" --workers 4 --access-logfile - \
  --limit-request-line 0 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  "$PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/healthz', timeout=2)" \
    2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "server did not start" >&2; exit 1; }
  sleep 0.5
done

# The stateful phase: how many calls a chain may have, and how many chains.
cat >"$work/schemathesis.toml" <<TOML
[phases.stateful]
max-steps = 6

[phases.stateful.generation]
max-examples = 40
TOML

# The runs go in parallel; each writes its own log, printed when all are done.
run() {
  local name=$1 log="$work/$2.log" phases=$3
  shift 3
  echo "==> schemathesis: $name" >"$log"
  # Run from the scratch directory: schemathesis keeps a cache in ./.schemathesis.
  (cd "$work" && "$VENV/bin/schemathesis" --config-file "$work/schemathesis.toml" \
    run "http://127.0.0.1:$port/api/schema/?format=json" \
    --checks "$CHECKS" \
    --phases "$phases" \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers 1 \
    --generation-database none \
    --request-timeout 30 \
    --no-color \
    "$@") >>"$log" 2>&1
}

personas=examples,coverage,fuzzing,stateful
run "Planeación (planeacion)" planner "$personas" -H "Authorization: Bearer $planner_token" &
planner_pid=$!
run "Responsable (responsable)" responsible "$personas" \
  -H "Authorization: Bearer $responsible_token" &
responsible_pid=$!
run "anonymous" anonymous examples,coverage,fuzzing &
anonymous_pid=$!
status=0
wait "$planner_pid" || status=1
wait "$responsible_pid" || status=1
wait "$anonymous_pid" || status=1
cat "$work/planner.log" "$work/responsible.log" "$work/anonymous.log"
if [ "$status" -ne 0 ]; then
  echo "--- server log (errors)"
  grep -v '" [1-4][0-9][0-9] ' "$work/server.log" | tail -n 80 || true
fi
exit "$status"
