# LADO Intake — developer and operator entry points.
#
#   make run     install, migrate the embedded SQLite database, create the first admin,
#                load demo data (dev only, first start) and serve on 127.0.0.1:8080
#   make test    install with development tools, then lint, type-check, check import
#                rules, lint the Dockerfile and run the test suite
#   make bench   run the benchmarks; one JSON line per benchmark on stdout

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
LADO   := $(BIN)/lado
HOST   ?= 127.0.0.1
PORT   ?= 8080

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run install install-runtime test lint typecheck imports dockerlint pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==25.3"

# runtime dependencies only (what `make run` needs)
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# runtime + development tools + the browser-test helper (axe-core from npm)
$(VENV)/.dev: pyproject.toml package.json package-lock.json | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	npm ci --silent --no-audit --no-fund
	touch $(VENV)/.runtime $@

install-runtime: $(VENV)/.runtime
install: $(VENV)/.dev

run: install-runtime
	mkdir -p var
	$(LADO) db upgrade
	$(LADO) officer bootstrap
	$(LADO) demo load --first-start
	$(LADO) serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

imports: install
	$(BIN)/lint-imports

dockerlint: install
	$(BIN)/hadolint --failure-threshold warning Dockerfile

pytest: install
	$(BIN)/pytest

test: lint typecheck imports dockerlint pytest

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache
