# Samsök: `make demo` runs the portal on the embedded default; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
DEMO_RECORDS ?= 20000
DEMO_ENV := DEBUG=1

.PHONY: venv demo demo-data serve test lint typecheck pytest services browser-deps messages clean-demo bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

## demo: set up, generate and harvest the sample county, build the index, serve on :8000
demo: demo-data serve

demo-data: venv
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input -v0
	$(DEMO_ENV) $(BIN)/python manage.py compilemessages -v0 --ignore=.venv
	$(DEMO_ENV) $(BIN)/python manage.py demo_county --records $(DEMO_RECORDS)

serve: venv
	@echo "Samsök is at http://127.0.0.1:8000/  (staff: http://127.0.0.1:8000/staff/, Ctrl-C stops)"
	@# The scheduled and background jobs (harvests, fjärrlån deadlines, mail, anonymization) run beside it.
	mkdir -p $${SAMSOK_DATA_DIR:-var}; $(DEMO_ENV) $(BIN)/python manage.py run_scheduled --every 2 \
	  > $${SAMSOK_DATA_DIR:-var}/scheduler.log 2>&1 & \
	  trap 'kill $$!' EXIT; $(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## test: lint, types, the suite on PostgreSQL + Redis, then the embedded-default subset on SQLite
test: venv services browser-deps lint typecheck pytest

services:
	@scripts/services.sh

browser-deps:
	@scripts/browser-deps.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(DEMO_ENV) $(BIN)/mypy .

pytest: venv
	$(DEMO_ENV) $(BIN)/python manage.py compilemessages -v0 --ignore=.venv
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest
	env -u DATABASE_URL -u REDIS_URL SAMSOK_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -m sqlite -p no:cacheprovider

bench: venv
	@ls scripts/bench_*.py

clean-demo:
	rm -rf var/
