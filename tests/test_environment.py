"""The set-up files agree with each other: pins in one place, environment.yml in sync with it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip().lstrip("- ").strip()
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _requirement_name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].lower().replace("_", "-")


def test_constraints_pin_the_cpu_torch_wheel():
    pins = _pins((ROOT / "constraints.txt").read_text().splitlines())
    assert pins["torch"] == "2.13.0"


def test_every_dependency_is_pinned_in_constraints():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = _pins((ROOT / "constraints.txt").read_text().splitlines())
    wanted = list(project["dependencies"])
    for extra in ("dev", "lab", "glove"):
        wanted += project["optional-dependencies"][extra]
    missing = [req for req in wanted if _requirement_name(req) not in pins]
    assert not missing, f"add pins to constraints.txt (make lock): {missing}"


def test_environment_yml_pip_section_matches_constraints():
    env_pins = _pins((ROOT / "environment.yml").read_text().splitlines())
    pins = _pins((ROOT / "constraints.txt").read_text().splitlines())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = [_requirement_name(r) for r in project["dependencies"]]
    direct += [_requirement_name(r) for e in ("dev", "lab", "glove") for r in project["optional-dependencies"][e]]
    assert set(direct) <= set(env_pins), f"environment.yml lacks {sorted(set(direct) - set(env_pins))}"
    differing = {name: (v, pins.get(name)) for name, v in env_pins.items() if pins.get(name) != v}
    assert not differing, f"environment.yml pins differ from constraints.txt: {differing}"
    text = (ROOT / "environment.yml").read_text()
    assert "python=3.11" in text and "conda-forge" in text


def test_package_ranges_stay_loose_for_gpu_machines():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    torch_req = next(r for r in project["dependencies"] if _requirement_name(r) == "torch")
    assert "==" not in torch_req, "pin torch in constraints.txt, not in the package's dependencies"
    assert project["requires-python"] == ">=3.11"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci and "make test" in readme and "make run" in readme


def test_license_file_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == {"text": "MIT"}
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text


def test_one_setup_implementation_behind_make():
    """make setup, wheelhouse and offline-check go through tools/setup_env.py; nothing else installs."""
    makefile = (ROOT / "Makefile").read_text()
    assert "SETUP := $(PYTHON) tools/setup_env.py --venv $(VENV)" in makefile
    recipe_lines = [line.strip() for line in makefile.splitlines() if line.startswith("\t")]
    installs = [line for line in recipe_lines if "pip install" in line and not line.startswith(".lock-venv")]
    assert not installs, f"set-up steps belong in tools/setup_env.py: {installs}"
    assert "ipykernel install" not in makefile


def test_bundles_and_data_stay_out_of_git():
    import subprocess

    for path in ("build/wheelhouse/data/train.csv", "wheelhouse/wheels/x.whl", "data/train.csv"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, check=False)
        assert ignored.returncode == 0, f"{path} must be git-ignored"


def test_ci_checks_the_offline_route_and_readme_documents_it():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make offline-check" in ci
    for text in ("python -m tutorial_lib doctor", "make wheelhouse", "make setup WHEELHOUSE=",
                 "py -3.11 tools\\setup_env.py", ".venv\\Scripts\\python -m tutorial_lib doctor",
                 "TORCH_INDEX=https://download.pytorch.org/whl/cpu", "deadsnakes"):
        assert text in readme, f"README lacks {text!r}"


def test_a_built_wheel_holds_every_subpackage(tmp_path):
    """A regular (not editable) install must not lose a package or subpackage: the lesson (embeddings/, exercises/)
    and the tooling (tutorial_tools/, its workshop/)."""
    import shutil
    import subprocess
    import sys
    import zipfile

    pytest.importorskip("setuptools", reason="building without isolation needs setuptools in this venv (Python >= 3.12 "
                        "venvs have none)")
    src = tmp_path / "src"
    for package in ("tutorial_lib", "tutorial_tools"):  # the lesson and the course's tooling, one distribution
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(src)], check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    in_wheel = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".py")}
    in_source = {p.relative_to(src).as_posix() for package in ("tutorial_lib", "tutorial_tools")
                 for p in (src / package).rglob("*.py")}
    assert in_source - in_wheel == set() and {"tutorial_lib/stages.py", "tutorial_tools/cli.py"} <= in_source


@pytest.mark.parametrize(("given", "expected"), [(None, "AVX2"), ("COMPATIBLE", "COMPATIBLE")])
def test_importing_the_package_asks_mkl_for_one_code_path_unless_the_user_chose(given, expected):
    """Same seed, same numbers on every x86 CPU: MKL_CBWR is set at import, a user's own value wins."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "MKL_CBWR"}
    if given:
        env["MKL_CBWR"] = given
    code = "import os, tutorial_lib; print(os.environ['MKL_CBWR'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected
