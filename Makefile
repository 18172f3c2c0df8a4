# Two commands: `make run` (set up and serve) and `make test` (set up and test).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
CORPUS ?= ../shared/corpus

.PHONY: run test test-fast lint test-postgres serve setup migrate seed index serve-dev import-corpus eval bench bench-deps bench-readers bench-pages clean help collect

help:
	@echo "make run            set up everything (venv, deps, migrations, seeds, index) and serve on $(HOST):$(PORT)"
	@echo "make test           lint, then the whole test suite (SQLite, then PostgreSQL when DATABASE_URL is set)"
	@echo "make test-fast      the inner loop: every test not marked slow (pytest -m 'not slow'), under a minute"
	@echo "make lint           ruff check . (pyflakes, import order, bugbear; ruff.toml)"
	@echo "make test-postgres  run the test suite against a throwaway PostgreSQL server (scripts/with_postgres.sh)"
	@echo "make serve          production: migrations, static files, index, gunicorn on $(HOST):$(PORT) (README: Production)"
	@echo "make collect        collect new articles from the outlets' due feeds once (docs/collecting.md)"
	@echo "make import-corpus  import both files of $(CORPUS) (about 70k articles) and index them"
	@echo "make eval           search-quality evaluation against baselines, then country/topic tagging (eval_tagging)"
	@echo "make bench          speed benchmark against peers"
	@echo "make bench-readers  the reader's path: 1,000 never-seen then warm queries, view and gunicorn (docs/speed.md)"
	@echo "make bench-pages    every public page: first, after a change, repeated, and without the page cache (gunicorn)"
	@echo "make load           20 clients x 60 s against gunicorn on a COPY of a data folder: LOAD_DATA=/tmp/copy"
	@echo "                    (LOAD_ARGS='--make-import 5000': the same during an import of 5,000 new articles)"
	@echo "make faults         fault scenarios: kill -9 import/index writer, read-only and full disk, database gone"
	@echo "make load-smoke     small load test (CI size; also part of make test)"
	@echo "make faults-smoke   small fault scenarios (CI size; also part of make test)"

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py import_articles seeds/ --no-progress

index: migrate
	$(PY) manage.py ensure_index

run: seed index
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

# Both passes run in TEST_WORKERS pytest-xdist workers (each with its own data
# folder and test database; ports are chosen free), 2 for CI's two cores.
TEST_WORKERS ?= 2

# The suite runs on SQLite first, then again on the server of DATABASE_URL
# (PostgreSQL) when it is set; CI sets it (.ci/run) and fails without it.
# PYTEST_ARGS narrows both passes, e.g. PYTEST_ARGS=tests/web/test_security.py.
# Lint runs first and stops the run on any finding.
test: setup lint
	@echo "== SQLite pass =="
	@start=$$(date +%s); env -u DATABASE_URL $(PY) -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS); status=$$?; \
	  echo "== SQLite pass: exit $$status in $$(( $$(date +%s) - start )) s =="; exit $$status
	@if [ -n "$$DATABASE_URL" ]; then \
	  case "$$DATABASE_URL" in postgres*) name=PostgreSQL;; *) name="$${DATABASE_URL%%:*}";; esac; \
	  echo "== $$name pass (DATABASE_URL) =="; \
	  start=$$(date +%s); $(PY) -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS); status=$$?; \
	  echo "== $$name pass: exit $$status in $$(( $$(date +%s) - start )) s =="; exit $$status; \
	elif [ "$$CI" = true ]; then \
	  echo "PostgreSQL pass cannot run in CI: DATABASE_URL is not set (.ci/run starts a server with scripts/with_postgres.sh)" >&2; \
	  exit 1; \
	else \
	  echo "PostgreSQL pass skipped: set DATABASE_URL=postgres://… to run it (or: make test-postgres)"; \
	fi

# The inner loop: tests/unit, engine and web without the slow ones (markers in
# pytest.ini; tests/conftest.py marks all of tests/system and the browser tests slow).
# Two pytest-xdist workers (FAST_WORKERS), each with its own data folder.
FAST_WORKERS ?= 2
test-fast: setup
	@start=$$(date +%s); env -u DATABASE_URL $(PY) -m pytest -q -m "not slow" -n $(FAST_WORKERS) $(PYTEST_ARGS); status=$$?; \
	  echo "== fast loop: exit $$status in $$(( $$(date +%s) - start )) s =="; exit $$status

lint: setup
	$(VENV)/bin/ruff check .

# Only the PostgreSQL pass, on a throwaway server (needs Debian's postgresql).
test-postgres: setup
	bash scripts/with_postgres.sh $(PY) -m pytest -q $(PYTEST_ARGS)

# Production serving (README "Production"): settings from the environment,
# DJANGO_ENV=production (refuses to start without DJANGO_SECRET_KEY), static
# files collected and served by whitenoise, gunicorn with config/gunicorn.conf.py
# (GUNICORN_WORKERS, default 2 x cores). `check --deploy` prints any warning.
serve: export DJANGO_ENV := production
serve: export DJANGO_DEBUG := 0
serve: index
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py check --deploy --fail-level ERROR
	$(VENV)/bin/gunicorn --config config/gunicorn.conf.py --bind $(HOST):$(PORT) config.wsgi

# One collection pass over the due feeds (COLLECT_ARGS=--loop for a worker; docs/collecting.md).
collect: migrate
	$(PY) manage.py collect $(COLLECT_ARGS)

import-corpus: migrate
	$(PY) manage.py import_articles $(CORPUS)/articles.jsonl.gz $(CORPUS)/saudinewsnet.jsonl.gz

eval: migrate
	$(PY) manage.py evaluate_search
	$(PY) manage.py eval_tagging

bench: migrate bench-deps
	$(PY) manage.py benchmark_search

# the bench's peers (tantivy): requirements-bench.txt
bench-deps: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt

# BENCH_READERS_ARGS e.g. --fts5, --peers-only, --http-limit 500, --queries 2000
bench-readers: migrate bench-deps
	$(PY) manage.py bench_readers $(BENCH_READERS_ARGS)

bench-pages: migrate
	$(PY) manage.py bench_pages $(BENCH_PAGES_ARGS)

clean:
	rm -rf var/ artifacts/ .pytest_cache .ruff_cache

# Load and fault tests (scripts/load_serve.py, scripts/faults.py; README "Operations").
# `load` serves LOAD_DATA (a COPY of a data folder: the load and an import write to it)
# with gunicorn like `make serve`, on a free 127.0.0.1 port.
.PHONY: load load-smoke faults faults-smoke
LOAD_WORKERS ?= 4
LOAD_CLIENTS ?= 20
LOAD_SECONDS ?= 60
load: setup
	@test -n "$(LOAD_DATA)" || { echo "set LOAD_DATA=<a copy of a data folder>, e.g. cp -r var /tmp/load-data" >&2; exit 2; }
	$(PY) scripts/load_serve.py --data-dir "$(LOAD_DATA)" --workers $(LOAD_WORKERS) \
	  --clients $(LOAD_CLIENTS) --duration $(LOAD_SECONDS) $(LOAD_ARGS)

load-smoke: setup
	$(PY) scripts/load_serve.py --smoke

faults: setup
	$(PY) scripts/faults.py $(FAULTS_ARGS)

faults-smoke: setup
	$(PY) scripts/faults.py --smoke
