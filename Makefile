# Brandflow: `make run` serves the app, `make test` checks everything. Nothing else needed.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
export UV_LINK_MODE ?= copy

NPM ?= npm

.PHONY: run dev test checks install lint types unit contracts bench clean db-stop web web-install web-check web-tests

$(UV):
	python3 -m pip install --user --quiet uv || pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && $(NPM) ci --no-audit --no-fund

web-install: web/node_modules/.package-lock.json

web: web-install  # type-checks and builds the web app into web/dist (served at /)
	cd web && $(NPM) run build

web-check: web  # eslint, then Vitest (its bundle-size test reads the fresh build)
	$(MAKE) --no-print-directory web-tests

web-tests: web-install  # web-check without the build; `make test` builds first
	cd web && $(NPM) run lint
	cd web && $(NPM) test

run: install web
	$(UV) run brandflow migrate
	$(UV) run brandflow seed-demo
	$(UV) run brandflow serve

dev: install web-install  # the API on :8000 and Vite on :5173 with hot reload, proxying /api
	$(UV) run brandflow migrate
	$(UV) run brandflow seed-demo
	trap 'kill 0' EXIT; $(UV) run brandflow serve & (cd web && $(NPM) run dev); wait

lint: install
	$(UV) run ruff check src tests bench
	$(UV) run ruff format --check src tests bench

types: install
	$(UV) run mypy

unit: install
	$(UV) run pytest

# The web build first (the browser tests and Vitest's bundle test read web/dist), then
# pytest beside the static checks: pytest is the long pole and leaves a core mostly idle.
# `unit` comes first so it gets a job slot at once; the checks run one after another in the
# other slot. Each stage's output is printed whole when it ends (--output-sync).
test: install web  # unit runs the browser tests too, against web/dist
	$(MAKE) --no-print-directory -j2 --output-sync=target unit checks

checks: lint types web-tests

contracts: install web-install
	$(UV) run brandflow export-openapi
	$(UV) run brandflow export-asyncapi
	cd web && $(NPM) run gen:api

bench: install
	$(UV) run python bench/run.py

db-stop:  # the dev database and the one the tests start
	$(UV) run brandflow db-stop
	BRANDFLOW_DATA_DIR=.brandflow-test $(UV) run brandflow db-stop

clean:
	-$(MAKE) db-stop
	rm -rf .brandflow .brandflow-test .brandflow-bench .venv web/node_modules web/dist test-results
