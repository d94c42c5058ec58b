"""The workshop kit: student copies, executed solutions, offline HTML, INSTRUCTOR.md.

Unit tests run on small notebooks built here; the end-to-end test (marked ``notebooks``) builds the kit
from the committed notebooks with the command a teacher types, into a temporary folder.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tutorial_lib.workshop.agenda import AGENDAS, plan
from tutorial_lib.workshop.copies import student_copy
from tutorial_lib.workshop.execution import check_student_run
from tutorial_lib.workshop.html_pages import index_html, navigation, notebook_html
from tutorial_lib.workshop.instructor import instructor_notes
from tutorial_lib.workshop.kit import build_kit
from tutorial_lib.workshop.notebook_parts import WorkshopError, exercises, learning_goals, pitfalls
from tutorial_lib.workshop.report import KitReport, Page

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = "def add(a, b):\n    return a + b  # SECRET-SOLUTION"
STUB = "def add(a, b):\n    # Return the sum of a and b.\n    return None  # replace with your code"
CHECK = ("# NBVAL_CHECK_OUTPUT\nresult = add(1, 2)\n"
         "print('✅ add: add(1, 2) is 3' if result == 3 else f'❌ add: add(1, 2) returned {result!r}, expected 3')")
FIGURE = ("import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
          "fig, ax = plt.subplots(figsize=(2, 2))\nax.plot([0, 1], [1, 0])\nplt.show()")


def tiny_notebook(number: int, *, stub: str | None = STUB, figure: bool = False) -> nbformat.NotebookNode:
    """Return a small course-like notebook: title with goals, parameters, a note, one exercise, later cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("seed = 0\noutput_dir = 'build/run'")
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
        nbformat.v4.new_markdown_cell("> **Note** Adding strings concatenates them.\n> Check the types first.\n\n"
                                      "More text."),
        nbformat.v4.new_markdown_cell("### Your turn: add two numbers"),
        solution,
        check,
        nbformat.v4.new_code_cell("print('later cells use the package, never add():', 1 + 2)"),
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
    assert any(c.source == CHECK for c in student.cells), "check cells are kept as they are"
    assert any("parameters" in c.metadata.get("tags", []) for c in student.cells)
    assert "SECRET-SOLUTION" in nbformat.writes(nb), "the committed notebook is not changed"


@pytest.mark.parametrize("stub", [None, "", "   \n"])
def test_solution_cell_without_a_stub_is_an_error_naming_it(stub):
    with pytest.raises(WorkshopError, match=r"02_tiny\.ipynb: the solution cell 4 \('def add\(a, b\):'\)"):
        student_copy(tiny_notebook(2, stub=stub), "02_tiny.ipynb")


def test_stub_written_as_a_list_of_lines_is_joined():
    nb = tiny_notebook(1, stub=["def add(a, b):\n", "    return None\n"])
    solution = next(c for c in student_copy(nb, "x").cells if "solution" in c.metadata.get("tags", []))
    assert solution.source == "def add(a, b):\n    return None\n"


def test_goals_notes_and_exercises_are_read_from_the_notebook():
    nb = tiny_notebook(1)
    assert learning_goals(nb) == ["how to add two numbers;", "how a long goal continues on the next line."]
    assert pitfalls(nb) == ["Adding strings concatenates them. Check the types first."]
    (ex,) = exercises(nb, "01_tiny.ipynb")
    assert (ex.title, ex.solution_cell, ex.check_cell, ex.label) == ("add two numbers", 4, 5, "01.1 add two numbers")


def test_student_run_check_needs_every_check_to_print_its_hint():
    nb = tiny_notebook(1)
    check = nb.cells[5]
    check.outputs = [nbformat.v4.new_output("stream", name="stdout", text="❌ add: add(1, 2) returned None\n")]
    assert check_student_run(nb, "01_tiny.ipynb") == 1
    check.outputs = [nbformat.v4.new_output("stream", name="stdout", text="✅ add: add(1, 2) is 3\n")]
    with pytest.raises(WorkshopError, match="01_tiny.ipynb: the check of exercise 01.1 add two numbers printed"):
        check_student_run(nb, "01_tiny.ipynb")


