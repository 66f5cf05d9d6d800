# Two commands matter: `make serve` and `make test`. Both set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
OFFICE ?= generic
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup serve build test test-fast check clean bench load

# The virtualenv is rebuilt when the project's dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The pinned Pyodide runtime (package-lock.json) for the browser aid and the Node smoke test.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

check: $(VENV)/.installed
	$(PY) -m decision_aid check

build: setup
	OFFICE=$(OFFICE) $(PY) -m mkdocs build --strict --site-dir site
	$(PY) build_scripts/compress.py site

serve: build
	$(PY) tools/serve.py --host $(HOST) --port $(PORT) site

# Debian's Chromium for the end-to-end tests (Playwright drives it; it never downloads a browser).
/usr/bin/chromium:
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

# Debian's nginx for the test of the README's intranet instructions (tests/e2e/test_nginx.py);
# nginx-light where the release has it, nginx otherwise.
/usr/sbin/nginx:
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null

# pytest exits 5 when it collects nothing; that is a failure here, as is any other non-zero code.
test: setup /usr/bin/chromium /usr/sbin/nginx
	$(PY) -m decision_aid check
	$(PY) -m pytest

# The inner loop: engine, content, contract, rules, sampled paths, CLI, views. No build, no
# browser, no Pyodide; under a minute here. `make test` still runs everything.
test-fast: $(VENV)/.installed
	$(PY) -m decision_aid check
	$(PY) -m pytest -m "not build and not browser and not pyodide and not slow"

# Speed in headless Chromium: prints a table and writes build/bench.json (see tools/bench.py).
bench: setup /usr/bin/chromium
	$(PY) tools/bench.py

# Load figures: the local server and nginx under 50 and 200 clients, and 150 that never read;
# prints a table and writes build/load.json (see tools/load.py).
load: build /usr/sbin/nginx
	$(PY) tools/load.py site

clean:
	rm -rf site build .pytest_cache .hypothesis
