# provider-sim: `make run` serves every provider on 127.0.0.1:8000; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-sqlite test-sdk contract typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m simulator serve --host 127.0.0.1 --port 8000 $(ARGS)

test: $(STAMP)
	$(PY) -m pytest $(ARGS)

test-sqlite: $(STAMP)
	$(PY) -m pytest tests/providers tests/control tests/webhooks tests/scenarios --sim-store sqlite $(ARGS)

# Official SDKs (Node, via npm ci into the cache) against `serve --tls`; not part of `make test` (pyproject norecursedirs).
test-sdk: $(STAMP)
	$(PY) -m pytest tests/sdk $(ARGS)

contract: $(STAMP)
	$(PY) scripts/contract.py $(ARGS)

typecheck: $(STAMP)
	$(PY) -m mypy simulator

bench: $(STAMP)
	$(PY) bench/run.py $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
