"""The workshop kit: student copies and the student edition, executed solutions, offline HTML, INSTRUCTOR.md.

Unit tests run on small notebooks built here, and check the kit's tables (alt text, wrong answers, the
answer key, the short plan) against the committed notebooks; the end-to-end tests (marked ``notebooks``)
build the kit once from the committed notebooks with the command a teacher types, into a temporary folder.
"""

from __future__ import annotations

import ast
import html
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import figure_cells_without_image

from tutorial_lib.paths import resolve_path
from tutorial_tools.workshop.agenda import AGENDAS, Agenda, plan, shown_parts
from tutorial_tools.workshop.alt_text import ALT_TEXT, figure_cells
from tutorial_tools.workshop.answers import ANSWERS, end_exercises_of
from tutorial_tools.workshop.copies import STUDENT_OUTPUT, clean_executed, student_copy, widget_text
from tutorial_tools.workshop.edition import write_student_edition
from tutorial_tools.workshop.execution import check_student_run
from tutorial_tools.workshop.html_pages import REMOTE, index_html, navigation, notebook_html
from tutorial_tools.workshop.instructor import SETUP_MESSAGE, _agenda_table, instructor_notes
from tutorial_tools.workshop.kit import build_kit
from tutorial_tools.workshop.notebook_parts import (
    WorkshopError,
    end_exercises,
    exercises,
    learning_goals,
    outline,
)
from tutorial_tools.workshop.report import KitReport, Page
from tutorial_tools.workshop.wrong_answers import WRONG_ANSWERS

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = "def add(a, b):\n    return a + b  # SECRET-SOLUTION"
STUB = "def add(a, b):\n    # Return the sum of a and b.\n    return None  # replace with your code"
CHECK_BODY = ("_ = ex.check_add(add)\nresult = add(1, 2)\n"
              "print('✅ add: add(1, 2) is 3' if result == 3 else f'❌ add: add(1, 2) returned {result!r}, expected 3')")
CHECK = "# NBVAL_CHECK_OUTPUT\n" + CHECK_BODY
CHECK_PRELUDE = "class ex:\n    check_add = staticmethod(lambda f: None)  # the course's checkers live in tutorial_lib.exercises"
FIGURE = ("import matplotlib.pyplot as plt\n"
          "fig, ax = plt.subplots(figsize=(2, 2))\nax.plot([0, 1], [1, 0])\nplt.show()")


