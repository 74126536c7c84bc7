# Two commands for a fresh machine: `make run` and `make test`. Both create .venv on first use and first check the
# Debian packages Qt, the tests and the build need (tools/system-packages.sh: installs them as root, otherwise prints
# the apt-get command; IMON_SKIP_SYSTEM_PACKAGES=1 skips the check).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench demo docs build clean lock system-run system-test system-build

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# The system packages of each group. Whatever starts Qt needs those of `make run`: the tests, the benchmarks, the
# handbook's screenshots and the built bundle's --selftest.
system-run:
	@sh tools/system-packages.sh run

system-test:
	@sh tools/system-packages.sh run test

system-build:
	@sh tools/system-packages.sh run build

run: system-run setup
	$(BIN)/integrationsmonitor

test: system-test setup
	$(BIN)/ruff check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# Every benchmark in bench/, each against a baseline measured in the same run; writes BENCHMARKS.md.
bench: system-run setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run_all.py

demo: setup
	$(BIN)/integrationsmonitor demo --db demo.sqlite

# The handbook's screenshots (docs/handbuch/bilder), made from the demo town; about 20 s.
docs: system-run setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/screenshots.py --out docs/handbuch/bilder

# The PyInstaller onedir bundle in dist/Integrationsmonitor/, then its --version and --selftest (installer/README.md).
build: system-build setup
	$(BIN)/python installer/build.py

# Refreshes the pinned versions after a change of dependencies in pyproject.toml.
lock: setup
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^integrationsmonitor' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist
