"""Finding, downloading and verifying the tutorial's data set (notebook 01).

The course uses the two CSV files of the public repository
``ajayshewale/Sentiment-Analysis-of-Text-Data-Tweets-``. They are listed in :data:`REGISTRY` with
their download address and sha256 digest, d2l-style. :func:`get_data_dir` looks for them, in this
order, and never silently falls back to other data:

1. the ``data_dir`` argument, if given;
2. the ``TWEETS_DATA_DIR`` environment variable, if set;
3. the git-ignored cache folder ``data/`` in the project;
4. a download into that cache folder (with a timeout, written atomically).

Every file, found or downloaded, is checked against its sha256 before it is used.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import ChecksumMismatchError, DataError
from .paths import display_path, project_root, resolve_path

ENV_VAR = "TWEETS_DATA_DIR"
SOURCE_REPO = "ajayshewale/Sentiment-Analysis-of-Text-Data-Tweets-"
_RAW_BASE = f"https://raw.githubusercontent.com/{SOURCE_REPO}/master/data"


@dataclass(frozen=True)
class DataFile:
    """One file of the data set: its name, download address, sha256 digest and size in bytes."""

    name: str
    url: str
    sha256: str
    size: int


REGISTRY: dict[str, DataFile] = {
    "train.csv": DataFile(
        "train.csv",
        f"{_RAW_BASE}/train.csv",
        "2c6d07102ff5f8ea4a0966507c7799ad8308baa3bc654a4d93a6b19f6e488ef6",
        816749,
    ),
    "test.csv": DataFile(
        "test.csv",
        f"{_RAW_BASE}/test.csv",
        "6b32bc1c8865136ba2272f0efeddbaeb4a26b53ed7b4c25a12d42153d510b1f9",
        522311,
    ),
}

TRAIN_COLUMNS = ("Id", "Category", "Tweet")
TEST_COLUMNS = ("Id", "Category")


DataFormatError = DataError  # the name notebook 01 catches (kept for its code cell)


def cache_dir() -> Path:
    """Return the git-ignored cache folder where downloads go (``<project>/data``)."""
    return project_root() / "data"


def sha256_file(path: str | os.PathLike, chunk_size: int = 1 << 20) -> str:
    """Return the hex sha256 digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(path: str | os.PathLike, spec: DataFile) -> Path:
    """Check ``path`` against ``spec.sha256``; return the path, or raise :class:`ChecksumMismatchError`."""
    path = Path(path)
    found = sha256_file(path)
    if found != spec.sha256:
        raise ChecksumMismatchError(
            f"{spec.name} at {display_path(path)} does not match the registered checksum (sha256 {found}, expected "
            f"{spec.sha256}); it was not used: replace it with the original from {spec.url}, or delete it and "
            "let tutorial_lib download it again")
    return path


def _missing_message(folder: Path, names: list[str], why: str) -> str:
    """Return the one-line error for files missing from ``folder``: where to put them, where to get them."""
    urls = " and ".join(REGISTRY[n].url if n in REGISTRY else n for n in names)
    return (f"{why}: {', '.join(names)} not found in {display_path(folder)}; put train.csv and test.csv in one "
            f"folder and export {ENV_VAR}=/path/to/that/folder (or data_dir=... / -p data_dir ...), or copy them "
            f"into the cache folder {display_path(cache_dir())}/; download them from {urls}")


def download_file(
    spec: DataFile,
    dest_dir: str | os.PathLike,
    *,
    timeout: float = 30,
    opener: Callable[..., object] | None = None,
) -> Path:
    """Download ``spec.url`` into ``dest_dir`` atomically, verify it, and return its path.

    The bytes are written to a temporary file beside the destination; only when the whole file has
    arrived and its sha256 matches is it renamed into place. On any failure no partial file is left.
    ``opener`` (default ``urllib.request.urlopen``) is there so tests can simulate failures.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / spec.name
    opener = opener or urllib.request.urlopen
    fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.name}.", suffix=".part", dir=dest_dir)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            try:
                with opener(spec.url, timeout=timeout) as response:  # type: ignore[attr-defined]
                    while chunk := response.read(1 << 16):
                        digest.update(chunk)
                        out.write(chunk)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                why = f"could not download {spec.name} from {spec.url} ({exc}); offline or unreachable"
                raise DataError(_missing_message(dest_dir, sorted({spec.name, *REGISTRY}), why)) from exc
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != spec.sha256:
            raise ChecksumMismatchError(
                f"the download of {spec.name} from {spec.url} does not match the registered checksum (sha256 "
                f"{digest.hexdigest()}, expected {spec.sha256}); nothing was saved: check the address or your proxy")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _named_folder(data_dir: str | os.PathLike | None) -> tuple[Path, str] | None:
    """Return the folder the user named (``data_dir``, else ``$TWEETS_DATA_DIR``) and where it came from."""
    if data_dir is not None and str(data_dir) != "":
        return resolve_path(data_dir), "data_dir"
    if os.environ.get(ENV_VAR):
        return resolve_path(os.environ[ENV_VAR]), f"${ENV_VAR}"
    return None


def get_data_dir(
    data_dir: str | os.PathLike | None = None,
    *,
    download: bool = True,
    timeout: float = 30,
    registry: Mapping[str, DataFile] = REGISTRY,
    opener: Callable[..., object] | None = None,
) -> Path:
    """Return a folder that holds every registered file, each verified against its sha256.

    Introduced in notebook 01. Looks at ``data_dir``, then ``$TWEETS_DATA_DIR``, then the cache
    folder (downloading missing files there when ``download`` is true). A folder the user named
    explicitly must hold the files: it is never replaced by another source.
    """
    named = _named_folder(data_dir)
    if named is not None:  # the user's folder: it holds the files, or this is an error
        folder, source = named
        missing = [n for n in registry if not (folder / n).is_file()]
        if missing:
            why = f"{source} is {'incomplete' if folder.is_dir() else 'not a folder'}"
            raise DataError(_missing_message(folder, missing, why))
        for name, spec in registry.items():
            verify_file(folder / name, spec)
        return folder
    folder = cache_dir()
    for name, spec in registry.items():
        if (folder / name).is_file():  # cache hit: verify, never re-download over a user's file
            verify_file(folder / name, spec)
        elif download:
            download_file(spec, folder, timeout=timeout, opener=opener)
        else:
            raise DataError(_missing_message(folder, [name], "Not in the cache and download=False"))
    return folder


def read_train_csv(path: str | os.PathLike) -> pd.DataFrame:
    """Return the raw labeled tweets of ``train.csv`` (string columns ``Id, Category, Tweet``).

    Introduced in notebook 01. Every cell is read as a string (empty cells are ``""``); nothing is
    cleaned here, so notebook 02 can show each defect before removing it.
    """
    return read_csv(path, TRAIN_COLUMNS, "the labeled tweets train.csv", COURSE_FILE_FIX)


def read_test_csv(path: str | os.PathLike) -> pd.DataFrame:
    """Return the raw unlabeled tweets of ``test.csv`` (string columns ``Id, Category``).

    Introduced in notebook 01. Note: despite its name the ``Category`` column holds the tweet text;
    the file has no labels at all.
    """
    return read_csv(path, TEST_COLUMNS, "the unlabeled tweets test.csv", COURSE_FILE_FIX)


# ------------------------------------------------------------------------------- your own data
#: Column names of the course's files (train.csv: text ``Tweet``, label ``Category``; test.csv: text ``Category``).
COURSE_COLUMNS = {"text": "Tweet", "label": "Category", "unlabeled_text": "Category"}
#: Column names assumed for a user's CSV when ``text_column`` / ``label_column`` are None.
USER_COLUMNS = {"text": "text", "label": "label", "unlabeled_text": "text"}


@dataclass(frozen=True)
class RawData:
    """The configured data, read but not cleaned (see :func:`load_for_config`).

    ``train``: the labelled rows; ``unlabeled``: the unlabelled texts (None when there are none);
    the three column names to read; ``source``: where the data came from, for ``metrics.json``
    (``{"train": {"file", "sha256", "rows_read"}, "unlabeled": {...} or None, "course_data": bool}``).
    """

    train: pd.DataFrame
    unlabeled: pd.DataFrame | None
    text_column: str
    label_column: str
    unlabeled_text_column: str | None
    source: dict


def raw_columns(cfg) -> tuple[str, str]:
    """Return ``(text_column, label_column)`` of the configured labelled data (notebooks 01 and 02): the
    parameters when set, else ``Tweet`` / ``Category`` (the course's file) or ``text`` / ``label``."""
    defaults = COURSE_COLUMNS if cfg.train_csv is None else USER_COLUMNS
    return (cfg.text_column or defaults["text"], cfg.label_column or defaults["label"])


def unlabeled_column(cfg) -> str | None:
    """Return the text column of the configured unlabelled data, or None when there is none."""
    if cfg.train_csv is not None and cfg.unlabeled_csv is None:
        return None
    if cfg.unlabeled_text_column:
        return cfg.unlabeled_text_column
    return (COURSE_COLUMNS if cfg.unlabeled_csv is None else USER_COLUMNS)["unlabeled_text"]


def _file_record(path: Path, rows: int) -> dict:
    """Return what metrics.json records about a data file: its name as shown, sha256 and rows read."""
    return {"file": display_path(path), "sha256": sha256_file(path), "rows_read": int(rows)}


_SAVE_AS_CSV = "open it in a spreadsheet (Excel, LibreOffice) and save it as 'CSV UTF-8'"
#: Files often given a .csv name by mistake: how each one starts, what it is, and how to make a CSV of it.
OTHER_FORMATS: tuple[tuple[bytes, str, str], ...] = (
    (b"\x1f\x8b", "a gzip-compressed file", "unpack it first (gunzip FILE, or 7-Zip on Windows) and use the CSV inside"),
    (b"BZh", "a bzip2-compressed file", "unpack it first (bunzip2 FILE) and use the CSV inside"),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "unpack it first (unxz FILE) and use the CSV inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first and use the CSV inside"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls)", _SAVE_AS_CSV),
    (b"PAR1", "a Parquet file", "convert it: pd.read_parquet('FILE').to_csv('data.csv', index=False)"),
    (b"SQLite format 3\x00", "an SQLite database", "export the table you need as CSV (sqlite3 -csv -header)"),
    (b"%PDF", "a PDF document", "export the table as CSV from the program that made it"),
    (b"\xff\xfe", "UTF-16 text (a spreadsheet's 'Unicode text' export)",
     "save it as 'CSV UTF-8', or: iconv -f utf-16 -t utf-8 old.csv > new.csv"),
    (b"\xfe\xff", "UTF-16 text", "save it as 'CSV UTF-8', or: iconv -f utf-16 -t utf-8 old.csv > new.csv"),
)


def _other_format(raw: bytes) -> tuple[str, str] | None:
    """Return ``(what the file is, how to make a CSV of it)`` when ``raw`` starts like a known non-CSV format."""
    if raw.startswith(b"PK\x03\x04"):  # a zip archive; spreadsheets are zip archives of XML files
        if b"xl/" in raw[:4096]:
            return "an Excel workbook (.xlsx)", _SAVE_AS_CSV
        if b"opendocument.spreadsheet" in raw[:4096]:
            return "a LibreOffice spreadsheet (.ods)", _SAVE_AS_CSV
        return "a zip archive", "unpack it first and use the CSV inside"
    return next(((what, fix) for magic, what, fix in OTHER_FORMATS if raw.startswith(magic)), None)


def _decode_csv(path: Path, raw: bytes, hint: str) -> str:
    """Return the text of a CSV file, or raise :class:`DataError` (empty, another format, binary, not UTF-8)."""
    if not raw.strip():
        raise DataError(f"{display_path(path)} is empty; {hint}.")
    other = _other_format(raw)
    if other is not None:
        raise DataError(f"{display_path(path)} is {other[0]}, not a UTF-8 CSV: {other[1]}; {hint}.")
    if b"\x00" in raw[:8192]:
        raise DataError(f"{display_path(path)} looks binary (it holds NUL bytes); {hint}.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{display_path(path)} is not valid UTF-8 ({exc}); {hint}. Save it as UTF-8 (for example "
            "in a spreadsheet: 'CSV UTF-8'; or iconv -f latin1 -t utf-8 old.csv > new.csv)."
        ) from exc


