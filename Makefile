# Birge: `make demo` serves a working Birge with synthetic data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/constraints.txt | sha1sum | cut -c1-12)

# The demo runs like production (DEBUG off) but over plain HTTP on this machine.
DEMO_ENV := BIRGE_DEMO=1 BIRGE_HTTPS=0
TEST_ENV := BIRGE_HTTPS=0 SECRET_KEY=test-only-not-secret-$(shell hostname)-birge-0123456789

.PHONY: setup demo test e2e lint format messages deploy-check bench clean

setup: $(STAMP) messages

$(STAMP): pyproject.toml requirements/constraints.txt
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[dev,bench]'
	rm -f $(VENV)/.installed-* && touch $@

messages: $(STAMP)
	cd src/birge && $(TEST_ENV) ../../$(BIN)/birge compilemessages -v0 --ignore .venv

demo: setup
	$(DEMO_ENV) $(BIN)/birge migrate --no-input -v0
	$(DEMO_ENV) $(BIN)/birge collectstatic --no-input -v0
	$(DEMO_ENV) $(BIN)/birge demo
	@echo "Birge demo: http://127.0.0.1:$(PORT)/"
	$(DEMO_ENV) $(BIN)/birge runserver 127.0.0.1:$(PORT)

test: setup
	$(TEST_ENV) $(BIN)/pytest -q -m 'not e2e'

e2e: setup
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(TEST_ENV) $(BIN)/pytest -q -m e2e

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The production settings must pass Django's deployment checklist with no warning.
deploy-check: setup
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=birge.example.gov.az \
		BIRGE_AUDIT_CHECKPOINT_KEY=x BIRGE_ENCRYPTION_KEYS=k1:$$(head -c 32 /dev/urandom | base64) \
		BIRGE_BLIND_INDEX_KEY=$$(head -c 32 /dev/urandom | base64) $(BIN)/birge check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var

# Figures, not pass/fail: the audit chain's cost against a plain insert in the same run.
bench: setup
	$(TEST_ENV) $(BIN)/python bench/bench_audit.py
