# Two commands on a fresh machine with python3 and make:
#   make run   – installs everything, builds the demo municipality, serves it at http://127.0.0.1:8000
#   make test  – installs everything, lints (ruff, mypy), runs the whole suite on SQLite and PostgreSQL
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?= -n 2

.PHONY: install run demo test test-sqlite test-postgres browser lint bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

demo: install
	$(BIN)/ratsinfo demo

run: demo
	$(BIN)/ratsinfo worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; $(BIN)/ratsinfo serve --port $(PORT)

# Debian's Chromium for the real-browser tests (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installiere Debians Chromium für die Browser-Tests …"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v chromium >/dev/null 2>&1 || { echo "Chromium fehlt und ließ sich nicht installieren." >&2; exit 1; }

test: install browser
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	bash scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

# The million-paper benchmark (bench/million.py): SQLite and PostgreSQL, writes bench/RESULTS.md.
# Smaller: make bench BENCH_ARGS="--papers 20000 --sqlite-only"
BENCH_ARGS ?= --papers 1000000
bench: install
	$(BIN)/python bench/million.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check ratsinfo tests bench
	$(BIN)/mypy ratsinfo

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
