# provider-sim: `make run` serves every provider on 127.0.0.1:8000; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed

.PHONY: install run test test-sqlite test-postgresql test-multi test-sdk contract typecheck bench fuzz soak example install-check dist clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# what serving needs only (the package's dependencies): a fresh clone starts in seconds
$(RUN_STAMP): pyproject.toml setup.py | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $(RUN_STAMP)

# the package with its `test` extra (pytest, schemathesis, mypy, playwright, ...)
$(STAMP): pyproject.toml setup.py | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP) $(RUN_STAMP)

install: $(STAMP)

run: $(RUN_STAMP)
	$(PY) -m simulator serve --host 127.0.0.1 --port 8000 $(ARGS)

test: $(STAMP)
	$(PY) -m pytest $(ARGS)

test-sqlite: $(STAMP)
	$(PY) -m pytest tests/providers tests/control tests/webhooks tests/scenarios --sim-store sqlite $(ARGS)

# the same on PostgreSQL: a throw-away server (tests/pgserver.py; bash .ci/postgres-deps.sh installs the binaries)
test-postgresql: $(STAMP)
	$(PY) -m pytest tests/providers tests/control tests/webhooks tests/scenarios --sim-store postgresql $(ARGS)

# three simulator processes on one PostgreSQL database (tests/instances, not part of `make test`)
test-multi: $(STAMP)
	$(PY) -m pytest tests/instances $(ARGS)

# Official SDKs (Node, via npm ci into the cache) against `serve --tls`; not part of `make test` (pyproject norecursedirs).
test-sdk: $(STAMP)
	$(PY) -m pytest tests/sdk $(ARGS)

contract: $(STAMP)
	$(PY) scripts/contract.py $(ARGS)

typecheck: $(STAMP)
	$(PY) -m mypy simulator

bench: $(STAMP)
	$(PY) bench/run.py $(ARGS)

# the wheel installed in a fresh virtualenv outside the checkout: it serves, and examples/shop's tests pass on it
example:
	bash scripts/installed.sh

# the same, and the sdist and git+file:// installs each serve every provider (CI)
install-check:
	bash scripts/installed.sh --all

# dist/: the sdist and the wheel, checked with twine
dist: $(RUN_STAMP)
	$(PY) -m pip install --quiet $$($(PY) -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["dependency-groups"]["dist"]))')
	rm -rf dist && $(PY) -m build --outdir dist . && rm -rf build
	$(PY) -m twine check --strict dist/*

fuzz: $(STAMP)  # hostile input to every operation on a real server (a few minutes); make test runs a subset
	PROVIDER_SIM_FUZZ=1 $(PY) -m pytest tests/hardening/test_fuzz_server.py -s $(ARGS)

soak: $(STAMP)  # 1 million requests with the journal on, printing the RSS curve (not in CI; REQUESTS=N to shorten)
	$(PY) bench/soak.py $(if $(REQUESTS),--requests $(REQUESTS)) $(ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info
