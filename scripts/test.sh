#!/usr/bin/env bash
# The README's test command: installs what the suite needs on a fresh Debian machine, then runs it.
#   - Python packages from requirements.txt (pip), into a virtual environment in .cache/venv
#   - Debian's chromium for the browser tests (apt-get; never a downloaded browser build)
#   - Debian's qgis-common, unpacked locally, for the Natural Earth boundary rebuild check
#   - Debian's nginx, for the test of the proxied deployment (tests/deploy)
#   - Debian's poppler-utils (pdftoppm), to draw the printed brief's first page in its test
#   - Debian's postgresql, for the store's tests on PostgreSQL (a throw-away cluster per run, tests/postgres.py)
# Then ruff (lint, configured in pyproject.toml) and pytest.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/unit -x`.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_GPKG=/usr/share/qgis/resources/data/world_map.gpkg
LOCAL_GPKG="$PWD/.cache/qgis-common/root$DEBIAN_GPKG"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt_lists=0
command -v chromium >/dev/null 2>&1 || need_apt_lists=1
[ -x /usr/sbin/nginx ] || need_apt_lists=1
command -v pdftoppm >/dev/null 2>&1 || need_apt_lists=1
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt_lists=1
[ -f "${KG_WORLD_MAP_GPKG:-$DEBIAN_GPKG}" ] || [ -f "$LOCAL_GPKG" ] || need_apt_lists=1
if [ "$need_apt_lists" = 1 ]; then
  as_root apt-get update -qq
fi
if ! command -v chromium >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x /usr/sbin/nginx ]; then
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nginx >/dev/null
fi
if ! command -v pdftoppm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq poppler-utils >/dev/null
fi
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi
if [ -z "${KG_WORLD_MAP_GPKG:-}" ]; then
  if [ -f "$DEBIAN_GPKG" ]; then
    export KG_WORLD_MAP_GPKG="$DEBIAN_GPKG"
  else
    if [ ! -f "$LOCAL_GPKG" ]; then
      mkdir -p .cache/qgis-common
      (cd .cache/qgis-common && apt-get download -qq qgis-common && dpkg -x qgis-common_*.deb root)
    fi
    export KG_WORLD_MAP_GPKG="$LOCAL_GPKG"
  fi
fi

# A virtual environment of its own, made afresh whenever requirements.txt changes: the suite then meets what a
# new machine meets, never a package that only this machine's Python happens to have (six was one: libhxl
# imports it undeclared, and CI passed here while a fresh machine stopped at collection).
VENV="$PWD/.cache/venv"
WANTED="$(sha256sum requirements.txt | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])')"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$WANTED" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.txt
  echo "$WANTED" > "$VENV/.requirements"
fi
export PATH="$VENV/bin:$PATH"
"$VENV/bin/python" -m ruff check .
"$VENV/bin/python" -m pytest "$@"
