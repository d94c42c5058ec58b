"""tools/setup_env.py: the platform logic (run for every platform on Linux), the bundle checks, the stamp."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from conftest import load_tool

ROOT = Path(__file__).resolve().parents[1]




se = load_tool("setup_env")


@pytest.mark.parametrize(
    ("platform", "python", "jupyter"),
    [("linux", ".venv/bin/python", ".venv/bin/jupyter"),
     ("darwin", ".venv/bin/python", ".venv/bin/jupyter"),
     ("win32", ".venv\\Scripts\\python.exe", ".venv\\Scripts\\jupyter.exe")],
)
def test_venv_layout_per_platform(platform, python, jupyter):
    assert str(se.venv_python(".venv", platform)) == python
    assert str(se.venv_script(".venv", "jupyter", platform)) == jupyter
    assert isinstance(se.venv_python("x", platform), PureWindowsPath if platform == "win32" else PurePosixPath)


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_plan_is_the_same_three_steps_on_every_platform(platform):
    steps = se.plan(se.Options(create_with=("py", "-3.11")), platform, create_venv=True)
    python = str(se.venv_python(".venv", platform))
    assert [s.argv[:3] for s in steps] == [["py", "-3.11", "-m"], [python, "-m", "pip"], [python, "-m", "ipykernel"]]
    pip = steps[1].argv
    assert pip[pip.index("-c") + 1] == "constraints.txt" and pip[-2:] == ["-e", ".[dev,lab,glove]"]
    assert "--no-index" not in pip and "--extra-index-url" not in pip
    assert steps[2].argv[3:] == ["install", "--sys-prefix", "--name", "python3", "--display-name",
                                 se.KERNEL_DISPLAY_NAME]
    assert len(se.plan(se.Options(), platform, create_venv=False)) == 2, "an existing venv is reused"


def test_windows_commands_read_as_powershell_runs_them():
    steps = se.plan(se.Options(wheelhouse=PureWindowsPath("E:/tweet bundle"), create_with=("py", "-3.11")),
                    "win32", create_venv=True)
    lines = [se.quote_command(s.argv, "win32") for s in steps]
    assert lines[0] == "py -3.11 -m venv .venv"
    assert lines[1] == (".venv\\Scripts\\python.exe -m pip install --disable-pip-version-check -c constraints.txt "
                        '--no-index --find-links "E:\\tweet bundle\\wheels" -e ".[dev,lab,glove]"')
    assert lines[2].startswith(".venv\\Scripts\\python.exe -m ipykernel install --sys-prefix --name python3 "
                               '--display-name "Python 3 (tweet-sentiment-tutorial)"')
    assert lines[3] == '.venv\\Scripts\\python.exe -m tutorial_lib data --import-from "E:\\tweet bundle\\data"'


def test_posix_quoting_and_torch_index():
    steps = se.plan(se.Options(torch_index="https://download.pytorch.org/whl/cpu"), "linux", create_venv=False)
    line = se.quote_command(steps[0].argv, "linux")
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in line and line.endswith("-e '.[dev,lab,glove]'")
    assert "torch from https://download.pytorch.org/whl/cpu" in steps[0].why


def test_dry_run_prints_the_windows_commands(capsys):
    assert se.main(["--dry-run", "--platform", "win32"]) == 0
    out = capsys.readouterr().out
    assert "py -3.11 -m venv .venv\n" in out
    assert '.venv\\Scripts\\python.exe -m pip install --disable-pip-version-check -c constraints.txt -e ".[dev,lab,glove]"' in out
    assert "bin/python" not in out


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--platform", "win32"], "--platform only goes with --dry-run"),
    (["--torch-index", "https://x", "--wheelhouse", "b"], "no effect with --wheelhouse"),
])
def test_option_conflicts_are_error_lines(argv, fragment, capsys):
    assert se.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and fragment in err


@pytest.mark.parametrize(("platform", "fragments"), [
    ("linux", ["Python 3.10.12 is too old", "Ubuntu 22.04", "deadsnakes", "python3.11 tools/setup_env.py"]),
    ("darwin", ["brew install python@3.11", "python3.11 tools/setup_env.py"]),
    ("win32", ["winget install Python.Python.3.11", "py -3.11 tools\\setup_env.py"]),
])
def test_old_python_gets_the_platforms_way_to_a_new_one(platform, fragments):
    with pytest.raises(se.SetupError) as err:
        se.check_python((3, 10, 12), platform)
    assert all(f in str(err.value) for f in fragments)
    se.check_python((3, 11, 0), platform)
    se.check_python((3, 13, 1), platform)


def test_old_python_ends_in_one_error_line(monkeypatch, capsys):
    monkeypatch.setattr(se.sys, "version_info", (3, 10, 12, "final", 0))
    assert se.main([]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Python 3.10.12 is too old") and err.count("\n") == 1


@pytest.mark.parametrize("path", ["tools/setup_env.py", "tutorial_lib/__main__.py", "tutorial_lib/paths.py",
                                  "tutorial_lib/__init__.py", "tutorial_tools/__init__.py", "tutorial_tools/cli.py",
                                  "tutorial_tools/commands.py", "tutorial_tools/doctor.py", "tutorial_tools/checks.py",
                                  "tutorial_tools/install_checks.py", "tutorial_tools/runtime_checks.py"])
def test_files_an_old_python_runs_parse_as_python_3_8(path):
    """Python 3.10 (Ubuntu 22.04) must reach the version check and print it, not a SyntaxError."""
    ast.parse((ROOT / path).read_text(), feature_version=(3, 8))


def _fake_venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    python = Path(se.venv_python(venv, sys.platform))
    python.parent.mkdir(parents=True)
    python.symlink_to(sys.executable)
    return venv


def test_up_to_date_venv_runs_nothing(tmp_path, capsys, monkeypatch):
    venv = _fake_venv(tmp_path)
    options = se.Options(venv=venv)
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    se.write_stamp(venv, {"fingerprint": se.fingerprint(ROOT, options, version), "torch_index": None})
    monkeypatch.setattr(se, "run_step", lambda *a, **k: pytest.fail("nothing should run"))
    assert se.setup(options) == 0
    assert "up to date" in capsys.readouterr().out


def test_switching_the_torch_build_asks_for_a_new_venv(tmp_path):
    venv = _fake_venv(tmp_path)
    se.write_stamp(venv, {"fingerprint": "old", "torch_index": None})
    with pytest.raises(se.SetupError, match="--recreate"):
        se.setup(se.Options(venv=venv, torch_index="https://download.pytorch.org/whl/cu128"))


def test_recreate_refuses_a_folder_that_is_not_a_venv(tmp_path):
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "thesis.tex").write_text("x")
    with pytest.raises(se.SetupError, match="not a virtual environment"):
        se.setup(se.Options(venv=folder), recreate=True)
    assert (folder / "thesis.tex").is_file()


def test_legacy_empty_stamp_newer_than_the_pins_counts_as_current(tmp_path):
    venv = _fake_venv(tmp_path)
    (venv / se.STAMP_NAME).write_text("")
    assert se.legacy_stamp_current(venv, ROOT, se.Options(venv=venv))
    assert not se.legacy_stamp_current(venv, ROOT, se.Options(venv=venv, torch_index="https://x"))
    (venv / se.STAMP_NAME).write_text("{}")
    assert not se.legacy_stamp_current(venv, ROOT, se.Options(venv=venv))


def test_fingerprint_follows_pins_and_options(tmp_path):
    for name in ("pyproject.toml", "constraints.txt"):
        (tmp_path / name).write_text(f"{name}\n")
    base = se.fingerprint(tmp_path, se.Options(), "3.11")
    assert base == se.fingerprint(tmp_path, se.Options(), "3.11")
    assert base != se.fingerprint(tmp_path, se.Options(torch_index="https://x"), "3.11")
    assert base != se.fingerprint(tmp_path, se.Options(), "3.12")
    (tmp_path / "constraints.txt").write_text("numpy==2\n")
    assert base != se.fingerprint(tmp_path, se.Options(), "3.11")


def test_a_failing_step_is_named(tmp_path):
    with pytest.raises(se.SetupError, match=r"exit status 3\): the step"):
        se.run_step(se.Step("the step", [sys.executable, "-c", "raise SystemExit(3)"]), tmp_path)


# ------------------------------------------------------------------------------------------- bundles
def _bundle(tmp_path: Path, platform: dict | None = None) -> Path:
    bundle = tmp_path / "bundle"
    (bundle / "wheels").mkdir(parents=True)
    wheel = bundle / "wheels" / "demo-1.0-py3-none-any.whl"
    wheel.write_bytes(b"wheel bytes")
    manifest = {"platform": platform or se.this_platform(),
                "constraints_sha256": se.sha256_file(ROOT / "constraints.txt"),
                "files": [{"path": "wheels/demo-1.0-py3-none-any.whl", "size": 11,
                           "sha256": se.sha256_file(wheel)}]}
    (bundle / se.MANIFEST_NAME).write_text(json.dumps(manifest))
    return bundle


def test_a_matching_intact_bundle_passes(tmp_path):
    assert se.check_bundle(_bundle(tmp_path), ROOT, se.this_platform())["files"]


def test_a_bundle_for_another_platform_is_refused_naming_both(tmp_path):
    other = dict(se.this_platform(), sys_platform="win32", machine="amd64", python="3.12")
    with pytest.raises(se.SetupError) as err:
        se.check_bundle(_bundle(tmp_path, other), ROOT, se.this_platform())
    assert "3.12 on win32 amd64" in str(err.value) and "do not fit" in str(err.value)


def test_a_damaged_copy_or_other_pins_are_refused(tmp_path):
    bundle = _bundle(tmp_path)
    (bundle / "wheels" / "demo-1.0-py3-none-any.whl").write_bytes(b"wheel bytez")
    with pytest.raises(se.SetupError, match="damaged"):
        se.check_bundle(bundle, ROOT, se.this_platform())
    manifest = json.loads((bundle / se.MANIFEST_NAME).read_text())
    manifest["constraints_sha256"] = "0" * 64
    (bundle / se.MANIFEST_NAME).write_text(json.dumps(manifest))
    with pytest.raises(se.SetupError, match="another constraints.txt"):
        se.check_bundle(bundle, ROOT, se.this_platform())
    with pytest.raises(se.SetupError, match="not an offline bundle"):
        se.check_bundle(tmp_path, ROOT, se.this_platform())


def test_the_set_up_installs_the_course_extras(capsys):
    assert se.main(["--dry-run", "--platform", "linux"]) == 0
    assert "-e '.[dev,lab,glove]'" in capsys.readouterr().out
