# ALX Project Nexus: every command a contributor needs. `make help` lists them.
# The first run of `serve` or `test` creates .venv and installs what it needs.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST := 127.0.0.1
PORT := 8000

# Material prints an end-of-life notice on every build; it is not a warning, so hide it.
export NO_MKDOCS_2_WARNING := 1
# "Edit this page" needs the repository's address: the `origin` remote, when it is on GitHub.
REPO_URL ?= $(shell git remote get-url origin 2>/dev/null | sed -E 's|^git@github\.com:|https://github.com/|; s|\.git$$||' | grep -E '^https://github\.com/[^/]+/[^/]+$$')
export REPO_URL

.PHONY: help serve build test lint measure diagrams bench vendor zensical clean distclean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

serve: $(BIN)/.site-installed ## Preview the site with live reload at http://127.0.0.1:8000
	SITE_URL=http://$(HOST):$(PORT)/ $(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

build: $(BIN)/.site-installed ## Build the site into site/ in strict mode
	$(BIN)/mkdocs build --strict --site-dir site

# Tests run on WORKERS processes, one per core up to 4 (each worker builds the site and starts a
# browser once); the few that measure parallel speed-ups run alone afterwards.
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo "$$n")

test: $(BIN)/.test-installed node_modules/.installed ## Run every check a pull request must pass
	scripts/system-packages
	CHROMIUM="$$(scripts/find-chromium)" $(BIN)/pytest -n $(WORKERS) -m "not serial" --cov --cov-report= --cov-fail-under=0
	$(BIN)/pytest -m serial --cov --cov-append --cov-report=term-missing:skip-covered

lint: $(BIN)/.test-installed node_modules/.installed ## Run only the linters (Python, Markdown, spelling, YAML, workflows)
	$(BIN)/pytest tests/test_lint.py

measure: $(BIN)/.test-installed ## Re-run the example tests and rewrite the numbers notes quote
	NEXUS_RECORD=1 $(BIN)/pytest tests/examples --no-cov

diagrams: $(BIN)/.test-installed ## Render new or changed Mermaid diagrams to diagrams/*.svg (commit them)
	CHROMIUM="$$(scripts/find-chromium)" $(BIN)/python scripts/render_diagrams.py

vendor: node_modules/.installed ## Copy the pinned Mermaid release into the site's assets
	cp node_modules/@mermaid-js/tiny/dist/mermaid.tiny.js docs/assets/javascripts/vendor/mermaid.tiny.js
	cp node_modules/@mermaid-js/tiny/LICENSE docs/assets/javascripts/vendor/mermaid.LICENSE.txt

bench: $(BIN)/.test-installed bench/node_modules/.installed ## Performance report: page weight, search, Lighthouse, build time, scale
	scripts/system-packages
	CHROMIUM="$$(scripts/find-chromium)" $(BIN)/python bench/bench.py

bench/node_modules/.installed: bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund --loglevel=error
	touch $@

zensical: $(BIN)/.site-installed .venv-zensical/.installed ## Build with Zensical too and report the differences (never fails)
	ZENSICAL=.venv-zensical/bin/zensical $(BIN)/python bench/zensical_check.py

.venv-zensical/.installed: bench/requirements-zensical.txt
	$(PYTHON) -m venv .venv-zensical
	.venv-zensical/bin/python -m pip install --quiet --requirement bench/requirements-zensical.txt
	touch $@

clean: ## Remove build output and caches
	rm -rf site build .pytest_cache
	find . -name __pycache__ -type d -not -path './.venv/*' -not -path './node_modules/*' -prune -exec rm -rf {} +

distclean: clean ## Also remove the virtualenvs and node_modules
	rm -rf $(VENV) .venv-zensical node_modules bench/node_modules

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/.site-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --requirement requirements.txt
	touch $@

$(BIN)/.test-installed: requirements-test.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --requirement requirements-test.txt
	touch $@ $(BIN)/.site-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
