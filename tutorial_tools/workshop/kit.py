"""Building the kit: :func:`build_kit` and its five steps, in order, with a log line after each.

1. read every notebook, check the parts the short plan shows, and write the student copies (nothing runs
   before every stub and every part is found);
2. execute the solutions, timed, into ``solutions/`` (a failed notebook's copy stays in ``solutions/.partial/``);
3. write the static HTML of the executed solutions and its index;
4. execute the student copies with every stub unfilled (unless told not to), in a temporary folder or one
   that keeps them;
5. write ``INSTRUCTOR.md`` and ``timings.json``.

The parameters, the notebooks folder and the kit's folder are checked before step 1.
:data:`DEFAULT_OUTPUT` is the kit's folder when none is given.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tutorial_lib import __version__
from tutorial_lib.config import Config
from tutorial_lib.paths import atomic_write_text, message_path, project_root

from .agenda import AGENDAS, plan
from .copies import clean_executed, student_copy, without_test_markers, write_notebook
from .execution import check_student_run, execute
from .html_pages import index_html, navigation, notebook_html
from .instructor import instructor_notes
from .notebook_parts import WorkshopError
from .report import KitReport, Page

DEFAULT_OUTPUT = "build/workshop"


def build_kit(output_dir: str | Path = DEFAULT_OUTPUT, params: dict[str, Any] | None = None, *,
              notebooks_folder: str | Path | None = None, student_run: bool = True,
              student_run_dir: Path | None = None, log: Callable[..., Any] = print) -> KitReport:
    """Build the kit into ``output_dir`` (see the module's docstring) and return a :class:`KitReport`.

    ``params`` (validated by :class:`~tutorial_lib.config.Config`) are passed to every notebook, as
    ``python -m tutorial_lib run -p`` does; the measured minutes then describe those parameters.
    ``student_run_dir`` keeps the executed student copies (default: a temporary folder, removed).
    """
    params = _checked_params(params)
    paths = _notebook_paths(notebooks_folder)
    out = _kit_folder(output_dir)
    notebooks = _read_notebooks(paths)
    _write_student_copies(notebooks, out, log)
    # cell numbers as learners see them: the copies lose the note on test markers
    pages = [Page.from_notebook(without_test_markers(copy.deepcopy(nb)), name) for name, nb in notebooks.items()]
    for agenda in AGENDAS:
        plan(agenda, pages)  # a part the short plan shows that a notebook lacks raises before anything runs
    solutions_seconds = _execute_solutions(pages, paths, out / "solutions", params, log)
    _write_html(pages, out, log)
    report = KitReport(out, pages, params, solutions_seconds)
    if student_run:
        report.student_seconds, report.checks_hinted = run_student_copies(out / "student", pages, params, log,
                                                                          student_run_dir)
    _write_notes(report)
    return report


# ------------------------------------------------------------------------------------------ checks first
def _checked_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """Return a copy of ``params`` once :class:`Config` accepts them (raises before anything runs)."""
    params = dict(params or {})
    if "output_dir" in params:
        raise WorkshopError("the kit chooses the notebooks' output_dir itself; give the kit's folder with --output-dir")
    Config.from_mapping(params, strict=True)  # raises ConfigError before anything runs
    return params


def _notebook_paths(notebooks_folder: str | Path | None) -> list[Path]:
    """Return the numbered notebooks of ``notebooks_folder`` (default: the project's); none is an error."""
    from tutorial_tools.series import list_notebooks, notebooks_dir

    folder = Path(notebooks_folder) if notebooks_folder else notebooks_dir()
    paths = list_notebooks(folder)
    if not paths:
        raise WorkshopError(f"no numbered notebooks (NN_name.ipynb) in {message_path(folder)}")
    return paths


def _kit_folder(output_dir: str | Path) -> Path:
    """Return the kit's folder as an absolute path (a relative one is taken from the project), created."""
    from tutorial_tools.series import make_output_dir

    out = Path(output_dir).expanduser()
    out = (out if out.is_absolute() else project_root() / out).resolve()
    make_output_dir(out)  # SeriesInputError naming the folder and why, as for a run
    return out


# ------------------------------------------------------------------------------------------ the steps
def _read_notebooks(paths: list[Path]) -> dict[str, Any]:
    import nbformat

    return {p.name: nbformat.read(p, as_version=4) for p in paths}


def _write_student_copies(notebooks: dict[str, Any], out: Path, log: Callable[..., Any]) -> None:
    """Step 1: make every student copy (a missing stub raises before any is written), then write them."""
    students = {name: student_copy(nb, name) for name, nb in notebooks.items()}
    for name, nb in students.items():
        write_notebook(nb, out / "student" / name)
    log(f"student copies: {len(students)} notebooks in {message_path(out / 'student')}/", flush=True)


def _execute_solutions(pages: list[Page], paths: list[Path], solutions: Path, params: dict[str, Any],
                       log: Callable[..., Any]) -> float:
    """Step 2: execute the solutions in order into ``solutions``, timing each page; return the total seconds.

    Each notebook runs into ``solutions/.partial/`` first, so a failed notebook's copy stays there.
    """
    import nbformat

    partial = solutions / ".partial"
    partial.mkdir(parents=True, exist_ok=True)
    run_params = {**params, "output_dir": _output_dir_param(solutions)}
    total = time.perf_counter()
    for page, path in zip(pages, paths, strict=True):
        log(f"[{page.name}] executing the solutions ...", flush=True)
        page.seconds = execute(path, partial / page.name, run_params, f"solutions of {page.name}")
        executed = clean_executed(nbformat.read(partial / page.name, as_version=4))
        write_notebook(executed, solutions / page.name)
        (partial / page.name).unlink()
        log(f"[{page.name}] done in {page.seconds:.1f} s", flush=True)
    shutil.rmtree(partial, ignore_errors=True)
    return time.perf_counter() - total


def _output_dir_param(folder: Path) -> str:
    """Return ``folder`` as the notebooks' ``output_dir``: relative to the project when inside it (no absolute path
    shows in the executed notebooks then)."""
    try:
        return folder.resolve().relative_to(project_root().resolve()).as_posix()
    except ValueError:
        return str(folder.resolve())


def _write_html(pages: list[Page], out: Path, log: Callable[..., Any]) -> None:
    """Step 3: the static HTML of the executed solutions, with a link bar on each page, and its index."""
    import nbformat

    for i, page in enumerate(pages):
        executed = nbformat.read(out / "solutions" / page.name, as_version=4)
        atomic_write_text(out / "html" / page.html_name,
                          notebook_html(executed, page.title, navigation(pages, i), page.name))
    atomic_write_text(out / "html" / "index.html", index_html(pages))
    log(f"HTML: {len(pages)} pages and index.html in {message_path(out / 'html')}/", flush=True)


def run_student_copies(student_dir: Path, pages: list[Page], params: dict[str, Any],
                       log: Callable[..., Any] = print, keep_in: Path | None = None) -> tuple[float, int]:
    """Step 4: execute every student copy in order in a temporary folder (or ``keep_in``, kept); return
    (seconds, checks that printed a hint)."""
    import nbformat

    hinted = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="workshop-student-run-") as tmp:
        run_dir = keep_in or Path(tmp)
        run_dir.mkdir(parents=True, exist_ok=True)
        run_params = {**params, "output_dir": str(run_dir)}
        for page in pages:
            log(f"[{page.name}] student copy, stubs unfilled ...", flush=True)
            target = run_dir / page.name
            page.student_seconds = execute(student_dir / page.name, target, run_params,
                                           f"student copy {page.name} (stubs unfilled)")
            hinted += check_student_run(nbformat.read(target, as_version=4), page.name)
    return time.perf_counter() - start, hinted


def _write_notes(report: KitReport) -> None:
    """Step 5: the instructor's notes and the measured times."""
    atomic_write_text(report.output_dir / "INSTRUCTOR.md", instructor_notes(report))
    atomic_write_text(report.output_dir / "timings.json", json.dumps(timings(report), indent=2) + "\n")


def timings(report: KitReport) -> dict[str, Any]:
    """Return the measured seconds of the kit (written to ``timings.json``)."""
    return {
        "library_version": __version__,
        "params": report.params,
        "solutions_s": {p.name: round(p.seconds or 0.0, 1) for p in report.pages},
        "solutions_total_s": round(report.solutions_seconds, 1),
        "student_s": {p.name: round(p.student_seconds, 1) for p in report.pages if p.student_seconds is not None},
        "student_total_s": None if report.student_seconds is None else round(report.student_seconds, 1),
        "checks_hinted_with_stubs": report.checks_hinted,
    }
