"""Re-execute committed notebooks in place, top to bottom, the way the textbook is committed.

Usage (from the project root, with the venv):  python tools/execute_notebooks.py [NN ...]
Without arguments every numbered notebook runs, in order (08 then loads the model 07 saved in
build/run). Each notebook runs in a fresh ``python3`` kernel in the ``notebooks/`` folder, at the
default parameters of its ``parameters`` cell, with widget state stored (the progress bars render on
GitHub) and without per-cell timestamps; the file is replaced atomically only when every cell ran.
Set ``TWEETS_DATA_DIR`` when the data is not in the ``data/`` cache.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tutorial_lib.paths import atomic_write_text  # noqa: E402
from tutorial_tools.series import list_notebooks, select_notebooks  # noqa: E402


def execute_in_place(path: Path) -> float:
    """Execute ``path`` in a fresh kernel and write it back; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=1200, kernel_name="python3", record_timing=False,
                            store_widget_state=True, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    nb.metadata["language_info"] = {"name": "python", "version": "3.11"}  # no patch-level churn
    atomic_write_text(path, nbformat.writes(nb) + "\n")
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    notebooks = select_notebooks(list_notebooks(ROOT / "notebooks"), only=argv or None)
    for path in notebooks:
        try:
            seconds = execute_in_place(path)
        except CellExecutionError as exc:
            print(f"error: {path.name} failed; the committed file was left unchanged:\n{exc}", file=sys.stderr)
            return 1
        print(f"{path.name}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