def tiny_notebook(number: int, *, stub: str | None = STUB, figure: bool = False) -> nbformat.NotebookNode:
    """Return a small course-like notebook: title with goals, parameters, a note, one exercise, later cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("seed = 0\noutput_dir = 'build/run'\ndevice = 'cpu'")
    params.metadata["tags"] = ["parameters"]
    solution = nbformat.v4.new_code_cell(SOLUTION)
    solution.metadata["tags"] = ["solution"]
    if stub is not None:
        solution.metadata["stub"] = stub
    check = nbformat.v4.new_code_cell(CHECK)
    check.metadata["tags"] = ["check"]
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {number:02d} · Tiny {number}\n\nIntro.\n\n**You will learn**\n"
                                      "- how to add two numbers;\n- how a long goal\n  continues on the next line."),
        params,
        nbformat.v4.new_markdown_cell("> **Note** A cell marked `# NBVAL_CHECK_OUTPUT` is compared by the tests."),
        nbformat.v4.new_code_cell(CHECK_PRELUDE),
        nbformat.v4.new_markdown_cell("### Your turn: add two numbers"),
        solution,
        check,
        nbformat.v4.new_markdown_cell("## Later\n\nThe model is saved in `build/run/model.pt`."),
        nbformat.v4.new_code_cell("print('later cells use the package, never add():', 1 + 2)"),
        nbformat.v4.new_markdown_cell("## Summary\n\n## Exercises\n\n1. Add three numbers. Then four.\n"
                                      "2. Run\n   `compare -p x 1`.\n\nA closing remark."),
    ]
    if figure:
        nb.cells.append(nbformat.v4.new_code_cell(FIGURE))
    return nb


def with_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for count, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), 1):
        cell.execution_count = count
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="an output\n")]
        cell.metadata["execution"] = {"iopub.status.busy": "2024-01-01T00:00:00"}
    return nb


# ------------------------------------------------------------------------------------------ student copies
def test_student_copy_replaces_solutions_and_clears_outputs():
    nb = with_outputs(tiny_notebook(1))
    student = student_copy(nb, "01_tiny.ipynb")
    text = nbformat.writes(student)
    assert "SECRET-SOLUTION" not in text, "no solution source left anywhere in the file"
    solution = next(c for c in student.cells if "solution" in c.metadata.get("tags", []))
    assert solution.source == STUB and "stub" not in solution.metadata
    assert all(c.outputs == [] and c.execution_count is None for c in student.cells if c.cell_type == "code")
    assert all("execution" not in c.metadata for c in student.cells)
    assert any(c.source == CHECK_BODY for c in student.cells), "check cells are kept, without the test marker"
    assert "NBVAL" not in text, "no test marker, and no note explaining them"
    params = next(c for c in student.cells if "parameters" in c.metadata.get("tags", []))
    assert f"output_dir = {STUDENT_OUTPUT!r}" in params.source and "device = 'cpu'" in params.source
    assert f"`{STUDENT_OUTPUT}/model.pt`" in text and "build/run" not in text
    assert resolve_path(STUDENT_OUTPUT) != resolve_path("build/run"), "a learner's runs never write to build/run"
    assert "SECRET-SOLUTION" in nbformat.writes(nb) and "NBVAL" in nbformat.writes(nb), "the committed notebook is not changed"


def test_a_student_copy_names_the_learners_folder_even_where_the_stage_lists_no_output_dir():
    nb = tiny_notebook(1)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = "\n".join(ln for ln in params.source.splitlines() if not ln.startswith("output_dir"))
    student = next(c for c in student_copy(nb, "02_tiny.ipynb").cells if "parameters" in c.metadata.get("tags", []))
    assert student.source.count("output_dir = ") == 1 and f"output_dir = {STUDENT_OUTPUT!r}" in student.source


@pytest.mark.parametrize("stub", [None, "", "   \n"])
def test_solution_cell_without_a_stub_is_an_error_naming_it(stub):
    with pytest.raises(WorkshopError, match=r"02_tiny\.ipynb: the solution cell 5 \('def add\(a, b\):'\)"):
        student_copy(tiny_notebook(2, stub=stub), "02_tiny.ipynb")


def test_stub_written_as_a_list_of_lines_is_joined():
    nb = tiny_notebook(1, stub=["def add(a, b):\n", "    return None\n"])
    solution = next(c for c in student_copy(nb, "x").cells if "solution" in c.metadata.get("tags", []))
    assert solution.source == "def add(a, b):\n    return None\n"


def test_goals_outline_and_exercises_are_read_from_the_notebook():
    nb = tiny_notebook(1)
    assert learning_goals(nb) == ["how to add two numbers;", "how a long goal continues on the next line."]
    (ex,) = exercises(nb, "01_tiny.ipynb")
    assert (ex.title, ex.solution_cell, ex.check_cell, ex.label, ex.checker) == (
        "add two numbers", 5, 6, "01.1 add two numbers", "check_add")
    assert end_exercises(nb) == ["Add three numbers. Then four.", "Run `compare -p x 1`."]
    assert [(i, heading) for i, heading, _ in outline(nb)] == [(0, True), (2, False), (4, True), (7, True), (9, True)]
    page = Page.from_notebook(nb, "01_tiny.ipynb")
    assert shown_parts(page, ("Later", "01 · Tiny")) == [(1, 4, "01 · Tiny 1"), (8, 9, "Later")]
    with pytest.raises(WorkshopError, match="01_tiny.ipynb: the short plan shows the part 'Nowhere'"):
        shown_parts(page, ("Nowhere",))
    (first, second) = end_exercises_of(page)
    assert (first.label, first.title, first.answer, first.minutes) == ("01.E1", "Add three numbers", None, 5)


def test_student_edition_is_written_once_and_a_learners_work_is_kept(tmp_path):
    folder = _folder(tmp_path, {"01_tiny.ipynb": tiny_notebook(1), "02_tiny.ipynb": tiny_notebook(2)})
    paths = sorted(folder.glob("*.ipynb"))
    edition = tmp_path / "student"
    assert write_student_edition(edition, paths) == (["01_tiny.ipynb", "02_tiny.ipynb"], [])
    mine = edition / "01_tiny.ipynb"
    mine.write_text(mine.read_text().replace("return None  # replace with your code", "return a + b  # MY-WORK"))
    (edition / "02_tiny.ipynb").unlink()
    assert write_student_edition(edition, paths) == (["02_tiny.ipynb"], ["01_tiny.ipynb"])
    assert "MY-WORK" in mine.read_text(), "a learner's notebook is never overwritten"
    assert "SECRET-SOLUTION" not in (edition / "02_tiny.ipynb").read_text()
    broken = _folder(tmp_path / "b", {"03_tiny.ipynb": tiny_notebook(3), "04_tiny.ipynb": tiny_notebook(4, stub=None)})
    with pytest.raises(WorkshopError, match="04_tiny.ipynb"):
        write_student_edition(tmp_path / "none", sorted(broken.glob("*.ipynb")))
    assert not (tmp_path / "none").exists(), "a notebook without stubs writes none"


def test_student_command_writes_the_edition_and_says_how_to_open_it(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tutorial_lib", "student", "--output-dir", str(tmp_path / "ed")],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    names = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(p.name for p in (tmp_path / "ed").iterdir()) == names
    assert "make lab EDITION=student" in result.stdout and f"{STUDENT_OUTPUT}/" in result.stdout
    again = subprocess.run([sys.executable, "-m", "tutorial_lib", "student", "--output-dir", str(tmp_path / "ed")],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert again.returncode == 0 and f"nothing new; kept {len(names)} notebooks already there" in again.stdout
    (tmp_path / "file").write_text("x")
    result = subprocess.run([sys.executable, "-m", "tutorial_lib", "student", "--output-dir", str(tmp_path / "file")],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert _error_line(result, 2) == f"error: {tmp_path / 'file'} is a file; choose a folder with --output-dir"


def test_make_lab_opens_the_edition_asked_for():
    def make(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["make", "--no-print-directory", "lab", "SETUP=true", *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=60)

    student = make("-n", "EDITION=student").stdout
    assert "-m tutorial_lib student" in student and "jupyter lab --notebook-dir=student" in student
    textbook = make("-n").stdout
    assert "tutorial_lib student" not in textbook and "jupyter lab --notebook-dir=notebooks" in textbook
    ignored = subprocess.run(["git", "check-ignore", "-q", "student/01_loading.ipynb"], cwd=ROOT, check=False)
    assert ignored.returncode == 0, "a learner's student/ is never committed"
    wrong = make("EDITION=teacher")
    assert wrong.returncode == 2 and wrong.stderr.startswith("error: EDITION=teacher is not an edition: use EDITION=student")


def test_student_run_check_needs_every_check_to_print_its_hint():
    nb = tiny_notebook(1)
    check = nb.cells[6]
    check.outputs = [nbformat.v4.new_output("stream", name="stdout", text="❌ add: add(1, 2) returned None\n")]
    assert check_student_run(nb, "01_tiny.ipynb") == 1
    check.outputs = [nbformat.v4.new_output("stream", name="stdout", text="✅ add: add(1, 2) is 3\n")]
    with pytest.raises(WorkshopError, match="01_tiny.ipynb: the check of exercise 01.1 add two numbers printed"):
        check_student_run(nb, "01_tiny.ipynb")


# ------------------------------------------------------------------------------------------ HTML
def _pages(n: int = 3, seconds: float = 65.0) -> list[Page]:
    nb = tiny_notebook(1)
    return [Page(f"0{i}_tiny.ipynb", f"0{i} · Tiny {i}", learning_goals(nb), exercises(nb, f"0{i}_tiny.ipynb"),
                 end_exercises(nb), outline(nb), len(nb.cells), seconds, seconds) for i in range(1, n + 1)]


PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def loads_from_the_web(page: str) -> list[str]:
    """Return every address a browser would fetch from the web by itself: script, image, frame and stylesheet
    sources, module imports, CSS url()s (links a reader may click are not fetched)."""
    tags = re.findall(r"<(?:script|img|iframe|embed|source|audio|video|link)\b[^>]*>", page, re.I)
    found = [t for t in tags if re.search(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", t, re.I)]
    return found + re.findall(r"""(?:import\s*\(|url\(|@import)\s*["']?(?:https?:)?//[^"')\s]*""", page, re.I)


def test_index_links_every_notebook_with_its_goals_and_minutes():
    pages = _pages(3)
    page = index_html(pages)
    assert re.findall(r'<a href="([^"]+)"', page) == ["01_tiny.html", "02_tiny.html", "03_tiny.html"]
    assert "0" + "3 · Tiny 3" in page and "how to add two numbers;" in page and "1.1 min" in page
    assert "http" not in page, "the index needs nothing from the web"


def tqdm_widget(nb: nbformat.NotebookNode) -> None:
    """Give ``nb``'s print cell the output and saved state of a tqdm bar that stopped at 10 of 20 epochs."""
    state = {"box": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_a", "IPY_MODEL_b", "IPY_MODEL_c"]}},
             "a": {"model_name": "HTMLModel", "state": {"value": "training:\u2007\u200750%"}},
             "b": {"model_name": "FloatProgressModel", "state": {"value": 10.0, "max": 20.0, "bar_style": "danger"}},
             "c": {"model_name": "HTMLModel", "state": {"value": "\u200710/20\u2007[00:17&lt;00:16,\u2007loss=0.492]"}}}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state, "version_major": 2,
                                                                             "version_minor": 0}}
    nb.cells[8].outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "box", "version_major": 2, "version_minor": 0},
        "text/plain": "training:   0%|          | 0/20 [00:00<?, ?epoch/s]"})]


