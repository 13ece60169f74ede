# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_ENV := DJANGO_SETTINGS_MODULE=metalldialog.settings.test

.PHONY: run test bench bench-smoke bench-tools install install-dev messages translations check-translations lint clean gettext test-tools

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

# Debian packages the app needs, installed where missing: msgfmt (GNU gettext) compiles
# the translations, pango is what WeasyPrint renders PDFs with.
gettext:
	@missing=""; command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; fi

# The tests also read PDFs back with pdftotext (poppler-utils), read a bounce mailbox on a
# real IMAP server (dovecot, started by the tests on loopback), and the browser tests drive
# Debian's chromium through Playwright (never `playwright install`: no browser downloads).
test-tools:
	@missing=""; command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	test -x /usr/sbin/dovecot || missing="$$missing dovecot-imapd"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; fi

# The page checks in tests/e2e run axe-core and the Nu HTML checker (vnu.jar, on Java) from
# npm, pinned in package-lock.json; reinstalled only when the lock file changed. No install
# scripts: vnu-jar's would download a Java runtime, and Debian's is used instead.
node_modules/.installed: package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
	@command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; }
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

translations: gettext
	@DJANGO_DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

run: install gettext
	@mkdir -p var
	@$(MAKE) --no-print-directory translations
	DJANGO_DEBUG=true $(PY) manage.py migrate --no-input -v 0
	DJANGO_DEBUG=true $(PY) manage.py seed_demo
	DJANGO_DEBUG=true $(PY) manage.py rundev --port $(PORT)

test: install-dev gettext test-tools bench-tools node_modules/.installed
	@$(TEST_ENV) $(PY) manage.py check_services
	$(VENV)/bin/ruff check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	@$(MAKE) --no-print-directory check-translations
	@$(MAKE) --no-print-directory translations
	$(TEST_ENV) $(VENV)/bin/pytest
	@$(MAKE) --no-print-directory bench-smoke

# The load generator of the benchmarks.
bench-tools:
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

bench: install-dev gettext bench-tools
	@$(MAKE) --no-print-directory translations
	$(TEST_ENV) $(PY) manage.py check_services
	$(PY) -m bench

# Every measure of bench/measures/ end to end at a tiny size (the last step of `make test`):
# ends with "bench smoke: N measures ok", fails when a measure crashes, prints no line or
# counts errors, overbooked, duplicates or missing mails. Its database is DATABASE_URL's + _bench.
bench-smoke: install-dev bench-tools
	$(TEST_ENV) $(PY) -m bench --smoke

# Refresh locale/de/LC_MESSAGES/django.po from the code and templates.
messages: install
	DJANGO_DEBUG=true $(PY) manage.py makemessages -l de --ignore=.venv --ignore=var --ignore=node_modules --ignore=static/vendor --ignore=bench --no-obsolete

# German completeness: after makemessages (in a scratch copy, so the tree stays as it is)
# no msgid may be untranslated or fuzzy in locale/de.
check-translations: install gettext
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	tar -c --exclude=./.venv --exclude=./var --exclude=./node_modules --exclude=./.git . | tar -x -C "$$tmp" && \
	( cd "$$tmp" && DJANGO_DEBUG=true VAR_DIR="$$tmp/var" $(CURDIR)/$(PY) manage.py makemessages -l de \
	    --ignore=.venv --ignore=var --ignore=static/vendor --ignore=bench -v 0 ) && \
	stats=$$(LC_ALL=C msgfmt --statistics -o /dev/null "$$tmp/locale/de/LC_MESSAGES/django.po" 2>&1) && \
	echo "locale/de: $$stats" && \
	if echo "$$stats" | grep -Eq "fuzzy|untranslated"; then \
	  echo "locale/de is incomplete: run 'make messages' and translate the new entries."; \
	  for kind in --untranslated --only-fuzzy; do \
	    LC_ALL=C msgattrib $$kind --no-wrap "$$tmp/locale/de/LC_MESSAGES/django.po" | grep '^msgid "..*"' | head -20; \
	  done; \
	  exit 1; fi

lint: install-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf var/db.sqlite3 var/celery var/mail
