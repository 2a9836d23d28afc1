# Opgaveudvalgsportalen: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv browser-deps run test e2e lint format migrate demo worker clean

help:
	@echo "make run    - install, migrate, load demo data and serve http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	@echo "make test   - install if needed and run the whole test suite"
	@echo "make e2e    - the browser tests only: end-to-end journeys, keyboard and axe-core checks in Chromium"
	@echo "make lint   - ruff check, format check and the import layer contracts (import-linter)"

$(VENV)/pyvenv.cfg:
	@echo "==> Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv --clear $(VENV)

# Reinstalls when pyproject.toml changes or the environment was recreated.
$(STAMP): pyproject.toml $(VENV)/pyvenv.cfg
	@echo "==> Installing into $(VENV)"
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	@echo "==> Installing the portal and its development tools"
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	@mkdir -p var/static var/media
	@echo "==> Applying database migrations"
	$(MANAGE) migrate --noinput

demo: migrate
	@echo "==> Loading demo data (idempotent)"
	$(MANAGE) load_demo

run: demo
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "==> REDIS_URL is set: starting a Celery worker with beat beside the web server (restarted if it stops)"; \
	  $(MANAGE) run_worker --beat & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "==> Serving http://$(HOST):$(PORT)/ (Ctrl-C stops web server and worker)"; \
	  $(MANAGE) runserver $(HOST):$(PORT); \
	else \
	  echo "==> No REDIS_URL: tasks run in-process. Serving http://$(HOST):$(PORT)/ (Ctrl-C stops)"; \
	  $(MANAGE) runserver $(HOST):$(PORT); \
	fi

worker: venv
	$(MANAGE) run_worker --beat

# axe-core for the browser tests (tests/browser) and oidc-provider for the sign-in tests (tests/sso), from
# package-lock.json; again when the lock file changes.
# Without npm or /usr/bin/chromium the browser tests are skipped locally; with CI=true they fail instead.
browser-deps:
	@if [ -f node_modules/axe-core/axe.min.js ] && [ -d node_modules/oidc-provider ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then :; \
	 elif command -v npm >/dev/null 2>&1; then \
	   echo "==> Installing axe-core and oidc-provider for the tests (npm ci)"; npm ci --silent --no-audit --no-fund; \
	 else echo "==> npm not found: the browser tests will be skipped (they need axe-core from npm)"; fi
	@[ -x /usr/bin/chromium ] || echo "==> /usr/bin/chromium not found: the browser tests will be skipped (apt-get install chromium)"

test: venv browser-deps
	@if [ -n "$$DATABASE_URL" ]; then db="DATABASE_URL"; else db="SQLite"; fi; \
	 if [ -n "$$REDIS_URL" ]; then q="Redis broker and a Celery worker"; else q="eager tasks"; fi; \
	 echo "==> Running the test suite on $$db with $$q"
	$(BIN)/pytest $(PYTEST_ARGS)

# The browser tests alone (tests/browser): the end-to-end journeys, keyboard and axe-core checks, in Debian's
# Chromium driven by Playwright (never a downloaded browser). As root, installs chromium and npm with apt-get when
# missing (as .ci/run does); otherwise says what to install. Set DATABASE_URL and REDIS_URL for a real worker.
e2e: venv
	@missing=""; [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	 command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	 if [ -n "$$missing" ]; then \
	   if [ "$$(id -u)" = 0 ]; then \
	     echo "==> Installing with apt-get:$$missing"; \
	     apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing || exit 1; \
	   else echo "==> Missing:$$missing. Install with: sudo apt-get install$$missing" >&2; exit 1; fi; \
	 fi
	@$(MAKE) --no-print-directory browser-deps
	$(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
