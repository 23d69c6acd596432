#!/usr/bin/env bash
# Quick start 1: set up and serve Ons Plan with the demo family on SQLite at http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_pdf_libs
ensure_venv "."
compile_translations

export APP_ENV="${APP_ENV:-development}"
export DEMO="${DEMO:-1}"
export FLASK_APP=app
flask db upgrade
flask demo seed

echo "==> Ons Plan runs at http://127.0.0.1:5000 (demo people at http://127.0.0.1:5000/demo). Stop with Ctrl+C."
exec gunicorn app.wsgi:app --config gunicorn.conf.py --bind 127.0.0.1:5000
