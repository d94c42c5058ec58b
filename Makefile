# Two commands do everything (see README): `make run` runs the course, `make test` tests it.
# Both create .venv if missing and install the pinned dependencies (constraints.txt) first.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
RUN_ARGS ?=

.PHONY: setup run test lint unit notebooks lab bench timing lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python >= 3.11 is needed; run e.g. make PYTHON=python3.11 ...")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev,lab,glove]"
	@# the notebooks' kernel (name python3) runs this venv's Python, for papermill, nbval and JupyterLab alike
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (tweet-sentiment-tutorial)" >/dev/null
	@touch $(STAMP)

## run: execute the whole notebook series into build/run (extra arguments: make run RUN_ARGS="-p seed 1")
run: setup
	$(PY) -m tutorial_lib data
	$(PY) -m tutorial_lib run $(RUN_ARGS)

## test: lint, unit tests, notebook execution (papermill smoke test) and nbval checks
test: setup
	$(PY) -m ruff check .
	$(PY) -m tutorial_lib data
	$(PY) -m pytest tests notebooks --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

lint: setup
	$(PY) -m ruff check .

unit: setup
	$(PY) -m pytest tests -m "not notebooks"

notebooks: setup
	$(PY) -m pytest notebooks --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

## lab: open JupyterLab on the notebooks with the venv's kernel
lab: setup
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

## bench: the benchmark of the README (seeds 0-4; several minutes)
bench: setup
	$(PY) benchmarks/benchmark.py

## timing: time the whole series at default parameters (the README's numbers)
timing: setup
	$(PY) benchmarks/time_series.py --repeats 2

## lock: re-pin constraints.txt from a fresh venv (run after changing dependencies)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet torch==2.13.0 -e ".[dev,lab,glove]"
	{ echo "# The exact versions CI and 'make' install (pip constraints; the one place they are pinned)."; \
	  echo "# Regenerate: make lock  (pip freeze of a fresh .venv; torch stays at the CPU wheel 2.13.0)."; \
	  .lock-venv/bin/pip freeze --exclude-editable | sed 's/^torch==2.13.0+cpu$$/torch==2.13.0/'; } > constraints.txt.tmp
	mv constraints.txt.tmp constraints.txt && rm -rf .lock-venv

clean:
	rm -rf build .pytest_cache .ruff_cache
