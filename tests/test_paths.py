"""Path resolution and atomic writes."""

from __future__ import annotations

import os
import stat

import pytest

from tutorial_lib import paths


def test_relative_paths_resolve_from_the_project_root_not_the_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.resolve_path("build/run") == paths.project_root() / "build/run"
    assert paths.resolve_path(tmp_path / "x") == tmp_path / "x"


def test_display_path_never_shows_absolute_folders(tmp_path):
    assert paths.display_path(paths.project_root() / "build" / "run" / "model.pt") == "build/run/model.pt"
    assert paths.display_path(tmp_path / "model.pt") == ".../model.pt"


def test_message_path_names_a_folder_outside_the_project_in_full(tmp_path):
    assert paths.message_path(tmp_path / "out") == str(tmp_path / "out")
    assert paths.message_path(paths.project_root() / "build" / "run") == "build/run"


def test_atomic_write_replaces_whole_file_with_normal_permissions(tmp_path):
    target = tmp_path / "sub" / "out.json"
    paths.atomic_write_text(target, "first")
    paths.atomic_write_text(target, "second")
    assert target.read_text() == "second"
    mode = stat.S_IMODE(target.stat().st_mode)
    assert mode == 0o666 & ~paths._umask(), oct(mode)
    assert os.listdir(target.parent) == ["out.json"], "no temporary files left behind"


def test_failed_write_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(paths.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        paths.atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["out.txt"]