def _sniff_separator(text: str) -> str:
    """Return the field separator of a CSV text: ``,`` unless the header line is clearly split by ``;``, tab or ``|``."""
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _parse_rows(path: Path, text: str, sep: str, hint: str) -> pd.DataFrame:
    """Return the CSV ``text`` as a frame of str; a row whose number of fields differs from the header's raises
    :class:`DataError` with its line (an unquoted separator inside a text would shift every column after it)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = [name.strip() for name in next(reader)]
        rows = []
        for row in reader:
            if not row:  # a blank line is not a row
                continue
            if len(row) != len(header):
                raise DataError(
                    f"{display_path(path)} line {reader.line_num} has {len(row)} fields but the header has "
                    f"{len(header)} ({header}, separator {sep!r}); a text that contains the separator must be "
                    f'quoted ("like{sep} this"): save the file again from a spreadsheet or with pandas '
                    f"to_csv, which quote such texts; {hint}.")
            rows.append(row)
    except csv.Error as exc:
        raise DataError(f"{display_path(path)} could not be parsed as CSV with the separator {sep!r} "
                              f"(line {reader.line_num}: {exc}); {hint}.") from exc
    return pd.DataFrame(rows, columns=header, dtype=str)


def require_columns(frame: object, columns: Sequence[str], what: str, fix: str) -> None:
    """Raise :class:`DataError` unless ``frame`` is a DataFrame with ``columns`` (the one "columns present" check):
    the message names the missing columns, those ``what`` has, then ``fix`` (starting with its own punctuation)."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}{fix}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        has = [str(c) for c in frame.columns]
        raise DataError(f"{what} lacks the column(s) {missing}; it has the columns {has}{fix}")


#: What to do when a file lacks a column: the user's file (its columns are parameters) and the course's.
USER_FILE_FIX = ("Name the right ones with -p text_column NAME / -p label_column NAME "
                 "(or text_column = ... in the parameters cell).")
COURSE_COLUMNS_FIX = "Leave text_column / label_column / unlabeled_text_column at None for the course's files."
COURSE_FILE_FIX = "Use the course's file (python -m tutorial_lib data), or leave the column parameters at None for it."


def read_csv(path: str | os.PathLike, columns: Sequence[str], what: str, fix: str = USER_FILE_FIX) -> pd.DataFrame:
    """Return a CSV file as strings (empty cells ``""``), checked: it exists, is UTF-8, not empty, has ``columns``.

    Introduced in notebook 01: the one reader of every file, the course's and yours. The separator is
    sniffed from the header line (``,``, ``;``, tab or ``|``), so a CSV saved by a spreadsheet with
    semicolons is read correctly. A missing column raises :class:`DataError` listing the columns the
    file has, then ``fix``. Nothing is cleaned here.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{display_path(path)} does not exist or is not a file; expected {what}.")
    hint = f"expected {what}: a UTF-8 CSV file with a header line naming the columns {list(columns)}"
    text = _decode_csv(path, path.read_bytes(), hint)
    sep = _sniff_separator(text)
    frame = _parse_rows(path, text, sep, hint)
    require_columns(frame, columns, display_path(path), f" (read with the separator {sep!r}). {fix}")
    if frame.empty:
        raise DataError(f"{display_path(path)} has a header but no rows; {hint}.")
    return frame


read_user_csv = read_csv  # the name notebook 01's code cell calls


def load_for_config(cfg) -> RawData:
    """Return the :class:`RawData` a :class:`~tutorial_lib.config.Config` names (used by ``prepare_data``).

    With ``cfg.train_csv`` None: the course's train.csv, and its test.csv unless ``cfg.unlabeled_csv``
    is set, found and sha256-verified (:func:`get_data_dir`). Otherwise the user's labelled CSV. A
    user's file (``train_csv``, ``unlabeled_csv``) is checked by :func:`read_csv` instead of
    checksummed. The sha256 and row count of every file read are recorded in ``source``. A relative path is taken from
    the project root (the command-line runner makes it absolute from the current folder first).
    """
    text_column, label_column = raw_columns(cfg)
    unlabeled_text = unlabeled_column(cfg)
    course = cfg.train_csv is None
    folder = get_data_dir(cfg.data_dir) if course else None
    fix = COURSE_COLUMNS_FIX if course else USER_FILE_FIX
    train_path = folder / "train.csv" if course else resolve_path(cfg.train_csv)
    train = read_csv(train_path, (text_column, label_column), "the labelled data (train_csv)", fix)
    source = {"course_data": course, "train": _file_record(train_path, len(train)), "unlabeled": None}
    unlabeled = None
    if unlabeled_text is not None:
        path = folder / "test.csv" if cfg.unlabeled_csv is None else resolve_path(cfg.unlabeled_csv)
        fix = COURSE_COLUMNS_FIX if cfg.unlabeled_csv is None else USER_FILE_FIX
        unlabeled = read_csv(path, (unlabeled_text,), "the unlabelled texts (unlabeled_csv)", fix)
        source["unlabeled"] = _file_record(path, len(unlabeled))
    return RawData(train, unlabeled, text_column, label_column, unlabeled_text, source)