def test_a_progress_bar_keeps_the_text_of_the_state_it_ended_in():
    nb = tiny_notebook(1)
    tqdm_widget(nb)
    final = "training:  50%|█████     | 10/20 [00:17<00:16, loss=0.492]"
    assert widget_text(nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"], "box") == final
    assert widget_text({}, "box") is None
    (output,) = [o for c in clean_executed(nb).cells for o in c.get("outputs", [])]
    assert output.data["text/plain"] == final
    page = notebook_html(nb, "01 · Tiny 1")
    assert html.escape(final, quote=False) in page and "widget-view+json" not in page and "widget-state" not in page


def test_a_progress_bar_that_saved_its_own_final_text_keeps_it():
    """Notebook 07's bar writes its final text itself (training._close_bar); the kit must not reorder it."""
    nb = tiny_notebook(1)
    tqdm_widget(nb)
    state = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    state["a"]["state"]["value"] = ""
    state["c"]["state"]["value"] = "training: 10/20 epochs, stopped early [00:17, loss=0.492]"
    own = "training: 10/20 epochs, stopped early [00:17, loss=0.492]"
    nb.cells[8].outputs[0].data["text/plain"] = own
    (output,) = [o for c in clean_executed(nb).cells for o in c.get("outputs", [])]
    assert output.data["text/plain"] == own


def test_notebook_page_embeds_figures_with_alt_text_and_loads_nothing_from_the_web(monkeypatch):
    nb = tiny_notebook(1)
    tqdm_widget(nb)
    nb.cells[7].source += "\n\nSee [the data's home](https://github.com/x/y) and $x^2$."
    nb.cells[3].outputs = [nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})]
    monkeypatch.setitem(ALT_TEXT, ("01_tiny.ipynb", nb.cells[3].id), "A tiny chart: one <dot>.")
    page = notebook_html(nb, "01 · Tiny 1", navigation(_pages(2), 0), "01_tiny.ipynb")
    assert re.search(rf'<img alt="A tiny chart: one &lt;dot&gt;\."[^>]* src="data:image/png;base64,{re.escape(PNG)}"', page)
    assert loads_from_the_web(page) == [] and not REMOTE.search(page)
    assert '<a href="https://github.com/x/y">' in page, "a link to click is not a load"
    assert not re.search(r"require\.js|mathjax|mermaid|unpkg|jsdelivr|cdnjs", page, re.I)
    assert '<a href="index.html">' in page and '<a href="02_tiny.html">' in page
    assert "<title>01 · Tiny 1</title>" in page and "NBVAL" not in page
    assert loads_from_the_web('<script src="https://cdn.x/a.js"></script><link href="//f.x/c.css">') == [
        '<script src="https://cdn.x/a.js">', '<link href="//f.x/c.css">']
    assert REMOTE.search('<link rel="stylesheet" href="https://f.x/c.css">')


