#!/usr/bin/env bash
# The Dockerfile's steps without Docker: build the wheel as the build stage does, install it (not editable) into a
# fresh virtualenv as the runtime stage does, start ENTRYPOINT + CMD on a free port, pass the HEALTHCHECK.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-python3}" .ci/docker_smoke.py
