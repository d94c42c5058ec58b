"""Running one notebook of the kit, and checking what an executed student copy printed.

Notebooks run through :func:`tutorial_tools.kernels.execute_notebook` (papermill with a kernel this
process owns, so Ctrl-C stops it), with Jupyter's inline figures whatever ``MPLBACKEND`` says (CI
sets ``Agg``, which a kernel inherits and which draws no figure into the notebook); a failure
becomes one :class:`WorkshopError` naming the copy. A student copy runs with every stub unfilled,
so each of its check cells must print its ``❌`` hint: a check that passes on the stub tests nothing.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .notebook_parts import CHECK_TAG, FAIL, PASS, WorkshopError, exercises, tags, text_of


def execute(nb_path: Path, target: Path, params: dict[str, Any], what: str) -> float:
    """Execute ``nb_path`` into ``target`` with :func:`tutorial_tools.kernels.execute_notebook`; return seconds.

    A failure raises :class:`WorkshopError` whose first line names the notebook (``what`` says which copy).
    """
    from tutorial_tools.kernels import SeriesError, execute_notebook

    start = time.perf_counter()
    try:
        with inline_figures():
            execute_notebook(nb_path, target, params)
    except SeriesError as exc:
        raise WorkshopError(f"{what}: {' '.join(str(exc).split())}") from None
    return time.perf_counter() - start


INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


@contextlib.contextmanager
def inline_figures() -> Iterator[None]:
    """Let the kernels started inside draw their figures into the notebook: ``MPLBACKEND`` is Jupyter's inline
    backend meanwhile (a kernel inherits this process's environment), and as it was afterwards."""
    before = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = before


def check_student_run(nb: Any, name: str) -> int:
    """Return how many check cells of an executed student copy printed their hint.

    Raises :class:`WorkshopError` when a check printed no ``❌`` hint (or a ``✅``): the stub passes, so
    that check tests nothing.
    """
    count = 0
    labels = {ex.check_cell: ex.label for ex in exercises(nb, name)}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or CHECK_TAG not in tags(cell):
            continue
        printed = "".join(text_of(out.get("text", "")) for out in cell.get("outputs", []))
        if FAIL not in printed or PASS in printed:
            which = f"exercise {labels[i]}" if i in labels else f"cell {i}"
            raise WorkshopError(
                f"student copy {name}: the check of {which} printed {printed.strip()[:120]!r} with the stub "
                f"unfilled; a check must print its {FAIL} hint on the stub (the kit was written; fix the stub "
                f"or the checker)")
        count += 1
    return count
