# One command each for the demo, the tests, the linters and the benchmarks.
# Every target creates .venv on first use, so a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo screenshots test lint bench gold clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --config-settings editable_mode=compat -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/policykg build
	$(BIN)/policykg site -o build

# the first paint (1400×900, headless Chromium) of each kind of page of the demo site
screenshots: demo
	$(BIN)/python -m bench.screenshots build docs/img

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

gold: $(STAMP)
	$(BIN)/python -m pytest -q -s -p no:cacheprovider tests/loaders/test_gold_documents.py \
		tests/loaders/test_gold_tasks.py tests/loaders/test_gold_targets.py \
		tests/loaders/test_gold_citations.py tests/loaders/test_gold_second_samples.py \
		tests/loaders/test_gold_pdf_tasks.py \
		tests/loaders/test_gold_official.py -rxX

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf build .policykg .pytest_cache .mypy_cache .ruff_cache
