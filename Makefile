# Brandflow: `make run` serves the app, `make test` checks everything. Nothing else needed.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
export UV_LINK_MODE ?= copy

.PHONY: run test install lint types unit contracts bench clean db-stop

$(UV):
	python3 -m pip install --user --quiet uv || pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen

run: install
	$(UV) run brandflow migrate
	$(UV) run brandflow seed-demo
	$(UV) run brandflow serve

lint: install
	$(UV) run ruff check src tests bench
	$(UV) run ruff format --check src tests bench

types: install
	$(UV) run mypy

unit: install
	$(UV) run pytest

test: lint types unit

contracts: install
	$(UV) run brandflow export-openapi
	$(UV) run brandflow export-asyncapi

bench: install
	$(UV) run python bench/run.py

db-stop:  # the dev database and the one the tests start
	$(UV) run brandflow db-stop
	BRANDFLOW_DATA_DIR=.brandflow-test $(UV) run brandflow db-stop

clean:
	-$(MAKE) db-stop
	rm -rf .brandflow .brandflow-test .brandflow-bench .venv
