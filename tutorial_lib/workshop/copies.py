"""The copies the kit writes of each notebook: the student copy (stubs instead of solutions) and the
executed solutions without the traces of one run.

A student copy has no outputs or execution counts, and each cell tagged ``solution`` shows its
``metadata["stub"]`` instead (the task as comments and a placeholder that runs); check cells and the
``parameters`` cell stay as they are. Every copy loses the metadata that only records one execution
(:data:`RUN_METADATA`), and is written atomically.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tutorial_lib.paths import atomic_write_text

from .notebook_parts import SOLUTION_TAG, WorkshopError, first_line, tags, text_of

STUB_KEY = "stub"
#: Metadata that only records one execution (times, absolute paths): dropped from every copy the kit writes.
RUN_METADATA = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")


def _drop_run_metadata(metadata: Any) -> None:
    for key in RUN_METADATA:
        metadata.pop(key, None)


def student_copy(nb: Any, name: str) -> Any:
    """Return the student copy of ``nb``: no outputs or counts, every solution cell replaced by its stub.

    Raises :class:`WorkshopError` naming the notebook and the cell when a solution cell has no
    ``metadata["stub"]`` (or an empty one). Check cells and the ``parameters`` cell are kept as they are.
    """
    out = copy.deepcopy(nb)
    for i, cell in enumerate(out.cells):
        _drop_run_metadata(cell.metadata)
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
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
    return out


def clean_executed(nb: Any) -> Any:
    """Return ``nb`` without one execution's metadata (times, absolute paths); solution cells keep their stub."""
    for cell in nb.cells:
        _drop_run_metadata(cell.metadata)
    _drop_run_metadata(nb.metadata)
    return nb


def write_notebook(nb: Any, path: Path) -> Path:
    """Write ``nb`` to ``path`` atomically."""
    import nbformat

    return atomic_write_text(path, nbformat.writes(nb) + "\n")
