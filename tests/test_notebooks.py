"""The notebook series: structure of the committed notebooks, and a papermill smoke test of the series.

nbval (``pytest notebooks --nbval-lax``, part of ``make test``) re-executes the committed notebooks and
compares the cells marked ``# NBVAL_CHECK_OUTPUT``; this file checks what nbval cannot.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from conftest import figure_cells_without_image

from tutorial_lib.config import NOTEBOOK_PARAMS, Config
from tutorial_lib.listing import Listing
from tutorial_tools.series import list_notebooks

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import sync_listings  # noqa: E402

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


def test_eight_numbered_notebooks_one_per_stage_and_the_appendix():
    assert [p.stem.split("_", 1)[1] for p in NOTEBOOKS] == [*STAGES, "lexicons"]
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(1, 10)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_structure(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3", "papermill and nbval need kernelspec python3"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {path.name[:2]} ")
    assert "You will learn" in first.source
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## Summary" in markdown and "## Exercises" in markdown
    # the parameters cell: tagged, listing this notebook's parameters at Config's defaults
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    namespace: dict = {}
    exec(tagged[0].source, namespace)  # noqa: S102 (our own committed cell)
    values = {k: v for k, v in namespace.items() if not k.startswith("__")}
    defaults = Config().to_dict()
    assert values == {name: defaults[name] for name in NOTEBOOK_PARAMS[path.name[:2]]}, (
        "the parameters cell differs from NOTEBOOK_PARAMS at Config's defaults: run tools/sync_listings.py")
    # parameters must not dominate every page: JupyterLab shows the cell collapsed
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


# ------------------------------------------------------- the shown code is code; each stage's parameters (issue 17)
# A later notebook re-runs these steps of an earlier stage; the parameters they read belong to that stage's
# notebook (None: prepare_data, the glue of 01-04, which no notebook shows step by step).
REBUILDS = {"tutorial_lib.loading.load_for_config": "01", "tutorial_lib.pipeline.prepare_data": None,
            "tutorial_lib.embeddings.choose.embedding_matrix_for": "05", "tutorial_lib.stages.load_or_train": "07",
            "tutorial_lib.training.train_from_config": "07"}
#: The editable copies of library functions (cells with metadata "listing"), by notebook.
SYNCED = {"02": ["tutorial_lib.preprocessing.normalize_tweet"], "06": ["tutorial_lib.model.masked_pooling"],
          "08": ["tutorial_lib.baselines.tfidf_logreg_baseline"]}


def _cfg_reads(tree: ast.AST) -> set[str]:
    return {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            and n.value.id == "cfg" and n.attr in Config.names()}


def _called_with_cfg(tree: ast.AST, namespace: dict):
    """Yield the objects called with ``cfg`` as an argument in ``tree``, looked up in ``namespace``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and any(isinstance(a, ast.Name) and a.id == "cfg"
                                              for a in [*node.args, *(k.value for k in node.keywords)]):
            func, attrs = node.func, []
            while isinstance(func, ast.Attribute):
                attrs.append(func.attr)
                func = func.value
            obj = namespace.get(func.id) if isinstance(func, ast.Name) else None
            for attr in reversed(attrs):
                obj = getattr(obj, attr, None)
            if callable(obj) and hasattr(inspect.unwrap(obj), "__code__"):
                yield inspect.unwrap(obj)


def _function_reads(fn, seen: set) -> set[str]:
    """The parameters ``fn`` reads as ``cfg.NAME``, itself or through the functions it passes ``cfg`` to."""
    if fn in seen:
        return set()
    seen.add(fn)
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    reads = _cfg_reads(tree)
    for callee in _called_with_cfg(tree, fn.__globals__):
        reads |= _function_reads(callee, seen)
    return reads


def _tutorial_lib_imports(tree: ast.AST) -> dict:
    """The names a notebook's ``from tutorial_lib... import ...`` statements bind, and what they are."""
    namespace: dict = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tutorial_lib"):
            for alias in node.names:
                module = importlib.import_module(node.module)
                namespace[alias.asname or alias.name] = (getattr(module, alias.name, None)
                                                         or importlib.import_module(f"{node.module}.{alias.name}"))
    return namespace


