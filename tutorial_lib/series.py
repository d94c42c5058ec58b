"""Run the whole notebook series with papermill: ``python -m tutorial_lib run`` (``make run``).

Each numbered notebook in ``notebooks/`` is executed in order, in a fresh kernel, with the same
parameters, and the executed copy is written to the output folder (default ``build/run``); the
committed notebooks are never rewritten. Afterwards ``metrics.json`` gathers the parameters, the
test metrics and baselines written by notebook 08, and the time each notebook took.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config, ConfigError
from .paths import atomic_write_text, display_path, project_root
from .stages import EVALUATION_FILE

NOTEBOOK_PATTERN = re.compile(r"^(\d\d)_[\w-]+\.ipynb$")
METRICS_FILE = "metrics.json"


class SeriesError(RuntimeError):
    """A notebook of the series failed; the message names the notebook and the cell."""


def notebooks_dir() -> Path:
    """Return the folder of the committed notebooks."""
    return project_root() / "notebooks"


def list_notebooks(folder: Path | None = None) -> list[Path]:
    """Return the numbered notebooks (``NN_name.ipynb``), in order."""
    folder = folder or notebooks_dir()
    return sorted(p for p in folder.glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))


def select_notebooks(notebooks: list[Path], only: list[str] | None = None,
                     start: str | None = None) -> list[Path]:
    """Return the notebooks chosen by ``--only`` (numbers or names) and/or ``--from`` (a number or name)."""

    def matches(path: Path, key: str) -> bool:
        key = key.strip()
        return path.name == key or path.stem == key or path.name[:2] == key.zfill(2)

    chosen = list(notebooks)
    if start is not None:
        idx = next((i for i, p in enumerate(chosen) if matches(p, start)), None)
        if idx is None:
            raise SeriesError(f"--from {start!r} names no notebook; choose from {[p.name for p in notebooks]}")
        chosen = chosen[idx:]
    if only:
        unknown = [k for k in only if not any(matches(p, k) for p in notebooks)]
        if unknown:
            raise SeriesError(f"--only {unknown} name no notebook; choose from {[p.name for p in notebooks]}")
        chosen = [p for p in chosen if any(matches(p, k) for k in only)]
    return chosen


def parse_value(text: str) -> Any:
    """Return ``text`` converted like papermill's ``-p``: True/False/None, int, float, else the string."""
    if text in ("True", "False"):
        return text == "True"
    if text == "None":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def run_series(
    output_dir: str | os.PathLike = "build/run",
    parameters: dict[str, Any] | None = None,
    *,
    only: list[str] | None = None,
    start: str | None = None,
    notebooks_folder: str | os.PathLike | None = None,
    log=print,
) -> dict[str, Any]:
    """Execute the series and return the metrics dict that is also written to ``metrics.json``.

    ``parameters`` are validated with :class:`~tutorial_lib.config.Config` before anything runs
    (papermill itself only warns about unknown names). Raises :class:`SeriesError` naming the
    notebook and cell when a cell fails; the executed copy, with the error, stays in the folder.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    out = Path(output_dir).expanduser().resolve()
    params = dict(parameters or {})
    params["output_dir"] = str(out)
    config = Config.from_mapping(params, strict=True)  # raises ConfigError with the allowed values
    folder = Path(notebooks_folder) if notebooks_folder else notebooks_dir()
    notebooks = select_notebooks(list_notebooks(folder), only, start)
    if not notebooks:
        raise SeriesError(f"no numbered notebooks found in {display_path(folder)}")
    out.mkdir(parents=True, exist_ok=True)

    timings: dict[str, float] = {}
    t_total = time.perf_counter()
    for nb in notebooks:
        target = out / nb.name
        log(f"[{nb.name}] running ...", flush=True)
        t0 = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(nb), str(target), parameters=params, kernel_name="python3",
                cwd=str(nb.parent), progress_bar=False, log_output=False,
            )
        except PapermillExecutionError as exc:
            raise SeriesError(
                f"notebook {nb.name} failed in cell {exc.cell_index} (execution count {exc.exec_count}): "
                f"{exc.ename}: {exc.evalue}\nThe executed copy with the full traceback is "
                f"{display_path(target)}; open it, or run the notebook alone in JupyterLab (make lab)."
            ) from None
        timings[nb.stem] = round(time.perf_counter() - t0, 2)
        log(f"[{nb.name}] done in {timings[nb.stem]:.1f} s", flush=True)
    timings["total"] = round(time.perf_counter() - t_total, 2)

    metrics: dict[str, Any] = {"library_version": __version__, "params": config.to_dict()}
    evaluation_path = out / EVALUATION_FILE
    if evaluation_path.is_file() and any(nb.name.startswith("08") for nb in notebooks):
        metrics.update(json.loads(evaluation_path.read_text()))
    metrics["timings_s"] = timings
    atomic_write_text(out / METRICS_FILE, json.dumps(metrics, indent=2, sort_keys=False) + "\n")
    return metrics


def format_summary(metrics: dict[str, Any], output_dir: Path) -> str:
    """Return the short text summary printed after a run."""
    lines = [f"Executed notebooks, metrics.json and model.pt are in {output_dir}"]
    if "accuracy" in metrics:
        lines.append(f"  {'LSTM (test split)':26s} accuracy {metrics['accuracy']:.3f}   macro-F1 {metrics['macro_f1']:.3f}")
        for name, label in (("majority", "majority class"), ("tfidf_logreg", "TF-IDF + log. regression")):
            base = metrics.get("baselines", {}).get(name)
            if base:
                lines.append(f"  {label:26s} accuracy {base['accuracy']:.3f}   macro-F1 {base['macro_f1']:.3f}")
    timings = metrics.get("timings_s", {})
    lines.append("  time per notebook: " + ", ".join(
        f"{k} {v:.1f} s" for k, v in timings.items() if k != "total"))
    lines.append(f"  total: {timings.get('total', 0):.1f} s")
    return "\n".join(lines)


def cli_main(argv: list[str]) -> int:
    """``python -m tutorial_lib run [--output-dir DIR] [-p NAME VALUE]... [--only NN...] [--from NN]``."""
    parser = argparse.ArgumentParser(
        prog="python -m tutorial_lib run",
        description="Execute the notebook series with papermill, passing the same parameters to each.",
    )
    parser.add_argument("--output-dir", default=None,
                        help="folder for executed notebooks, metrics.json and model.pt (default: build/run "
                             "in the project; a relative path is taken from the current folder)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter, typed like papermill's -p (True/False/None, int, float, text)")
    parser.add_argument("-r", "--raw", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter kept as text")
    parser.add_argument("--only", nargs="+", default=None, metavar="NN", help="run only these notebooks")
    parser.add_argument("--from", dest="start", default=None, metavar="NN", help="start at this notebook")
    args = parser.parse_args(argv)

    params: dict[str, Any] = {name: parse_value(value) for name, value in args.parameter}
    params.update({name: value for name, value in args.raw})
    if "output_dir" in params:
        print("error: give the output folder with --output-dir, not -p output_dir", file=sys.stderr)
        return 2
    if isinstance(params.get("data_dir"), str):  # a relative data_dir is taken from the current folder
        params["data_dir"] = str(Path(params["data_dir"]).expanduser().resolve())
    output_dir = Path(args.output_dir).expanduser().resolve() if args.output_dir else project_root() / "build/run"
    try:
        metrics = run_series(output_dir, params, only=args.only, start=args.start)
    except (ConfigError, SeriesError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    shown = display_path(output_dir)
    print(format_summary(metrics, Path(shown) if not shown.startswith("...") else output_dir))
    return 0
