#!/usr/bin/env bash
# What the official-SDK tests (tests/sdk, `make test-sdk`) need on a fresh Debian machine, as root: Node.js and
# npm. This machine image ships Node 20 with npm; elsewhere Debian's own packages are enough (the SDKs are plain
# CommonJS). The SDKs themselves come from the npm registry by `npm ci` of each tests/sdk/*/package-lock.json.
set -euo pipefail
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
fi
node --version
