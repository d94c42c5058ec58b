"""The workshop kit in one command: ``python -m tutorial_lib workshop --output-dir DIR`` (``make workshop``).

Writes, from the committed notebooks:

- ``DIR/student/``: the eight notebooks with outputs and execution counts cleared, each cell tagged
  ``solution`` replaced by its ``metadata["stub"]`` (the task as comments and a placeholder that runs),
  check cells kept;
- ``DIR/solutions/``: the notebooks executed with their solutions, by the papermill machinery of
  :mod:`tutorial_lib.series` (a kernel this process owns, Ctrl-C stops it), each one timed;
- ``DIR/html/``: the executed solutions as static HTML (figures embedded, no script from the web) and an
  ``index.html`` linking them: the course readable offline in any browser;
- ``DIR/INSTRUCTOR.md``: agendas for 90 minutes, 3 hours and a full day built on the minutes this run
  measured, which exercises to do live, the learning goals, the pitfalls and the set-up message;
- ``DIR/timings.json``: the measured seconds per notebook (solutions and student copies).

Then each student copy is executed top to bottom with every stub unfilled; every check must print its
``❌`` hint (a stub that passes its check means the check tests nothing) and no cell may fail.
Every file is written atomically. Every failure is one ``error:`` line naming the notebook.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import math
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config, ConfigError, absolute_paths
from .paths import atomic_write_text, display_path, project_root

SOLUTION_TAG = "solution"
CHECK_TAG = "check"
STUB_KEY = "stub"
PASS, FAIL = "✅", "❌"
YOUR_TURN = re.compile(r"^#{2,4}\s*Your turn:\s*(?P<title>.+?)\s*$", re.M)
DEFAULT_OUTPUT = "build/workshop"
#: Metadata that only records one execution (times, absolute paths): dropped from every copy the kit writes.
RUN_METADATA = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")


class WorkshopError(RuntimeError):
    """The kit cannot be built; the message names the notebook (and cell) and what to do."""


# ------------------------------------------------------------------------------------------ reading notebooks
def tags(cell: Any) -> list[str]:
    """Return the cell's tags (an empty list when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _first_line(source: str) -> str:
    lines = [ln.strip() for ln in source.splitlines() if ln.strip()]
    return (lines[0][:60] + ("…" if len(lines[0]) > 60 else "")) if lines else "(empty)"


def title_of(nb: Any, fallback: str) -> str:
    """Return the notebook's title: the first ``# `` heading of its first markdown cell."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            return match.group(1).strip() if match else fallback
    return fallback


def learning_goals(nb: Any) -> list[str]:
    """Return the bullets under **You will learn** in the notebook's first markdown cell (continued lines joined)."""
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first is None or "You will learn" not in first.source:
        return []
    goals: list[str] = []
    for line in first.source.split("You will learn", 1)[1].splitlines()[1:]:
        if line.lstrip().startswith(("- ", "* ")):
            goals.append(line.strip()[2:].strip())
        elif line.strip() and goals and line.startswith(" "):
            goals[-1] += " " + line.strip()
        elif line.strip() and goals:
            break
    return goals


def pitfalls(nb: Any) -> list[str]:
    """Return the text of each ``> **Note**`` callout of the notebook's markdown cells, one line each."""
    notes: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        current: list[str] | None = None
        for line in cell.source.splitlines() + [""]:
            if line.startswith(">") and "**Note**" in line and current is None:
                current = [line.lstrip("> ").replace("**Note**", "", 1).strip()]
            elif current is not None and line.startswith(">"):
                current.append(line.lstrip(">").strip())
            elif current is not None:
                notes.append(" ".join(part for part in current if part))
                current = None
    return notes


@dataclass
class Exercise:
    """One "Your turn" exercise: its title and the indices of its solution and check cells."""

    notebook: str
    number: int  # 1, 2, ... within the notebook
    title: str
    solution_cell: int
    check_cell: int | None

    @property
    def label(self) -> str:
        return f"{self.notebook[:2]}.{self.number} {self.title}"


