"""The workshop kit in one command: ``python -m tutorial_lib workshop --output-dir DIR`` (``make workshop``).

Writes, from the committed notebooks:

- ``DIR/student/``: the student edition: the numbered notebooks with outputs and execution counts cleared,
  each cell tagged ``solution`` replaced by its ``metadata["stub"]`` (the task as comments and a
  placeholder that runs), check cells kept, no test markers, and runs writing to ``student/output``
  of the course folder (``python -m tutorial_lib student`` writes the same notebooks into a learner's
  course folder, and the offline bundle's course zip carries them);
- ``DIR/solutions/``: the notebooks executed with their solutions, by the papermill machinery of
  :mod:`tutorial_tools.series` (a kernel this process owns, Ctrl-C stops it), each one timed;
- ``DIR/html/``: the executed solutions as static HTML (figures embedded with alt text, nothing
  loaded from the web) and an ``index.html`` linking them: the course readable offline in any browser;
- ``DIR/INSTRUCTOR.md``: agendas for 90 minutes, 3 hours and a full day built on the minutes this run
  measured (what the short one shows, which exercises are live, which are homework), the typical wrong
  answers the checks know, the answer key of the end-of-notebook exercises, the learning goals and
  the set-up message;
- ``DIR/timings.json``: the measured seconds per notebook (solutions and student copies).

Then each student copy is executed top to bottom with every stub unfilled; every check must print its
``❌`` hint (a stub that passes its check means the check tests nothing) and no cell may fail.
Every file is written atomically. Every failure is one ``error:`` line naming the notebook.

One module per concern, each importing only the ones listed before it:

* :mod:`.notebook_parts`: what the kit reads in a notebook (title, goals, outline, exercises, the
  end-of-notebook exercises) and :class:`WorkshopError`;
* :mod:`.report`: :class:`Page` (one notebook of the kit, with its measured seconds) and :class:`KitReport`;
* :mod:`.answers`: the end-of-notebook exercises and their answer key; :mod:`.wrong_answers`: the
  mistakes each check recognises; :mod:`.alt_text`: every figure's alt text (data, no I/O);
* :mod:`.copies`: the student copy and the cleaned executed copy, written atomically;
* :mod:`.edition`: the student edition in a learner's course folder;
* :mod:`.html_pages`: the static HTML pages, their link bar and ``index.html``;
* :mod:`.agenda`: the three session plans, the live exercises of each and the parts the short one shows;
* :mod:`.instructor`: ``INSTRUCTOR.md``, one function per section, and the set-up message;
* :mod:`.execution`: running one notebook, and checking what an executed student copy printed;
* :mod:`.kit`: :func:`build_kit` in its five steps, and ``timings.json``.

The commands ``python -m tutorial_lib workshop`` and ``python -m tutorial_lib student`` are in
:mod:`tutorial_tools.commands`, with every other command.

Every public name is importable from here (``workshop.build_kit``). Importing the package imports
neither nbformat, nbconvert nor the notebook runner: each is imported by the function that needs it.
"""

from .agenda import AGENDAS, CORE_WORDS, SHORT_PLAN_SHOW, Agenda, core_exercise, plan, shown_parts
from .alt_text import ALT_TEXT, figure_cells, with_alt_text
from .answers import ANSWERS, Answer, EndExercise, end_exercises_of
from .copies import (
    RUN_METADATA,
    STUB_KEY,
    STUDENT_OUTPUT,
    clean_executed,
    student_copy,
    widget_text,
    without_test_markers,
    write_notebook,
)
from .edition import STUDENT_DIR, edition_message, write_student_edition
from .execution import check_student_run, execute
from .html_pages import NAV_CSS, OFFLINE_TEMPLATE, PAGE_CSS, REMOTE, index_html, navigation, notebook_html
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
    end_exercises,
    exercises,
    first_line,
    learning_goals,
    outline,
    tags,
    text_of,
    title_of,
)
from .report import KitReport, Page
from .wrong_answers import WRONG_ANSWERS

__all__ = [
    "AGENDAS", "ALT_TEXT", "ANSWERS", "CHECK_TAG", "CORE_WORDS", "DEFAULT_OUTPUT", "FAIL", "NAV_CSS",
    "OFFLINE_TEMPLATE", "PAGE_CSS", "PASS", "REMOTE", "RUN_METADATA", "SETUP_MESSAGE", "SHORT_PLAN_SHOW",
    "SOLUTION_TAG", "STUB_KEY", "STUDENT_DIR", "STUDENT_OUTPUT", "WRONG_ANSWERS", "YOUR_TURN", "Agenda", "Answer",
    "EndExercise", "Exercise", "KitReport", "Page", "WorkshopError", "build_kit", "check_student_run",
    "clean_executed", "core_exercise", "edition_message", "end_exercises", "end_exercises_of", "execute", "exercises",
    "figure_cells", "first_line", "index_html", "instructor_notes", "learning_goals", "navigation",
    "notebook_html", "outline", "plan", "run_student_copies", "shown_parts", "student_copy",
    "tags", "text_of", "timings", "title_of", "widget_text", "with_alt_text", "without_test_markers",
    "write_notebook", "write_student_edition",
]
