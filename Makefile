# copil — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

AXE := node_modules/axe-core/axe.min.js

.PHONY: install run test test-fast test-browser lint format demo bench clean vendor

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# axe-core (npm, test tooling only), injected by the browser tests (tests/browser/).
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(STAMP) $(AXE)

demo: install
	mkdir -p var
	$(BIN)/python -m django migrate --noinput --settings=copil.project.settings
	$(BIN)/copil demo

run: demo
	@echo "copil: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python -m django runserver $(HOST):$(PORT) --settings=copil.project.settings

test: install
	mkdir -p var
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Only the browser journeys (Playwright + Debian's /usr/bin/chromium + axe-core).
test-browser: install
	mkdir -p var
	$(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)

lint: install
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m django makemigrations --check --dry-run --settings=copil.project.settings

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/import.py

clean:
	rm -rf $(VENV) var/*.sqlite3 .pytest_cache node_modules tests/artifacts

# htmx is vendored (committed): refresh the copy after changing its pin in package.json.
vendor: $(AXE)
	cp node_modules/htmx.org/dist/htmx.min.js copil/static/vendor/htmx.min.js
	cp node_modules/htmx.org/LICENSE copil/static/vendor/htmx.LICENSE