def exercises(nb: Any, name: str) -> list[Exercise]:
    """Return the notebook's exercises: each solution cell with the "Your turn" title before it and its check."""
    found: list[Exercise] = []
    title = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            match = YOUR_TURN.search(cell.source)
            if match:
                title = match.group("title").strip().rstrip(".")
        elif SOLUTION_TAG in tags(cell):
            check = next((j for j in range(i + 1, len(nb.cells)) if CHECK_TAG in tags(nb.cells[j])), None)
            found.append(Exercise(name, len(found) + 1, title or _first_line(cell.source), i, check))
            title = None
    return found


# ------------------------------------------------------------------------------------------ the copies
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
            if stub is None or not _text(stub).strip():
                raise WorkshopError(
                    f"{name}: the solution cell {i} ({_first_line(cell.source)!r}) has no metadata "
                    f"'{STUB_KEY}' to show students instead; add the task as comments and a placeholder that "
                    f"runs (see tutorial_lib/exercises/__init__.py)")
            cell.source = _text(stub)
    _drop_run_metadata(out.metadata)
    out.metadata.pop("widgets", None)
    return out


def clean_executed(nb: Any) -> Any:
    """Return ``nb`` without the metadata of one execution (times, absolute paths) and without stub metadata."""
    for cell in nb.cells:
        _drop_run_metadata(cell.metadata)
    _drop_run_metadata(nb.metadata)
    return nb


def write_notebook(nb: Any, path: Path) -> Path:
    """Write ``nb`` to ``path`` atomically."""
    import nbformat

    return atomic_write_text(path, nbformat.writes(nb) + "\n")