# ------------------------------------------------------------------------------------------ the kit's tables
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: Seconds per notebook: the README's kit build for 01-08; 09 run alone at the defaults on the project's 2-core CPU.
MEASURED = dict(zip((p.name for p in NOTEBOOKS), [5, 4, 4, 6, 15, 9, 32, 44, 25], strict=True))


@pytest.fixture(scope="module")
def committed_pages() -> list[Page]:
    """The committed notebooks as the kit reads them (the test-marker note left out), timed as the README says."""
    from tutorial_tools.workshop.copies import without_test_markers

    pages = [Page.from_notebook(without_test_markers(nbformat.read(p, as_version=4)), p.name) for p in NOTEBOOKS]
    for page in pages:
        page.seconds = MEASURED[page.name]
    return pages


def test_every_figure_of_the_course_has_alt_text():
    drawn = {(p.name, c.id) for p in NOTEBOOKS for c in nbformat.read(p, as_version=4).cells
             if any("image/png" in o.get("data", {}) for o in c.get("outputs", []))}
    cells = {(p.name, c.id) for p in NOTEBOOKS for c in nbformat.read(p, as_version=4).cells}
    assert drawn <= set(ALT_TEXT), f"figures without alt text in tutorial_tools/workshop/alt_text.py: {drawn - set(ALT_TEXT)}"
    assert set(ALT_TEXT) <= cells, f"alt text for cells the notebooks no longer have: {set(ALT_TEXT) - cells}"
    assert all(len(text) > 80 and "No description" not in text for text in ALT_TEXT.values())
    assert figure_cells("03_balancing.ipynb") == {k[1]: v for k, v in ALT_TEXT.items() if k[0] == "03_balancing.ipynb"}


def _hints_of(module_name: str) -> str:
    """Return every string the checker module could print, f-string holes as {}, one per line."""
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            texts.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.append(node.value)
    return "\n".join(texts)


