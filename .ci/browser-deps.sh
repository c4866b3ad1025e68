#!/usr/bin/env bash
# What the dashboard's browser tests (tests/ui/test_ui_browser.py) need on a fresh Debian machine, as root:
# Debian's Chromium (driven by Playwright for Python through executable_path=/usr/bin/chromium; Playwright's own
# browser download is never used), a font, and the Python packages in the project's venv.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core
fi
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
"$PY" -m pip install --quiet "playwright==1.65.2" "segno==1.6.6"
