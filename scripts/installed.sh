#!/usr/bin/env bash
# provider-sim as a user installs it, outside this checkout:
#   1. build the sdist and the wheel (python -m build) and check them (twine check);
#   2. install the wheel into a fresh virtualenv in a temp folder, run `provider-sim serve` from there and check
#      that every built-in provider is served;
#   3. copy examples/shop there, install its test dependencies, and run its tests against the installed wheel.
# With --all, also install the sdist and `git+file://<this repository>` (HEAD: commit first) into fresh
# virtualenvs and check that each serves every provider.
# `make example` runs 1-3; `make install-check` runs everything (CI). KEEP=1 keeps the temp folder.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
ALL=0
[ "${1:-}" = "--all" ] && ALL=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/provider-sim-installed.XXXXXX")
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "installed: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
export PIP_DISABLE_PIP_VERSION_CHECK=1
say() { echo "installed: $*"; }
pip_quiet() { "$@" >"$WORK/pip.log" 2>&1 || { cat "$WORK/pip.log" >&2; echo "installed: failed: $*" >&2; exit 1; }; }
EXPECTED=$(cd "$ROOT/specs" && for d in */; do [ -f "$d/openapi.yaml" ] && echo "${d%/}"; done | sort | paste -sd, -)

say "building the sdist and the wheel"
"$PYTHON" -m venv "$WORK/tools"
TOOLS=$("$PYTHON" -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["dependency-groups"]["dist"]))')
pip_quiet "$WORK/tools/bin/pip" install $TOOLS
pip_quiet "$WORK/tools/bin/python" -m build --outdir "$WORK/dist" "$ROOT"
rm -rf "$ROOT/build"  # setuptools' leftovers in the checkout
"$WORK/tools/bin/twine" check --strict "$WORK"/dist/*
WHEEL=$(ls "$WORK"/dist/*.whl)
SDIST=$(ls "$WORK"/dist/*.tar.gz)

# serves VENV: `provider-sim serve --port 0` started in a folder of its own; every built-in provider answers
serves() {
  local venv=$1 where="$WORK/run-$(basename "$1")"
  mkdir -p "$where"
  (cd "$where" && exec "$venv/bin/provider-sim" serve --port 0 --clock manual) >"$where/server.log" 2>&1 &
  SERVER=$!
  local port=""
  for _ in $(seq 1 200); do
    port=$(sed -nE '1s#^provider-sim on http://127\.0\.0\.1:([0-9]+) .*#\1#p' "$where/server.log")
    [ -n "$port" ] && break
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$port" ]; then cat "$where/server.log" >&2; echo "installed: the server did not start" >&2; exit 1; fi
  "$venv/bin/python" - "$port" "$EXPECTED" <<'PY'
import json, sys, urllib.request
port, expected = sys.argv[1], sys.argv[2]
providers = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/_sim/providers", timeout=10))["providers"]
keys = ",".join(sorted(p["key"] for p in providers))
assert keys == expected, f"served {keys}, expected {expected}"
scenarios = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/_sim/scenarios", timeout=10))["scenarios"]
assert scenarios, "no built-in scenario"
print(f"installed:   serves {keys} and {len(scenarios)} built-in scenarios on port {port}")
PY
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

fresh() {  # fresh NAME SPEC...: a new virtualenv with SPEC installed (not editable)
  local venv="$WORK/$1"; shift
  "$PYTHON" -m venv "$venv"
  pip_quiet "$venv/bin/pip" install "$@"
  echo "$venv"
}

say "installing the wheel into a fresh virtualenv ($(basename "$WHEEL"))"
VENV=$(fresh venv-wheel "$WHEEL")
(cd "$WORK" && "$VENV/bin/provider-sim" --version)
serves "$VENV"

say "running examples/shop's tests against the installed wheel"
cp -R "$ROOT/examples/shop" "$WORK/shop"
find "$WORK/shop" -name __pycache__ -prune -exec rm -rf {} +
pip_quiet "$VENV/bin/pip" install -e "$WORK/shop[test]"
(cd "$WORK/shop" && "$VENV/bin/python" -m pytest -q -p no:cacheprovider)
(cd "$WORK/shop" && "$VENV/bin/python" - "$ROOT") <<'PY'
import sys, simulator, simulator.settings as s
for path in (simulator.__file__, s.DEFAULT_SPECS, s.DEFAULT_SCENARIOS):
    assert not str(path).startswith(sys.argv[1] + "/"), f"the installed package uses the checkout: {path}"
print(f"installed:   the example used {simulator.__file__}")
PY

if [ "$ALL" = 1 ]; then
  say "installing the sdist into a fresh virtualenv ($(basename "$SDIST"))"
  VENV=$(fresh venv-sdist "$SDIST")
  serves "$VENV"
  if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    [ -z "$(git -C "$ROOT" status --porcelain)" ] || say "note: uncommitted changes are not in git+file:// (HEAD only)"
    say "installing git+file://$ROOT into a fresh virtualenv"
    VENV=$(fresh venv-git "git+file://$ROOT")
    serves "$VENV"
  else
    say "not a git checkout: the git URL install is skipped"
  fi
fi
say "ok"
