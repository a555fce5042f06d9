# Briefs CMS — `make run` serves the demo site, `make test` runs the whole suite.
# Both set everything up themselves on a machine with Python >= 3.12 and make.

VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers by default: the suite is parallel-safe (each worker has its own test database).
# The Lighthouse audit runs on its own (make lighthouse): it needs a quiet machine to time pages.
PYTEST_ARGS ?= -n 2 --dist loadfile -m "not lighthouse"
# Links in pages follow the address being browsed; mail sent outside a request uses SITE_URL,
# which is the address `make run` serves unless it is given.
ifeq ($(origin SITE_URL),undefined)
RUN_SITE_URL := SITE_URL=http://$(HOST):$(PORT) SITE_URL_FROM_REQUEST=1
else
RUN_SITE_URL := SITE_URL=$(SITE_URL)
endif

# The first interpreter that is Python 3.12 or newer.
PYTHON := $(shell for p in python3.14 python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	&& { echo $$p; break; }; done)

.PHONY: run test lighthouse lint format check-python clean backup restore bench bench-worker bench-search bench-newsletter bench-links explain loadtest manage

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Briefs CMS needs Python 3.12 or newer (Django 6), and none was found on PATH."; \
		echo "Install python3.12 or python3.13 (e.g. 'pyenv install 3.12' or your package manager) and retry."; \
		exit 1; fi

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

# The site, its task worker and the scheduler of periodic jobs, stopped together by Ctrl-C.
run: $(VENV)/.installed-runtime
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py load_demo --accounts
	@echo "Site: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/ (moderator, editor, contributor or admin; password briefs-demo-2026)"
	@echo "Mail is printed here. Health of the database, cache and worker: http://$(HOST):$(PORT)/health/"
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=1 $(RUN_SITE_URL) $(BIN)/python manage.py run_worker & \
	DEBUG=1 $(RUN_SITE_URL) $(BIN)/python manage.py crontask & \
	DEBUG=1 $(RUN_SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Lighthouse (npm lighthouse, pinned in package.json) on the seven public page types, served by
# gunicorn + nginx with production settings; scores in test-artifacts/lighthouse/.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lighthouse: $(VENV)/.installed-dev node_modules/.installed
	$(BIN)/python -m pytest -n 0 -m lighthouse tests/browser/test_lighthouse.py

# Search timings, query by query, on make bench's 100,000-brief PostgreSQL archive (generated when missing).
bench-search: $(VENV)/.installed-runtime
	$(BIN)/python bench/search_bench.py

# Latency, queries, server CPU per request and throughput at 1,000 and 100,000 briefs on PostgreSQL
# (databases briefs_bench_<size>, generated once and reused), then the same on the embedded SQLite
# default (bench/.briefs_bench_<size>.sqlite3). BENCH_ARGS="--sizes 1000" for a quick run.
# Then the task worker (tasks per second, enqueue-to-start latency) and an admin save with and
# without a new hero image, on a fresh SQLite file (bench/worker_bench.py), and the link checker
# (bench-links below): 1,000 links over 50 local hosts, wall time reported; and one digest to 1,000 and
# 10,000 subscribers into a local SMTP sink (bench-newsletter below).
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/run.py --sqlite $(BENCH_ARGS)
	$(BIN)/python bench/worker_bench.py $(BENCH_WORKER_ARGS)
	$(BIN)/python bench/linkcheck_bench.py $(BENCH_LINKS_ARGS)
	$(BIN)/python bench/newsletter_bench.py $(NEWSLETTER_BENCH_ARGS)

bench-worker: $(VENV)/.installed-dev
	$(BIN)/python bench/worker_bench.py $(BENCH_WORKER_ARGS)

# One weekly digest to 1,000 then 10,000 subscribers (two topics each) into a local SMTP sink, through the
# task worker: mails per second, queries per mail, peak memory. NEWSLETTER_BENCH_ARGS="--sqlite" for SQLite.
bench-newsletter: $(VENV)/.installed-dev
	$(BIN)/python bench/newsletter_bench.py $(NEWSLETTER_BENCH_ARGS)

# The link checker alone (also the last part of make bench): 1,000 links over 50 local hosts answering
# after 20-200 ms; wall time, checks per second, per-host concurrency (must be 1). BENCH_LINKS_ARGS="--database-url postgres://…" for PostgreSQL.
bench-links: $(VENV)/.installed-runtime
	$(BIN)/python bench/linkcheck_bench.py $(BENCH_LINKS_ARGS)

# PostgreSQL plans (EXPLAIN ANALYZE) of every query the public pages run, on the 100,000-brief database.
explain: $(VENV)/.installed-runtime
	$(BIN)/python bench/explain.py $(EXPLAIN_ARGS)

# gunicorn (production settings) on PostgreSQL under wrk: 60 s, 50 connections over the public pages.
# Fails on any 5xx or logged server error. LOADTEST_SECONDS=10 for a quick run.
loadtest: $(VENV)/.installed-runtime
	$(BIN)/python scripts/loadtest.py

# Any management command on the embedded database, from a fresh clone:
#   make manage ARGS="export_briefs briefs.jsonl"
manage: $(VENV)/.installed-runtime
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py $(ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# make backup FILE=backups/today.json ; make restore FILE=backups/today.json (into an empty database)
FILE ?= backups/briefs-$(shell date +%Y%m%d-%H%M%S).json
backup: $(VENV)/.installed-runtime
	$(BIN)/python manage.py backup $(FILE)

restore: $(VENV)/.installed-runtime
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py restore $(FILE)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache node_modules
