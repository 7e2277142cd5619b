# The two commands of the README: `make demo` (install, ingest examples/,
# answer a question) and `make test` (install, run the test suite).
PYTHON ?= python3
VENV ?= .venv
STORE ?= .kg-store
BIN = $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/kg ingest examples/ --store $(STORE)
	$(BIN)/kg query --store $(STORE) --saved who-leads-what --format table

test: $(BIN)/.installed
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check kg tests bench scripts
	$(BIN)/ruff format --check kg tests bench scripts

# Timings on ../shared/corpus/bbc (about 8 minutes on 2 cores): bench/results.json and
# the table in bench/README.md.
bench: $(BIN)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(STORE) .pytest_cache
