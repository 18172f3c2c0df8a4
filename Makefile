# Two commands: `make run` (set up and serve) and `make test` (set up and test).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
CORPUS ?= ../shared/corpus

.PHONY: run test setup migrate seed index serve-dev import-corpus eval bench clean help

help:
	@echo "make run            set up everything (venv, deps, migrations, seeds, index) and serve on $(HOST):$(PORT)"
	@echo "make test           set up and run the test suite"
	@echo "make import-corpus  import both files of $(CORPUS) (about 70k articles) and index them"
	@echo "make eval           search-quality evaluation against baselines"
	@echo "make bench          speed benchmark against peers"

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

test: setup
	$(PY) -m pytest -q

import-corpus: migrate
	$(PY) manage.py import_articles $(CORPUS)/articles.jsonl.gz $(CORPUS)/saudinewsnet.jsonl.gz

eval: migrate
	$(PY) manage.py evaluate_search

bench: migrate
	$(PY) manage.py benchmark_search

clean:
	rm -rf var/ artifacts/ .pytest_cache
