# Two commands set everything up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
# The suite runs in one process per CPU (pytest-xdist); `make test PYTEST_ARGS=` runs it in
# one process, `make test PYTEST_ARGS="tests/planning -n0"` a part of it.
PYTEST_ARGS ?= -n auto

.PHONY: install run test lint migrate demo worker lock clean bench

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "MIPG necesita Python 3.11 o superior"'
	$(PYTHON) -m venv $(VENV)

$(UV): $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Front-end assets (Bootstrap) come pinned from npm; Django serves them from node_modules.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Idempotent: syncs .venv with the lock file and node_modules with package-lock.json.
install: $(UV) node_modules/.package-lock.json
	$(UV) pip sync --quiet --python $(PY) requirements.lock

lock: $(UV)
	$(UV) pip compile pyproject.toml --extra dev --python $(PY) --python-version 3.11 -o requirements.lock

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

worker: install
	$(VENV)/bin/celery -A mipg worker -l info

clean:
	rm -rf $(VENV) .pytest_cache

# The two plan sizes of the page benchmark (bench/pages.py); DATABASE_URL picks the database.
BENCH_SIZES ?= 2000 20000

bench: install
	$(PY) bench/rollups.py
	$(PY) bench/pages.py $(BENCH_SIZES)
