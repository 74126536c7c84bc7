# Two commands for a fresh machine: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench demo docs build clean lock

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

run: setup
	$(BIN)/integrationsmonitor

test: setup
	$(BIN)/ruff check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# Every benchmark in bench/, each against a baseline measured in the same run; writes BENCHMARKS.md.
bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run_all.py

demo: setup
	$(BIN)/integrationsmonitor demo --db demo.sqlite

# The handbook's screenshots (docs/handbuch/bilder), made from the demo town; about 20 s.
docs: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/screenshots.py --out docs/handbuch/bilder

# The PyInstaller onedir bundle in dist/Integrationsmonitor/, then its --version and --selftest (installer/README.md).
build: setup
	$(BIN)/python installer/build.py

# Refreshes the pinned versions after a change of dependencies in pyproject.toml.
lock: setup
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^integrationsmonitor' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist
