# GovHub: `make demo` installs and serves the demo; `make test` installs and runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.stamp
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= govhub.settings.dev

.PHONY: demo test lint install install-dev assets translations db reference demo-data ted index serve chromium lock clean

demo: install assets translations db reference demo-data ted index serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"

# Reinstall only when a lock file changed, so a second `make demo` is quick.
$(STAMP)-runtime: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(STAMP)-dev: requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(STAMP)-runtime

install: $(STAMP)-runtime
install-dev: $(STAMP)-dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/govhub/static/dist/govhub.css: node_modules/.package-lock.json frontend/govhub.scss frontend/build.mjs
	npm run --silent build

assets: src/govhub/static/dist/govhub.css

translations: install
	$(BIN)/govhub compile-translations

db: install
	$(BIN)/govhub migrate --no-input
	$(BIN)/govhub createcachetable

reference: db
	$(BIN)/govhub load-reference

demo-data: reference
	$(BIN)/govhub demo-setup

# Real TED notices from ../shared/data, when present (idempotent: unchanged files are skipped).
SHARED_TED := $(abspath ../shared/data/ted/notices)
ted: reference
	@if [ -d "$(SHARED_TED)" ]; then $(BIN)/govhub import-ted --quiet "$(SHARED_TED)"; \
	else echo "no ../shared/data/ted/notices: skipping the TED import (see README)"; fi

# The CPV suggester learns from the imported notices; the search index then holds everything
# (about a minute, once: later changes made through GovHub are indexed as they commit).
INDEX_STAMP := var/.search-index
index: ted
	@if [ ! -f "$(INDEX_STAMP)" ]; then $(BIN)/govhub matching train && $(BIN)/govhub search reindex && touch "$(INDEX_STAMP)"; \
	else echo "search index already built (delete $(INDEX_STAMP) to rebuild it)"; fi

serve:
	$(BIN)/govhub demo-logins
	@echo "GovHub is at http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(BIN)/govhub runserver $(HOST):$(PORT) --insecure

# Browser tests drive Debian's chromium; install it when missing (needs root, as on CI).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package (sudo apt-get install chromium)"; exit 1; fi; }

test: install-dev assets translations chromium
	DJANGO_SETTINGS_MODULE=govhub.settings.test $(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy

# Re-resolve the pinned dependencies after changing pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements.txt -q
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements-dev.txt -q

clean:
	rm -rf $(VENV) node_modules src/govhub/static/dist src/govhub/static/vendor var
