#!/usr/bin/env bash
# Quick start 1: set up and serve Ons Plan with the demo family on SQLite at http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_pdf_libs
ensure_venv app
compile_translations

export APP_ENV="${APP_ENV:-development}"
export DEMO="${DEMO:-1}"
export FLASK_APP=app
flask db upgrade
flask demo seed

echo "==> Ons Plan runs at http://127.0.0.1:5000 (demo people at http://127.0.0.1:5000/demo). Stop with Ctrl+C."
if [ "$DEMO" = "1" ] && [ "${DEMO_BACKOFFICE:-1}" = "1" ]; then
  # Demo: the municipality's backoffice simulator (answers assignment requests after 5 s) and the delivery worker
  # run alongside, so a newcomer sees the whole loop. DEMO_BACKOFFICE=0 leaves them out.
  mkdir -p instance
  flask municipality simulate >instance/simulator.log 2>&1 &  # where SIMULATOR_URL says (default :5001)
  flask sync run --quiet >instance/sync-worker.log 2>&1 &
  trap 'kill $(jobs -p) 2>/dev/null || true' EXIT INT TERM
  echo "==> The simulated municipality backoffice runs at ${SIMULATOR_URL:-http://127.0.0.1:5001} (what it received: /_received)."
  gunicorn app.wsgi:app --config gunicorn.conf.py --bind 127.0.0.1:5000
else
  exec gunicorn app.wsgi:app --config gunicorn.conf.py --bind 127.0.0.1:5000
fi