# ------------------------------------------------------------------------------------------ HTML
def _pages(n: int = 3, seconds: float = 65.0) -> list[Page]:
    nb = tiny_notebook(1)
    return [Page(f"0{i}_tiny.ipynb", f"0{i} · Tiny {i}", learning_goals(nb), exercises(nb, f"0{i}_tiny.ipynb"),
                 pitfalls(nb), seconds, seconds) for i in range(1, n + 1)]


def test_index_links_every_notebook_with_its_goals_and_minutes():
    pages = _pages(3)
    page = index_html(pages)
    assert re.findall(r'<a href="([^"]+)"', page) == ["01_tiny.html", "02_tiny.html", "03_tiny.html"]
    assert "0" + "3 · Tiny 3" in page and "how to add two numbers;" in page and "1.1 min" in page
    assert "http" not in page, "the index needs nothing from the web"


def test_notebook_page_embeds_figures_and_loads_no_script_from_the_web():
    nb = tiny_notebook(1)
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    nb.cells[-1].outputs = [nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]
    page = notebook_html(nb, "01 · Tiny 1", navigation(_pages(2), 0))
    assert f"data:image/png;base64,{png}" in page
    assert not re.search(r"<script[^>]*src=\"https?:", page) and not re.search(r"<link[^>]*href=\"https?:", page)
    assert '<a href="index.html">' in page and '<a href="02_tiny.html">' in page
    assert "<title>01 · Tiny 1</title>" in page


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


def test_instructor_notes_hold_three_agendas_goals_pitfalls_and_the_setup_message():
    report = KitReport(Path("kit"), _pages(8, 30.0), {}, 240.0, student_seconds=200.0, checks_hinted=8)
    text = instructor_notes(report)
    for heading in ("### 90 minutes", "### 3 hours", "### full day"):
        assert heading in text
    assert "| 01 · Tiny 1 | 0.5 min (30 s) | 0.5 min (30 s) | 1 |" in text
    assert "run (measured)" in text and "teach (allotted)" in text
    assert "how a long goal continues on the next line." in text
    assert "(01) Adding strings concatenates them." in text
    assert "make setup" in text and "tools/setup_env.py" in text and "tutorial_lib doctor" in text
    assert "make wheelhouse" in text
    assert "non-default parameters" not in text
    report.params = {"epochs": 2}
    assert "non-default parameters (epochs=2)" in instructor_notes(report)


