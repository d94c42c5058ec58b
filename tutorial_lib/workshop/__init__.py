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

One module per concern, each importing only the ones listed before it:

* :mod:`.notebook_parts`: what the kit reads in a notebook (title, goals, pitfalls, exercises) and
  :class:`WorkshopError`;
* :mod:`.report`: :class:`Page` (one notebook of the kit, with its measured seconds) and :class:`KitReport`;
* :mod:`.copies`: the student copy and the cleaned executed copy, written atomically;
* :mod:`.html_pages`: the static HTML pages, their link bar and ``index.html``;
* :mod:`.agenda`: the three session plans and the live exercises of each;
* :mod:`.instructor`: ``INSTRUCTOR.md``, one function per section, and the set-up message;
* :mod:`.execution`: running one notebook, and checking what an executed student copy printed;
* :mod:`.kit`: :func:`build_kit` in its five steps, and ``timings.json``;
* :mod:`.cli`: ``python -m tutorial_lib workshop``.

Every public name is importable from here (``workshop.build_kit``). Importing the package imports
neither nbformat, nbconvert nor the notebook runner: each is imported by the function that needs it.
"""

from .agenda import AGENDAS, CORE_WORDS, Agenda, core_exercise, plan
from .cli import cli_main
from .copies import RUN_METADATA, STUB_KEY, clean_executed, student_copy, write_notebook
from .execution import check_student_run, execute
from .html_pages import EXTERNAL_SCRIPT, NAV_CSS, PAGE_CSS, index_html, navigation, notebook_html
from .instructor import SETUP_MESSAGE, instructor_notes
from .kit import DEFAULT_OUTPUT, build_kit, run_student_copies, timings
from .notebook_parts import (
    CHECK_TAG,
    FAIL,
    PASS,
    SOLUTION_TAG,
    YOUR_TURN,
    Exercise,
    WorkshopError,
    exercises,
    first_line,
    learning_goals,
    pitfalls,
    tags,
    text_of,
    title_of,
)
from .report import KitReport, Page

__all__ = [
    "AGENDAS", "CHECK_TAG", "CORE_WORDS", "DEFAULT_OUTPUT", "EXTERNAL_SCRIPT", "FAIL", "NAV_CSS", "PAGE_CSS", "PASS",
    "RUN_METADATA", "SETUP_MESSAGE", "SOLUTION_TAG", "STUB_KEY", "YOUR_TURN", "Agenda", "Exercise", "KitReport",
    "Page", "WorkshopError", "build_kit", "check_student_run", "clean_executed", "cli_main", "core_exercise",
    "execute", "exercises", "first_line", "index_html", "instructor_notes", "learning_goals", "navigation",
    "notebook_html", "pitfalls", "plan", "run_student_copies", "student_copy", "tags", "text_of",
    "timings", "title_of", "write_notebook",
]
