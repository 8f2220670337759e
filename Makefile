# Brandflow: `make run` serves the app, `make test` checks everything. Nothing else needed.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
export UV_LINK_MODE ?= copy

NPM ?= npm

.PHONY: run dev test install lint types unit contracts bench clean db-stop web web-install web-check

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

test: lint types web-check unit  # unit runs the browser tests too, against web/dist

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