# ------------------------------------------------------------------------------------------ the package
def test_importing_the_kit_imports_no_notebook_machinery():
    code = ("import sys, tutorial_lib.workshop; "
            "print(sorted(m for m in ('nbformat', 'nbconvert', 'papermill', 'jupyter_client', 'tutorial_lib.series') "
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


def test_build_kit_on_small_notebooks(tmp_path):
    folder = _folder(tmp_path, {"01_tiny.ipynb": with_outputs(tiny_notebook(1)),
                                "02_tiny.ipynb": tiny_notebook(2, figure=True)})
    report = build_kit(tmp_path / "kit", {"seed": 1}, notebooks_folder=folder, log=lambda *a, **k: None)
    kit = tmp_path / "kit"
    assert sorted(p.name for p in (kit / "student").iterdir()) == ["01_tiny.ipynb", "02_tiny.ipynb"]
    assert "SECRET-SOLUTION" not in (kit / "student" / "02_tiny.ipynb").read_text()
    solved = nbformat.read(kit / "solutions" / "02_tiny.ipynb", as_version=4)
    assert "✅ add" in "".join(o.get("text", "") for o in solved.cells[6].outputs)
    assert "papermill" not in solved.metadata and not (kit / "solutions" / ".partial").exists()
    assert "data:image/png;base64," in (kit / "html" / "02_tiny.html").read_text()
    assert re.findall(r'href="(\d\d_tiny\.html)"', (kit / "html" / "index.html").read_text()) == [
        "01_tiny.html", "02_tiny.html"]
    assert report.checks_hinted == 2 and all(p.seconds > 0 and p.student_seconds > 0 for p in report.pages)
    saved = json.loads((kit / "timings.json").read_text())
    assert set(saved["solutions_s"]) == {"01_tiny.ipynb", "02_tiny.ipynb"} and saved["params"] == {"seed": 1}
    assert "### 3 hours" in (kit / "INSTRUCTOR.md").read_text()
    assert not list(kit.rglob(".*.tmp")), "every file written whole"


def _error_line(result: subprocess.CompletedProcess) -> str:
    """Return the one ``error:`` line of a failed command (a kernel may log warnings of its own on stderr)."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 1 and len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.rstrip().endswith(errors[0])
    return errors[0]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutorial_lib", "workshop", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_cli_missing_stub_is_one_error_line_and_nothing_runs(tmp_path):
    folder = _folder(tmp_path, {"01_tiny.ipynb": tiny_notebook(1), "02_tiny.ipynb": tiny_notebook(2, stub=None)})
    result = _cli("--output-dir", str(tmp_path / "kit"), "--notebooks-dir", str(folder))
    assert _error_line(result).startswith("error: 02_tiny.ipynb: the solution cell 4")
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
        assert fragment in _error_line(result)


# ------------------------------------------------------------------------------------------ the real kit
KIT_PARAMS = {"epochs": 2, "hidden_size": 16, "batch_size": 128}


@pytest.mark.notebooks
def test_workshop_command_builds_the_kit_from_the_repository(tmp_path, real_data_dir):
    args = ["--output-dir", str(tmp_path / "kit")]
    for name, value in KIT_PARAMS.items():
        args += ["-p", name, str(value)]
    result = subprocess.run([sys.executable, "-m", "tutorial_lib", "workshop", *args], capture_output=True,
                            text=True, cwd=ROOT, timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr
    kit = tmp_path / "kit"
    names = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(names) == 8
    for name in names:
        committed = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        student = nbformat.read(kit / "student" / name, as_version=4)
        text = (kit / "student" / name).read_text()
        assert all(not c.outputs and c.execution_count is None for c in student.cells if c.cell_type == "code")
        solutions = [c.source for c in committed.cells if "solution" in c.metadata.get("tags", [])]
        assert len(solutions) >= 2, f"{name}: at least two exercises"
        for source in solutions:
            body = [ln for ln in source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
            assert source not in text and not all(json.dumps(ln)[1:-1] in text for ln in body), \
                f"{name}: solution source left in the student copy"
        assert (kit / "solutions" / name).is_file() and (kit / "html" / name.replace(".ipynb", ".html")).is_file()
    index = (kit / "html" / "index.html").read_text()
    assert re.findall(r'<a href="([^"]+\.html)"', index) == [n.replace(".ipynb", ".html") for n in names]
    assert "student copies: all 8 ran top to bottom with every stub unfilled" in result.stdout
    timings = json.loads((kit / "timings.json").read_text())
    checks = sum(len([c for c in nbformat.read(ROOT / "notebooks" / n, as_version=4).cells
                      if "check" in c.metadata.get("tags", [])]) for n in names)
    assert timings["checks_hinted_with_stubs"] == checks >= 16
    notes = (kit / "INSTRUCTOR.md").read_text()
    for heading in ("### 90 minutes", "### 3 hours", "### full day"):
        section = notes.split(heading, 1)[1].split("###", 1)[0]
        assert re.search(r"\| \d\d · .+ \| \d+ \| \d+ \| \d+ \| \d+ \|", section), heading
    assert "non-default parameters" in notes and all(t > 0 for t in timings["solutions_s"].values())