def test_every_check_has_typical_wrong_answers_quoting_its_own_hints(committed_pages):
    checks = {e.checker for page in committed_pages for e in page.exercises}
    assert None not in checks and checks == set(WRONG_ANSWERS), "one entry per check the notebooks call"
    for check, answers in WRONG_ANSWERS.items():
        module = next(m for m in ("loading", "preprocessing", "balancing", "tokenization", "embeddings", "model",
                                  "training", "evaluation", "lexicons")
                      if hasattr(importlib.import_module(f"tutorial_lib.exercises.{m}"), check))
        hints = _hints_of(f"tutorial_lib.exercises.{module}")
        assert len(answers) >= 2, check
        for mistake, hint in answers:
            assert hint in hints, f"{check}: the hint for {mistake!r} is not in tutorial_lib/exercises/{module}.py"


def test_every_end_of_notebook_exercise_has_an_answer_for_its_wording(committed_pages):
    found = {(e.notebook, e.number): e for page in committed_pages for e in end_exercises_of(page)}
    assert set(found) == set(ANSWERS), "the key and the notebooks' exercises are the same list"
    for key, exercise in found.items():
        assert exercise.answer is not None, f"{exercise.label}: {ANSWERS[key].match!r} is not in {exercise.text!r}"
        assert 2 <= exercise.minutes <= 15 and exercise.answer.answer and exercise.answer.discuss
        if "tutorial_lib compare" in exercise.text:
            assert re.search(r"[−+-]\d+\.\d ± \d+\.\d", exercise.answer.answer), f"{exercise.label}: measured numbers"


def test_the_short_plan_shows_parts_the_notebooks_have(committed_pages):
    short = AGENDAS[0]
    assert set(short.show) == {p.name for p in committed_pages if short.in_session(p)}
    assert "09_lexicons.ipynb" not in short.show, "the appendix is not shown in 90 minutes"
    for row in plan(short, committed_pages)["rows"]:
        if not row["in_session"]:
            assert row["show"] is None
            continue
        parts = row["show"]
        assert parts and all(1 <= a <= b <= row["page"].cells for a, b, _ in parts)
        shown = sum(b - a + 1 for a, b, _ in parts)
        assert shown < row["page"].cells / 2, f"{row['page'].name}: the short plan shows most of the notebook"
    five = next(r for r in plan(short, committed_pages)["rows"] if r["page"].name == "05_embeddings.ipynb")
    assert [title for _, _, title in five["show"]] == ["05 · Word embeddings", "What did it learn?",
                                                        "Do pretrained vectors help?"]


def test_agendas_place_end_of_notebook_exercises_and_fit_the_measured_times(committed_pages):
    labels = {e.label for page in committed_pages for e in end_exercises_of(page)}
    for agenda in AGENDAS:
        assert set(agenda.end_live) <= labels, agenda.name
        p = plan(agenda, committed_pages)
        assert p["buffer"] >= agenda.min_buffer, agenda.name
        homework = [e for r in p["rows"] for e in r["end_homework"]]
        assert len(homework) + len(p["end_live"]) == len(labels), "every end-of-notebook exercise has a place"
    short, three, day = (plan(a, committed_pages) for a in AGENDAS)
    assert len(short["end_live"]) < len(three["end_live"]) < len(day["end_live"])


def test_the_appendix_is_homework_in_the_short_plans_and_taught_in_the_full_day(committed_pages):
    short, three, day = (plan(a, committed_pages) for a in AGENDAS)
    for p in (short, three):
        (row,) = [r for r in p["rows"] if r["page"].name == "09_lexicons.ipynb"]
        assert not row["in_session"] and row["total"] == 0 and not row["live"] and not row["end_live"]
        assert [e.label for e in row["skip"]] == ["09.1 the scope of a negation"], "its exercise is homework"
        assert [e.label for e in row["end_homework"]] == ["09.E1", "09.E2", "09.E3"]
    (row,) = [r for r in day["rows"] if r["page"].name == "09_lexicons.ipynb"]
    assert row["in_session"] and row["teach"] == 12 and row["run"] >= 1
    assert [e.label for e in row["live"]] == ["09.1 the scope of a negation"], "the fill rule finds time for it"
    assert day["buffer"] >= AGENDAS[2].min_buffer


