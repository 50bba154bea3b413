# Set-up and checks for the CyTrack knowledge base. `make serve` and `make test` do all set-up
# themselves; `make help` lists every target; see README.md.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# A Python >= 3.12 for the virtual environment. Override with `make PYTHON=/path/to/python3.12`.
# Without an override, look on PATH first, then in pyenv's installed versions; detected once.
PY_OK := import sys; sys.exit(sys.version_info < (3, 12))
ifndef PYTHON
PYTHON := $(shell \
	for c in python3.14 python3.13 python3.12 python3 python; do \
	  p=$$(command -v $$c) && $$p -c '$(PY_OK)' 2>/dev/null && { echo $$p; exit; }; \
	done; \
	if command -v pyenv >/dev/null; then \
	  for v in $$(pyenv versions --bare 2>/dev/null | sort -rV); do \
	    p=$$(pyenv prefix $$v 2>/dev/null)/bin/python; \
	    [ -x "$$p" ] && $$p -c '$(PY_OK)' 2>/dev/null && { echo $$p; exit; }; \
	  done; \
	fi)
endif

VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
ESLINT := node_modules/.bin/eslint --config .ci/eslint.config.mjs
# Material prints its end-of-life notice on every build; README.md covers the move to Zensical.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve site preview site-zensical generate test check lint bench browser clean

help: ## list every target
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "make %-14s %s\n", $$1, $$2}'

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

# The pre-build step (validator/kb_build): the snippets and the pre-check form from schemas/,
# the front-matter lint, and the pre-check's runtime in content-hashed folders below
# docs/assets/runtime/ (rebuilt only when one of its inputs changed).
generate: $(BIN)/.installed node_modules/.installed ## run the pre-build step (python -m kb_build)
	$(BIN)/python -m kb_build

# Chromium for the browser tests, installed in this one place: CHROMIUM=/path overrides, and
# Playwright's own browser works too.
browser: $(BIN)/.installed ## find or install Chromium for the browser tests
	@$(BIN)/python -m tests.browser.find_chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "error: no Chromium found. Install it (apt-get install chromium," \
	         "or .venv/bin/playwright install chromium), or set CHROMIUM=/path/to/chromium" >&2; exit 1; \
	  fi; }

serve: generate ## set up and serve the site with live reload (HOST=127.0.0.1:8000)
	$(BIN)/mkdocs serve --strict --dev-addr $(HOST)

# The post-build step writes .br and .gz copies next to every compressible file for nginx
# (validator/kb_build/precompress.py), after the service worker (validator/kb_build/offline.py);
# MkDocs knows nothing of either. Set SITE_URL for a server.
site: generate ## build the static site into site/ (MkDocs + Material), precompressed
	$(BIN)/mkdocs build --strict
	$(BIN)/python -m kb_build.offline site
	$(BIN)/python -m kb_build.precompress site

PREVIEW_PORT ?= 8080
preview: site ## build, then serve site/ through deploy/nginx/ at http://127.0.0.1:8080
	$(BIN)/python -m kb_build.nginx site --port $(PREVIEW_PORT)

site-zensical: generate ## build the same docs/ with Zensical into site/
	$(BIN)/zensical build --config-file mkdocs.yml --clean

lint: $(BIN)/.installed node_modules/.installed ## ruff and ESLint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(ESLINT) docs/assets .ci validator/kb_build/service_worker.js

check: lint ## lint, unit and site tests: no browser, no Chromium
	$(BIN)/python -m kb_build --no-assets
	$(BIN)/pytest tests/unit tests/site

test: lint generate browser ## set up and run every test (lint, unit, site build, browser)
	$(BIN)/pytest

# delivery_bench.py needs nginx (see .ci/run) and takes about ten minutes, Lighthouse included.
bench: generate browser ## print the benchmark figures
	$(BIN)/python benchmarks/validate_bench.py
	$(BIN)/python benchmarks/precheck_bench.py
	$(BIN)/python benchmarks/suggest_bench.py
	$(BIN)/python benchmarks/delivery_bench.py
	$(BIN)/python benchmarks/offline_bench.py

clean: ## remove everything set-up made
	rm -rf $(VENV) node_modules site site-zensical build dist .pytest_cache .ruff_cache \
	  .hypothesis docs/assets/runtime docs/assets/precheck/runtime.mjs \
	  docs/assets/precheck/suggestions-index.json docs/assets/precheck/snapshot-check.mjs
