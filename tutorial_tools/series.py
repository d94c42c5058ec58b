"""Run the whole notebook series with papermill: ``python -m tutorial_lib run`` (``make run``).

Each numbered notebook in ``notebooks/`` is executed in order, in a fresh kernel, with the same
parameters, and the executed copy is written to the output folder (default ``build/run``); the
committed notebooks are never rewritten. Afterwards ``metrics.json`` gathers the parameters, the
test metrics and baselines written by notebook 08, and the time each notebook took.

Failures are exceptions whose message says what to do, which the command line
(:mod:`tutorial_tools.cli`, also the ``run`` options) prints as one ``error:`` line with its exit
status: :class:`SeriesInputError` (the run cannot start as asked: a notebook name, the device, the
user's data, an output folder that cannot be created, each named with the reason) before anything
runs; :class:`SeriesError` when a cell fails (named with its notebook) or a kernel dies; Ctrl-C
while a notebook runs interrupts and stops its kernel, keeps the partial executed copy, and raises
:class:`SeriesInterrupted` saying which files are whole (``model.pt`` and ``metrics.json`` are only
ever written atomically). Each notebook runs in a kernel of its own (:mod:`tutorial_tools.kernels`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path
from typing import Any

from tutorial_lib import __version__
from tutorial_lib.config import Config
from tutorial_lib.paths import atomic_write_text, message_path, project_root
from tutorial_lib.stages import EVALUATION_FILE, METRICS_FILE, MODEL_FILE

from .cli import Interrupted, UsageError
from .kernels import SeriesError, execute_notebook, executed_cells

NOTEBOOK_PATTERN = re.compile(r"^(\d\d)_[\w-]+\.ipynb$")
LOCK_FILE = ".run.lock"  # held by the run writing into an output folder (output_lock)


class SeriesInputError(SeriesError, UsageError):
    """The series cannot start as asked (a notebook name, the device, the data, the output folder); nothing ran."""


class SeriesInterrupted(SeriesError, Interrupted):
    """Ctrl-C stopped the series; the message names the notebook, its partial copy and the files' state."""


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
            raise SeriesInputError(f"--from {start!r} names no notebook; choose from {[p.name for p in notebooks]}")
        chosen = chosen[idx:]
    if only:
        unknown = [k for k in only if not any(matches(p, k) for p in notebooks)]
        if unknown:
            raise SeriesInputError(f"--only {unknown} name no notebook; choose from {[p.name for p in notebooks]}")
        chosen = [p for p in chosen if any(matches(p, k) for k in only)]
    return chosen


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
    Ctrl-C raises :class:`SeriesInterrupted` once the notebook's kernel is stopped.
    """
    out = Path(output_dir).expanduser().resolve()
    params = dict(parameters or {})
    params["output_dir"] = str(out)
    config = Config.from_mapping(params, strict=True)  # raises ConfigError with the allowed values
    folder = Path(notebooks_folder) if notebooks_folder else notebooks_dir()
    notebooks = select_notebooks(list_notebooks(folder), only, start)
    if not notebooks:
        raise SeriesInputError(f"no numbered notebooks found in {message_path(folder)}")
    _check_device(config)
    if config.train_csv is not None or config.unlabeled_csv is not None:
        _check_user_data(config)
    make_output_dir(out)
    with output_lock(out):  # a second run into the same folder stops here instead of mixing its files in
        timings = _run_each(notebooks, out, params, log)
        return _write_metrics(out, config, notebooks, timings)


def _run_each(notebooks: list[Path], out: Path, params: dict[str, Any], log) -> dict[str, float]:
    """Execute ``notebooks`` in order into ``out``; return the seconds each took, and the total."""
    timings: dict[str, float] = {}
    started = time.time()
    t_total = time.perf_counter()
    notes_seen: set[str] = set()
    for nb in notebooks:
        target = out / nb.name
        log(f"[{nb.name}] running ...", flush=True)
        t0 = time.perf_counter()
        try:
            execute_notebook(nb, target, params, progress=lambda text, name=nb.name: log(f"[{name}] {text}", flush=True))
        except KeyboardInterrupt:
            raise SeriesInterrupted(interrupted_message(nb, target, out, started)) from None
        timings[nb.stem] = round(time.perf_counter() - t0, 2)
        for note in notebook_notes(target):  # what the library said the user should know, once per run
            if note not in notes_seen:
                notes_seen.add(note)
                log(f"[{nb.name}] {note}", flush=True)
        log(f"[{nb.name}] done in {timings[nb.stem]:.1f} s", flush=True)
    timings["total"] = round(time.perf_counter() - t_total, 2)
    return timings


def _write_metrics(out: Path, config: Config, notebooks: list[Path], timings: dict[str, float]) -> dict[str, Any]:
    """Write ``metrics.json`` (parameters, notebook 08's evaluation when it ran, timings) atomically; return it."""
    metrics: dict[str, Any] = {"library_version": __version__, "params": config.to_dict()}
    evaluation_path = out / EVALUATION_FILE
    if evaluation_path.is_file() and any(nb.name.startswith("08") for nb in notebooks):
        metrics.update(json.loads(evaluation_path.read_text()))
    metrics["timings_s"] = timings
    try:
        atomic_write_text(out / METRICS_FILE, json.dumps(metrics, indent=2, sort_keys=False) + "\n")
    except OSError as exc:
        raise SeriesError(f"cannot write {message_path(out / METRICS_FILE)}: {exc.strerror or exc} "
                          f"(the executed notebooks are in {message_path(out)})") from None
    return metrics


def _check_device(config: Config) -> None:
    """Raise :class:`SeriesInputError` when the device asked for by name is not here (before notebook 06 finds out)."""
    if config.device in ("auto", "cpu"):
        return  # always available; torch is not imported for nothing
    from tutorial_lib.errors import ConfigError
    from tutorial_lib.training import resolve_device

    try:
        resolve_device(config.device)
    except ConfigError as exc:
        raise SeriesInputError(str(exc)) from None


def _check_user_data(config: Config) -> None:
    """Raise :class:`SeriesInputError` with the reason when the user's ``train_csv`` cannot be used (before any notebook runs)."""
    from tutorial_lib.errors import DataError
    from tutorial_lib.pipeline import check_data

    try:
        check_data(config)
    except DataError as exc:
        raise SeriesInputError(str(exc)) from None


def make_output_dir(out: Path) -> None:
    """Create the output folder, or raise :class:`SeriesInputError` saying which folder and why not."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        return
    except OSError as exc:
        why = exc.strerror or str(exc)
    existing = next((p for p in (out, *out.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        why += f" ({existing} is a file, not a folder)"
    elif existing is not None and not os.access(existing, os.W_OK):
        why += f" (no write permission in {existing})"
    raise SeriesInputError(f"cannot create the output folder {out}: {why}; choose another with --output-dir")


@contextlib.contextmanager
def output_lock(out: Path):
    """Hold the output folder ``out`` for one run; raise :class:`SeriesError` if another run holds it.

    The lock is an operating-system lock on ``out/.run.lock`` (``flock``; ``msvcrt.locking`` on
    Windows): it ends with the process that holds it, so a crashed or killed run never leaves the
    folder locked. The file itself stays (removing it would race with a run opening it).
    """
    with open(out / LOCK_FILE, "a+", encoding="utf-8") as handle:
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise SeriesError(f"another run is writing into {message_path(out)} ({holder}); wait for it to finish, "
                              "or give this run its own folder with --output-dir")
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        yield  # the lock goes with the file handle when it closes


def _try_lock(handle) -> bool:
    """Take an exclusive lock on the open file ``handle`` without waiting; return False if another holds it."""
    try:
        if os.name == "nt":  # pragma: no cover (Windows)
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def notebook_notes(path: Path) -> list[str]:
    """Return the lines starting with ``note:`` that the cells of the executed notebook ``path`` printed, in order."""
    return [line.strip() for cell in executed_cells(path) for output in cell.get("outputs", [])
            if output.get("output_type") == "stream" for line in output.get("text", "").splitlines()
            if line.startswith("note: ")]


def interrupted_message(nb: Path, target: Path, out: Path, started: float) -> str:
    """Return what Ctrl-C left behind: the notebook, its partial copy, and the state of the result files."""

    def state(name: str, writer: str) -> str:
        path = out / name
        if not path.is_file():
            return f"no {name} was written"
        if path.stat().st_mtime >= started:
            return f"{name} was written whole by {writer} before the interrupt"
        return f"{name} is from an earlier run and was not touched"

    copy = (f"its partial executed copy is {message_path(target)}" if target.is_file()
            else f"it had not saved an executed copy yet ({message_path(target)} does not exist)")
    return (f"interrupted (Ctrl-C) while running {nb.name}; its kernel was stopped and {copy}.\n"
            f"Nothing was half-written ({MODEL_FILE} and {METRICS_FILE} are written to a temporary file and renamed "
            f"when complete): {state(MODEL_FILE, 'this run')}; {state(METRICS_FILE, 'this run')}.")


def format_summary(metrics: dict[str, Any], output_dir: Path) -> str:
    """Return the short text summary printed after a run."""
    lines = [f"Executed notebooks, metrics.json and model.pt are in {output_dir}"]
    if "accuracy" in metrics:
        lines.append(f"  {'LSTM (test split)':26s} accuracy {metrics['accuracy']:.3f}   macro-F1 {metrics['macro_f1']:.3f}")
        for name, label in (("majority", "majority class"), ("tfidf_logreg", "TF-IDF + log. regression"),
                            ("tfidf_wordchar", "TF-IDF word+char + LR")):
            base = metrics.get("baselines", {}).get(name)
            if base:
                lines.append(f"  {label:26s} accuracy {base['accuracy']:.3f}   macro-F1 {base['macro_f1']:.3f}")
    timings = metrics.get("timings_s", {})
    lines.append("  time per notebook: " + ", ".join(
        f"{k} {v:.1f} s" for k, v in timings.items() if k != "total"))
    lines.append(f"  total: {timings.get('total', 0):.1f} s")
    return "\n".join(lines)
