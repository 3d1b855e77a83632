# Two commands do all the set-up on a fresh machine:
#   make demo   installs reviewwacht in .venv and runs the whole pipeline on the bundled demo
#   make test   installs the test tools too, checks the style with ruff and runs the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint format bench screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch is installed on its own and first: the pin takes the local CPU wheel,
# where a bare "torch" would pull gigabytes of CUDA packages.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/reviewwacht demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/collect.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/drafts.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/sentiment.py
	$(BIN)/python bench/flags.py

# A picture of the demo report for people to look at (docs/report.png), rendered by a headless
# Chromium (Debian: apt-get install chromium); no browser download.
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)
screenshot: demo
	@test -n "$(CHROMIUM)" || { echo "Chromium not found: apt-get install chromium"; exit 1; }
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --hide-scrollbars \
		--user-data-dir=$$(mktemp -d) --window-size=1000,2600 \
		--screenshot=docs/report.png file://$(CURDIR)/out/report.html
	@echo "docs/report.png"

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
