# Two commands on a fresh machine: `make site` builds the site, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test lint check serve screenshots system-deps clean

# Bytecode for the generator's own modules too (pip compiles only the packages it installs, and
# PYTHONDONTWRITEBYTECODE may keep Python from caching it): every build starts 0.1 s sooner.
site: $(STAMP)
	$(PY) -m compileall -q generator
	$(PY) -m generator build

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

system-deps:
	bash scripts/system-deps.sh

test: $(STAMP) system-deps
	$(VENV)/bin/ruff check $(wildcard generator tests bench)
	$(PY) -m pytest -q

check: $(STAMP)
	$(PY) -m generator check

serve: $(STAMP)
	$(PY) -m generator serve

# ar/en × light/dark × phone (360 px)/desktop PNGs under screenshots/ (not committed).
# CONTENT=tests/fixtures/theme/content shoots another content tree.
screenshots: $(STAMP) system-deps
	$(PY) scripts/screenshots.py $(if $(CONTENT),--content $(CONTENT))

clean:
	rm -rf output .cache
