#!/usr/bin/env bash
# The Dockerfile's install and start steps without Docker: copy what it COPYs into a temp /app, install it into a
# fresh venv with the same pip command, start ENTRYPOINT + CMD (on a free port), check /_sim/health, stop.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d)
PID=""
cleanup() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

APP="$WORK/app"
mkdir -p "$APP"
# every COPY line of the Dockerfile: sources relative to the build context, destination relative to WORKDIR
grep -E '^COPY ' Dockerfile | while read -r _ rest; do
  set -- $rest
  args=("$@"); dest=${args[-1]}; unset 'args[-1]'
  for src in "${args[@]}"; do
    case "$src" in --*) continue ;; esac
    if [ -d "$src" ]; then mkdir -p "$APP/$dest" && cp -R "$src/." "$APP/$dest"; else cp "$src" "$APP/$dest"; fi
  done
done
find "$APP" -name __pycache__ -prune -exec rm -rf {} +

echo "docker-smoke: installing into a fresh venv (as the Dockerfile's RUN pip install -e .)"
"$PYTHON" -m venv "$WORK/venv"
if ! (cd "$APP" && PIP_DISABLE_PIP_VERSION_CHECK=1 "$WORK/venv/bin/pip" install --quiet -e .) >"$WORK/pip.log" 2>&1; then
  cat "$WORK/pip.log" >&2
  echo "docker-smoke: pip install failed" >&2
  exit 1
fi

PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mapfile -t CMD < <("$PYTHON" - "$PORT" <<'PY'
import json, re, sys
text = open("Dockerfile").read()
entry = json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", text, re.M).group(1))
cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
argv = entry + cmd
argv[argv.index("--port") + 1] = sys.argv[1]
print("\n".join(argv))
PY
)
echo "docker-smoke: starting ${CMD[*]}"
(cd "$APP" && exec env PATH="$WORK/venv/bin:$PATH" "${CMD[@]}") >"$WORK/server.log" 2>&1 &
PID=$!

for _ in $(seq 1 300); do
  if "$WORK/venv/bin/python" - "$PORT" <<'PY' 2>/dev/null
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
assert json.load(urllib.request.urlopen(base + "/_sim/health", timeout=1)) == {"status": "ok"}
providers = json.load(urllib.request.urlopen(base + "/_sim/providers", timeout=5))["providers"]
assert providers, "no provider loaded"
print("docker-smoke: healthy; providers:", ", ".join(p["key"] for p in providers))
PY
  then
    echo "docker-smoke: ok"
    exit 0
  fi
  if ! kill -0 "$PID" 2>/dev/null; then break; fi
  sleep 0.1
done
echo "docker-smoke: the server did not become healthy" >&2
cat "$WORK/server.log" >&2
exit 1
