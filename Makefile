# Set-up and checks for the CyTrack knowledge base. `make serve` and `make test`
# do all set-up themselves; see README.md.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# A Python >= 3.12 for the virtual environment. Override with `make PYTHON=/path/to/python3.12`.
# Without an override, look on PATH first, then in pyenv's installed versions.
PY_OK := import sys; sys.exit(sys.version_info < (3, 12))
PYTHON ?= $(shell \
	for c in python3.14 python3.13 python3.12 python3 python; do \
	  p=$$(command -v $$c) && $$p -c '$(PY_OK)' 2>/dev/null && { echo $$p; exit; }; \
	done; \
	if command -v pyenv >/dev/null; then \
	  for v in $$(pyenv versions --bare 2>/dev/null | sort -rV); do \
	    p=$$(pyenv prefix $$v 2>/dev/null)/bin/python; \
	    [ -x "$$p" ] && $$p -c '$(PY_OK)' 2>/dev/null && { echo $$p; exit; }; \
	  done; \
	fi)

VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Material prints its end-of-life notice on every build; README.md covers the move to Zensical.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve site test lint bench browser clean precheck-assets

help:
	@echo "make serve   set up and serve the site at http://$(HOST) with live reload"
	@echo "make test    set up and run every test (lint, unit, site build, browser)"
	@echo "make site    build the static site into site/"
	@echo "make bench   print the benchmark figures"
	@echo "make clean   remove everything set-up made"

$(BIN)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: no Python 3.12 or newer found on PATH or in pyenv." >&2; \
	  echo "Install one, or run: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)" >&2; exit 1; fi
	@$(PYTHON) -c '$(PY_OK)' || { echo "error: $(PYTHON) is older than Python 3.12" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The pre-check's browser runtime in docs/assets/pyodide/ and docs/assets/wheels/: Pyodide from
# node_modules, our engine's wheel and its dependencies, and their lock. Rebuilt only when an
# input changed (or an output is missing); see overrides/hooks/precheck_assets.py.
PRECHECK_STAMP := build/precheck/assets.stamp
PRECHECK_INPUTS := pyproject.toml README.md package-lock.json overrides/hooks/precheck_assets.py \
	$(wildcard validator/cytrack_ticket/*.py) $(wildcard schemas/*.json)
PRECHECK_MISSING := $(if $(and $(wildcard docs/assets/pyodide/pyodide-lock.json),\
	$(wildcard docs/assets/pyodide/pyodide.asm.wasm),$(wildcard docs/assets/wheels/cytrack_ticket-*.whl)),,\
	precheck-missing)

precheck-assets: $(PRECHECK_STAMP)

$(PRECHECK_STAMP): $(BIN)/.installed node_modules/.installed $(PRECHECK_INPUTS) $(PRECHECK_MISSING)
	$(BIN)/python overrides/hooks/precheck_assets.py
	@mkdir -p $(@D) && touch $@

.PHONY: precheck-missing
precheck-missing:

# Chromium for the browser tests: CHROMIUM=/path overrides, Playwright's own browser works too.
browser: $(BIN)/.installed
	@$(BIN)/python -m tests.browser.find_chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium; \
	  else \
	    echo "error: no Chromium found. Install it (apt-get install chromium," \
	         "or .venv/bin/playwright install chromium), or set CHROMIUM=/path/to/chromium" >&2; exit 1; \
	  fi; }

serve: $(BIN)/.installed precheck-assets
	$(BIN)/mkdocs serve --strict --dev-addr $(HOST)

site: $(BIN)/.installed precheck-assets
	$(BIN)/mkdocs build --strict

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint precheck-assets browser
	$(BIN)/pytest

bench: $(BIN)/.installed precheck-assets browser
	$(BIN)/python benchmarks/validate_bench.py
	$(BIN)/python benchmarks/precheck_bench.py

clean:
	rm -rf $(VENV) node_modules site build dist .pytest_cache .ruff_cache .hypothesis
