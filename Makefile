# Birge: `make demo` serves a working Birge with synthetic data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_CASES ?= 300
DEMO_WORKERS ?= 2
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/constraints.txt | sha1sum | cut -c1-12)

# The demo runs like production (DEBUG off) but over plain HTTP on this machine.
DEMO_ENV = BIRGE_DEMO=1 BIRGE_HTTPS=0 BIRGE_BASE_URL=http://127.0.0.1:$(PORT)
# Fixed keys for the test suite only; they protect nothing.
TEST_ENV := BIRGE_HTTPS=0 SECRET_KEY=test-only-not-secret-$(shell hostname)-birge-0123456789 \
	BIRGE_ENCRYPTION_KEYS=t1:dGVzdC1vbmx5LWtleS1wcm90ZWN0cy1ub3RoaW5nISE= \
	BIRGE_BLIND_INDEX_KEY=test-only-blind-index-key-protects-nothing-0123456789

.PHONY: setup demo test fuzz e2e lint format layers types messages i18n-check deploy-check bench bench-stats clean
.PHONY: drill

setup: $(STAMP) messages

$(STAMP): pyproject.toml requirements/constraints.txt
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	@# The PDFs' fonts (DejaVu Sans), unless BIRGE_FONT_DIR points at them elsewhere.
	@test -f $${BIRGE_FONT_DIR:-/usr/share/fonts/truetype/dejavu}/DejaVuSans-Bold.ttf || \
		(apt-get update -qq && apt-get install -y -qq fonts-dejavu-core)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[dev,bench]'
	rm -f $(VENV)/.installed-* && touch $@

messages: $(STAMP)
	cd src/birge && $(TEST_ENV) ../../$(BIN)/birge compilemessages -v0 --ignore .venv

demo: setup
	$(DEMO_ENV) $(BIN)/birge migrate --no-input -v0
	$(DEMO_ENV) $(BIN)/birge collectstatic --no-input -v0
	$(DEMO_ENV) $(BIN)/birge demo --cases $(DEMO_CASES)
	$(DEMO_ENV) $(BIN)/birge demo_serial_perpetrator
	@echo "Birge demo: http://127.0.0.1:$(PORT)/ (periodic jobs run alongside: birge scheduler)"
	@# Served as in production: gunicorn with deploy/gunicorn.conf.py, here with
	@# $(DEMO_WORKERS) workers. The scheduler runs in the background for as long as the
	@# server; the trap stops it (SIGTERM, a clean shutdown) however gunicorn ends, Ctrl-C
	@# included.
	@$(DEMO_ENV) $(BIN)/birge scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler' EXIT; trap 'exit 130' INT TERM; \
	$(DEMO_ENV) BIRGE_BIND=127.0.0.1:$(PORT) GUNICORN_WORKERS=$(DEMO_WORKERS) \
		$(BIN)/gunicorn -c deploy/gunicorn.conf.py birge.wsgi

# `make test TESTS=src/birge/privacy` runs part of the suite; on both cores (pytest-xdist,
# a database per worker, each test file on one worker) unless WORKERS=0.
TESTS ?=
WORKERS ?= 2
test: setup
	$(TEST_ENV) $(BIN)/pytest -q -m 'not e2e' $(if $(filter 0,$(WORKERS)),,-n $(WORKERS) --dist loadfile) $(TESTS)

# schemathesis over every operation of the API (src/birge/web/tests/fuzz_api.py, which
# `make test` does not collect): no server error, every answer as the published schema
# says. A fixed seed: the same code, the same run. `make fuzz DATABASE_URL=postgres://…`
# runs it on PostgreSQL.
fuzz: setup
	$(TEST_ENV) $(BIN)/pytest -q -m fuzz src/birge/web/tests/fuzz_api.py

# The operations drills (deploy/drills/drill.py, docs/operations.md#drills): failover,
# crash under writes, reports from a replica, restore with point-in-time recovery, on
# loopback with their own PostgreSQL clusters, Redis, gunicorn and HAProxy; removed after.
# Ends with one line of JSON; `make drill DRILLS=restore` runs some. Run as root.
DRILLS ?= failover,crash,replica,restore
drill: setup
	@command -v haproxy >/dev/null || (apt-get update -qq && apt-get install -y -qq haproxy)
	@command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)
	@test -x /usr/lib/postgresql/15/bin/initdb || (apt-get update -qq && apt-get install -y -qq postgresql-15)
	timeout 1800 $(BIN)/python deploy/drills/drill.py --drills $(DRILLS)

