# Two commands on a fresh machine: `make demo` (app with demo data on SQLite, port 8000)
# and `make test` (every test, on SQLite and PostgreSQL). Each installs what it needs, once.
# The demo creates var/vapid_private.pem (web push) when missing; var/ is never committed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FRONTEND := frontend
DEMO_DB ?= sqlite+aiosqlite:///./var/demo.db
PYTEST_ARGS ?=

.PHONY: demo test install frontend chromium postgres lint typecheck pytest frontend-test clean

demo: install frontend
	BATON_DATABASE_URL=$(DEMO_DB) $(BIN)/baton migrate
	BATON_DATABASE_URL=$(DEMO_DB) $(BIN)/baton seed --demo
	$(BIN)/baton vapid --if-missing
	BATON_DATABASE_URL=$(DEMO_DB) $(BIN)/baton serve --host 127.0.0.1 --port 8000

test: install frontend chromium postgres lint typecheck frontend-test pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

frontend: $(FRONTEND)/dist/index.html

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	touch $@

$(FRONTEND)/dist/index.html: $(FRONTEND)/node_modules/.installed schema.graphql $(shell find $(FRONTEND)/src $(FRONTEND)/public $(FRONTEND)/index.html $(FRONTEND)/vite.config.ts -type f 2>/dev/null)
	cd $(FRONTEND) && npm run build

# Debian's Chromium drives the browser tests; Playwright never downloads a browser here.
# The CJK font too: without it every Chinese screenshot is a row of boxes.
chromium:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

# The test run creates its own database on this server and drops it afterwards.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 0.5; done; echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1

lint: install
	$(BIN)/ruff check backend tests bench
	$(BIN)/ruff format --check backend tests bench
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy

frontend-test: frontend
	cd $(FRONTEND) && npm run lint && npm test && npm run size

pytest: install
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

clean:
	rm -rf var $(FRONTEND)/dist
