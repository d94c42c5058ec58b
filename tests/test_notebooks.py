"""The notebook series: structure of the committed notebooks, and a papermill smoke test of the series.

nbval (``pytest notebooks --nbval-lax``, part of ``make test``) re-executes the committed notebooks and
compares the cells marked ``# NBVAL_CHECK_OUTPUT``; this file checks what nbval cannot.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import figure_cells_without_image

from tutorial_lib.config import Config
from tutorial_tools.series import list_notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = list_notebooks(ROOT / "notebooks")
STAGES = ["loading", "preprocessing", "balancing", "tokenization", "embeddings", "model", "training", "evaluation"]
TORCH_MODULES = ("batching", "model", "training", "checkpoint", "evaluation", "prediction")

ABSOLUTE_PATH = re.compile(r"(?<![\w:/.~-])/(?:home|root|tmp|work|usr|opt|var|Users|private)/[\w.-]+")
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,16}\b")
TIMESTAMP = re.compile(r"\b20\d\d-\d\d-\d\d[ T]\d\d:\d\d")


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def _output_texts(cell):
    for out in cell.get("outputs", []):
        if "text" in out:
            yield out["text"]
        for key, value in out.get("data", {}).items():
            if key.startswith("text/"):
                yield value if isinstance(value, str) else "".join(value)


def test_eight_numbered_notebooks_one_per_stage():
    assert [p.stem.split("_", 1)[1] for p in NOTEBOOKS] == STAGES
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(1, 9)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_structure(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3", "papermill and nbval need kernelspec python3"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {path.name[:2]} ")
    assert "You will learn" in first.source
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## Summary" in markdown and "## Exercises" in markdown
    # the parameters cell: tagged, complete, and equal to Config's defaults
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    namespace: dict = {}
    exec(tagged[0].source, namespace)  # noqa: S102 (our own committed cell)
    values = {k: v for k, v in namespace.items() if not k.startswith("__")}
    assert values == Config().to_dict(), "parameters cell differs from Config defaults"
    # 35 lines of parameters must not dominate every page: JupyterLab shows the cell collapsed
    assert tagged[0].metadata.get("jupyter", {}).get("source_hidden") is True, "collapse the parameters cell"
    assert "collapsed" in first.source, "the introduction says what the collapsed cell is"
    code = _code_cells(nb)
    following = code[code.index(tagged[0]) + 1]
    assert "Config.from_namespace(globals())" in following.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_are_clean(path):
    nb = nbformat.read(path, as_version=4)
    code = _code_cells(nb)
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "commit the notebook executed top to bottom once"
    for cell in code:
        for out in cell.outputs:
            assert out.output_type != "error", f"error output in {cell.source[:60]!r}"
        for text in _output_texts(cell):
            assert not ABSOLUTE_PATH.search(text), f"absolute path in output: {ABSOLUTE_PATH.search(text)[0]}"
            assert not ADDRESS.search(text), f"memory address in output of {cell.source[:60]!r}"
            assert not TIMESTAMP.search(text), f"timestamp in output of {cell.source[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_cell_shows_its_figure(path):
    nb = nbformat.read(path, as_version=4)
    missing = figure_cells_without_image(nb)
    assert not missing, (f"{path.name}: these cells draw a figure but show no image: {missing}. End the cell with "
                         "the figure itself (figures.plot_...()), or plt.show() for a figure made with pyplot")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_pyplot_figures_show_whatever_mplbackend_says(path):
    """CI exports MPLBACKEND=Agg and a kernel inherits it: plt.show() then shows nothing, unless the
    notebook switches pyplot to the inline backend itself before its first pyplot figure."""
    code = [c.source for c in _code_cells(nbformat.read(path, as_version=4))]
    first = next((i for i, source in enumerate(code) if re.search(r"\bplt\.\w+\(", source)), None)
    if first is not None:
        assert any("%matplotlib inline" in source for source in code[: first + 1]), (
            f"{path.name}: add %matplotlib inline before the first pyplot figure")


def _notebook(*sources: str, outputs: list | None = None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.cells[-1].outputs = outputs or []
    return nb


def test_the_figure_check_flags_a_figure_that_was_drawn_but_not_shown():
    # notebook 03 before issue 16: a figure pyplot does not know, then plt.show(), which shows nothing
    assert figure_cells_without_image(_notebook("fig = figures.plot_split_then_balance()\nplt.show()")) == [
        "cell 0: fig = figures.plot_split_then_balance()"]
    for source in ("figures.plot_lstm_unrolled()", "ax = counts.plot.bar()", "fig = history.plot()\nplt.show()",
                   "fig, ax = plt.subplots()\nbalancing.plot_class_distribution(frames, ax=ax)"):
        assert figure_cells_without_image(_notebook(source)) == [f"cell 0: {source.splitlines()[0]}"]
    png = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    assert figure_cells_without_image(_notebook("figures.plot_lstm_unrolled()", outputs=[png])) == []
    # showing a plotting function's code, or mentioning plt in a comment, draws nothing
    not_figures = _notebook("print(inspect.getsource(balancing.plot_class_distribution))", "# plt.show() later",
                            "x = 1")
    assert figure_cells_without_image(not_figures) == []


def test_the_training_progress_bar_is_saved_in_its_final_state():
    """Notebook 07's saved bar must not read "0/20" above "11 epochs in ...": a static copy shows that text."""
    nb = nbformat.read(ROOT / "notebooks" / "07_training.ipynb", as_version=4)
    cell = next(c for c in _code_cells(nb) if "train_from_config(" in c.source)
    texts = "\n".join(_output_texts(cell))
    epochs = int(re.search(r"^(\d+) epochs in", texts, re.M)[1])
    bar = re.search(r"^training: .*?(\d+)/(\d+) (?:epochs, stopped early )?\[", texts, re.M)
    assert bar, texts
    assert int(bar[1]) == epochs and int(bar[2]) == Config().epochs, texts
    assert ("stopped early" in bar[0]) == (epochs < Config().epochs), texts


