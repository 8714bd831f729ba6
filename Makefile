# The two commands of the README: `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# pytest-xdist workers, each with its own database (a SQLite file, or PG_URL's name + _gw0, …)
PYTEST := $(PY) -m pytest -q -n auto --dist worksteal

.PHONY: bench demo test setup translations browser-deps security test-sqlite test-postgres

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --use-fuzzy -d portal/translations

setup: $(VENV)/.installed translations

demo: setup
	PORTAL_SANDBOX=1 $(VENV)/bin/flask --app wsgi serve-demo

# Debian's Chromium for the browser tests (RECIPES.md §6); never a downloaded browser.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils libnss3-tools >/dev/null) \
	  || echo "chromium is not installed: browser tests will be skipped (they fail under CI=true)"; }
	@command -v pdftotext >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null || true; }

# Static security check: medium and high findings fail (README lists the low ones and why)
security: setup
	$(VENV)/bin/bandit -q -r portal -ll

test-sqlite: setup browser-deps security
	$(PYTEST)

# The same suite on PostgreSQL when a server answers (always under CI).
test-postgres: setup
	@if [ "$$CI" = "true" ] || $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)'.replace('+psycopg', ''), connect_timeout=2)" 2>/dev/null; then \
	  TEST_DATABASE_URL=$(PG_URL) $(PYTEST) -m "not browser"; \
	else echo "PostgreSQL is not reachable on 127.0.0.1:5432: PostgreSQL run skipped"; fi

test: test-sqlite test-postgres

# The benchmark (bench/RESULTS.md): gunicorn on SQLite then PostgreSQL, 1 000 and 100 000
# applications, wrk on loopback; then the profiles. A few minutes; writes bench/results.json.
bench: setup
	$(PY) -m bench.run
	$(PY) -m bench.profile