# axe-core (package.json, pinned in package-lock.json) checks every main page's accessibility.
e2e: setup node_modules/.installed
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(TEST_ENV) $(BIN)/pytest -q -m e2e

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The layers are a contract (pyproject.toml, import-linter): the kernel never imports a
# domain app, no app imports one above it, and there is no import circle between apps.
layers: $(STAMP)
	cd src && ../$(BIN)/lint-imports ../pyproject.toml

# Types of the kernel (access, privacy, audit) and of every app's services and selectors.
TYPED = -p birge.access -p birge.privacy -p birge.audit -p birge.cases.services \
	-p birge.conferences.services $(foreach f,$(wildcard src/birge/*/services.py src/birge/*/selectors.py),\
	$(if $(filter src/birge/access/% src/birge/privacy/% src/birge/audit/%,$(f)),,-m $(subst /,.,$(patsubst src/%.py,%,$(f)))))
types: $(STAMP)
	cd src && $(TEST_ENV) ../$(BIN)/mypy --config-file ../pyproject.toml $(TYPED)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The production settings must pass Django's deployment checklist with no warning.
deploy-check: setup
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=birge.example.gov.az \
		BIRGE_AUDIT_CHECKPOINT_KEY=$$(head -c 48 /dev/urandom | base64) BIRGE_ENCRYPTION_KEYS=k1:$$(head -c 32 /dev/urandom | base64) \
		BIRGE_BLIND_INDEX_KEY=$$(head -c 32 /dev/urandom | base64) $(BIN)/birge check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var

# Figures, not pass/fail: event_record's cost against a plain insert in the same run;
# `birge audit verify` over AUDIT_EVENTS sealed events on PostgreSQL (target: 1,000,000 in
# 10 s); the time to score one risk assessment;
# then the web benchmark (bench/bench_web.py): gunicorn with production settings on
# PostgreSQL at each size of CASES, driven by locust over loopback. Not part of `make test`.
CASES ?= 100000,1000000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/birge_bench
AUDIT_EVENTS ?= 1000000
BENCH_AUDIT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/birge_bench_audit
# The language guidance's precision and recall per language (bench/words.py).
bench-words: $(STAMP)
	$(BIN)/python bench/words.py

bench: setup
	$(TEST_ENV) $(BIN)/python bench/bench_audit.py
	$(TEST_ENV) DATABASE_URL=$(BENCH_AUDIT_DATABASE_URL) BENCH_AUDIT_EVENTS=$(AUDIT_EVENTS) \
		$(BIN)/python bench/bench_audit_verify.py
	$(TEST_ENV) $(BIN)/python bench/bench_risk.py
	CASES=$(CASES) BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/bench_web.py
	$(MAKE) bench-stats

# The national statistics over 1,000,000 fact rows (bench/bench_stats.py; target 2 s a table).
BENCH_STATS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench_stats
bench-stats: setup
	$(TEST_ENV) BENCH_STATS_DATABASE_URL=$(BENCH_STATS_DATABASE_URL) $(BIN)/python bench/bench_stats.py

# Every string a person reads exists in Azerbaijani and Russian: regenerate the catalogues
# from the source (in a scratch copy) and fail on any untranslated or fuzzy entry.
i18n-check: setup
	rm -rf var/i18n-check && mkdir -p var/i18n-check && cp -r src/birge/locale var/i18n-check/
	cd src/birge && $(TEST_ENV) ../../$(BIN)/birge makemessages -l az -l ru -v0 --no-obsolete \
		-i '*/tests/*' -i '*/migrations/*'
	@status=0; for l in az ru; do \
		po=src/birge/locale/$$l/LC_MESSAGES/django.po; \
		missing=$$(msgattrib --untranslated --no-wrap $$po; msgattrib --only-fuzzy --no-wrap $$po); \
		if echo "$$missing" | grep -q '^msgid "[^"]'; then \
			echo "Untranslated or fuzzy in $$l:"; echo "$$missing" | grep '^msgid "[^"]'; status=1; fi; \
	done; rm -rf src/birge/locale && cp -r var/i18n-check/locale src/birge/ && exit $$status