PROGRESS_CELL = """\
import torch
from torch.utils.data import DataLoader, TensorDataset
from tutorial_lib import training
from tutorial_lib.model import LSTMClassifier

ids = torch.randint(1, 9, (8, 4), generator=torch.Generator().manual_seed(0))
labels = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
loader = DataLoader(TensorDataset(ids, torch.full((8,), 4), labels), batch_size=4)
training.BATCH_BAR_MIN = 1  # the per-batch bar too
torch.manual_seed(0)
full = training.train_model(LSTMClassifier(10, 4, 4), loader, loader, epochs=3, lr=1e-3, patience=None)
"""
EARLY_STOP_CELL = """\
training.BATCH_BAR_MIN = 10**9
early = training.train_model(LSTMClassifier(10, 4, 4), loader, loader, epochs=20, lr=1e-12, patience=1)
print(early.epochs_run, "epochs")
"""


def test_progress_bars_leave_their_final_text_in_a_saved_notebook():
    """In Jupyter, the epoch bar's saved text is its end state and the per-batch bars leave nothing behind."""
    from nbclient import NotebookClient

    nb = _notebook(PROGRESS_CELL, EARLY_STOP_CELL)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    full, early = ([o.get("data", {}).get("text/plain", "") for o in cell.outputs if o.output_type == "display_data"]
                   for cell in nb.cells)
    assert full[0].startswith("training: 100%") and "| 3/3 [" in full[0], full
    assert full[1:] == ["", "", ""], "one per-batch bar per epoch, each gone once its epoch ends"
    stopped = int(nb.cells[1].outputs[-1].text.split()[0])
    assert stopped < 20 and len(early) == 1, early
    assert early[0].startswith(f"training: {stopped}/20 epochs, stopped early ["), early


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[:2] <= "05"], ids=lambda p: p.stem)
def test_early_notebooks_do_not_import_torch(path):
    nb = nbformat.read(path, as_version=4)
    source = "\n".join(c.source for c in _code_cells(nb))
    assert not re.search(r"^\s*(import|from)\s+torch", source, re.M)
    for module in TORCH_MODULES:
        assert f"tutorial_lib.{module}" not in source and f"import {module}" not in source


def test_library_modules_of_early_notebooks_do_not_import_torch():
    modules = ["config", "loading", "preprocessing", "balancing", "tokenization", "embeddings", "pipeline"]
    code = "import sys\n" + "".join(f"import tutorial_lib.{m}\n" for m in modules) + "print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


SMOKE_PARAMS = {"epochs": 2, "hidden_size": 16, "batch_size": 128, "seed": 3}


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory, real_data_dir):
    """Run the whole series once with small parameters through the CLI, in a temporary folder."""
    out = tmp_path_factory.mktemp("series")
    args = [sys.executable, "-m", "tutorial_lib", "run", "--output-dir", str(out)]
    for name, value in SMOKE_PARAMS.items():
        args += ["-p", name, str(value)]
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result.stdout


@pytest.mark.notebooks
def test_series_writes_notebooks_metrics_and_model(smoke_run):
    out, stdout = smoke_run
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    assert (out / "model.pt").is_file()
    assert "macro-F1" in stdout and "total" in stdout


@pytest.mark.notebooks
def test_series_metrics_are_complete_and_in_range(smoke_run):
    out, _ = smoke_run
    metrics = json.loads((out / "metrics.json").read_text())
    for key, value in SMOKE_PARAMS.items():
        assert metrics["params"][key] == value
    assert 0.3 <= metrics["accuracy"] <= 0.9
    assert 0.2 <= metrics["macro_f1"] <= 0.9
    assert set(metrics["per_class"]) == {"negative", "neutral", "positive"}
    assert sum(c["support"] for c in metrics["per_class"].values()) == 812  # every test tweet counted
    majority = metrics["baselines"]["majority"]
    assert 0.45 <= majority["accuracy"] <= 0.50 and majority["macro_f1"] < 0.25
    tfidf = metrics["baselines"]["tfidf_logreg"]
    assert 0.45 <= tfidf["macro_f1"] <= 0.70
    timings = metrics["timings_s"]
    assert set(timings) == {p.stem for p in NOTEBOOKS} | {"total"}
    assert timings["total"] >= max(v for k, v in timings.items() if k != "total")


