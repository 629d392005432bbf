# EMA — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint types format messages clean bench loadtest worker beat

run: setup
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "EMA: http://$(HOST):$(PORT)/  (demo accounts in README.md)"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs on every core with pytest-xdist (TEST_WORKERS=auto: one worker per CPU, each on
# its own test database); TEST_WORKERS=0 runs it in this one process. `pytest tests/x.py` alone
# never starts workers.
TEST_WORKERS ?= auto

test: setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

setup: $(BIN)/.installed node_modules/.installed messages

# The task queue (ema/celery.py): a worker and the scheduler, against Redis. `make run` needs
# neither (its tasks run in the web process); with them, set CELERY_BROKER_URL for the web too.
BROKER ?= $(or $(CELERY_BROKER_URL),redis://127.0.0.1:6379/0)

worker: setup
	DEBUG=1 CELERY_BROKER_URL=$(BROKER) $(BIN)/celery -A ema worker --loglevel=INFO

beat: setup
	DEBUG=1 CELERY_BROKER_URL=$(BROKER) $(BIN)/celery -A ema beat --loglevel=INFO \
		--schedule=$(VENV)/celerybeat-schedule

# The benchmark and the load test make their own databases (ema_bench_s1, ...) on this
# PostgreSQL server: BENCH_SCALES=1,10, BENCH_RUNS=20, BENCH_OUTPUT=docs/benchmarks.md ("-": none);
# LOADTEST_USERS=20, LOADTEST_SECONDS=60, LOADTEST_WORKERS=4 (see docs/benchmarks.md).
BENCH_DATABASE_URL = $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432)

bench: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.run

loadtest: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.loadtest

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The compiled catalogues are committed; rebuild them when a .po is newer and gettext is here.
messages:
	@for po in locale/*/LC_MESSAGES/django.po; do \
		mo=$${po%.po}.mo; \
		if [ "$$po" -nt "$$mo" ] && command -v msgfmt >/dev/null; then \
			msgfmt --check -o "$$mo" "$$po" && echo "compiled $$mo"; \
		fi; \
	done

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with the Django plugin ([tool.mypy] in pyproject.toml); the settings need DEBUG or a key.
types: setup
	DEBUG=1 $(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .mypy_cache
