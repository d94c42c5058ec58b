"""The series runner and the parameter validation it relies on."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tutorial_lib.config import Config, ConfigError
from tutorial_tools.cli import parse_value
from tutorial_tools.series import SeriesError, run_series, select_notebooks

NAMES = [Path(f"{i:02d}_{n}.ipynb") for i, n in enumerate(["loading", "preprocessing", "balancing"], 1)]


@pytest.mark.parametrize(
    ("text", "value"), [("True", True), ("False", False), ("None", None), ("3", 3), ("0.5", 0.5),
                        ("1e-3", 1e-3), ("cuda", "cuda"), ("../data", "../data")],
)
def test_parse_value_types_like_papermill(text, value):
    assert parse_value(text) == value and type(parse_value(text)) is type(value)


def test_select_by_number_name_and_from():
    assert select_notebooks(NAMES, only=["2"]) == [NAMES[1]]
    assert select_notebooks(NAMES, only=["03_balancing"]) == [NAMES[2]]
    assert select_notebooks(NAMES, start="02") == NAMES[1:]
    assert select_notebooks(NAMES, only=["01", "03"], start="02") == [NAMES[2]]
    with pytest.raises(SeriesError, match="name no notebook"):
        select_notebooks(NAMES, only=["09"])


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [({"epochs": -1}, "epochs=-1"), ({"device": "gpu"}, "'cuda'"), ({"balance": "smote"}, "undersample"),
     ({"seed": 1.5}, "seed"), ({"dropout": 1.0}, "dropout"), ({"batch_size": 0}, "batch_size"),
     ({"bidirectional": "yes"}, "True or False"), ({"test_size": 0.7}, "test_size")],
)
def test_config_rejects_bad_values_with_the_allowed_ones(changes, fragment):
    with pytest.raises(ConfigError, match=fragment):
        Config(**changes)


def test_config_rejects_unknown_names_and_round_trips():
    with pytest.raises(ConfigError, match="unknown parameter"):
        Config.from_mapping({"epoch": 3})
    cfg = Config(seed=4, epochs=2)
    assert Config.from_mapping(cfg.to_dict()) == cfg
    assert Config.from_namespace({"seed": 4, "epochs": 2, "In": [], "_": None}) == cfg
    namespace: dict = {}
    exec(cfg.parameters_cell(), namespace)  # noqa: S102
    assert {k: v for k, v in namespace.items() if k in Config.names()} == cfg.to_dict()


def test_a_name_papermill_injected_that_is_no_parameter_stops_the_notebook(tmp_path):
    """papermill -p epochz 3 only warns; the notebook's Config.from_namespace(globals()) must refuse it."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    nb = tmp_path / "07_like.ipynb"
    _notebook(nb, "from tutorial_lib.config import Config\ncfg = Config.from_namespace(globals())\n"
                  "assert cfg.epochs == 3 and cfg.seed == 0")
    papermill.execute_notebook(str(nb), str(tmp_path / "ok.ipynb"), parameters={"epochs": 3},
                               kernel_name="python3", progress_bar=False)
    with pytest.raises(PapermillExecutionError, match="ConfigError.*'epochz'.*did you mean 'epochs'"):
        papermill.execute_notebook(str(nb), str(tmp_path / "bad.ipynb"), parameters={"epochz": 3},
                                   kernel_name="python3", progress_bar=False)


def test_injected_names_come_from_papermills_cell_only():
    from tutorial_lib.config import injected_names

    history = ["", "# Parameters: the committed cell\nseed = 0\nmine = 1", "# Parameters\nepochz = 3\nseed = 2\n"]
    assert injected_names({"In": history}) == ["epochz", "seed"]
    assert injected_names({}) == [] and injected_names({"In": ["# Parameters\nnot python ("]}) == []
    with pytest.raises(ConfigError, match=r"papermill passed the unknown parameter\(s\) \['epochz'\]"):
        Config.from_namespace({"In": history, "seed": 2, "mine": 1})


