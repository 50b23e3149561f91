# Karvon: `make run` sets up everything and serves the demo; `make test` runs every test.
PY_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
KARVON := $(VENV)/bin/karvon
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := karvon.config.settings

.PHONY: run test test-spark check lint typecheck e2e messages bench clean venv

# pyenv reads .python-version; plain python3 is used where pyenv is absent but is 3.12+.
$(STAMP): pyproject.toml packages/karvon-match/pyproject.toml
	@PYBIN=$$(command -v python$(PY_VERSION) || true); \
	 if [ -z "$$PYBIN" ] || ! "$$PYBIN" -c 'import sys' >/dev/null 2>&1; then PYBIN=python3; fi; \
	 "$$PYBIN" -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12+ is needed, found " + sys.version' && \
	 "$$PYBIN" -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e packages/karvon-match -e '.[dev]'
	touch $(STAMP)

$(VENV)/.messages: $(STAMP) $(wildcard src/karvon/locale/*/LC_MESSAGES/django.po)
	cd src/karvon && ../../$(KARVON) compilemessages --ignore '.venv' >/dev/null
	touch $@

venv: $(STAMP) $(VENV)/.messages

run: venv
	$(KARVON) migrate --no-input
	$(KARVON) demo_load --people $${KARVON_DEMO_PEOPLE:-3000} --if-empty
	$(KARVON) cases_demo_load --if-empty
	$(KARVON) presence_demo_load --if-empty
	$(KARVON) duplicates_scan --if-queue-empty
	$(KARVON) statistics_load_unhcr
	$(KARVON) statistics_refresh_national --all-years
	$(KARVON) collectstatic --no-input >/dev/null
	$(KARVON) demo_logins
	@# The task worker (duplicate checks after each registration) runs beside the web server and stops with it.
	$(KARVON) db_worker >var/worker.log 2>&1 & WORKER=$$!; trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	  $(KARVON) runserver 127.0.0.1:8000

test: venv
	@# pdftotext (Debian's poppler-utils) lets the certificate tests read the text of the PDFs they print.
	@command -v pdftotext >/dev/null || (echo "Installing Debian's poppler-utils for the certificate tests" && \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null) || true)
	$(VENV)/bin/pytest -q -m "not e2e and not spark" $(PYTEST_ARGS)
	$(MAKE) e2e

# Batch scoring on local Spark (docs/matching.md, "Scaling out"): pyspark is the optional `spark` extra
# (ADR 0105, a 456 MB source archive built once per machine) and needs Java 17+ (Debian's JRE if absent).
# It does not touch Django's database: CI runs it once, not per database.
test-spark: venv
	@command -v java >/dev/null || (echo "Installing Debian's Java 17 runtime for Spark" && \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null))
	$(VENV)/bin/pip install --quiet -e '.[spark]'
	@# Fail, not skip, when the install did not give a working pyspark.
	$(PY) -c 'import pyspark; print("pyspark", pyspark.__version__)'
	$(VENV)/bin/pytest -q -m spark src/karvon/matching/tests/test_batch_spark.py $(PYTEST_ARGS)

# Browser flows use Debian's chromium (never a downloaded browser).
e2e: venv
	@command -v chromium >/dev/null || (echo "Installing Debian's chromium for the browser tests" && \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null))
	$(VENV)/bin/pytest -q -m e2e tests/e2e $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check src packages tests bench
	$(VENV)/bin/ruff format --check src packages tests bench

typecheck: venv
	$(VENV)/bin/mypy src/karvon packages/karvon-match/src

check: lint typecheck test
	$(KARVON) makemigrations --check --dry-run

messages: venv
	cd src/karvon && ../../$(KARVON) makemessages -l ru -l en --ignore 'tests/*' --no-obsolete

# The full benchmarks need PostgreSQL and 1,000,000 people (tens of minutes): see bench/README.md.
bench: venv
	$(PY) bench/realtime_bench.py --drafts 200
	@echo "Full runs: bench/README.md; figures: docs/performance.md"

clean:
	rm -rf $(VENV) var