@pytest.mark.notebooks
def test_predict_cli_answers_with_the_series_model(smoke_run):
    out, _ = smoke_run
    result = subprocess.run(
        [sys.executable, "-m", "tutorial_lib", "predict", "--model", str(out / "model.pt"), "--json",
         "I love this phone", ""],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert [a["text"] for a in answers] == ["I love this phone", ""]
    for answer in answers:
        assert answer["label"] in ("negative", "neutral", "positive")
        assert abs(sum(answer["probabilities"].values()) - 1) < 1e-4


def test_runner_rejects_bad_parameters_before_running(tmp_path):
    args = [sys.executable, "-m", "tutorial_lib", "run", "--output-dir", str(tmp_path), "-p", "epochs", "-1"]
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode != 0
    assert "epochs=-1" in result.stderr and "integer >= 1" in result.stderr
    result = subprocess.run(args[:-3] + ["-p", "devcie", "cuda"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "unknown parameter" in result.stderr
    assert not list(tmp_path.glob("*.ipynb")), "nothing runs when a parameter is bad"


@pytest.mark.notebooks
def test_evaluation_notebook_runs_alone_in_an_empty_output_folder(tmp_path, real_data_dir):
    """Notebook 08 opened on its own (no model from notebook 07) trains the model itself and reports it."""
    from tutorial_tools.series import run_series

    metrics = run_series(tmp_path, SMOKE_PARAMS, only=["08"], log=lambda *a, **k: None)
    assert (tmp_path / "model.pt").is_file() and 0.2 <= metrics["macro_f1"] <= 0.9
    nb = nbformat.read(tmp_path / "08_evaluation.ipynb", as_version=4)
    outputs = "".join(t for c in _code_cells(nb) for t in _output_texts(c))
    assert "no saved model" in outputs and "training one now" in outputs


# ----------------------------------------------------------------------------------- your own data (issue 13)
# Code in 03-08 must take the run's classes and columns from the data, never the course's three labels.
COURSE_ONLY = [
    (re.compile(r"""\[["'](?:Category|Tweet)["']\]"""), "a course column name (use raw.text_column / raw.label_column)"),
    (re.compile(r"labels=\[0, 1, 2\]|range\(3\)"), "three classes (use range(len(bundle.labels)))"),
    (re.compile(r"^(?!.*cfg\.train_csv).*preprocessing\.LABELS", re.M), "the course's labels (use label_names)"),
    (re.compile(r"""\.index\(["']neutral["']\)"""), None),  # allowed only under an `if "neutral" in` guard
]


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[:2] >= "03"], ids=lambda p: p.stem)
def test_later_notebooks_assume_no_course_labels_or_columns(path):
    nb = nbformat.read(path, as_version=4)
    for cell in _code_cells(nb):
        for pattern, why in COURSE_ONLY:
            found = pattern.search(cell.source)
            if found and why is None:
                assert re.search(r"""if ["']neutral["'] in""", cell.source), f"unguarded {found[0]!r}"
            else:
                assert not found, f"{found[0]!r} in {cell.source[:60]!r}: {why}"


def _users_csv(path: Path) -> Path:
    """Write a small labelled CSV unlike the course's: columns id, stars, review; five numeric classes."""
    import random

    rng = random.Random(0)
    filler = "the a this it is was very really so my product service day".split()
    words = {1: "awful terrible worst broken", 2: "poor weak slow meh", 3: "okay fine average decent",
             4: "good nice solid pleasant", 5: "excellent perfect amazing superb"}
    rows = ["id,stars,review"]
    for i in range(400):
        stars = rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5])
        vocabulary = words[stars].split() + filler
        rows.append(f"{i},{stars},{' '.join(rng.choice(vocabulary) for _ in range(rng.randint(3, 12)))}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.notebooks
def test_series_runs_on_a_users_csv_with_five_numeric_classes(tmp_path):
    """The issue's command, typed in the folder of the file: every notebook runs, the classes are the file's."""
    _users_csv(tmp_path / "reviews.csv")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "tutorial_lib", "run", "-p", "train_csv", "reviews.csv", "-p", "text_column",
            "review", "-p", "label_column", "stars", "--output-dir", str(out), "-p", "epochs", "1",
            "-p", "hidden_size", "8"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, timeout=900, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["labels"] == ["1", "2", "3", "4", "5"]
    assert set(metrics["per_class"]) == {"1", "2", "3", "4", "5"}
    assert sum(c["support"] for c in metrics["per_class"].values()) == 60  # every test row: 15% of 400
    nb = nbformat.read(out / "08_evaluation.ipynb", as_version=4)
    outputs = "".join(t for c in _code_cells(nb) for t in _output_texts(c))
    assert "predicted 5" in outputs, "the confusion matrix has the file's classes"
