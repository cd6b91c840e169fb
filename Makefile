# Every target creates .venv and installs biblio with its test extras first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml setup.py biblio/parse/_crf.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/biblio --db build/biblio.db build examples/corpus --bib references.bib
	$(BIN)/biblio --db build/biblio.db works
	$(BIN)/biblio check examples/corpus || true
	$(BIN)/biblio --db build/biblio.db report -o build/report

test: $(STAMP)
	$(BIN)/ruff check biblio tests benchmarks cli.py setup.py
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py

lint: $(STAMP)
	$(BIN)/ruff check biblio tests benchmarks cli.py setup.py

clean:
	rm -rf build .pytest_cache .ruff_cache
