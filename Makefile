# Two commands do everything (see README): `make run` runs the course, `make test` tests it.
# Both create .venv if missing and install the pinned dependencies (constraints.txt) first, through
# tools/setup_env.py: the one set-up implementation, which Windows runs directly (README: set-up).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RUN_ARGS ?=
# Set-up options (README: the torch build, offline classroom bundle):
#   TORCH_INDEX=URL  an extra package index for torch, e.g. https://download.pytorch.org/whl/cpu
#   WHEELHOUSE=DIR   make setup installs offline from this bundle; make wheelhouse writes the bundle there
#   RECREATE=1       delete .venv first (to switch the torch build)
TORCH_INDEX ?=
WHEELHOUSE ?=
RECREATE ?=
SETUP := $(PYTHON) tools/setup_env.py --venv $(VENV)

.PHONY: setup run test lint unit notebooks lab bench timing lock clean doctor wheelhouse offline-check workshop

## setup: create .venv if missing, install the pinned packages, register the kernel (skipped when up to date)
setup:
	@$(SETUP) $(if $(TORCH_INDEX),--torch-index $(TORCH_INDEX)) $(if $(WHEELHOUSE),--wheelhouse $(WHEELHOUSE)) $(if $(RECREATE),--recreate)

## doctor: the workshop preflight check (one [OK]/[WARN]/[FAIL] line per check)
doctor: setup
	$(PY) -m tutorial_lib doctor

## wheelhouse: the offline classroom bundle for this platform and Python, in build/wheelhouse (or WHEELHOUSE=DIR)
wheelhouse:
	@$(SETUP)
	$(PY) tools/build_wheelhouse.py $(or $(WHEELHOUSE),build/wheelhouse) $(if $(TORCH_INDEX),--torch-index $(TORCH_INDEX))

## offline-check: build a bundle (or use WHEELHOUSE=DIR), set up a copy of the project from it with the network cut
offline-check:
	@$(SETUP)
	$(PY) tools/check_offline_install.py $(if $(WHEELHOUSE),--bundle $(WHEELHOUSE))

## run: execute the whole notebook series into build/run (extra arguments: make run RUN_ARGS="-p seed 1")
run: setup
	$(PY) -m tutorial_lib data
	$(PY) -m tutorial_lib run $(RUN_ARGS)

## workshop: build the teaching kit (student copies, executed solutions, HTML, INSTRUCTOR.md) in build/workshop
##           (or WORKSHOP_DIR=DIR); README: Teaching with this course
WORKSHOP_DIR ?= build/workshop
workshop: setup
	$(PY) -m tutorial_lib data
	$(PY) -m tutorial_lib workshop --output-dir $(WORKSHOP_DIR)

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

## lab: open JupyterLab with the venv's kernel on notebooks/ (the textbook: worked solutions and outputs), or with
##      EDITION=student on student/, the learners' edition (written first from notebooks/ where a notebook is
##      missing; one already there is kept: it may hold a learner's work). README: Teaching with this course
EDITION ?= textbook
lab: setup
	@case "$(EDITION)" in textbook|student) ;; *) echo "error: EDITION=$(EDITION) is not an edition: use EDITION=student (the learners' notebooks, in student/) or leave it out (notebooks/, with the solutions)" >&2; exit 2;; esac
	$(if $(filter student,$(EDITION)),$(PY) -m tutorial_lib student)
	$(VENV)/bin/jupyter lab --notebook-dir=$(if $(filter student,$(EDITION)),student,notebooks)

## bench: the benchmark of the README (seeds 0-4; about 12 minutes)
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
