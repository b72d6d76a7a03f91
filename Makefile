# Warta: `make run` to try it, `make check` and `make test` to check it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
PORT   ?= 5000
# Links in feeds, e-mails and letters name the port the app really runs on.
SITE_URL ?= http://127.0.0.1:$(PORT)
STAMP  := $(VENV)/.installed

.PHONY: run test check format install test-deps pdf-deps clean translations docs bench-search

$(PY):
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3-venv is missing; installing it with apt"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }

# WeasyPrint prints letters and reports with Pango; official documents use
# Liberation Serif (metrically Times New Roman). Installed with apt if missing.
# HarfBuzz-Subset embeds only the glyphs used (WeasyPrint warns without it,
# and the test suite turns warnings into errors).
PDF_LIBS := libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
pdf-deps:
	@missing=0; for lib in $(PDF_LIBS); do /sbin/ldconfig -p 2>/dev/null | grep -q "$$lib" || missing=1; done; \
	if [ $$missing = 1 ] || ! fc-list 2>/dev/null | grep -qi "Liberation Serif"; then \
	  echo "Installing Pango, HarfBuzz-Subset and fonts for PDF documents with apt"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fontconfig >/dev/null; \
	fi

$(STAMP): $(PY) pyproject.toml | pdf-deps
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dev,docs]'
	@touch $(STAMP)

install: $(STAMP)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

run: export SITE_URL := $(SITE_URL)
run: install
	@mkdir -p instance
	$(FLASK) cms init
	$(FLASK) cms demo
	@$(FLASK) cms ensure-admin
	@echo "Warta: http://127.0.0.1:$(PORT)  (Ctrl-C stops the web server and the worker)"
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	  $(FLASK) cms worker & \
	  $(FLASK) run --host 127.0.0.1 --port $(PORT) --no-reload --with-threads; \
	  wait

# Tests use real servers: Debian's chromium (browser tests), nginx (the
# documented site config) and redis-server. Install the missing ones with apt.
SYSTEM_DEPS := chromium:chromium nginx:nginx redis-server:redis-server
test-deps:
	@missing=""; for pair in $(SYSTEM_DEPS); do \
	  cmd=$${pair%%:*}; pkg=$${pair#*:}; \
	  command -v $$cmd >/dev/null 2>&1 || [ -x /usr/sbin/$$cmd ] || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing with apt:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# Two processes or more (pytest-xdist); PYTEST_ARGS adds options.
test: install test-deps
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

# Static checks: lint, declared dependencies, import contracts, types (pyproject.toml).
# `ruff format --check` joins them once the tree has been formatted (make format).
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/deptry .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# Search relevance (recall@10, nDCG@10 of bench/search/relevance.json) on
# SQLite, then on PostgreSQL when DATABASE_URL is set (its tables are recreated).
bench-search: install
	env -u DATABASE_URL $(PY) bench/search/relevance.py
	@if [ -n "$$DATABASE_URL" ]; then $(PY) bench/search/relevance.py; fi

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Guides and the reference rendered from the code (mkdocs.yml) into site/;
# strict: any warning (a broken link, a docstring griffe cannot read) fails.
# The Material theme's end-of-life banner is not a warning about our docs.
docs: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) site instance .pytest_cache test-artifacts .ruff_cache .import_linter_cache

# Re-extract messages, merge into the English catalogue, fill from en.tsv, compile.
translations: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k NavItem -o cms/translations/messages.pot . >/dev/null 2>&1
	$(VENV)/bin/pybabel update -i cms/translations/messages.pot -d cms/translations -l en --no-fuzzy-matching >/dev/null
	$(PY) scripts/fill_po.py cms/translations/en.tsv
