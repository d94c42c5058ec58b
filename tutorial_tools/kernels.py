"""The kernels the series runner owns: one notebook executed by papermill in a kernel of its own.

:func:`execute_notebook` runs papermill in a worker thread so that Ctrl-C reaches the main thread at
once; the kernel's own log goes to a temporary file, not the terminal (:class:`_QuietKernelManager`),
and an asynchronous client lets nbclient notice a kernel that dies mid-cell. Every
:data:`PROGRESS_EVERY_S` seconds the runner is told which cell is running (:func:`running_cell`,
numbered as the notebook numbers it by :func:`cell_name`). Every failure is a :class:`SeriesError`
naming the notebook (and the cell); :mod:`tutorial_tools.series` runs the whole series with it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager
from traitlets import DottedObjectName

from tutorial_lib.paths import message_path

from .cli import Failure

KERNEL_NAME = "python3"
#: Tags of the cells papermill adds to an executed copy (not counted when a cell is named by its number).
PAPERMILL_TAGS = frozenset({"injected-parameters", "papermill-error-cell-tag"})
#: How often the runner says which cell a long notebook is in (seconds).
PROGRESS_EVERY_S = 30.0
#: After Ctrl-C, how long the interrupted cell may take to stop before its kernel is killed.
INTERRUPT_GRACE_S = 10.0


class SeriesError(Failure):
    """A notebook of the series failed; the message names the notebook and the cell."""


def executed_cells(path: Path) -> list:
    """Return the cells of the executed copy ``path`` as papermill saved it last ([] when it cannot be read).

    Papermill rewrites the copy as each cell starts, so it may not exist yet or be half-written just now.
    """
    import nbformat

    try:
        return nbformat.read(path, as_version=4).cells
    except (OSError, ValueError):
        return []


def running_cell(path: Path) -> str:
    """Return the cell of the executed notebook ``path`` that started last, by :func:`cell_name` ('' if unknown).

    Papermill saves the executed copy as each cell starts, with its start time; the last cell that
    started is the one running (or the one that was running when its kernel died).
    """
    cells = executed_cells(path)
    started = [i for i, c in enumerate(cells) if c.metadata.get("papermill", {}).get("start_time")]
    return cell_name(cells, started[-1]) if started else ""


def cell_name(cells: list, index: int) -> str:
    """Return cell ``index`` of an executed notebook as the committed notebook numbers it, with its first code line.

    Cells count from 1, text cells included; the cells papermill adds (its injected parameters, its
    error banners) do not count, so the number is the one the notebook itself has (e.g.
    ``cell 22 of 27 (net, history = ...)``).
    """
    own = [i for i, c in enumerate(cells) if not set(c.metadata.get("tags", [])) & PAPERMILL_TAGS]
    number = sum(1 for i in own if i <= index)
    lines = [line.strip() for line in cells[index].source.splitlines()]
    first = next((line for line in lines if line and not line.startswith("#")), "")
    shown = first if len(first) <= 60 else first[:57] + "..."
    return f"cell {number} of {len(own)}" + (f" ({shown})" if shown else "")


def execute_notebook(nb: Path, target: Path, params: dict[str, Any], *,
                     progress: Callable[[str], Any] | None = None) -> None:
    """Execute ``nb`` into ``target`` with papermill in a fresh ``python3`` kernel that this function owns.

    Papermill runs in a worker thread so that Ctrl-C reaches this (main) thread at once, even while
    a cell runs: the kernel is then interrupted (the cell gets a ``KeyboardInterrupt``, so files being
    written atomically are abandoned cleanly), papermill saves the partial copy, the kernel is shut
    down (killed after :data:`INTERRUPT_GRACE_S` seconds, or at a second Ctrl-C), and
    ``KeyboardInterrupt`` is raised again. Raises :class:`SeriesError` naming the notebook (and the
    cell) for every other failure, a kernel that dies mid-cell included. The kernel's own log goes to
    a temporary file, not the terminal (see :class:`_QuietKernelManager`). Every :data:`PROGRESS_EVERY_S`
    seconds ``progress`` gets a line saying how long the notebook has run and which cell is running.
    """
    import papermill

    km = _kernel_for(nb)
    outcome: dict[str, BaseException] = {}

    def work() -> None:
        try:
            papermill.execute_notebook(
                str(nb), str(target), parameters=params, kernel_name=KERNEL_NAME, km=km,
                cwd=str(nb.parent), progress_bar=False, log_output=False,
            )
        except BaseException as exc:  # handed to the main thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name=f"papermill {nb.name}", daemon=True)
    with tempfile.TemporaryFile() as km.kernel_log, _quiet_papermill():
        worker.start()
        try:
            _wait_reporting(worker, target, progress)
        except KeyboardInterrupt:
            _stop_kernel(km, worker)
            raise
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=False)
        last_words = _last_line(km.kernel_log)
    if "error" in outcome:
        raise _failure(outcome["error"], nb, target, last_words) from None


def _wait_reporting(worker: threading.Thread, target: Path, progress: Callable[[str], Any] | None) -> None:
    """Wait for ``worker``; every :data:`PROGRESS_EVERY_S` seconds tell ``progress`` the time so far and the cell."""
    started = next_report = time.monotonic()
    while worker.is_alive():
        worker.join(0.1)
        now = time.monotonic()
        if progress is not None and worker.is_alive() and now - next_report >= PROGRESS_EVERY_S:
            next_report = now
            minutes, seconds = divmod(int(now - started), 60)
            where = running_cell(target)
            progress(f"still running after {minutes} min {seconds:02d} s" + (f", in {where}" if where else ""))


@contextlib.contextmanager
def _quiet_papermill():
    """Silence papermill's logger (its failure lines, nbclient's "Kernel died ..."): the SeriesError says it once."""
    papermill_log = logging.getLogger("papermill")
    level = papermill_log.level
    papermill_log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        papermill_log.setLevel(level)


def _kernel_for(nb: Path) -> _QuietKernelManager:
    """Return a manager for the ``python3`` kernel, or raise :class:`SeriesError` with the fix when none is registered."""
    from jupyter_client.kernelspec import NoSuchKernel

    km = _QuietKernelManager(kernel_name=KERNEL_NAME)
    try:
        km.kernel_spec  # noqa: B018  (looks the kernel up now, before any thread starts)
    except NoSuchKernel:
        raise SeriesError(f"the Jupyter kernel '{KERNEL_NAME}' is not registered for this Python, so "
                          f"{nb.name} cannot run; rerun the set-up (make setup, or python tools/setup_env.py), "
                          f"then python -m tutorial_lib doctor") from None
    return km


def _failure(error: BaseException, nb: Path, target: Path, last_words: str) -> SeriesError:
    """Return the :class:`SeriesError` for papermill's ``error``: a failed cell, a dead kernel, or anything else."""
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        return SeriesError(
            f"notebook {nb.name} failed in {_failed_cell(target, error)}: "
            f"{error.ename}: {error.evalue}\nThe executed copy with the full traceback is "
            f"{message_path(target)}; open it, or run the notebook alone in JupyterLab (make lab)."
        )
    said = f" (the kernel's last log line: {last_words})" if last_words else ""
    if isinstance(error, DeadKernelError):
        where = running_cell(target)
        return SeriesError(f"the kernel running {nb.name} died in the middle of {where or 'a cell'}, most often because "
                           f"it ran out of memory{said}. The partial executed copy is {message_path(target)}; run the "
                           f"notebook alone in JupyterLab (make lab) to see more.")
    first = (str(error).strip().splitlines() or [""])[0]
    return SeriesError(f"notebook {nb.name} could not be executed: {type(error).__name__}: {first}{said} "
                       f"(python -m tutorial_lib doctor checks the set-up)")


