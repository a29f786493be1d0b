# vanban — the two commands a new machine needs: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
DB      ?= vanban.db
PORT    ?= 8001
APT_PKGS := poppler-utils tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui fonts-liberation chromium

.PHONY: run test setup dev sysdeps ingest serve eval lint bench clean

$(BIN)/vanban: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

setup: $(BIN)/vanban

$(VENV)/.dev: $(BIN)/vanban
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

dev: $(VENV)/.dev

# Debian packages for OCR, legacy .doc conversion, stamped numbers and browser tests.
# Installed only when missing and when we may (root); everything else degrades with a
# clear message, never silently.
sysdeps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "missing Debian packages (run as root or install):$$missing"; fi; \
	fi

ingest: setup
	$(BIN)/vanban ingest corpus/ --db $(DB)

serve: setup
	$(BIN)/vanban serve --db $(DB) --port $(PORT)

run: sysdeps setup ingest serve

test: sysdeps dev
	$(BIN)/ruff check extract nlp schema vanban tests
	$(BIN)/python -m pytest -q

eval: setup
	$(BIN)/vanban eval ../shared/eval/gold

lint: dev
	$(BIN)/ruff check extract nlp schema vanban tests

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) *.egg-info $(DB) $(DB)-wal $(DB)-shm
