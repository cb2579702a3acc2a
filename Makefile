# Co-Create Academy — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the full test suite needs: a PostgreSQL server, redis-server, Chromium.
SYSTEM_PACKAGES := postgresql redis-server chromium fonts-dejavu-core gettext nodejs npm

.PHONY: run screenshots serve install gettext messages system-deps test test-sqlite test-postgres lint format bench bench-compare worker clean

# `make run` serves on 127.0.0.1:$(PORT); every absolute address the site writes (credentials,
# e-mails, badge images) is under SITE_URL, which follows PORT unless you set it yourself.
PORT ?= 8000
RUN_SITE_URL = $(or $(SITE_URL),http://127.0.0.1:$(PORT))

run: install  ## create .venv, install, migrate, load demo data, serve on 127.0.0.1:$(PORT)
	$(BIN)/python manage.py migrate --no-input -v0
	SITE_URL="$(RUN_SITE_URL)" $(BIN)/python manage.py seed_demo
	@echo "Serving on $(RUN_SITE_URL)/ (Ctrl+C stops it)"
	SITE_URL="$(RUN_SITE_URL)" $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The interface's translations: locale/<lang>/LC_MESSAGES/*.po are committed, the .mo files the
# site reads are compiled here (GNU gettext's msgfmt; Debian's `gettext` package).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

install: $(STAMP) $(MO_FILES)

locale/%.mo: locale/%.po | gettext
	msgfmt --check-format -o $@ $<

gettext:
	@command -v msgfmt >/dev/null || { echo "Installing Debian package: gettext"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends gettext; }

# After marking strings: bring every language's catalogue up to date with the code (then
# translate what is new or fuzzy; tests/cms/test_translations.py fails until it is complete).
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=staticfiles \
	--ignore=media --ignore=node_modules --ignore=.node-verifier --ignore=.node-* --ignore=.venv-ob2validator \
	--ignore=static/js/redoc-*.js
MESSAGES_LANGUAGES := -l de -l es -l fr -l it -l nl -l pl -l pt -l fi
messages: install gettext  ## re-extract the strings to translate into locale/*/LC_MESSAGES/*.po
	$(BIN)/python manage.py makemessages $(MESSAGES_LANGUAGES) --no-obsolete --add-location=file $(MESSAGES_IGNORE) -d django
	$(BIN)/python manage.py makemessages $(MESSAGES_LANGUAGES) --no-obsolete --add-location=file $(MESSAGES_IGNORE) -d djangojs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

system-deps:  ## install the Debian packages the tests start (only those missing)
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

# The two passes share nothing (each starts its own servers on free ports), so they run side by
# side on two cores; --output-sync prints each pass's report whole, when it ends. Under
# `make test` each test runs once: tests/conftest.py's shard_of() sends the database tests to
# PostgreSQL and the browser journeys, workers, fault tests, independent verifiers and
# database-free tests to SQLite. `make test-sqlite` / `make test-postgres` alone run every
# test their database can run.
test: install system-deps lint  ## everything CI runs
	@$(MAKE) --no-print-directory -j2 --output-sync=recurse test-sqlite test-postgres SHARD=1

SQLITE_MARKS ?=
PG_MARKS ?= not browser and not worker and not interop
DURATIONS := --durations=12

test-sqlite: install system-deps  ## every test on SQLite, with redis-server, a Celery worker and Chromium
	@mkdir -p var/pytest
	$(if $(SHARD),COCREATE_TEST_SHARD=sqlite) $(BIN)/pytest --basetemp=var/pytest/sqlite \
		$(DURATIONS) $(if $(SQLITE_MARKS),-m "$(SQLITE_MARKS)")

# The standards and verifier tests exercise fetching, JSON-LD and signatures, not the database:
# on their own, the PostgreSQL pass skips them (the verify API and page, and their caches, run).
PG_SKIP := --ignore=tests/credentials/standards --ignore=tests/credentials/web/test_verify_page.py \
	$(foreach m,engine fetch verify_engine verify_attacks verify_forgeries,\
	--ignore=tests/credentials/verify/test_$(m).py)

test-postgres: install system-deps  ## the database tests on a PostgreSQL cluster the run starts
	@mkdir -p var/pytest
	$(if $(SHARD),COCREATE_TEST_SHARD=postgres) $(BIN)/pytest --basetemp=var/pytest/postgres \
		--ds=cms.settings.test_postgres $(DURATIONS) $(if $(SHARD),,-m "$(PG_MARKS)" $(PG_SKIP))

# Each browser journey saves its key pages, at desktop and phone width, as PNG files
# (tests/browser/helpers.py check_page); var/ is never committed.
SCREENSHOTS_DIR ?= var/screenshots

screenshots: install system-deps  ## the browser journeys, saving their key pages to var/screenshots/
	@mkdir -p $(SCREENSHOTS_DIR) var/pytest
	SCREENSHOTS_DIR="$(abspath $(SCREENSHOTS_DIR))" $(BIN)/pytest -q -m browser \
		--basetemp=var/pytest/screenshots tests/browser
	@echo "Screenshots are in $(SCREENSHOTS_DIR)/"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

BENCH_STAMP := $(VENV)/.bench-stamp

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	touch $(BENCH_STAMP)

# Each bench/*.py runs in-process on cms.settings.test, except bench/load.py: it starts the
# production stack itself (PostgreSQL and redis-server from system-deps, gunicorn, a Celery
# worker; bench/stack.py, a module, not a benchmark) and loads it with locust (the bench extra).
bench: install system-deps $(BENCH_STAMP)  ## benchmarks print ratios; they are not tests
	@for script in bench/*.py; do [ -e "$$script" ] || continue; \
		case "$$script" in bench/compare.py|bench/stack.py|bench/load.py) continue;; esac; \
		echo "== $$script"; \
		DJANGO_SETTINGS_MODULE=cms.settings.test LOG_LEVEL=WARNING $(BIN)/python "$$script" || exit 1; done
	@echo "== bench/load.py"; $(BIN)/python bench/load.py

bench-compare: install  ## one benchmark, this tree vs REV side by side: make bench-compare REV=HEAD~3
	@[ -n "$(REV)" ] || { echo "Say which version: make bench-compare REV=<commit>"; exit 2; }
	$(BIN)/python bench/compare.py "$(REV)" $(if $(SCRIPT),--script $(SCRIPT))

worker: install  ## a real Celery worker (and beat) against Redis: set CELERY_BROKER_URL first
	@[ -n "$$CELERY_BROKER_URL" ] || { echo "Set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0"; exit 2; }
	$(BIN)/celery -A cms worker --beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media var