def _notebook(path: Path, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("seed = 0")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_failing_notebook_is_named_with_its_cell(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_ok.ipynb", "x = seed + 1")
    _notebook(folder / "02_bad.ipynb", "raise ValueError('boom')")
    with pytest.raises(SeriesError) as err:
        run_series(tmp_path / "out", {"seed": 5}, notebooks_folder=folder, log=lambda *a, **k: None)
    message = str(err.value)
    assert "02_bad.ipynb" in message and "ValueError: boom" in message
    # numbered as the notebook itself has it (papermill's injected cell does not count), [n] as the copy shows it
    assert "failed in cell 2 of 2 (raise ValueError('boom')), [3] in the executed copy" in message
    assert (tmp_path / "out" / "02_bad.ipynb").is_file(), "the executed copy with the error is kept"


def test_partial_run_writes_metrics_with_params_and_timings(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_ok.ipynb", "assert seed == 7")
    metrics = run_series(tmp_path / "out", {"seed": 7}, notebooks_folder=folder, log=lambda *a, **k: None)
    saved = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert saved == metrics and saved["params"]["seed"] == 7
    assert set(saved["timings_s"]) == {"01_ok", "total"}


def test_a_long_notebook_reports_its_cell_and_notes_reach_the_terminal_once(tmp_path, monkeypatch):
    from tutorial_tools import kernels

    monkeypatch.setattr(kernels, "PROGRESS_EVERY_S", 0.5)
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_slow.ipynb", "import time\nprint('note: texts were cut')\ntime.sleep(3)")
    _notebook(folder / "02_again.ipynb", "print('note: texts were cut')\nprint('note: another thing')")
    lines: list[str] = []
    run_series(tmp_path / "out", {}, notebooks_folder=folder, log=lambda text, **k: lines.append(text))
    assert any(line.startswith("[01_slow.ipynb] still running after 0 min 0") and
               line.endswith(", in cell 2 of 2 (import time)") for line in lines), lines
    assert [line for line in lines if "note:" in line] == [
        "[01_slow.ipynb] note: texts were cut", "[02_again.ipynb] note: another thing"]


def test_the_routine_tcp_warning_is_never_quoted_as_the_kernels_last_words():
    import tempfile

    from tutorial_tools.kernels import _last_line

    with tempfile.TemporaryFile() as log:
        log.write(b"Traceback...\nMemoryError\n[IPKernelApp] WARNING | Kernel is running over TCP without "
                  b"encryption. All communication ...\n\n")
        assert _last_line(log) == "MemoryError"
        log.seek(0)
        log.truncate()
        log.write(b"[IPKernelApp] WARNING | Kernel is running over TCP without encryption.\n")
        assert _last_line(log) == ""


def test_an_unavailable_device_stops_the_run_before_the_first_notebook(tmp_path, monkeypatch):
    import torch

    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_ok.ipynb", "x = 1")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SeriesError, match="'cuda' was requested but CUDA is not available here.*'cpu' or 'auto'"):
        run_series(tmp_path / "out", {"device": "cuda"}, notebooks_folder=folder, log=lambda *a, **k: None)
    assert not (tmp_path / "out").exists()


def test_a_second_run_into_a_folder_in_use_stops_with_a_clear_error(tmp_path):
    """Two runs into one folder at once left a folder mixing both; the second one must stop instead."""
    from tutorial_tools.series import output_lock

    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_ok.ipynb", "x = 1")
    out = tmp_path / "out"
    out.mkdir()
    with output_lock(out):  # the first run, still writing
        with pytest.raises(SeriesError, match=r"another run is writing into .*out \(pid \d+, started .*--output-dir"):
            run_series(out, {}, notebooks_folder=folder, log=lambda *a, **k: None)
        assert not (out / "01_ok.ipynb").exists() and not (out / "metrics.json").exists()
    run_series(out, {}, notebooks_folder=folder, log=lambda *a, **k: None)  # free again once the first one ends
    assert (out / "metrics.json").is_file()


# --------------------------------------------------------------------- failures: one error line, never a traceback
def test_output_folder_under_a_file_is_named_with_the_reason(tmp_path, capsys):
    from tutorial_tools.cli import main

    (tmp_path / "afile").write_text("x")
    assert main(["run", "--output-dir", str(tmp_path / "afile" / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot create the output folder {tmp_path / 'afile' / 'out'}: ")
    assert f"({tmp_path / 'afile'} is a file, not a folder)" in err and "Traceback" not in err


def test_output_folder_without_permission_is_named_with_the_reason(tmp_path, monkeypatch):
    from tutorial_tools import series

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(SeriesError, match=r"cannot create the output folder .*/out: Permission denied"):
        series.make_output_dir(tmp_path / "out")


def test_a_missing_kernel_is_an_error_with_the_fix(tmp_path, monkeypatch):
    from tutorial_tools import kernels

    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_ok.ipynb", "x = 1")
    monkeypatch.setattr(kernels, "KERNEL_NAME", "no-such-kernel-for-this-test")
    with pytest.raises(SeriesError, match="is not registered for this Python.*setup_env.py"):
        run_series(tmp_path / "out", {}, notebooks_folder=folder, log=lambda *a, **k: None)


def _pid_alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_ctrl_c_stops_the_kernel_keeps_the_partial_copy_and_exits_130(tmp_path):
    """SIGINT (what Ctrl-C sends) while notebook 02 sleeps in a cell: kernel gone, exit 130, one error message."""
    import signal
    import subprocess
    import sys
    import time

    folder, out, pid_file = tmp_path / "nbs", tmp_path / "out", tmp_path / "kernel.pid"
    folder.mkdir()
    out.mkdir()
    (out / "metrics.json").write_text("{}\n")  # from an "earlier run"
    earlier = (out / "metrics.json").stat().st_mtime
    _notebook(folder / "01_quick.ipynb", "x = seed")
    _notebook(folder / "02_slow.ipynb",
              f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-m", "tutorial_lib", "run", "--notebooks-dir", str(folder),
                             "--output-dir", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (pid_file.is_file() and pid_file.read_text()) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.2)
        kernel = int(pid_file.read_text())
        time.sleep(0.5)  # inside time.sleep now
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stdout + stderr
    message = stderr[stderr.index("error: "):]
    assert message.startswith("error: interrupted (Ctrl-C) while running 02_slow.ipynb; its kernel was stopped")
    assert f"its partial executed copy is {out / '02_slow.ipynb'}" in message
    assert "no model.pt was written" in message and "metrics.json is from an earlier run and was not touched" in message
    assert (out / "02_slow.ipynb").is_file() and (out / "01_quick.ipynb").is_file()
    assert (out / "metrics.json").stat().st_mtime == earlier and not list(out.glob(".*.tmp"))
    for _ in range(300):  # up to 30 s: a busy machine (CI) can be slow to reap the kernel
        if not _pid_alive(kernel):
            break
        time.sleep(0.1)
    assert not _pid_alive(kernel), "the kernel must be stopped, not orphaned"


def test_the_kernels_own_log_stays_out_of_the_terminal_and_cell_output_still_reaches_the_notebook(tmp_path):
    """What a kernel writes to its own stderr (warnings, a shutdown race's traceback) must not bury the error line."""
    import subprocess
    import sys

    folder, out = tmp_path / "nbs", tmp_path / "out"
    folder.mkdir()
    _notebook(folder / "01_noisy.ipynb",
              "import os, sys\nsys.__stderr__.write('Traceback (most recent call last): KERNEL-NOISE-1\\n')\n"
              "sys.__stderr__.flush()\nos.write(2, b'KERNEL-NOISE-2\\n')\nget_ipython().kernel.log.error('KERNEL-NOISE-3')\n"
              "print('cell output')")
    done = subprocess.run([sys.executable, "-m", "tutorial_lib", "run", "--notebooks-dir", str(folder),
                           "--output-dir", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "KERNEL-NOISE" not in done.stdout + done.stderr and "Traceback" not in done.stdout + done.stderr
    assert done.stderr == "", "the kernel's start-up warnings are its log, not the user's"
    executed = nbformat.read(out / "01_noisy.ipynb", as_version=4)
    assert "cell output" in "".join(o.get("text", "") for o in executed.cells[-1].outputs)


def test_a_kernel_that_dies_mid_cell_is_one_error_line_not_a_hang(tmp_path):
    """A kernel killed mid-cell (out of memory, say) used to hang the run forever: the blocking client stalled
    the loop that watches the kernel."""
    import subprocess
    import sys
    import time

    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_dies.ipynb", "import os, sys\nsys.__stderr__.write('last words\\n')\nos._exit(3)")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "tutorial_lib", "run", "--notebooks-dir", str(folder),
                           "--output-dir", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert time.monotonic() - started < 60
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("error: the kernel running 01_dies.ipynb died in the middle of cell 2 of 2 "
                                  "(import os, sys), most often because it ran out of memory (the kernel's last log "
                                  "line: last words).")
