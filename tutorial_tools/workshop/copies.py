"""The copies the kit writes of each notebook: the student copy (stubs instead of solutions) and the
executed solutions without the traces of one run.

A student copy has no outputs or execution counts, and each cell tagged ``solution`` shows its
``metadata["stub"]`` instead (the task as comments and a placeholder that runs); check cells and the
``parameters`` cell stay, except that its ``output_dir`` is :data:`STUDENT_OUTPUT`, so a learner's
runs never write into the project's ``build/run`` (the text's paths to files there follow). Every
copy loses what only the course's tests need (the nbval marker comments and the note explaining
them) and the metadata that only records one execution (:data:`RUN_METADATA`); a progress bar
(a widget) keeps, as its text, the state it ended in. Every copy is written atomically.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from typing import Any

from tutorial_lib.paths import atomic_write_text

from .notebook_parts import SOLUTION_TAG, WorkshopError, first_line, tags, text_of

STUB_KEY = "stub"
#: Metadata that only records one execution (times, absolute paths): dropped from every copy the kit writes.
RUN_METADATA = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")
#: Where a student copy's runs write (its parameters cell; relative to the course folder, like every path there).
STUDENT_OUTPUT = "student/output"
COURSE_OUTPUT = "build/run"
#: The comment lines that tell nbval how to compare a cell (``# NBVAL_CHECK_OUTPUT``, ...): for the tests only.
TEST_MARKER = re.compile(r"^#\s*NBVAL_\w+[ \t]*(?:\n|$)", re.M)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _drop_run_metadata(metadata: Any) -> None:
    for key in RUN_METADATA:
        metadata.pop(key, None)


def without_test_markers(nb: Any) -> Any:
    """Drop the nbval marker comments from ``nb``'s code cells and the markdown cells that explain them."""
    nb.cells = [c for c in nb.cells if not (c.cell_type == "markdown" and "NBVAL_" in c.source)]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = TEST_MARKER.sub("", cell.source)
    return nb


def _student_output(parameters: str) -> str:
    """Return a ``parameters`` cell whose ``output_dir`` is :data:`STUDENT_OUTPUT`, set even where the stage lists none.

    A notebook lists only the parameters its stage reads, but a stage it re-runs (loading a model, say) may
    write under ``output_dir``: every student copy names the learner's own folder, never ``build/run``.
    """
    line = f"output_dir = {STUDENT_OUTPUT!r}  # your runs' results"
    if re.search(r"^output_dir = ", parameters, flags=re.M):
        return re.sub(r"^output_dir = .*$", line, parameters, flags=re.M)
    return parameters.rstrip("\n") + "\n" + line


def student_copy(nb: Any, name: str) -> Any:
    """Return the student copy of ``nb``: no outputs or counts, every solution cell replaced by its stub.

    Raises :class:`WorkshopError` naming the notebook and the cell when a solution cell has no
    ``metadata["stub"]`` (or an empty one). Check cells are kept; the ``parameters`` cell's
    ``output_dir`` is :data:`STUDENT_OUTPUT` (added where the cell lists none), and so does ``build/run/`` in the text.
    """
    out = copy.deepcopy(nb)
    for i, cell in enumerate(out.cells):
        _drop_run_metadata(cell.metadata)
        cell.source = cell.source.replace(f"{COURSE_OUTPUT}/", f"{STUDENT_OUTPUT}/")
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if "parameters" in tags(cell):
            cell.source = _student_output(cell.source)
        if SOLUTION_TAG in tags(cell):
            stub = cell.metadata.pop(STUB_KEY, None)
            if stub is None or not text_of(stub).strip():
                raise WorkshopError(
                    f"{name}: the solution cell {i} ({first_line(cell.source)!r}) has no metadata "
                    f"'{STUB_KEY}' to show students instead; add the task as comments and a placeholder that "
                    f"runs (see tutorial_lib/exercises/__init__.py)")
            cell.source = text_of(stub)
    _drop_run_metadata(out.metadata)
    out.metadata.pop("widgets", None)
    return without_test_markers(out)


def clean_executed(nb: Any) -> Any:
    """Return ``nb`` without one execution's metadata and the test markers; a widget's text is its last state.

    A bar whose saved text already shows its last counter (the course's training bar writes its own final
    text, ``training._close_bar``) keeps that text; a bar saved with the text of its first state gets the
    last one, rebuilt from the widget state (:func:`widget_text`). Solution cells keep their stub (in their
    metadata).
    """
    without_test_markers(nb)
    for cell in nb.cells:
        _drop_run_metadata(cell.metadata)
    _drop_run_metadata(nb.metadata)
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for output in (o for c in nb.cells for o in c.get("outputs", [])):
        view = output.get("data", {}).get(WIDGET_VIEW)
        text = widget_text(state, view["model_id"]) if view else None
        last_counter = text.rsplit("|", 1)[-1].strip() if text is not None else ""
        if text is not None and last_counter not in "".join(output.data.get("text/plain", "")):
            output.data["text/plain"] = text
    return nb


def widget_text(state: dict[str, Any], model_id: str) -> str | None:
    """Return a progress bar widget's last state as tqdm's text (``label |████    | 10/20 [...]``), else None.

    ``state`` is the notebook's saved widget state (``metadata.widgets``); tqdm's bar is a box holding an
    HTML label, a progress bar and an HTML counter.
    """
    box = state.get(model_id, {})
    children = [state.get(ref.removeprefix("IPY_MODEL_"), {}) for ref in box.get("state", {}).get("children", [])]
    kinds = [child.get("model_name") for child in children]
    if box.get("model_name") != "HBoxModel" or kinds != ["HTMLModel", "FloatProgressModel", "HTMLModel"]:
        return None
    label, bar, counter = (child.get("state", {}) for child in children)
    filled = round(10 * bar.get("value", 0) / bar["max"]) if bar.get("max") else 0
    return "".join((html.unescape(label.get("value", "")), "|", "█" * filled, " " * (10 - filled), "|",
                    html.unescape(counter.get("value", "")))).replace("\u2007", " ")


def write_notebook(nb: Any, path: Path) -> Path:
    """Write ``nb`` to ``path`` atomically."""
    import nbformat

    return atomic_write_text(path, nbformat.writes(nb) + "\n")
