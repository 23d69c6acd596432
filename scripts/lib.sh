# Shared steps of the quick-start scripts: install what is missing, never more.
# shellcheck shell=bash

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  # Install Debian/Ubuntu packages that are missing (one apt-get update per run).
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> Installing system packages: ${missing[*]}"
    if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

have_postgres_server() {
  compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || command -v pg_ctl >/dev/null
}

pdf_libs_missing() {
  # The PDF export: WeasyPrint loads Pango and HarfBuzz at run time; emoji in family texts need a font too.
  local -n into=$1
  [[ "$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null)" == *libpangoft2-1.0.so.0* ]] \
    || into+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b)
  [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || into+=(fonts-noto-color-emoji)
  [ -d /usr/share/fonts/truetype/dejavu ] || into+=(fonts-dejavu-core)
}

ensure_pdf_libs() {
  local wanted=()
  pdf_libs_missing wanted
  if [ ${#wanted[@]} -gt 0 ]; then apt_install "${wanted[@]}"; fi
}

ensure_tools() {
  # Install only what is missing, judged by the command (Node may come from elsewhere than Debian).
  local wanted=()
  have_postgres_server || wanted+=(postgresql)
  command -v redis-server >/dev/null || wanted+=(redis-server)
  command -v chromium >/dev/null || wanted+=(chromium)
  # Chromium's own headless build (same engine, no browser shell): the browser tests run a quarter faster on it.
  # Debian packages it beside chromium; elsewhere the tests use chromium itself (tests/browser/helpers.py).
  if grep -qx 'ID=debian' /etc/os-release 2>/dev/null; then
    command -v chromium-headless-shell >/dev/null || wanted+=(chromium-headless-shell)
  fi
  command -v node >/dev/null || wanted+=(nodejs)
  command -v npm >/dev/null || wanted+=(npm)
  [ -d /usr/share/fonts/truetype/dejavu ] || wanted+=(fonts-dejavu-core)
  pdf_libs_missing wanted
  command -v pdftotext >/dev/null || wanted+=(poppler-utils)  # the tests read the PDF's text
  # The deploy guide's nginx, run by the tests in front of two instances, with a throwaway certificate
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || wanted+=(nginx-light)
  # ...with nchan, which holds the open plan pages' live streams (tests/production/test_nchan_streams.py)
  [ -f /usr/lib/nginx/modules/ngx_nchan_module.so ] || wanted+=(libnginx-mod-nchan)
  command -v openssl >/dev/null || wanted+=(openssl)
  if [ ${#wanted[@]} -gt 0 ]; then apt_install "${wanted[@]}"; fi
}

ensure_python() {
  # A Python 3.11+ with venv; Debian and Ubuntu ship venv separately.
  if ! python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    apt_install python3 python3-venv python3-pip
  fi
}

ensure_venv() {
  # Create .venv and install the locked packages, requirements/$1.txt ("app" or "test": docs/dependencies.md), then
  # the project itself without resolving anything again.
  ensure_python
  if [ ! -x .venv/bin/python ]; then
    echo "==> Creating .venv"
    python3 -m venv .venv
  fi
  # shellcheck disable=SC1091
  . .venv/bin/activate
  local lock="requirements/$1.txt" stamp=".venv/.installed-$1"
  if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "==> Installing Python packages ($lock)"
    python -m pip install -q --upgrade pip >/dev/null
    python -m pip install -q -r "$lock"
    python -m pip install -q --no-deps -e .
    touch "$stamp"
  fi
}

compile_translations() {
  python -m babel.messages.frontend compile -d translations -f --statistics 2>&1 | grep -v '^compiling' || true
}
