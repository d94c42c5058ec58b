"""Shared pytest fixtures.

``real_data_dir`` gives tests the tutorial's real data set, found the way the package finds it
(``TWEETS_DATA_DIR``, the cache, or a download). A missing data set FAILS these tests, with the
message saying how to fix it: they are never silently skipped, in CI or anywhere else.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def benchmark_module(name: str) -> Any:
    """Return ``benchmarks/NAME.py`` imported as the benchmark scripts import each other (``benchmarks/`` is a
    folder of scripts, not a package): e.g. ``benchmark_module("vader")``, the benchmark-only VADER peer."""
    folder = str(ROOT / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)

# a call that draws: pyplot (plt.subplots, plt.show, ...), a plot_... function (figures.plot_split_then_balance,
# balancing.plot_class_distribution, ...) or pandas' and History's .plot
FIGURE_CALL = re.compile(r"\bplt\.\w+\(|\bplot_\w+\(|\.plot\b")


def figure_cells_without_image(nb: Any) -> list[str]:
    """Return ``"cell N: first line"`` for each code cell of ``nb`` that draws a figure but shows no image.

    ``nb`` is a notebook as nbformat reads it (or its JSON dict). A figure cell is a code cell whose
    code (comments left out) matches :data:`FIGURE_CALL`; it must have an output holding ``image/png``.
    Works on committed notebooks and on executed copies (the workshop kit's): a figure that is drawn
    but never displayed (``plt.show()`` after a figure pyplot does not know) leaves none.
    """
    missing = []
    for index, cell in enumerate(nb["cells"]):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("#"))
        if cell["cell_type"] != "code" or not FIGURE_CALL.search(code):
            continue
        if not any("image/png" in out.get("data", {}) for out in cell.get("outputs", [])):
            missing.append(f"cell {index}: {code.strip().splitlines()[0]}")
    return missing


def load_tool(name: str):
    """Import ``tools/<name>.py`` (the stdlib-only scripts outside the package) as module ``name``."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    """Tiny models run fastest on one thread; two threads on a busy 2-core machine run ~40x slower."""
    import sys

    torch = sys.modules.get("torch")  # only when the test module imported torch (01-05 tests do not)
    if torch is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """Return the folder holding the verified real train.csv and test.csv."""
    from tutorial_lib.loading import DataError, get_data_dir

    try:
        return get_data_dir()
    except DataError as exc:
        # Never skipped (in CI or elsewhere): a missing data set is a failure with the fix in it.
        pytest.fail(f"the real data set is needed for this test and was not found:\n{exc}")


@pytest.fixture(scope="session")
def real_raw(real_data_dir):
    """Return ``(train_raw, test_raw)`` read from the real data set."""
    from tutorial_lib.loading import read_test_csv, read_train_csv

    return read_train_csv(real_data_dir / "train.csv"), read_test_csv(real_data_dir / "test.csv")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """Point the data cache at a temp folder and make sure TWEETS_DATA_DIR does not interfere."""
    from tutorial_lib import loading

    folder = tmp_path / "cache"
    monkeypatch.setattr(loading, "cache_dir", lambda: folder)
    monkeypatch.delenv(loading.ENV_VAR, raising=False)
    return folder
