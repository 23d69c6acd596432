#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a fresh, empty PostgreSQL database (and the complaint
# attachments into an empty folder), then check the access log's hash chains.
#
#   sudo -u postgres createdb -O onsplan onsplan_restored      # the database administrator, once
#   DATABASE_URL=postgresql+psycopg://onsplan@host:5432/onsplan_restored scripts/restore.sh FILE
#
# The target is the database in DATABASE_URL, owned by the app's role. It must be empty (no tables): restoring over
# a database in use is refused, so a mistyped URL cannot mix two databases. The app's role needs no more rights than
# owning that database (docs/deploy.md). Settings (environment):
#   DATABASE_URL         the database to restore into (the app's own setting; +psycopg is dropped for pg_restore).
#   COMPLAINT_FILES_DIR  where FILE.files.tar (when there is one) is unpacked; the app's own setting (default:
#                        instance/complaint-files). It must be empty or not exist yet.
#   RESTORE_CREATE       1: create the database first when it does not exist. Only for a role with the CREATEDB
#                        right, which docs/deploy.md does not give the app's role. Default 0.
#   RESTORE_VERIFY       1 (default): afterwards run `flask --app app audit verify` on the restored database (needs
#                        the app's environment: SECRET_KEY and so on). 0 skips it.
#   FLASK                the flask command for that check (default: this checkout's .venv/bin/flask, else flask
#                        on PATH).
#   PG_RESTORE, PSQL     the PostgreSQL tools to use (default: on PATH).
# pg_restore runs in one transaction (--single-transaction --exit-on-error): everything is restored or nothing.
# Objects get the restoring user as owner (--no-owner --no-privileges), so the target may have another owner.
set -euo pipefail

die() { echo "restore.sh: $*" >&2; exit 1; }
root="$(cd "$(dirname "$0")/.." && pwd)"

file="${1:-}"
[ -n "$file" ] || die "usage: DATABASE_URL=... scripts/restore.sh FILE"
[ -f "$file" ] || die "no such backup file: $file"
url="${DATABASE_URL:-}"
[ -n "$url" ] || die "DATABASE_URL is not set."
case "$url" in postgresql*|postgres:*) ;; *) die "DATABASE_URL is not a PostgreSQL URL." ;; esac
url="$(printf '%s' "$url" | sed -E 's#^postgres(ql)?(\+[a-z0-9_]+)?://#postgresql://#')"
psql="${PSQL:-psql}"
started=$(date +%s.%N)

files="${COMPLAINT_FILES_DIR:-$root/instance/complaint-files}"
if [ -f "$file.files.tar" ] && [ -d "$files" ] && [ -n "$(ls -A "$files")" ]; then
  die "the complaint attachments folder $files is not empty: restore into a fresh one (COMPLAINT_FILES_DIR)."
fi

base="${url%%\?*}"
query=""
if [[ "$url" == *\?* ]]; then query="?${url#*\?}"; fi
database="${base##*/}"
[ -n "$database" ] || die "DATABASE_URL names no database."
if [ "${RESTORE_CREATE:-0}" = "1" ]; then
  maintenance="${base%/*}/postgres${query}"
  exists=$(printf "SELECT 1 FROM pg_database WHERE datname = :'name'" \
    | "$psql" "$maintenance" -X -q -At -v ON_ERROR_STOP=1 -v name="$database")
  if [ "$exists" != "1" ]; then
    printf 'CREATE DATABASE :"name"' | "$psql" "$maintenance" -X -q -v ON_ERROR_STOP=1 -v name="$database"
    echo "Created database $database."
  fi
fi

tables=$("$psql" "$url" -X -q -At -v ON_ERROR_STOP=1 \
  -c "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')") \
  || die "cannot connect to the target database $database. Does it exist? The database administrator creates it for the app's role: createdb -O ROLE $database"
[ "$tables" = "0" ] || die "the target database $database is not empty ($tables tables): restore into a fresh one."

"${PG_RESTORE:-pg_restore}" --dbname="$url" --single-transaction --exit-on-error --no-owner --no-privileges "$file" \
  || die "pg_restore failed; nothing was restored."
if [ -f "$file.files.tar" ]; then
  mkdir -p "$files"
  tar -C "$files" -xf "$file.files.tar" || die "could not unpack the complaint attachments into $files."
  echo "Complaint attachments unpacked into $files."
fi

seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "Restored $file into $database (${seconds} s)."
if [ "${RESTORE_VERIFY:-1}" = "1" ]; then
  flask="${FLASK:-}"
  if [ -z "$flask" ]; then
    if [ -x "$root/.venv/bin/flask" ]; then flask="$root/.venv/bin/flask"; else flask=flask; fi
  fi
  (cd "$root" && DATABASE_URL="${DATABASE_URL}" "$flask" --app app audit verify)
fi