def _failed_cell(target: Path, error) -> str:
    """Return the failed cell as the notebook numbers it (:func:`cell_name`) and its ``[n]`` in the executed copy."""
    marker = f"[{error.exec_count}] in the executed copy"
    cells = executed_cells(target)
    failed = [i for i, c in enumerate(cells) if c.metadata.get("papermill", {}).get("exception")]
    return f"{cell_name(cells, failed[0])}, {marker}" if failed else f"the cell shown as {marker}"


class _QuietKernelManager(KernelManager):
    """A kernel manager whose kernel writes its own log (not the cells' outputs) to ``kernel_log``.

    A kernel process prints warnings of its own to the terminal it inherits (an unencrypted-TCP
    notice at every start, and now and then a traceback from a race inside ipykernel while it shuts
    down). Cell outputs never go there: they reach the notebook over ZMQ. So the series keeps that
    log out of the user's terminal, where it would bury the one ``error:`` line, and quotes its last
    line only when the kernel itself failed.
    """

    kernel_log = None  # an open binary file, set by execute_notebook
    # nbclient watches for a dead kernel only while its event loop runs; the default blocking client
    # stalls that loop while it waits for output, so a kernel that died mid-cell hung the run for good.
    client_class = DottedObjectName("jupyter_client.asynchronous.AsyncKernelClient")

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if self.kernel_log is not None:
            kw.setdefault("stdout", self.kernel_log)
            kw.setdefault("stderr", self.kernel_log)
        await super()._async_launch_kernel(kernel_cmd, **kw)


#: Lines every kernel writes to its log at start, which say nothing about why it failed.
ROUTINE_KERNEL_LOG = re.compile(r"Kernel is running over TCP without encryption|^\s*$")


def _last_line(log) -> str:
    """Return the last line written to the binary file ``log`` that is not routine ('' when none)."""
    log.seek(0)
    lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines()
             if not ROUTINE_KERNEL_LOG.search(line)]
    return lines[-1] if lines else ""


def _stop_kernel(km, worker: threading.Thread) -> None:
    """After Ctrl-C: interrupt the running cell, let papermill save, then make sure the kernel is gone."""
    try:
        if km.has_kernel:
            km.interrupt_kernel()
        deadline = time.monotonic() + INTERRUPT_GRACE_S
        while worker.is_alive() and time.monotonic() < deadline:
            worker.join(0.1)
    except KeyboardInterrupt:  # a second Ctrl-C: stop waiting for the cell
        pass
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        worker.join(5)
