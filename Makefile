# Warta: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
PORT   ?= 5000
STAMP  := $(VENV)/.installed

.PHONY: run test install browser-deps clean translations

$(PY):
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3-venv is missing; installing it with apt"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

run: install
	@mkdir -p instance
	$(FLASK) cms init
	$(FLASK) cms demo
	@$(FLASK) cms ensure-admin
	@echo "Warta: http://127.0.0.1:$(PORT)  (Ctrl-C stops the web server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(FLASK) cms worker & \
	  $(FLASK) run --host 127.0.0.1 --port $(PORT) --no-reload --with-threads; \
	  wait

# Browser tests need Debian's chromium; install it when missing and we can.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing chromium with apt (for browser tests)"; \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null || \
	    echo "warning: could not install chromium"; \
	  fi; }

test: install browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts
