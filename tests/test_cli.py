"""``python -m tutorial_lib``: every failure is one error line and a non-zero exit; ``data --import-from``."""

from __future__ import annotations

import pytest

from tutorial_lib import __main__ as cli
from tutorial_lib import loading


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

    monkeypatch.setattr(cli, "_data_main", boom)
    monkeypatch.delenv(cli.TRACEBACK_VAR, raising=False)
    assert cli.main(["data"]) == code
    err = capsys.readouterr().err
    assert err.startswith(expected) and err.count("\n") == 1 and "Traceback" not in err


def test_the_traceback_is_there_on_request(monkeypatch):
    monkeypatch.setattr(cli, "_data_main", lambda argv: 1 / 0)
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
