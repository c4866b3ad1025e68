#!/usr/bin/env bash
# PostgreSQL's server binaries (initdb, pg_ctl, postgres) for `make test-postgresql` and `make test-multi`:
# Debian's `postgresql` package when none is installed. The tests start their own throw-away server
# (tests/pgserver.py); the package's own cluster is not used.
set -euo pipefail
if command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
# the package starts its own cluster on some images; the tests do not use it
$SUDO pg_ctlcluster --force "$(ls /etc/postgresql | sort -n | tail -1)" main stop 2>/dev/null || true
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
