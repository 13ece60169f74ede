# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_ENV := DJANGO_SETTINGS_MODULE=metalldialog.settings.test

.PHONY: run test bench install install-dev messages translations lint clean

# Reinstall only when pyproject.toml changed.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# msgfmt (GNU gettext) compiles the translations; install it where it is missing.
gettext:
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }

translations: gettext
	@DJANGO_DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

run: install gettext
	@mkdir -p var
	@$(MAKE) --no-print-directory translations
	DJANGO_DEBUG=true $(PY) manage.py migrate --no-input -v 0
	DJANGO_DEBUG=true $(PY) manage.py seed_demo
	DJANGO_DEBUG=true $(PY) manage.py rundev --port $(PORT)

test: install-dev gettext
	@$(TEST_ENV) $(PY) manage.py check_services
	$(VENV)/bin/ruff check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	@$(MAKE) --no-print-directory translations
	$(TEST_ENV) $(VENV)/bin/pytest

bench: install-dev gettext
	@$(MAKE) --no-print-directory translations
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(TEST_ENV) $(PY) manage.py check_services
	$(PY) -m bench

# Refresh locale/de/LC_MESSAGES/django.po from the code and templates.
messages: install
	DJANGO_DEBUG=true $(PY) manage.py makemessages -l de --ignore=.venv --ignore=var --ignore=static/vendor --no-obsolete

lint: install-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf var/db.sqlite3 var/celery var/mail
