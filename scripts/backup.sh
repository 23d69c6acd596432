#!/usr/bin/env bash
# Back up Ons Plan: the PostgreSQL database with pg_dump (custom format: compressed, checked, restorable with
# scripts/restore.sh), then the complaint attachments folder. Runs while the app serves: pg_dump reads one
# consistent snapshot and blocks no one.
#
#   DATABASE_URL=postgresql+psycopg://user@host:5432/onsplan scripts/backup.sh [FILE]
#
# FILE      where to write the database backup; default $BACKUP_DIR/onsplan-YYYYmmdd-HHMMSS.dump (UTC).
#           The complaint attachments go next to it, as FILE.files.tar.
# Settings (environment):
#   DATABASE_URL         the app's own setting (the +psycopg driver part is dropped for pg_dump). A password can be
#                        in it, or in PGPASSWORD / ~/.pgpass as usual for PostgreSQL tools.
#   COMPLAINT_FILES_DIR  the app's own setting (default: instance/complaint-files); skipped when it does not exist.
#   BACKUP_DIR           folder for the default file name (default: ./backups, created when missing).
#   PG_DUMP, PG_RESTORE  the tools to use (default: on PATH; pg_dump's major version must be the server's or newer).
#   PG_DUMP_ARGS         extra pg_dump arguments, e.g. "--compress=9" or "--lock-wait-timeout=30s".
# Each file is written as NAME.partial and renamed only when complete (for the dump: when pg_restore can read its
# table of contents), so a file with the final name is always a whole backup. The database goes first: every
# attachment it mentions is in the files archive made after it. The files hold families' data: they are made
# readable by their owner only (mode 0600, a new folder 0700), whatever the caller's umask.
set -euo pipefail
umask 077

die() { echo "backup.sh: $*" >&2; exit 1; }
root="$(cd "$(dirname "$0")/.." && pwd)"

url="${DATABASE_URL:-}"
[ -n "$url" ] || die "DATABASE_URL is not set."
case "$url" in
  postgresql*|postgres:*) ;;
  sqlite*) die "DATABASE_URL is SQLite: copy the file with \`sqlite3 FILE '.backup COPY'\` instead." ;;
  *) die "DATABASE_URL is not a PostgreSQL URL." ;;
esac
url="$(printf '%s' "$url" | sed -E 's#^postgres(ql)?(\+[a-z0-9_]+)?://#postgresql://#')"

target="${1:-${BACKUP_DIR:-backups}/onsplan-$(date -u +%Y%m%d-%H%M%S).dump}"
mkdir -p "$(dirname "$target")"
started=$(date +%s.%N)

# shellcheck disable=SC2086  # PG_DUMP_ARGS is a list of arguments
"${PG_DUMP:-pg_dump}" --format=custom --file="$target.partial" ${PG_DUMP_ARGS:-} "$url" \
  || { rm -f "$target.partial"; die "pg_dump failed; no backup was written."; }
"${PG_RESTORE:-pg_restore}" --list "$target.partial" >/dev/null \
  || { rm -f "$target.partial"; die "the backup cannot be read back; no backup was written."; }
chmod 600 "$target.partial"  # also when the folder's default ACL would have given others access
mv "$target.partial" "$target"

seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "Backup written: $target ($(du -h "$target" | cut -f1), ${seconds} s)"

files="${COMPLAINT_FILES_DIR:-$root/instance/complaint-files}"
if [ -d "$files" ]; then
  tar -C "$files" -cf "$target.files.tar.partial" . \
    || { rm -f "$target.files.tar.partial"; die "could not archive the complaint attachments in $files."; }
  chmod 600 "$target.files.tar.partial"
  mv "$target.files.tar.partial" "$target.files.tar"
  echo "Complaint attachments: $target.files.tar ($(du -h "$target.files.tar" | cut -f1))"
else
  echo "No complaint attachments folder ($files): nothing to add."
fi