def stage_reads(path: Path) -> set[str]:
    """The parameters notebook ``path`` reads: ``cfg.NAME`` in its code, and through the library functions it
    passes ``cfg`` to (except the REBUILDS of another notebook's stage)."""
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(line for c in _code_cells(nb) if "parameters" not in c.metadata.get("tags", [])
                     for line in c.source.splitlines() if not line.lstrip().startswith(("%", "!")))
    tree = ast.parse(code)
    namespace = _tutorial_lib_imports(tree)
    reads = _cfg_reads(tree)
    for fn in _called_with_cfg(tree, namespace):
        if REBUILDS.get(f"{fn.__module__}.{fn.__qualname__}", path.name[:2]) == path.name[:2]:
            reads |= _function_reads(fn, set())
    return reads


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_lists_exactly_what_its_stage_reads(path):
    listed = set(NOTEBOOK_PARAMS[path.name[:2]])
    reads = stage_reads(path)
    assert listed == reads, (f"{path.name} reads {sorted(reads - listed)} without listing them and lists "
                             f"{sorted(listed - reads)} it does not read: change NOTEBOOK_PARAMS "
                             "(tutorial_lib/config.py), then run tools/sync_listings.py")


def test_every_parameter_is_listed_by_some_notebook():
    listed = {name for names in NOTEBOOK_PARAMS.values() for name in names}
    assert listed == set(Config.names())
    assert sorted(NOTEBOOK_PARAMS) == [p.name[:2] for p in NOTEBOOKS]


def _config_head(path: Path, tmp_path: Path) -> Path:
    """A copy of ``path`` cut after its Config cell, plus a cell that prints the Config it built."""
    nb = nbformat.read(path, as_version=4)
    cells = _code_cells(nb)
    config_cell = next(i for i, c in enumerate(cells) if "Config.from_namespace(globals())" in c.source)
    nb.cells = cells[: config_cell + 1] + [nbformat.v4.new_code_cell("print(json.dumps(cfg.to_dict()))")]
    nb.cells[-1].source = "import json\n" + nb.cells[-1].source
    out = tmp_path / path.name
    nbformat.write(nb, out)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_series_overrides_a_parameter_the_notebook_does_not_list(path, tmp_path):
    """papermill -p of a parameter missing from this notebook's cell still reaches its Config; -p epochz is refused."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    name, value = next((n, v) for n, v in [("hidden_size", 48), ("min_freq", 3)]
                       if n not in NOTEBOOK_PARAMS[path.name[:2]])
    head = _config_head(path, tmp_path)
    papermill.execute_notebook(str(head), str(tmp_path / "out.ipynb"), parameters={name: value, "seed": 5},
                               kernel_name="python3", progress_bar=False, cwd=str(ROOT / "notebooks"))
    printed = json.loads(nbformat.read(tmp_path / "out.ipynb", as_version=4).cells[-1].outputs[0].text)
    assert printed == Config(**{name: value, "seed": 5}).to_dict()
    with pytest.raises(PapermillExecutionError, match="'epochz'.*did you mean 'epochs'"):
        papermill.execute_notebook(str(head), str(tmp_path / "bad.ipynb"), parameters={"epochz": 3},
                                   kernel_name="python3", progress_bar=False, cwd=str(ROOT / "notebooks"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_listing_shows_the_librarys_current_code(path):
    """A committed show(...) output is the library's source as it is now: re-execute a notebook whose code it shows
    changed (tools/execute_notebooks.py), so the book never teaches code the library no longer has."""
    nb = nbformat.read(path, as_version=4)
    cells = _code_cells(nb)
    namespace = _tutorial_lib_imports(ast.parse("\n".join(line for c in cells for line in c.source.splitlines()
                                                           if not line.lstrip().startswith(("%", "!")))))
    for cell in cells:
        calls = [line for line in cell.source.splitlines() if line.startswith("show(")]
        if not calls:
            continue
        shown = [out.data["text/plain"] for out in cell.outputs  # a listing: pygments' highlighted HTML
                 if out.output_type == "display_data" and 'class="highlight"' in out.get("data", {}).get("text/html", "")]
        for call, text in zip(calls, shown, strict=True):
            listing = eval(call.replace("show(", "Listing(", 1), {**namespace, "Listing": Listing})  # noqa: S307
            assert text == listing.source.rstrip("\n"), (
                f"{path.name}: {call} shows older code than the library's; run tools/execute_notebooks.py "
                f"{path.name[:2]}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_listings_are_highlighted_code_written_once(path):
    """The library's code is shown with show() (highlighted), or copied by tools/sync_listings.py, never printed."""
    nb = nbformat.read(path, as_version=4)
    for cell in _code_cells(nb):
        assert "getsource" not in cell.source, f"show the code with tutorial_lib.listing.show: {cell.source[:60]!r}"
        if re.match(r"show\(", cell.source.splitlines()[-1]):
            assert [o.output_type for o in cell.outputs] == ["display_data"], cell.source
            assert set(cell.outputs[0].data) == {"text/html", "text/plain"}, cell.source
            assert "<span style=" in cell.outputs[0].data["text/html"], "the listing is highlighted"
    synced = [c.metadata["listing"] for c in nb.cells if "listing" in c.get("metadata", {})]
    assert synced == SYNCED.get(path.name[:2], [])


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[:2] in SYNCED], ids=lambda p: p.stem)
def test_synced_copies_are_identical_to_the_library(path):
    """An editable copy in a notebook is the library's function, character for character, and runs as it is."""
    nb = nbformat.read(path, as_version=4)
    for i, expected in sync_listings.expected_cells(nb, path.name[:2]):
        cell = nb.cells[i]
        assert cell.source == expected, (f"{path.name} cell {i} differs from the library: run "
                                         "tools/sync_listings.py, then tools/execute_notebooks.py")
        if "listing" in cell.metadata:
            obj = sync_listings.library_object(cell.metadata["listing"])
            defined = next(n for n in ast.parse(cell.source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef)))
            assert ast.get_source_segment(cell.source, defined) == textwrap.dedent(inspect.getsource(obj)).rstrip()
            namespace: dict = {}
            for earlier in (c for c in nb.cells[:i] if c.cell_type == "code"):  # the plain imports of earlier cells
                code = "\n".join(line for line in earlier.source.splitlines() if not line.lstrip().startswith("%"))
                exec("\n".join(ast.unparse(n) for n in ast.parse(code).body if isinstance(n, ast.Import)), namespace)  # noqa: S102
            exec(cell.source, namespace)  # noqa: S102 (our own committed cell): with those, its imports suffice
            assert callable(namespace[obj.__name__])
            assert cell.outputs == [] and not [t for t in _output_texts(cell)]


