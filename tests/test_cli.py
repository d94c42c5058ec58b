"""``python -m tutorial_lib`` (:mod:`tutorial_tools.cli`): every failure is one error line and its exit status from
the one map; one parameter parser for every command; ``data --import-from``; the two rooms kept apart."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tutorial_lib import loading
from tutorial_tools import cli, commands

ROOT = Path(__file__).resolve().parents[1]


def test_usage_lists_doctor(capsys):
    assert cli.main([]) == 2
    assert "doctor" in capsys.readouterr().out
    assert cli.main(["frobnicate"]) == 2
    assert capsys.readouterr().err == "error: unknown command 'frobnicate'\n"


@pytest.mark.parametrize(("exc", "code", "expected"), [
    (KeyboardInterrupt(), 130, "error: interrupted (Ctrl-C)\n"),
    (PermissionError(13, "Permission denied", "/x/model.pt"), 1, "error: Permission denied: /x/model.pt\n"),
    (RuntimeError("kaputt"), 1, "error: unexpected RuntimeError: kaputt"),
])
def test_anything_escaping_a_command_is_one_error_line(exc, code, expected, monkeypatch, capsys):
    def boom(argv):
        raise exc

    monkeypatch.setattr(commands, "data", boom)
    monkeypatch.delenv(cli.TRACEBACK_VAR, raising=False)
    assert cli.main(["data"]) == code
    err = capsys.readouterr().err
    assert err.startswith(expected) and err.count("\n") == 1 and "Traceback" not in err


def test_the_traceback_is_there_on_request(monkeypatch):
    monkeypatch.setattr(commands, "data", lambda argv: 1 / 0)
    monkeypatch.setenv(cli.TRACEBACK_VAR, "1")
    with pytest.raises(ZeroDivisionError):
        cli.main(["data"])


def test_import_copies_verified_files_into_the_cache(real_data_dir, cache, capsys):
    assert cli.main(["data", "--import-from", str(real_data_dir)]) == 0
    assert "copied" in capsys.readouterr().out
    for name, spec in loading.REGISTRY.items():
        assert loading.sha256_file(cache / name) == spec.sha256
    assert cli.main(["data", "--import-from", str(real_data_dir)]) == 0
    assert capsys.readouterr().out.count("already in") == 2
    assert loading.get_data_dir(download=False) == cache


def test_import_says_when_the_data_variable_hides_the_copy(real_data_dir, cache, monkeypatch, capsys):
    monkeypatch.setenv(loading.ENV_VAR, str(real_data_dir))
    assert cli.main(["data", "--import-from", str(real_data_dir)]) == 0
    assert f"note: ${loading.ENV_VAR} is set" in capsys.readouterr().out


def test_import_refuses_changed_files_and_never_overwrites(real_data_dir, cache, tmp_path, capsys):
    source = tmp_path / "stick"
    source.mkdir()
    for name in loading.REGISTRY:
        (source / name).write_bytes((real_data_dir / name).read_bytes())
    (source / "train.csv").write_bytes(b"Id,Category,Tweet\n1,positive,edited\n")
    assert cli.main(["data", "--import-from", str(source)]) == 2
    assert "does not match the registered checksum" in capsys.readouterr().err
    assert not (cache / "train.csv").exists()
    cache.mkdir()
    (cache / "test.csv").write_bytes(b"my own file")
    assert cli.main(["data", "--import-from", str(real_data_dir)]) == 2
    assert "left as it is" in capsys.readouterr().err
    assert (cache / "test.csv").read_bytes() == b"my own file"
    assert cli.main(["data", "--import-from", str(tmp_path / "nowhere")]) == 2


# ------------------------------------------------------------------------------------------ one exit-code map
@pytest.mark.parametrize("command", ["run", "compare", "workshop"])
@pytest.mark.parametrize(("parameter", "fragment"), [
    (["-p", "epoch", "2"], "unknown parameter(s) ['epoch']"),
    (["-p", "epochs", "-1"], "parameter epochs=-1 is not valid"),
    (["-p", "output_dir", "x"], "give the output folder with --output-dir, not -p output_dir"),
    (["-r", "balance", "sometimes"], "balance"),
])
def test_the_same_bad_parameter_is_the_same_error_line_and_exit_status_in_every_command(
        command, parameter, fragment, tmp_path, capsys):
    assert cli.main([command, "--output-dir", str(tmp_path / "out"), *parameter]) == cli.EXIT_USAGE == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1 and fragment in captured.err
    assert captured.out == "" and not (tmp_path / "out").exists(), "nothing runs when a parameter is bad"


def test_a_bad_parameter_in_a_fresh_process_exits_2_with_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "tutorial_lib", "run", "--output-dir", str(tmp_path), "-p", "epoch",
                           "2"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("error: unknown parameter") and done.stderr.count("\n") == 1


@pytest.mark.parametrize(("exc", "status"), [
    (cli.UsageError("x"), 2), (cli.Failure("x"), 1), (cli.Interrupted("x"), 130), (KeyboardInterrupt(), 130),
    (RuntimeError("x"), 1), (OSError("x"), 1),
])
def test_one_map_gives_every_failure_its_exit_status(exc, status):
    assert cli.exit_status(exc) == status


def test_the_lessons_input_errors_are_bad_usage_and_the_tools_errors_keep_their_kind():
    from tutorial_lib.config import ConfigError
    from tutorial_lib.errors import TutorialError
    from tutorial_lib.loading import ChecksumMismatchError, DataError
    from tutorial_tools.compare import CompareError
    from tutorial_tools.series import SeriesError, SeriesInputError, SeriesInterrupted
    from tutorial_tools.workshop import WorkshopError

    for exc in (TutorialError("x"), ConfigError("x"), DataError("x"), ChecksumMismatchError("x"), CompareError("x"),
                SeriesInputError("x")):
        assert cli.exit_status(exc) == 2 and cli.error_line(exc) == "error: x"
    assert cli.exit_status(SeriesError("x")) == cli.exit_status(WorkshopError("x")) == 1
    assert cli.exit_status(SeriesInterrupted("x")) == 130


def test_every_help_and_the_usage_list_the_exit_statuses(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(f"  {code:<8d} {text}" in out for code, text in cli.EXIT_STATUS.items())
    for command in cli.COMMANDS:
        if command == "predict":
            continue  # the lesson's own parser (tutorial_lib.prediction)
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        assert "exit status: 0 done; 1 the work failed" in " ".join(capsys.readouterr().out.split())


def test_every_command_has_its_function():
    assert all(callable(getattr(commands, name, None)) for name in cli.COMMANDS)


# ------------------------------------------------------------------------------------------ one parameter parser
@pytest.mark.parametrize(("text", "value"), [("True", True), ("False", False), ("None", None), ("3", 3),
                                             ("0.5", 0.5), ("1e-3", 1e-3), ("last+max", "last+max"), ("", "")])
def test_parse_value_types_like_papermill(text, value):
    assert cli.parse_value(text) == value and type(cli.parse_value(text)) is type(value)


def test_set_assignments_use_the_same_typing():
    assert cli.parse_assignment("hidden_size=64") == ("hidden_size", 64)
    assert cli.parse_assignment("pooling=last+max") == ("pooling", "last+max")
    with pytest.raises(cli.UsageError, match="write NAME=VALUE"):
        cli.parse_assignment("hidden_size")


def test_no_other_module_parses_parameters_itself():
    """One parser: no module of the tools, the benchmarks or the tools/ scripts converts -p values or --set items."""
    paths = [*(ROOT / "tutorial_tools").rglob("*.py"), *(ROOT / "benchmarks").glob("*.py"), *(ROOT / "tools").glob("*.py")]
    for path in paths:
        if path.name == "cli.py" and path.parent.name == "tutorial_tools":
            continue
        tree = ast.parse(path.read_text())
        defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert not defined & {"parse_value", "parse_assignment"}, f"{path}: use tutorial_tools.cli's parser"
        assert "nargs=2" not in path.read_text(), f"{path}: -p NAME VALUE through cli.add_parameter_options"


# ------------------------------------------------------------------------------------------ the two rooms
def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_lesson_package_never_imports_the_tooling():
    """Tooling may import the lesson, never the reverse; the one exception is __main__'s forwarder."""
    for path in sorted((ROOT / "tutorial_lib").rglob("*.py")):
        if path.relative_to(ROOT).as_posix() == "tutorial_lib/__main__.py":
            continue
        found = {name for name in _imports(path) if name.split(".")[0] == "tutorial_tools"}
        assert not found, f"{path.relative_to(ROOT)} imports the tooling: {sorted(found)}"


def test_the_lesson_package_holds_no_tooling():
    """What a learner meets in tutorial_lib/: the stages and their helpers, no runner, kit, doctor or command line."""
    tooling = {"papermill", "jupyter_client", "nbclient", "nbconvert", "argparse"}
    for path in sorted((ROOT / "tutorial_lib").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        found = {name.split(".")[0] for name in _imports(path)} & tooling
        assert not found, f"{rel} imports {sorted(found)}: tooling belongs in tutorial_tools/"
    assert not (ROOT / "tutorial_lib" / "workshop").exists()


def test_python_m_tutorial_tools_is_the_same_command_line():
    done = subprocess.run([sys.executable, "-m", "tutorial_tools", "frobnicate"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 2 and done.stderr == "error: unknown command 'frobnicate'\n"
