# Two commands do all set-up on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers on two cores; each gets its own database (see tests/conftest.py). Files go to the workers in the order
# tests/conftest.py gives them, slowest kinds first.
PYTEST_ARGS ?= -n 2 --dist loadfile --no-loadscope-reorder

.PHONY: run test test-sqlite test-postgres install lint messages migrations benchmarks lock clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## Serve the platform with demo data on http://127.0.0.1:8000 (SQLite file under var/).
run: install
	$(BIN)/participation migrate
	$(BIN)/participation demo --if-empty
	$(BIN)/participation serve --host $(HOST) --port $(PORT)

## The whole suite on SQLite, then every test that uses the database again on PostgreSQL.
## Tests that never touch the database and the browser tests run in the SQLite pass only.
test: install
	scripts/ensure-test-tools
	$(MAKE) --no-print-directory test-sqlite test-postgres

test-sqlite: install
	@echo "== Test suite on SQLite =="
	@scripts/timed "SQLite pass" env TEST_DATABASE_URL= $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: install
	@echo "== Tests that use the database, on PostgreSQL ($(TEST_POSTGRES_URL)) =="
	@scripts/wait-for-postgres "$(TEST_POSTGRES_URL)"
	@scripts/timed "PostgreSQL pass" env TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/python -m pytest -q \
		-p no:cacheprovider $(PYTEST_ARGS) -m "not database_free and not browser"

lint: install
	$(BIN)/ruff check participation tests benchmarks

## Re-extract translatable strings and update every catalogue.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k pgettext:1c,2 --no-location --sort-output \
		--project=Familiendialog -o participation/i18n/messages.pot .
	$(BIN)/pybabel update -i participation/i18n/messages.pot -d participation/i18n/locales --no-fuzzy-matching

## Generate a migration after changing tables (read it before committing).
migrations: install
	PICCOLO_CONF=participation.piccolo_conf DATABASE_URL=sqlite:///var/migrations-scratch.sqlite3 \
		$(BIN)/piccolo migrations forwards all
	PICCOLO_CONF=participation.piccolo_conf DATABASE_URL=sqlite:///var/migrations-scratch.sqlite3 \
		$(BIN)/piccolo migrations new participation --auto

## Refresh requirements.lock (the container image's pinned, hashed dependencies) from pyproject.toml, with
## pip-tools in a venv of its own. Run with the image's Python (3.11); commit the result.
lock:
	test -x var/lock-tools/bin/pip-compile || ($(PYTHON) -m venv var/lock-tools && \
		var/lock-tools/bin/python -m pip install --quiet pip-tools)
	var/lock-tools/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --all-build-deps \
		--strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

benchmarks: install
	$(BIN)/python benchmarks/cluster.py participation/demo/data/freitext_eltern.jsonl

clean:
	rm -rf $(VENV) var .pytest_cache