def test_the_sync_tool_finds_a_drifted_copy_and_rewrites_it():
    nb = nbformat.read(NOTEBOOKS[1], as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("listing"))
    cell.source = cell.source.replace("text.lower()", "text.upper()")
    stale = [i for i, source in sync_listings.expected_cells(nb, "02") if nb.cells[i].source != source]
    assert stale == [nb.cells.index(cell)]
    result = subprocess.run([sys.executable, "tools/sync_listings.py", "--check"], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0 and result.stdout == "", "the committed notebooks are in sync"


def test_a_listing_is_the_source_as_text_and_highlighted_html():
    from tutorial_lib import balancing

    listing = Listing(balancing.tweets_per_class, balancing.class_weights)
    assert listing.source == (inspect.getsource(balancing.tweets_per_class) + "\n"
                              + inspect.getsource(balancing.class_weights))
    html = listing._repr_html_()
    assert html.startswith('<div class="highlight"><pre') and '<span style="color' in html


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_notebook_variable_takes_the_name_of_a_parameter_it_does_not_list(path):
    """Config.from_namespace(globals()) reads every parameter name: run again after a later cell set such a name,
    it would take that variable for the parameter (rerunning the parameters cell resets only the names it lists)."""
    listed = set(NOTEBOOK_PARAMS[path.name[:2]])
    for cell in _code_cells(nbformat.read(path, as_version=4)):
        code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        stored = {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        clash = sorted((stored & set(Config.names())) - listed)
        assert not clash, f"{path.name}: rename the variable(s) {clash} in {cell.source[:60]!r}"