def test_a_notebook_left_out_of_an_agenda_costs_it_nothing():
    pages = [Page(f"0{i}_x.ipynb", f"0{i} X", exercises=exercises(tiny_notebook(i), f"0{i}_x.ipynb"),
                  end_exercises=["Add three numbers."], seconds=600) for i in (1, 9)]
    agenda = Agenda("short", 30, {"01": 5}, ("01",), 7, {"opening": 5})
    p = plan(agenda, pages)
    first, appendix = p["rows"]
    assert (first["in_session"], first["run"], first["total"]) == (True, 10, 22)
    assert (appendix["in_session"], appendix["run"], appendix["teach"], appendix["total"]) == (False, 0, 0, 0)
    assert p["buffer"] == 30 - 5 - 22 and [e.notebook for e in p["live"]] == ["01_x.ipynb"]
    assert [e.label for e in appendix["end_homework"]] == ["09.E1"]
    text = "\n".join(_agenda_table(agenda, pages))
    assert "| 09 X | - | - | - | - | after the session: reading and homework |" in text
    assert "After the session, for reading at home" in text and "**09 X**" in text
    assert "09.1 add two numbers" in text.split("Homework", 1)[1] and "09.E1" in text
    with pytest.raises(ValueError, match="09.E1 belong to notebooks it does not teach"):
        Agenda("bad", 30, {"01": 5}, ("01",), 7, {}, end_live=("09.E1",))


# ------------------------------------------------------------------------------------------ INSTRUCTOR.md
def test_agendas_add_measured_and_allotted_minutes_and_fit_the_session():
    pages = [Page(f"0{i}_x.ipynb", f"0{i} X", exercises=exercises(tiny_notebook(i), f"0{i}_x.ipynb"),
                  seconds=s) for i, s in zip(range(1, 9), [5, 10, 8, 12, 40, 20, 95, 70], strict=True)]
    for agenda in AGENDAS:
        p = plan(agenda, pages)
        total = sum(r["total"] for r in p["rows"]) + sum(agenda.fixed.values()) + p["buffer"]
        assert total == agenda.minutes
        assert [r["run"] for r in p["rows"]] == [1, 1, 1, 1, 1, 1, 2, 2], "measured seconds rounded up to minutes"
        assert p["buffer"] >= agenda.min_buffer
    short, _, day = (plan(a, pages) for a in AGENDAS)
    assert [e.notebook[:2] for e in short["live"]] == ["02", "06", "08"]
    assert len(day["live"]) == 8, "the full day does every exercise live when time allows"


def test_instructor_notes_hold_agendas_wrong_answers_the_answer_key_and_the_setup_message(committed_pages):
    report = KitReport(Path("kit"), _pages(8, 30.0), {}, 240.0, student_seconds=200.0, checks_hinted=8)
    text = instructor_notes(report)
    for heading in ("### 90 minutes", "### 3 hours", "### full day"):
        assert heading in text
    assert "| 01 · Tiny 1 | 0.5 min (30 s) | 0.5 min (30 s) | 1 |" in text
    assert "run (measured)" in text and "teach (allotted)" in text
    assert "how a long goal continues on the next line." in text
    assert "make setup" in text and "tools/setup_env.py" in text and "tutorial_lib doctor" in text
    assert "make wheelhouse" in text
    assert "non-default parameters" not in text
    report.params = {"epochs": 2}
    assert "non-default parameters (epochs=2)" in instructor_notes(report)

    text = instructor_notes(KitReport(Path("kit"), committed_pages, {}, 119.0))
    assert "Note" not in text and "NBVAL" not in text and "Pitfall" not in text.split("## Agendas")[0]
    assert "What to show" in text and "cells 14-17, *What did it learn?*" in text
    assert "`…the padding is at the start…`" in text and "`` …changed `out` in place… ``" in text
    assert "**03.E1** (6 min) Does undersampling help" in text and "−2.4 ± 2.7" in text
    assert "No answer in the key" not in text


def test_the_setup_message_says_what_learners_open():
    assert "python -m tutorial_lib student" in SETUP_MESSAGE and "make lab EDITION=student" in SETUP_MESSAGE
    assert "--notebook-dir=student" in SETUP_MESSAGE and f"{STUDENT_OUTPUT}/" in SETUP_MESSAGE
    assert ".venv\\Scripts\\jupyter lab --notebook-dir=student" in SETUP_MESSAGE


