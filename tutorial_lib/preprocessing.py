"""Cleaning the raw tweets and normalizing their text (notebook 02).

Two jobs live here:

* **Cleaning** turns the raw frames read by :mod:`tutorial_lib.loading` into tidy frames with the
  columns ``text`` and ``label`` and records, step by step, how many rows each step removed, so that
  notebook 02 can show the table. The text is HTML-decoded but otherwise untouched.
* **Normalization** (:func:`normalize_tweet`) removes whole URLs and @mentions, handles hashtags,
  lowercases and collapses whitespace. It runs later, inside the tokenizer (notebook 04), so the
  cleaned frames still show the tweets as people wrote them.

This module does not import torch.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from tutorial_lib.errors import DataError
from tutorial_lib.labels import LABELS, label_ids, label_order, labels_for  # noqa: F401 (notebooks use them from here)
from tutorial_lib.loading import require_columns

NOT_AVAILABLE = "Not Available"
"""The literal text the data set stores instead of a tweet whose text was unavailable when it was collected."""

# Column names of the raw files (see tutorial_lib.loading): train.csv has Id, Category (label), Tweet.
# test.csv has Id, Category, but its Category column holds the tweet text (it has no labels).
RAW_ID_COLUMN = "Id"
RAW_LABEL_COLUMN = "Category"
RAW_TEXT_COLUMN = "Tweet"
_HEADER_WORDS = frozenset({"id", "category", "tweet", "text", "label", "sentiment"})


# ---------------------------------------------------------------------------------------- cleaning
@dataclass(frozen=True)
class CleanResult:
    """What a cleaning function returns (introduced in notebook 02).

    ``data``: the cleaned frame (``text`` and, for labeled data, ``label``; index 0..n-1).
    ``report``: one row per step with ``step``, ``removed``, ``remaining`` and ``note``.
    ``conflicts``: the duplicated tweets whose copies carry different labels (all copies dropped).
    ``label_names``: the classes of labeled data, in order (:data:`LABELS` for the course's tweets,
    :func:`label_order` of the labels kept for other data); None for unlabeled data.
    """

    data: pd.DataFrame
    report: pd.DataFrame
    conflicts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["text", "label"]))
    label_names: tuple[str, ...] | None = None

    def counts(self) -> pd.Series:
        """Return the number of cleaned rows per class (``label_names`` order), or the total if unlabeled."""
        if "label" not in self.data.columns:
            return pd.Series({"total": len(self.data)})
        order = labels_for(self.data["label"], self.label_names)
        return self.data["label"].value_counts().reindex(list(order), fill_value=0)


class _Report:
    """Collects the rows of a cleaning report while the steps run."""

    def __init__(self, start: int) -> None:
        self.rows: list[dict[str, int | str]] = [
            {"step": "raw rows", "removed": 0, "remaining": start, "note": ""}
        ]
        self.remaining = start

    def add(self, step: str, remaining: int, note: str = "") -> None:
        self.rows.append(
            {"step": step, "removed": self.remaining - remaining, "remaining": remaining, "note": note}
        )
        self.remaining = remaining

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=["step", "removed", "remaining", "note"])


def fix_unicode(text: str) -> str:
    """Return ``text`` with lone surrogates and NUL characters replaced, so it can be saved as UTF-8.

    Text read with odd encodings can carry half of a surrogate pair (``'\\ud83d'``), which makes
    every later ``.encode('utf-8')`` (JSON files, checkpoints) fail. They become U+FFFD.
    Introduced in notebook 02.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # via UTF-16: a valid surrogate pair becomes its character, a lone half becomes U+FFFD
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if "\x00" in text:
        text = text.replace("\x00", " ")
    return text


def _as_text(value: object) -> str | None:
    """Return a cell as text, or None for a missing value (None, NaN, pd.NA)."""
    if value is None:
        return None
    if isinstance(value, str):
        return fix_unicode(value)
    if isinstance(value, (bytes, bytearray)):
        return fix_unicode(bytes(value).decode("utf-8", "replace"))
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # lists and other containers: not a scalar missing value
        pass
    return fix_unicode(str(value))


def _column_as_text(series: pd.Series) -> list[str]:
    """Return a column's cells as a list of str, whatever the input dtype ("" for a missing value)."""
    return [t if (t := _as_text(v)) is not None else "" for v in series.tolist()]


def _check_frame(raw: object, required: tuple[str, ...], what: str) -> None:
    """Raise :class:`DataError` unless ``raw`` is a non-empty frame with the ``required`` columns."""
    require_columns(raw, required, what, "; read the file with tutorial_lib.loading.read_csv")
    if raw.columns.duplicated().any():
        dups = sorted({str(c) for c in raw.columns[raw.columns.duplicated()]})
        raise DataError(f"{what} has duplicated column names {dups}; give each column one name")
    if len(raw) == 0:
        raise DataError(f"{what} has no rows; check that the file is the tutorial's data")


def _mask(column: pd.Series, keep: Callable[[str], object]) -> np.ndarray:
    """Return a boolean array with ``keep(value)`` for each value of a column of str."""
    return np.fromiter((bool(keep(v)) for v in column.tolist()), dtype=bool, count=len(column))


def _unescape(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Return ``df`` with HTML entities in ``text`` decoded (blank results dropped) and the number changed."""
    before = df["text"].tolist()
    after = [html.unescape(t) for t in before]
    changed = sum(a != b for a, b in zip(after, before, strict=True))
    df = df.assign(text=pd.Series(after, index=df.index, dtype=object))
    # an entity such as "&nbsp;" alone decodes to blank text
    return df[_mask(df["text"], lambda t: t.strip() != "")], changed


def _header_check(*column_names: str) -> Callable[[str], bool]:
    """Return a test for cells that repeat a header: the usual header words or the file's own column names."""
    words = _HEADER_WORDS | {name.strip().lower() for name in column_names}
    return lambda value: value.strip().lower() in words


def clean_labeled(
    raw: pd.DataFrame,
    *,
    text_column: str = RAW_TEXT_COLUMN,
    label_column: str = RAW_LABEL_COLUMN,
    id_column: str = RAW_ID_COLUMN,
    labels: tuple[str, ...] | None,
) -> CleanResult:
    """Clean the labeled tweets (raw ``train.csv``) and return a :class:`CleanResult`.

    Steps, in this order (each one is a row of ``report``): drop the id column; drop rows with a
    missing or blank text or label; drop the literal ``Not Available`` tweets; drop stray repeated
    header rows (label ``Tweet`` and text ``Category``); decode HTML entities (``&amp;`` -> ``&``,
    counted in ``note``); drop exact duplicates (same text and label, the first copy is kept); drop
    every copy of a tweet that appears with different labels (listed in ``conflicts``). Decoding
    comes before the duplicate checks so that ``a &amp; b`` and ``a & b`` count as the same tweet.

    Labels are stripped and lowercased, and labels that are numbers are compared as numbers
    (``1.0`` and ``01`` become ``1``; the step "merge numeric labels" says what it merged, and appears
    only when it merged something); a label outside ``labels`` (the course's file: :data:`LABELS`,
    its classes) raises :class:`DataError` naming it; ``labels=None`` accepts any label
    (a user's own data: the classes are then the labels found). The "drop missing or empty" note
    counts empty texts and missing labels apart. Extra columns are ignored; cells that are not
    strings are converted (bytes decoded as UTF-8, numbers with ``str``; missing values are missing).
    The input is not modified. Introduced in notebook 02.
    """
    _check_frame(raw, (label_column, text_column), "the labeled data")
    report = _Report(len(raw))
    df, id_note = _labeled_frame(raw, text_column, label_column, id_column)
    report.add("drop id column", len(df), id_note)

    # Masks are built from plain lists: pandas' own string methods change dtype on empty frames.
    has_text, has_label = _mask(df["text"], lambda t: t.strip() != ""), _mask(df["label"], lambda v: v != "")
    df = df[has_text & has_label]
    report.add("drop missing or empty", len(df), _missing_note(has_text, has_label))

    df = df[_mask(df["text"], lambda t: t.strip() != NOT_AVAILABLE)]
    report.add(f"drop '{NOT_AVAILABLE}'", len(df))

    is_header = _header_check(text_column, label_column)
    df = df[~(_mask(df["label"], is_header) & _mask(df["text"], is_header))]
    report.add("drop repeated header rows", len(df))
    df, merged = _merge_numeric_labels(df)
    if merged:  # a row only when it changed something, so the course's report stays as it is
        report.add("merge numeric labels", len(df), merged)
    _check_labels(df["label"], labels, label_column)

    noun = text_noun(labels is not None)
    df, changed = _unescape(df)
    report.add("decode HTML entities", len(df), f"{changed} {noun} changed")

    df = df.drop_duplicates(subset=["text", "label"], keep="first")
    report.add("drop exact duplicates", len(df), "same text and label: first copy kept")

    df, conflicts = _split_conflicts(df)
    report.add("drop conflicting duplicates", len(df),
               f"{conflicts['text'].nunique()} {noun} with different labels: all copies dropped")
    data = df[["text", "label"]].reset_index(drop=True)
    names = labels if labels is not None else label_order(data["label"])
    return CleanResult(data=data, report=report.frame(), conflicts=conflicts, label_names=tuple(names))


def text_noun(course_data: bool) -> str:
    """Return what the rows are called in sentences about the data: ``tweets`` (the course's) or ``texts`` (a user's)."""
    return "tweets" if course_data else "texts"


def kept_sentence(cleaned: CleanResult, *, course_data: bool) -> str:
    """Return the sentence that introduces the cleaned counts, with this data's own number and noun (notebook 02).

    ``After cleaning we keep 5,411 labelled tweets:`` for the course's file; a user's file gets its
    own count and ``texts``, so the sentence never contradicts the table below it.
    """
    return f"After cleaning we keep {len(cleaned.data):,} labelled {text_noun(course_data)}:"


def _labeled_frame(raw: pd.DataFrame, text_column: str, label_column: str,
                   id_column: str) -> tuple[pd.DataFrame, str]:
    """Return the columns ``text``, ``label`` (stripped, lowercased) and ``_id`` when present, and the id note."""
    columns = {
        "text": _column_as_text(raw[text_column]),
        "label": [v.strip().lower() for v in _column_as_text(raw[label_column])],
    }
    if id_column not in raw.columns:
        return pd.DataFrame(columns), f"no column {id_column!r} (other columns are ignored)"
    columns["_id"] = _column_as_text(raw[id_column])
    return pd.DataFrame(columns), f"column {id_column!r}"


def _canonical_number(label: str) -> str | None:
    """Return the canonical spelling of a label that is a number (``"1.0"``, ``"01"`` -> ``"1"``), else None.

    Labels that are numbers are compared as numbers, so a spreadsheet export mixing ``1`` and ``1.0``
    gives one class, not two.
    """
    try:
        value = Decimal(label)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return "0" if value == 0 else format(value.normalize(), "f")


def _merge_numeric_labels(df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Return ``df`` with every numeric label spelled canonically, and a note of what was merged ('' if nothing)."""
    labels = df["label"].tolist()
    canonical = {label: _canonical_number(label) or label for label in set(labels)}
    changed = {old: new for old, new in canonical.items() if old != new}
    if not changed:
        return df, ""
    rows = pd.Series(labels).value_counts()
    note = ", ".join(f"{old!r} -> {new!r} ({rows[old]} rows)" for old, new in sorted(changed.items()))
    return df.assign(label=[canonical[label] for label in labels]), f"labels that are numbers compared as numbers: {note}"


def _check_labels(labels_found: pd.Series, labels: tuple[str, ...] | None, label_column: str) -> None:
    """Raise :class:`DataError` naming the labels outside ``labels`` (``None`` accepts any)."""
    if labels is None:
        return
    unknown = labels_found[~labels_found.isin(labels)]
    if len(unknown):
        shown = ", ".join(f"{k!r} ({v} rows)" for k, v in unknown.value_counts().head(10).items())
        raise DataError(
            f"unknown label(s) in column {label_column!r}: {shown}; expected one of {labels}. "
            "Check that the label and text columns are not swapped, or fix those rows."
        )


def _split_conflicts(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``df`` without the texts seen with different labels, and those rows (sorted, ``_id`` as ``id``)."""
    labels_per_text: dict[str, set[str]] = {}
    for text, label in zip(df["text"].tolist(), df["label"].tolist(), strict=True):
        labels_per_text.setdefault(text, set()).add(label)
    conflicting = _mask(df["text"], lambda t: len(labels_per_text[t]) > 1)
    conflicts = df[conflicting].sort_values(["text", "label"], kind="stable")
    return df[~conflicting], conflicts.rename(columns={"_id": "id"}).reset_index(drop=True)


def _missing_note(has_text: np.ndarray, has_label: np.ndarray) -> str:
    """Return the note of the "drop missing or empty" step: empty texts and missing labels, counted apart."""
    empty, unlabeled = int((~has_text).sum()), int((~has_label).sum())
    if empty == 0 and unlabeled == 0:
        return ""
    return f"{empty} empty texts, {unlabeled} missing labels"


def clean_unlabeled(
    raw: pd.DataFrame, *, text_column: str = RAW_LABEL_COLUMN, id_column: str = RAW_ID_COLUMN
) -> CleanResult:
    """Clean the unlabeled tweets (raw ``test.csv``) and return a :class:`CleanResult` with ``text``.

    The file's tweet column is misnamed ``Category`` (it holds text, not labels), hence the
    default ``text_column``. About 6000 of its 9968 rows are completely empty lines (``,``) and
    360 are ``Not Available``; both are dropped, HTML entities are decoded. Duplicates are kept
    (the texts are only used for unsupervised work such as word2vec). Introduced in notebook 02.
    """
    _check_frame(raw, (text_column,), "the unlabeled data")
    report = _Report(len(raw))
    df = pd.DataFrame({"text": _column_as_text(raw[text_column])})
    report.add("drop id column", len(df), f"column {id_column!r}" if id_column in raw.columns else "")
    df = df[_mask(df["text"], lambda t: t.strip() != "")]
    report.add("drop missing or empty", len(df))
    df = df[_mask(df["text"], lambda t: t.strip() != NOT_AVAILABLE)]
    report.add(f"drop '{NOT_AVAILABLE}'", len(df))
    df, changed = _unescape(df)
    report.add("decode HTML entities", len(df), f"{changed} tweets changed")
    return CleanResult(
        data=df[["text"]].reset_index(drop=True),
        report=report.frame(),
        conflicts=pd.DataFrame(columns=["text"]),
    )


# ----------------------------------------------------------------------------------- normalization
ORIGINAL_URL_PATTERN = re.compile(r"https?:\/\/[\w]+")
r"""The link pattern of the published original tutorial, kept to show its bug in notebook 02.

"Tweet Sentiment Analysis Using LSTM With PyTorch" (nbshare.io, 2021) removes links with
``https?:\/\/[\w]+``, then mentions with ``@\w+``, then lowercases. ``[\w]`` matches letters,
digits and ``_`` but not the dot, so ``http://t.co/fmtcfUAdgj`` becomes ``.co/fmtcfUAdgj``: the
rest of every t.co link stays in the text as a junk token. Do not use it.
"""
ORIGINAL_MENTION_PATTERN = re.compile(r"@\w+")
"""The original's mention pattern (it also eats the ``@domain`` of an e-mail address)."""


def original_clean(text: str) -> str:
    """Return ``text`` cleaned as the published original does it, bug included (notebook 02, the benchmark).

    Its link pattern, then its mention pattern, then lowercasing: ``.co/xyz`` survives every t.co link.
    """
    return ORIGINAL_MENTION_PATTERN.sub("", ORIGINAL_URL_PATTERN.sub("", text)).lower()

URL_PATTERN = re.compile(
    r"https?:/*\S*"  # http(s)://... up to the next space, also truncated ones ("http://t.co/ab…")
    r"|(?<![\w.])www\.\S*"  # www.example.com/... (not the "www." inside "awww.")
    r"|(?<![\w.@/])(?:t\.co|bit\.ly|goo\.gl|ow\.ly|tinyurl\.com|fb\.me|youtu\.be)/\S*"  # bare short links
    r"|https?…",  # a link cut off right after the scheme by tweet truncation
    re.IGNORECASE,
)
"""Whole URLs: everything from ``http(s)://`` or ``www.`` up to the next whitespace (so the
truncated ``http://t.co/abc…`` goes as well) and bare short links such as ``t.co/xyz``."""

MENTION_PATTERN = re.compile(r"(?<![\w@])@\w+")
"""@mentions (``@user``), but not the ``@`` inside an e-mail address."""

HASHTAG_PATTERN = re.compile(r"(?<![\w#&])#(\w+)")
"""Hashtags; group 1 is the word without ``#``."""

_WHITESPACE = re.compile(r"\s+")


def _check_text(text: object) -> None:
    """Raise :class:`TypeError` unless ``text`` is a string."""
    if not isinstance(text, str):
        raise TypeError(
            f"normalize_tweet expects a string, got {type(text).__name__} ({text!r:.40}); "
            "clean the data first (missing tweets must be dropped, not passed on as NaN)"
        )


def normalize_tweet(text: str, *, lowercase: bool = True, keep_hashtags: bool = True) -> str:
    """Return the normalized text of one tweet (introduced in notebook 02).

    Removes whole URLs (:data:`URL_PATTERN`) and @mentions, then keeps the word of each hashtag
    (``#iOS9`` -> ``iOS9``) when ``keep_hashtags`` is True or removes the whole hashtag when it is
    False, lowercases when asked and collapses runs of whitespace into one space. A tweet that
    is only a link or only mentions becomes ``""``; emoji are kept as they are. Raises
    :class:`TypeError` for anything that is not a string (e.g. NaN from a bad CSV read).
    """
    _check_text(text)
    text = URL_PATTERN.sub(" ", fix_unicode(text))
    text = MENTION_PATTERN.sub(" ", text)
    text = HASHTAG_PATTERN.sub(r"\1" if keep_hashtags else " ", text)
    if lowercase:
        text = text.lower()
    return _WHITESPACE.sub(" ", text).strip()
