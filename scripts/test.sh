#!/usr/bin/env bash
# Quick start 2: install everything the tests need (PostgreSQL, Redis, Chromium, Node packages,
# Python packages) and run the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_tools
ensure_venv test

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> Installing Node packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
compile_translations

echo "==> Lint"
ruff check .

echo "==> Tests"
# Every test process, app server and flask command starts Python afresh: let them reuse the compiled modules (and
# pytest's rewritten test modules) instead of compiling all of them each time. __pycache__ is in .gitignore.
unset PYTHONDONTWRITEBYTECODE
# One worker per core (TEST_WORKERS=0 runs in this process: a debugger, or one test at a time)
python -m pytest -n "${TEST_WORKERS:-auto}" "$@"