# ------------------------------------------------------------------------------------------ the package
def test_importing_the_kit_imports_no_notebook_machinery():
    code = ("import sys, tutorial_tools.workshop; "
            "print(sorted(m for m in ('nbformat', 'nbconvert', 'papermill', 'jupyter_client', 'tutorial_tools.series') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stdout + result.stderr


# ------------------------------------------------------------------------------------------ the whole kit, small
def _folder(tmp_path: Path, notebooks: dict[str, nbformat.NotebookNode]) -> Path:
    folder = tmp_path / "nbs"
    folder.mkdir(parents=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / name)
    return folder


def test_build_kit_on_small_notebooks(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")  # as CI sets it: the kit's kernels still draw into the notebook
    folder = _folder(tmp_path, {"01_tiny.ipynb": with_outputs(tiny_notebook(1)),
                                "02_tiny.ipynb": tiny_notebook(2, figure=True)})
    report = build_kit(tmp_path / "kit", {"seed": 1}, notebooks_folder=folder, log=lambda *a, **k: None)
    kit = tmp_path / "kit"
    assert sorted(p.name for p in (kit / "student").iterdir()) == ["01_tiny.ipynb", "02_tiny.ipynb"]
    assert "SECRET-SOLUTION" not in (kit / "student" / "02_tiny.ipynb").read_text()
    solved = nbformat.read(kit / "solutions" / "02_tiny.ipynb", as_version=4)
    check = next(c for c in solved.cells if "check" in c.metadata.get("tags", []))
    assert "✅ add" in "".join(o.get("text", "") for o in check.outputs)
    assert "papermill" not in solved.metadata and not (kit / "solutions" / ".partial").exists()
    assert any("image/png" in o.get("data", {}) for o in solved.cells[-1].outputs), "the figure is in the notebook"
    assert os.environ["MPLBACKEND"] == "Agg", "and the environment is as it was"
    assert "data:image/png;base64," in (kit / "html" / "02_tiny.html").read_text()
    assert re.findall(r'href="(\d\d_tiny\.html)"', (kit / "html" / "index.html").read_text()) == [
        "01_tiny.html", "02_tiny.html"]
    assert report.checks_hinted == 2 and all(p.seconds > 0 and p.student_seconds > 0 for p in report.pages)
    saved = json.loads((kit / "timings.json").read_text())
    assert set(saved["solutions_s"]) == {"01_tiny.ipynb", "02_tiny.ipynb"} and saved["params"] == {"seed": 1}
    assert "### 3 hours" in (kit / "INSTRUCTOR.md").read_text()
    assert not list(kit.rglob(".*.tmp")), "every file written whole"


def _error_line(result: subprocess.CompletedProcess, status: int = 1) -> str:
    """Return the one ``error:`` line of a command that failed with exit ``status`` (a kernel may log warnings of
    its own on stderr)."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == status and len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.rstrip().endswith(errors[0])
    return errors[0]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutorial_lib", "workshop", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_cli_missing_stub_is_one_error_line_and_nothing_runs(tmp_path):
    folder = _folder(tmp_path, {"01_tiny.ipynb": tiny_notebook(1), "02_tiny.ipynb": tiny_notebook(2, stub=None)})
    result = _cli("--output-dir", str(tmp_path / "kit"), "--notebooks-dir", str(folder))
    assert _error_line(result).startswith("error: 02_tiny.ipynb: the solution cell 5")
    assert not (tmp_path / "kit" / "solutions").exists(), "nothing is executed before every stub is found"


def test_cli_failing_notebook_and_passing_stub_are_one_error_line_naming_the_notebook(tmp_path):
    broken = tiny_notebook(2)
    broken.cells.append(nbformat.v4.new_code_cell("raise ValueError('boom')"))
    folder = _folder(tmp_path, {"01_tiny.ipynb": tiny_notebook(1), "02_tiny.ipynb": broken})
    result = _cli("--output-dir", str(tmp_path / "kit"), "--notebooks-dir", str(folder), "--skip-student-run")
    error = _error_line(result)
    assert error.startswith("error: solutions of 02_tiny.ipynb: notebook 02_tiny.ipynb failed in cell")
    assert "ValueError: boom" in error and str(tmp_path / "kit" / "solutions" / ".partial" / "02_tiny.ipynb") in error

    passing = tiny_notebook(1, stub=SOLUTION.replace("SECRET", "STUB"))  # a stub that already passes its check
    folder = _folder(tmp_path / "b", {"01_tiny.ipynb": passing})
    result = _cli("--output-dir", str(tmp_path / "kit2"), "--notebooks-dir", str(folder))
    assert _error_line(result).startswith("error: student copy 01_tiny.ipynb: the check of exercise 01.1 add two numbers printed '✅")


def test_cli_rejects_bad_parameters_in_one_line(tmp_path):
    for args, fragment in ((["-p", "epochs", "-1"], "epochs=-1"), (["-p", "epoch", "2"], "unknown parameter"),
                           (["-p", "output_dir", "x"], "--output-dir")):
        result = _cli("--output-dir", str(tmp_path / "kit"), *args)
        assert fragment in _error_line(result, 2)


# ------------------------------------------------------------------------------------------ the real kit
KIT_PARAMS = {"epochs": 2, "hidden_size": 16, "batch_size": 128}


@pytest.fixture(scope="module")
def kit(tmp_path_factory, real_data_dir) -> tuple[Path, subprocess.CompletedProcess]:
    """Build the kit from the committed notebooks once, with the command a teacher types (small parameters),
    keeping the executed student copies in ``student-runs/`` beside it."""
    folder = tmp_path_factory.mktemp("workshop")
    args = ["--output-dir", str(folder / "kit"), "--keep-student-runs", str(folder / "student-runs")]
    for name, value in KIT_PARAMS.items():
        args += ["-p", name, str(value)]
    result = subprocess.run([sys.executable, "-m", "tutorial_lib", "workshop", *args], capture_output=True,
                            text=True, cwd=ROOT, timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder, result


@pytest.mark.notebooks
def test_workshop_command_builds_the_kit_from_the_repository(kit):
    folder, result = kit
    kit = folder / "kit"
    names = [p.name for p in NOTEBOOKS]
    assert len(names) == 9
    for name in names:
        committed = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        student = nbformat.read(kit / "student" / name, as_version=4)
        text = (kit / "student" / name).read_text()
        assert all(not c.outputs and c.execution_count is None for c in student.cells if c.cell_type == "code")
        solutions = [c.source for c in committed.cells if "solution" in c.metadata.get("tags", [])]
        appendix = not all(a.in_session(Page(name, name)) for a in AGENDAS)  # an optional notebook: one is enough
        assert len(solutions) >= (1 if appendix else 2), f"{name}: at least two exercises"
        for source in solutions:
            body = [ln for ln in source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
            assert source not in text and not all(json.dumps(ln)[1:-1] in text for ln in body), \
                f"{name}: solution source left in the student copy"
        params = next(c.source for c in student.cells if "parameters" in c.metadata.get("tags", []))
        assert f"output_dir = {STUDENT_OUTPUT!r}" in params, f"{name}: a learner's runs must not write to build/run"
        for copy in (kit / "student" / name, kit / "solutions" / name, kit / "html" / name.replace(".ipynb", ".html")):
            assert "NBVAL" not in copy.read_text(), f"{copy}: learners see no test marker"
        assert (kit / "solutions" / name).is_file() and (kit / "html" / name.replace(".ipynb", ".html")).is_file()
    index = (kit / "html" / "index.html").read_text()
    assert re.findall(r'<a href="([^"]+\.html)"', index) == [n.replace(".ipynb", ".html") for n in names]
    assert f"student copies: all {len(names)} ran top to bottom with every stub unfilled" in result.stdout
    timings = json.loads((kit / "timings.json").read_text())
    checks = sum(len([c for c in nbformat.read(ROOT / "notebooks" / n, as_version=4).cells
                      if "check" in c.metadata.get("tags", [])]) for n in names)
    assert timings["checks_hinted_with_stubs"] == checks >= 17
    notes = (kit / "INSTRUCTOR.md").read_text()
    for heading in ("### 90 minutes", "### 3 hours", "### full day"):
        section = notes.split(heading, 1)[1].split("###", 1)[0]
        assert re.search(r"\| \d\d · .+ \| \d+ \| \d+ \| \d+ \| \d+ \|", section), heading
    assert "non-default parameters" in notes and all(t > 0 for t in timings["solutions_s"].values())
    assert "## Typical wrong answers" in notes and "## End-of-notebook exercises: answer key" in notes


@pytest.mark.notebooks
def test_the_kits_html_loads_nothing_from_the_web(kit):
    pages = sorted((kit[0] / "kit" / "html").glob("*.html"))
    assert len(pages) == len(NOTEBOOKS) + 1, "a page per notebook and index.html"
    for page in pages:
        text = page.read_text()
        assert loads_from_the_web(text) == [], f"{page.name} loads from the web"
        assert "widget-view+json" not in text and "No description has been provided" not in text, page.name
    training = (kit[0] / "kit" / "html" / "07_training.html").read_text()
    bar = re.search(r"<pre>(training: .*?)</pre>", training)
    # the text the training bar saved itself (tqdm writes # in plain text), or the widget rebuilt (█)
    assert bar and re.search(r"\d+%\|[█# ]{10}\| \d+/2 \[", html.unescape(bar.group(1))), "the progress bar's last state"


@pytest.mark.notebooks
@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_every_figure_has_an_image_in_the_student_runs_the_solutions_and_the_html(kit, name):
    folder = kit[0]
    for copy in (folder / "student-runs" / name, folder / "kit" / "solutions" / name):
        nb = nbformat.read(copy, as_version=4)
        assert figure_cells_without_image(nb) == [], f"{copy}: figures without an image"
        drawn = {c.id for c in nb.cells if any("image/png" in o.get("data", {}) for o in c.get("outputs", []))}
        assert set(figure_cells(name)) <= drawn, f"{copy}: a figure with alt text has no image"
    page = (folder / "kit" / "html" / name.replace(".ipynb", ".html")).read_text()
    alts = [html.unescape(a) for a in re.findall(r'<img alt="([^"]*)"[^>]* src="data:image/png;base64,', page)]
    for cell_id, alt in figure_cells(name).items():
        assert alts.count(alt) == 1, f"{name}: the figure of cell {cell_id} is not on the page with its alt text"
