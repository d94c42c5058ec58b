"""Tests of the data layer (tutorial_lib.loading). They build their own inputs; none needs the internet."""

from __future__ import annotations

import hashlib
import http.server
import threading
import urllib.error
from pathlib import Path

import pytest

from tutorial_lib import loading
from tutorial_lib.errors import ChecksumMismatchError, DataError
from tutorial_lib.loading import (
    DataFile,
    get_data_dir,
    read_test_csv,
    read_train_csv,
)

TRAIN = b"Id,Category,Tweet\n1,positive,I love it\n2,negative,I hate it\n3,neutral,It is a phone\n"
TEST = b"Id,Category\n10,what a day\n11,Not Available\n,\n"


def _registry(base_url: str = "http://127.0.0.1:9/") -> dict[str, DataFile]:
    return {
        name: DataFile(name, base_url + name, hashlib.sha256(body).hexdigest(), len(body))
        for name, body in (("train.csv", TRAIN), ("test.csv", TEST))
    }


@pytest.fixture
def server():
    """A local HTTP server on 127.0.0.1 that serves TRAIN/TEST, or a corrupted body, or a 500."""
    state = {"mode": "ok", "requests": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            state["requests"] += 1
            body = {"/train.csv": TRAIN, "/test.csv": TEST}.get(self.path)
            if body is None or state["mode"] == "error":
                self.send_error(500, "boom")
                return
            if state["mode"] == "corrupt":
                body = body.replace(b"love", b"LOVE")
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{httpd.server_address[1]}/"
    yield state
    httpd.shutdown()
    httpd.server_close()


def _write_pair(folder: Path, train: bytes = TRAIN, test: bytes = TEST) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "train.csv").write_bytes(train)
    (folder / "test.csv").write_bytes(test)
    return folder


def test_registry_matches_the_published_checksums():
    assert loading.REGISTRY["train.csv"].sha256.startswith("2c6d0710")
    assert loading.REGISTRY["test.csv"].size == 522311
    assert all(spec.url.startswith("https://raw.githubusercontent.com/") for spec in loading.REGISTRY.values())


def test_explicit_dir_is_used_and_verified(tmp_path, cache):
    folder = _write_pair(tmp_path / "mine")
    assert get_data_dir(folder, registry=_registry()) == folder


def test_env_var_is_used_when_no_argument(tmp_path, cache, monkeypatch):
    folder = _write_pair(tmp_path / "env")
    monkeypatch.setenv(loading.ENV_VAR, str(folder))
    assert get_data_dir(registry=_registry()) == folder


def test_argument_wins_over_env_var(tmp_path, cache, monkeypatch):
    monkeypatch.setenv(loading.ENV_VAR, str(tmp_path / "does-not-exist"))
    folder = _write_pair(tmp_path / "arg")
    assert get_data_dir(folder, registry=_registry()) == folder


def test_explicit_dir_missing_files_is_a_clear_error_and_no_fallback(tmp_path, cache):
    _write_pair(cache)  # a valid cache must NOT be used instead of the folder the user named
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError) as err:
        get_data_dir(tmp_path / "empty", registry=_registry())
    message = str(err.value)
    assert "train.csv" in message and "test.csv" in message and "TWEETS_DATA_DIR" in message


def test_checksum_mismatch_names_file_and_both_digests(tmp_path, cache):
    folder = _write_pair(tmp_path / "bad", train=TRAIN.replace(b"love", b"like"))
    registry = _registry()
    with pytest.raises(ChecksumMismatchError) as err:
        get_data_dir(folder, registry=registry)
    message = str(err.value)
    assert "train.csv" in message
    assert registry["train.csv"].sha256 in message
    assert hashlib.sha256(TRAIN.replace(b"love", b"like")).hexdigest() in message
    assert "not used" in message


def test_cache_hit_does_not_download(cache):
    _write_pair(cache)

    def no_network(*args, **kwargs):
        raise AssertionError("must not download on a cache hit")

    assert get_data_dir(registry=_registry(), opener=no_network) == cache


def test_download_into_cache_from_local_server(cache, server):
    folder = get_data_dir(registry=_registry(server["url"]), timeout=5)
    assert folder == cache
    assert (cache / "train.csv").read_bytes() == TRAIN
    assert server["requests"] == 2
    # second call: cache hit, no new request
    get_data_dir(registry=_registry(server["url"]))
    assert server["requests"] == 2