# ------------------------------------------------------------------------------------------ HTML
EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*", re.I)
PAGE_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #1f2328; }
h1 { margin-bottom: .2rem; } .sub { color: #59636e; margin-top: 0; }
ol.notebooks { padding-left: 0; list-style: none; }
ol.notebooks > li { border: 1px solid #d1d9e0; border-radius: 6px; padding: .8rem 1rem; margin: .8rem 0; }
ol.notebooks a { font-size: 1.15rem; font-weight: 600; text-decoration: none; color: #0550ae; }
ol.notebooks a:hover { text-decoration: underline; }
.meta { color: #59636e; font-size: .9rem; } ul.goals { margin: .4rem 0 0; }
""".strip()
NAV_CSS = ("<style>.kit-nav{font-family:system-ui,sans-serif;font-size:.95rem;padding:.5rem 1rem;"
           "background:#f6f8fa;border-bottom:1px solid #d1d9e0}.kit-nav a{margin-right:1.2rem}</style>")


@dataclass
class Page:
    """One notebook of the kit: its file name, title, goals, exercises, notes and measured seconds."""

    name: str
    title: str
    goals: list[str] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float | None = None
    student_seconds: float | None = None

    @property
    def html_name(self) -> str:
        return Path(self.name).with_suffix(".html").name


def notebook_html(nb: Any, title: str, nav: str = "") -> str:
    """Return ``nb`` as one static HTML page: images embedded, no script loaded from the web, ``nav`` on top."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", embed_images=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = EXTERNAL_SCRIPT.sub("", body)  # require.js and MathJax from a CDN: the course uses neither
    if nav:
        body = re.sub(r"<body([^>]*)>", lambda m: f"<body{m.group(1)}>\n{NAV_CSS}{nav}", body, count=1)
    return body


def navigation(pages: list[Page], index: int) -> str:
    """Return the link bar of page ``index``: the index, the previous and the next notebook."""
    links = ['<a href="index.html">&#8593; all notebooks</a>']
    if index > 0:
        links.append(f'<a href="{pages[index - 1].html_name}">&#8592; {html.escape(pages[index - 1].title)}</a>')
    if index + 1 < len(pages):
        links.append(f'<a href="{pages[index + 1].html_name}">{html.escape(pages[index + 1].title)} &#8594;</a>')
    return f'<nav class="kit-nav">{"".join(links)}</nav>'


def index_html(pages: list[Page], course: str = "Tweet sentiment with an LSTM in PyTorch") -> str:
    """Return the kit's ``index.html``: one entry per notebook with its link, goals and measured minutes."""
    items = []
    for page in pages:
        meta = [f"{len(page.exercises)} exercise{'s' if len(page.exercises) != 1 else ''}"]
        if page.seconds is not None:
            meta.append(f"runs in {page.seconds / 60:.1f} min (measured when this kit was built)")
        goals = "".join(f"<li>{_inline_md(g)}</li>" for g in page.goals)
        items.append(
            f'<li><a href="{html.escape(page.html_name)}">{html.escape(page.title)}</a>'
            f'<div class="meta">{html.escape(" · ".join(meta))}</div>'
            + (f'<ul class="goals">{goals}</ul>' if goals else "") + "</li>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(course)}: the executed notebooks</title>\n<style>\n{PAGE_CSS}\n</style>\n</head>\n"
        f"<body>\n<h1>{html.escape(course)}</h1>\n"
        f"<p class=\"sub\">The {len(pages)} notebooks of the course, executed with their solutions "
        f"(tutorial_lib {html.escape(__version__)}). Every page works offline.</p>\n"
        f"<ol class=\"notebooks\">\n" + "\n".join(items) + "\n</ol>\n</body>\n</html>\n")


def _inline_md(text: str) -> str:
    """Return a line of markdown as HTML: escaped, with `code`, **bold** and *italic*."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"(?<![*\w])\*([^*]+)\*(?![*\w])", r"<em>\1</em>", out)


# ------------------------------------------------------------------------------------------ running
def execute(nb_path: Path, target: Path, params: dict[str, Any], what: str) -> float:
    """Execute ``nb_path`` into ``target`` with :func:`tutorial_lib.series.execute_notebook`; return seconds.

    A failure raises :class:`WorkshopError` whose first line names the notebook (``what`` says which copy).
    """
    from .series import SeriesError, execute_notebook

    start = time.perf_counter()
    try:
        execute_notebook(nb_path, target, params)
    except SeriesError as exc:
        message = str(exc).replace(display_path(target), _shown(target))  # the full path when outside the project
        raise WorkshopError(f"{what}: {' '.join(message.split())}") from None
    return time.perf_counter() - start


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
        printed = "".join(_text(out.get("text", "")) for out in cell.get("outputs", []))
        if FAIL not in printed or PASS in printed:
            which = f"exercise {labels[i]}" if i in labels else f"cell {i}"
            raise WorkshopError(
                f"student copy {name}: the check of {which} printed {printed.strip()[:120]!r} with the stub "
                f"unfilled; a check must print its {FAIL} hint on the stub (the kit was written; fix the stub "
                f"or the checker)")
        count += 1
    return count


def _output_dir_param(folder: Path) -> str:
    """Return ``folder`` as the notebooks' ``output_dir``: relative to the project when inside it (no absolute path
    shows in the executed notebooks then)."""
    try:
        return folder.resolve().relative_to(project_root().resolve()).as_posix()
    except ValueError:
        return str(folder.resolve())


@dataclass
class KitReport:
    """What :func:`build_kit` did: the pages (with measured seconds), the folders, and the student run."""

    output_dir: Path
    pages: list[Page]
    params: dict[str, Any]
    solutions_seconds: float
    student_seconds: float | None = None
    checks_hinted: int = 0


def build_kit(output_dir: str | Path = DEFAULT_OUTPUT, params: dict[str, Any] | None = None, *,
              notebooks_folder: str | Path | None = None, student_run: bool = True,
              log: Callable[..., Any] = print) -> KitReport:
    """Build the kit into ``output_dir`` (see the module's docstring) and return a :class:`KitReport`.

    ``params`` (validated by :class:`~tutorial_lib.config.Config`) are passed to every notebook, as
    ``python -m tutorial_lib run -p`` does; the measured minutes then describe those parameters.
    """
    import nbformat

    from .series import list_notebooks, make_output_dir, notebooks_dir

    params = dict(params or {})
    if "output_dir" in params:
        raise WorkshopError("the kit chooses the notebooks' output_dir itself; give the kit's folder with --output-dir")
    Config.from_mapping(params, strict=True)  # raises ConfigError before anything runs
    folder = Path(notebooks_folder) if notebooks_folder else notebooks_dir()
    paths = list_notebooks(folder)
    if not paths:
        raise WorkshopError(f"no numbered notebooks (NN_name.ipynb) in {display_path(folder)}")
    out = Path(output_dir).expanduser()
    out = (out if out.is_absolute() else project_root() / out).resolve()
    from .series import SeriesError

    try:
        make_output_dir(out)
    except SeriesError as exc:
        raise WorkshopError(str(exc)) from None

    # 1. read and check every notebook, then write the student copies (nothing runs before this passes)
    notebooks = {p.name: nbformat.read(p, as_version=4) for p in paths}
    students = {name: student_copy(nb, name) for name, nb in notebooks.items()}
    pages = [Page(name, title_of(nb, Path(name).stem), learning_goals(nb), exercises(nb, name), pitfalls(nb))
             for name, nb in notebooks.items()]
    for name, nb in students.items():
        write_notebook(nb, out / "student" / name)
    log(f"student copies: {len(students)} notebooks in {_shown(out / 'student')}/", flush=True)

    # 2. execute the solutions, in order, into solutions/ (a failed notebook's copy stays in solutions/.partial/)
    solutions = out / "solutions"
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
    solutions_seconds = time.perf_counter() - total

    # 3. the static HTML of the executed solutions, and its index
    for i, page in enumerate(pages):
        executed = nbformat.read(solutions / page.name, as_version=4)
        atomic_write_text(out / "html" / page.html_name, notebook_html(executed, page.title, navigation(pages, i)))
    atomic_write_text(out / "html" / "index.html", index_html(pages))
    log(f"HTML: {len(pages)} pages and index.html in {_shown(out / 'html')}/", flush=True)

    report = KitReport(out, pages, params, solutions_seconds)
    # 4. the student copies, executed top to bottom with every stub unfilled
    if student_run:
        report.student_seconds, report.checks_hinted = run_student_copies(out / "student", pages, params, log)

    # 5. the instructor's notes and the measured times
    atomic_write_text(out / "INSTRUCTOR.md", instructor_notes(report))
    atomic_write_text(out / "timings.json", json.dumps(timings(report), indent=2) + "\n")
    return report


def run_student_copies(student_dir: Path, pages: list[Page], params: dict[str, Any],
                       log: Callable[..., Any] = print) -> tuple[float, int]:
    """Execute every student copy in order in a temporary folder; return (seconds, checks that printed a hint)."""
    import nbformat

    hinted = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="workshop-student-run-") as tmp:
        run_dir = Path(tmp)
        run_params = {**params, "output_dir": str(run_dir)}
        for page in pages:
            log(f"[{page.name}] student copy, stubs unfilled ...", flush=True)
            target = run_dir / page.name
            page.student_seconds = execute(student_dir / page.name, target, run_params,
                                           f"student copy {page.name} (stubs unfilled)")
            hinted += check_student_run(nbformat.read(target, as_version=4), page.name)
    return time.perf_counter() - start, hinted


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


def _shown(path: Path) -> str:
    shown = display_path(path)
    return str(path) if shown.startswith("...") else shown


# ------------------------------------------------------------------------------------------ INSTRUCTOR.md
#: The core exercise of each notebook (the issue's list), found by a word of its title; else the first one.
CORE_WORDS = {"02": ("normaliz",), "03": ("split",), "04": ("vocab", "encode"), "05": ("cosine", "neighbour"),
              "06": ("forward", "pack"), "07": ("epoch", "train"), "08": ("macro", "confusion")}


@dataclass(frozen=True)
class Agenda:
    """A session plan: its length, the minutes of teaching per notebook we allot, and which exercises are live."""

    name: str
    minutes: int
    teach: dict[str, int]  # notebook number -> minutes of explanation (allotted)
    live_core: tuple[str, ...]  # notebooks whose core exercise is done live
    minutes_per_exercise: int
    fixed: dict[str, int]  # opening, breaks, wrap-up (allotted)
    fill: bool = False  # add the other exercises, in order, while the session has time left
    min_buffer: int = 5


AGENDAS = (
    Agenda("90 minutes", 90, {"01": 3, "02": 5, "03": 4, "04": 5, "05": 4, "06": 7, "07": 5, "08": 5},
           ("02", "06", "08"), 7, {"opening and set-up check": 5, "wrap-up and questions": 5}),
    Agenda("3 hours", 180, {"01": 6, "02": 9, "03": 7, "04": 9, "05": 8, "06": 12, "07": 10, "08": 9},
           ("02", "03", "04", "05", "06", "07", "08"), 8,
           {"opening and set-up check": 10, "break": 15, "wrap-up and questions": 5}),
    Agenda("full day (6 hours of sessions, lunch not counted)", 360,
           {"01": 15, "02": 20, "03": 15, "04": 20, "05": 20, "06": 25, "07": 25, "08": 20},
           ("02", "03", "04", "05", "06", "07", "08"), 8,
           {"opening and set-up check": 15, "morning break": 15, "afternoon break": 15, "wrap-up and questions": 10},
           fill=True, min_buffer=10),
)


def core_exercise(page: Page) -> Exercise | None:
    """Return the notebook's core exercise (see :data:`CORE_WORDS`), or its first one."""
    for word in CORE_WORDS.get(page.name[:2], ()):  # the first word decides between two matches
        for ex in page.exercises:
            if word in ex.title.lower():
                return ex
    return page.exercises[0] if page.exercises else None


def plan(agenda: Agenda, pages: list[Page]) -> dict[str, Any]:
    """Return the agenda's rows (measured run minutes + allotted minutes), its live exercises and its buffer."""
    live: list[Exercise] = []
    for page in pages:
        ex = core_exercise(page) if page.name[:2] in agenda.live_core else None
        if ex is not None:
            live.append(ex)

    def used(chosen: list[Exercise]) -> int:
        run = sum(math.ceil((p.seconds or 0) / 60) for p in pages)
        teach = sum(agenda.teach.get(p.name[:2], 10) for p in pages)
        return run + teach + len(chosen) * agenda.minutes_per_exercise + sum(agenda.fixed.values())

    if agenda.fill:
        for ex in (e for p in pages for e in p.exercises):
            if ex not in live and used(live + [ex]) <= agenda.minutes - agenda.min_buffer:
                live.append(ex)
    rows = []
    for page in pages:
        page_live = [e for e in live if e.notebook == page.name]
        run = math.ceil((page.seconds or 0) / 60)
        teach = agenda.teach.get(page.name[:2], 10)
        work = len(page_live) * agenda.minutes_per_exercise
        rows.append({"page": page, "run": run, "teach": teach, "exercises": work, "total": run + teach + work,
                     "live": page_live, "skip": [e for e in page.exercises if e not in page_live]})
    return {"rows": rows, "live": live, "buffer": agenda.minutes - used(live)}


def instructor_notes(report: KitReport) -> str:
    """Return ``INSTRUCTOR.md``: measured times, three agendas, exercises, goals, pitfalls and the set-up message."""
    pages = report.pages
    lines = ["# Instructor notes", "",
             f"Generated by `python -m tutorial_lib workshop` (tutorial_lib {__version__}) together with "
             "`student/`, `solutions/` and `html/` in this folder. Rebuild it on the machine you will teach "
             "from: the minutes below were measured by that build on its machine.", ""]
    lines += ["## What is in the kit", "",
              "- `student/`: the notebooks to hand out. No outputs; each exercise's solution is replaced by a stub "
              "(the task as comments and a placeholder that runs). Every check cell is kept, so learners see a "
              f"{FAIL} hint until their answer works, then a {PASS} line.",
              "- `solutions/`: the same notebooks executed with the worked answers (for you, or to hand out "
              "after the session).",
              "- `html/index.html`: the executed solutions as static web pages, figures included; opens offline in "
              "any browser (projector, or learners who cannot install anything).",
              "- `timings.json`: the measured seconds per notebook.", ""]

    lines += ["## Measured: how long each notebook takes to run", ""]
    if report.params:
        shown = ", ".join(f"{k}={v!r}" for k, v in report.params.items())
        lines += [f"**These times were measured with non-default parameters ({shown}); they are not the "
                  "course's times. Rebuild without `-p` before planning a session.**", ""]
    student_col = report.student_seconds is not None
    lines.append("| notebook | run all cells, solutions (measured) |"
                 + (" student copy, stubs unfilled (measured) |" if student_col else "") + " exercises |")
    lines.append("| --- | --- |" + (" --- |" if student_col else "") + " --- |")
    for page in pages:
        cells = [f"{page.title}", _min_s(page.seconds)]
        if student_col:
            cells.append(_min_s(page.student_seconds))
        cells.append(str(len(page.exercises)))
        lines.append("| " + " | ".join(cells) + " |")
    total = f"{report.solutions_seconds / 60:.1f} min"
    lines += ["", f"Total, solutions: {total}"
              + (f"; student copies: {report.student_seconds / 60:.1f} min, and each of their "
                 f"{report.checks_hinted} checks printed its {FAIL} hint with the stub unfilled"
                 if student_col else "") + ".", "",
              "Execution time is the kernel's time to run every cell of a notebook on the build machine (times "
              "include starting the kernel). Laptops are often slower than the build machine: notebooks 07 and 08 "
              "train a model, so ask learners to press *Run All* on them while you explain, not after.", ""]

    lines += ["## Agendas", "",
              "Each row's minutes are the notebook's measured run time (rounded up to whole minutes) plus the "
              "teaching and exercise minutes we allot: **run** is measured, **teach** and **exercises** are "
              "allotted (an exercise's minutes include reading the task, writing, and discussing the check). "
              "The buffer is what is left of the session; a negative buffer means this machine is too slow for "
              "that plan: run the series the day before (`make run`) and show its outputs.", ""]
    for agenda in AGENDAS:
        p = plan(agenda, pages)
        lines += [f"### {agenda.name}", "",
                  "| part | run (measured) | teach (allotted) | exercises (allotted) | minutes | live exercises |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for name, minutes in agenda.fixed.items():
            lines.append(f"| {name} | - | {minutes} | - | {minutes} | |")
        for row in p["rows"]:
            live = "; ".join(e.label for e in row["live"]) or "none"
            lines.append(f"| {row['page'].title} | {row['run']} | {row['teach']} | {row['exercises']} | "
                         f"{row['total']} | {live} |")
        lines.append(f"| buffer (questions, a slow laptop) | | | | {p['buffer']} | |")
        skipped = [e.label for row in p["rows"] for e in row["skip"]]
        lines += ["", f"Total {agenda.minutes} minutes; {len(p['live'])} exercises live, "
                  f"{agenda.minutes_per_exercise} minutes each. "
                  + (f"Skip in the session (give as homework; the solutions are in `solutions/`): "
                     f"{'; '.join(skipped)}." if skipped else "Every exercise is done live."), ""]

    lines += ["## The exercises", "",
              "Each exercise is a *solution* cell (a stub in `student/`) and a *check* cell printing one line. "
              "The core exercise of each notebook, done live in the 3-hour and full-day plans, is marked "
              "**core**.", ""]
    for page in pages:
        core = core_exercise(page)
        lines.append(f"- **{page.title}**: " + ("; ".join(
            f"{e.label}{' (**core**)' if e is core else ''}" for e in page.exercises) or "no exercise"))
    lines.append("")

    lines += ["## Learning goals", "", "From each notebook's *You will learn* cell.", ""]
    for page in pages:
        lines.append(f"**{page.title}**")
        lines += [f"- {g}" for g in page.goals] or ["- (no *You will learn* cell)"]
        lines.append("")

    lines += ["## Pitfalls learners hit", "",
              "The notebooks' **Note** callouts: say them out loud before the learners trip on them.", ""]
    for page in pages:
        for note in page.notes:
            lines.append(f"- ({page.name[:2]}) {note}")
    lines += ["- (all) A check prints " + FAIL + " until the answer works: read the hint, it names the input that "
              "failed. A student copy runs top to bottom even with every stub unfilled, so *Run All* never "
              "blocks on an unfinished exercise.", ""]

    lines += ["## The message to send participants a week before", "", "```text", SETUP_MESSAGE.strip(), "```", "",
              "## For you, the day before", "",
              "- On a machine with internet and the same operating system, machine type and Python as the "
              "laptops: `make wheelhouse` writes the offline bundle (wheels, verified data, the course) to "
              "`build/wheelhouse`; put it on USB sticks for the room (README: Workshops).",
              "- Rebuild this kit (`make workshop`) on the machine you will project from, and open "
              "`html/index.html` once offline.",
              "- Collect the doctor outputs; fix every FAIL before the day.", ""]
    return "\n".join(lines)


def _min_s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f} min ({seconds:.0f} s)"


SETUP_MESSAGE = """
Subject: Workshop "Tweet sentiment with an LSTM": please set up before the day

Hello,

Please prepare your laptop before the workshop. You need Python 3.11 or newer and about 2 GB of free disk
space (the set-up downloads about half a gigabyte of packages).

1. Get the course folder (the link or zip file we sent) and open a terminal in it.
2. Set up, in one command:
     Linux / macOS:          make setup        (or: python3 tools/setup_env.py)
     Windows (PowerShell):   py -3.11 tools\\setup_env.py
3. Download and verify the data set (1.3 MB):
     Linux / macOS:          .venv/bin/python -m tutorial_lib data
     Windows (PowerShell):   .venv\\Scripts\\python -m tutorial_lib data
4. Check the set-up:
     Linux / macOS:          .venv/bin/python -m tutorial_lib doctor
     Windows (PowerShell):   .venv\\Scripts\\python -m tutorial_lib doctor
5. Reply to this message with the doctor's whole output pasted in (every line), even if it all says OK.
   A line saying FAIL or WARN includes its fix; if the fix does not work, we will sort it out before the day.

No internet at the venue? We bring USB sticks with an offline copy of everything.

See you there!
"""


# ------------------------------------------------------------------------------------------ command line
def cli_main(argv: list[str]) -> int:
    """``python -m tutorial_lib workshop [--output-dir DIR] [-p NAME VALUE]... [--skip-student-run]``."""
    from .series import EXIT_INTERRUPTED, parse_value

    parser = argparse.ArgumentParser(
        prog="python -m tutorial_lib workshop",
        description="Build the workshop kit: student copies, executed solutions, static HTML and INSTRUCTOR.md.",
    )
    parser.add_argument("--output-dir", default=None, metavar="DIR",
                        help=f"the kit's folder (default: {DEFAULT_OUTPUT} in the project; a relative path is "
                             "taken from the current folder)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter for every notebook, typed like papermill's -p (the measured minutes "
                             "then describe these parameters)")
    parser.add_argument("--skip-student-run", action="store_true",
                        help="do not execute the student copies afterwards")
    parser.add_argument("--notebooks-dir", default=None, metavar="DIR",
                        help="folder of the numbered notebooks (default: notebooks/ of this project)")
    args = parser.parse_args(argv)
    params = {name: parse_value(value) for name, value in args.parameter}
    params = absolute_paths(params)  # relative data paths are taken from the current folder
    output = Path(args.output_dir).expanduser().resolve() if args.output_dir else project_root() / DEFAULT_OUTPUT
    folder = Path(args.notebooks_dir).expanduser().resolve() if args.notebooks_dir else None
    if folder is not None and not folder.is_dir():
        print(f"error: --notebooks-dir {folder} is not a folder", file=sys.stderr)
        return 2
    try:
        report = build_kit(output, params, notebooks_folder=folder, student_run=not args.skip_student_run)
    except KeyboardInterrupt:
        print("error: interrupted (Ctrl-C); the notebook's kernel was stopped and the kit is incomplete; "
              "run the command again", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (WorkshopError, ConfigError) as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    shown = _shown(report.output_dir)
    print(f"Workshop kit in {shown}/: student/, solutions/, html/index.html, INSTRUCTOR.md, timings.json")
    print("  solutions: " + ", ".join(f"{p.name[:2]} {p.seconds:.0f} s" for p in report.pages)
          + f"; total {report.solutions_seconds:.0f} s")
    if report.student_seconds is not None:
        print(f"  student copies: all {len(report.pages)} ran top to bottom with every stub unfilled in "
              f"{report.student_seconds:.0f} s; each of the {report.checks_hinted} checks printed its {FAIL} hint")
    else:
        print("  student copies: not executed (--skip-student-run)")
    return 0