def test_corrupted_download_leaves_nothing_behind(cache, server):
    server["mode"] = "corrupt"
    with pytest.raises(ChecksumMismatchError) as err:
        get_data_dir(registry=_registry(server["url"]), timeout=5)
    assert "nothing was saved" in str(err.value) and "\n" not in str(err.value)  # one line
    assert not any(cache.iterdir()), f"partial files left: {list(cache.iterdir())}"


def test_failing_server_is_a_clear_offline_error(cache, server):
    server["mode"] = "error"
    with pytest.raises(DataError) as err:
        get_data_dir(registry=_registry(server["url"]), timeout=5)
    assert "TWEETS_DATA_DIR" in str(err.value)
    assert not any(cache.iterdir())


def test_unreachable_network_says_where_to_put_the_files(cache):
    def offline(url, timeout):
        raise urllib.error.URLError("Name or service not known")

    with pytest.raises(DataError) as err:
        get_data_dir(registry=_registry(), opener=offline)
    message = str(err.value)
    assert "TWEETS_DATA_DIR" in message and "train.csv" in message and "test.csv" in message
    assert not any(cache.iterdir())


def test_download_disabled_is_an_error(cache):
    with pytest.raises(DataError, match="download=False"):
        get_data_dir(registry=_registry(), download=False)


def test_read_train_csv_reads_strings(tmp_path):
    frame = read_train_csv(_write_pair(tmp_path) / "train.csv")
    assert list(frame.columns) == ["Id", "Category", "Tweet"]
    assert frame["Id"].tolist() == ["1", "2", "3"]


def test_read_test_csv_keeps_empty_rows_as_empty_strings(tmp_path):
    frame = read_test_csv(_write_pair(tmp_path) / "test.csv")
    assert frame["Category"].tolist() == ["what a day", "Not Available", ""]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"Id,Label,Text\n1,positive,hi\n", "lacks the column"),
        (b"Id,Category,Tweet\n", "no rows"),
        (b"Id,Category,Tweet\n1,positive,caf\xe9\n", "UTF-8"),
    ],
)
def test_wrong_files_get_a_message_saying_what_was_expected(tmp_path, body, fragment):
    path = tmp_path / "train.csv"
    path.write_bytes(body)
    with pytest.raises(DataError) as err:
        read_train_csv(path)
    assert fragment in str(err.value)
    assert "Tweet" in str(err.value)  # what the file should hold


def _zip_bytes(names: list[str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "what", "fix"),
    [
        (lambda: __import__("gzip").compress(b"text,label\nhi,a\n"), "a gzip-compressed file", "gunzip"),
        (lambda: _zip_bytes(["[Content_Types].xml", "xl/workbook.xml"]), "an Excel workbook (.xlsx)", "'CSV UTF-8'"),
        (lambda: _zip_bytes(["data.csv"]), "a zip archive", "unpack it"),
        (lambda: "text,label\nhi,a\n".encode("utf-16"), "UTF-16 text", "iconv -f utf-16"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an old Excel workbook (.xls)", "'CSV UTF-8'"),
    ],
)
def test_a_file_of_another_format_named_csv_is_named_with_the_fix(tmp_path, make, what, fix):
    """gzip and xlsx files named .csv got 'looks binary' without saying what they are or what to do."""
    from tutorial_lib.loading import read_user_csv

    path = tmp_path / "reviews.csv"
    path.write_bytes(make())
    with pytest.raises(DataError) as err:
        read_user_csv(path, ("text", "label"), "the labelled data (train_csv)")
    assert f"reviews.csv is {what}" in str(err.value) and fix in str(err.value)
    assert "not a UTF-8 CSV" in str(err.value) and "binary" not in str(err.value)


def test_load_raw_with_a_verified_but_wrong_shaped_file(tmp_path, cache):
    bad_train = b"Id,Label\n1,positive\n"
    folder = _write_pair(tmp_path / "shaped", train=bad_train)
    registry = _registry()
    registry["train.csv"] = DataFile("train.csv", "x", hashlib.sha256(bad_train).hexdigest(), len(bad_train))
    with pytest.raises(DataError, match="Category"):
        read_train_csv(get_data_dir(folder, registry=registry) / "train.csv")


@pytest.mark.realdata
def test_real_data_set_is_found_and_verified(real_raw):
    train_raw, test_raw = real_raw
    assert train_raw.shape == (5970, 3)
    assert test_raw.shape == (9968, 2)
