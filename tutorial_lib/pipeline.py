"""From raw CSV frames to encoded splits in one call (used by notebooks 04-08).

:func:`prepare_data` runs the steps notebooks 02-04 show one at a time: clean, split (before any
balancing), balance the training split, tokenize, build the vocabulary from the training split
only, choose ``seq_length`` and encode every split. Later notebooks call it to get the same data
from the same :class:`~tutorial_lib.config.Config`.

This module does not import torch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tutorial_lib import loading
from tutorial_lib.balancing import BalanceResult, Split, balance, class_weights, split_data
from tutorial_lib.config import Config
from tutorial_lib.errors import DataError
from tutorial_lib.labels import LABELS, label_ids
from tutorial_lib.loading import RawData
from tutorial_lib.preprocessing import CleanResult, clean_labeled, clean_unlabeled
from tutorial_lib.tokenization import (
    EncodedSplit,
    TextPipeline,
    Vocabulary,
    encode,
    suggest_seq_length,
    token_counts,
)

#: The fewest rows a class may have after cleaning: one each for training, validation and test.
MIN_PER_CLASS = 3
#: The longest ``seq_length`` chosen from the data (``seq_length=None``): training time grows with it, and texts of
#: thousands of words made notebook 07 take minutes per epoch. The course's tweets give 32, far below it.
MAX_SUGGESTED_SEQ_LENGTH = 256

__all__ = ["EncodedSplit", "PreparedData", "prepare_data", "encode_frame", "check_data", "choose_seq_length"]


@dataclass
class PreparedData:
    """Everything the later notebooks need from the data (introduced in notebook 04).

    ``encoded["train"]`` holds the *balanced* training split (what the model trains on);
    ``encoded["val"]`` and ``encoded["test"]`` keep the natural class mix. ``label_names`` is THE
    order of the run's classes (a label id is an index in it); ``data_source`` says which data it
    came from (files, sha256, rows read and kept), for ``metrics.json``.
    """

    cleaned: CleanResult
    split: Split
    balanced: BalanceResult
    text_pipeline: TextPipeline
    vocab: Vocabulary
    seq_length: int
    encoded: dict[str, EncodedSplit]
    class_weights: np.ndarray | None
    unlabeled_texts: list[str]
    label_names: tuple[str, ...]
    unlabeled: CleanResult | None = None
    data_source: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Return the key numbers of the prepared data as a flat dict (for notebooks and logs)."""
        out: dict[str, Any] = {
            "cleaned_tweets": len(self.cleaned.data),
            "unlabeled_tweets": len(self.unlabeled_texts),
            "balance": self.balanced.strategy,
        }
        for name, enc in self.encoded.items():
            out[f"{name}_tweets"] = len(enc)
            counts = np.bincount(enc.labels, minlength=len(self.label_names))
            for label, count in zip(self.label_names, counts, strict=True):
                out[f"{name}_{label}"] = int(count)
        out["vocab_size"] = len(self.vocab)
        out["seq_length"] = self.seq_length
        for name in ("val", "test"):
            ids = self.encoded[name].ids
            real = ids > self.vocab.eos_index  # token positions (not PAD / SOS / EOS)
            unk = ids == self.vocab.unk_index
            out[f"{name}_unknown_token_share"] = round(float(unk.sum() / max(1, (real | unk).sum())), 4)
        out["class_weights"] = None if self.class_weights is None else [
            round(float(w), 4) for w in self.class_weights
        ]
        return out

    def summary_frame(self) -> pd.DataFrame:
        """Return :meth:`summary` as a two-column table (``item``, ``value``) for display."""
        return pd.DataFrame(
            {"item": list(self.summary()), "value": [str(v) for v in self.summary().values()]}
        )


def encode_frame(
    frame: pd.DataFrame,
    text_pipeline: TextPipeline,
    vocab: Vocabulary,
    seq_length: int,
    *,
    label_names: tuple[str, ...],
    cache: dict[str, list[str]] | None = None,
) -> EncodedSplit:
    """Return the :class:`EncodedSplit` of a frame with ``text`` and ``label`` columns.

    Introduced in notebook 04. ``cache`` (text -> tokens) is passed on to
    :meth:`TextPipeline.tokenize_many`, so a tweet already tokenized is not tokenized again.
    ``label_names``: the run's classes (``prepared.label_names``); a label id is an index in it.
    """
    texts = frame["text"].tolist()
    ids, lengths = encode(text_pipeline.tokenize_many(texts, cache=cache), vocab, seq_length)
    return EncodedSplit(ids=ids, lengths=lengths, labels=label_ids(frame["label"], label_names), texts=texts)


def choose_seq_length(train_tokens: list[list[str]], seq_length: int | None = None) -> tuple[int, str]:
    """Return ``(seq_length, note)``: ``seq_length`` if given, else the 95th percentile of the training lengths.

    The percentile is capped at :data:`MAX_SUGGESTED_SEQ_LENGTH`; when the cap binds, ``note`` says how
    many training texts it cuts and how to keep more (otherwise ``note`` is ''). Introduced in notebook 04.
    """
    if seq_length is not None:
        return seq_length, ""
    suggested = suggest_seq_length(train_tokens, 95)
    if suggested <= MAX_SUGGESTED_SEQ_LENGTH:
        return suggested, ""
    cut = int((token_counts(train_tokens) > MAX_SUGGESTED_SEQ_LENGTH).sum())
    return MAX_SUGGESTED_SEQ_LENGTH, (
        f"95% of the training texts fit in {suggested:,} tokens, more than the cap of {MAX_SUGGESTED_SEQ_LENGTH}, "
        f"so seq_length is {MAX_SUGGESTED_SEQ_LENGTH}: {cut:,} of {len(train_tokens):,} training texts are cut to "
        f"their first {MAX_SUGGESTED_SEQ_LENGTH - 2} tokens. To keep more of each text, set seq_length "
        f"(-p seq_length {suggested}, or in the parameters cell); training time grows with it.")


def prepare_data(
    cfg: Config, *, raw: RawData | tuple[pd.DataFrame, pd.DataFrame | None] | None = None,
    log: Callable[[str], Any] = print,
) -> PreparedData:
    """Return the :class:`PreparedData` for ``cfg`` (introduced in notebook 04).

    ``raw`` is the :class:`~tutorial_lib.loading.RawData` of :func:`tutorial_lib.loading.load_for_config`,
    or ``(train_raw, unlabeled_raw)`` frames already read from the configured files (their columns are
    those of :func:`tutorial_lib.loading.raw_columns`; ``unlabeled_raw`` may be None); when None,
    ``load_for_config(cfg)`` reads the configured data: the course's files (found and verified) or
    ``cfg.train_csv``. The classes are the labels found in the data (:attr:`PreparedData.label_names`).
    Steps: clean both files; split the labeled tweets (seeded, stratified); balance the training
    split with ``cfg.balance`` (``cfg.balance_target`` is used by ``"hybrid"`` only); build the
    vocabulary from the distinct tweets of the balanced training split (each counted once, so
    oversampled copies do not inflate ``min_freq`` counts; validation and test never contribute);
    take ``cfg.seq_length`` or the 95th percentile of those tweets' encoded lengths, capped at
    :data:`MAX_SUGGESTED_SEQ_LENGTH` (:func:`choose_seq_length`; ``log`` gets a note when the cap
    cuts texts); encode the three splits; compute class weights on the balanced training split if
    ``cfg.class_weighted_loss``.
    """
    raw = _check_raw(cfg, raw)
    cleaned = _clean_checked(raw)
    labels = cleaned.label_names
    unlabeled = (clean_unlabeled(raw.unlabeled, text_column=raw.unlabeled_text_column)
                 if raw.unlabeled is not None else None)
    split = split_data(cleaned.data, test_size=cfg.test_size, val_size=cfg.val_size, seed=cfg.seed)
    target = cfg.balance_target if cfg.balance == "hybrid" else None
    balanced = balance(split.train, cfg.balance, seed=cfg.seed, target=target, labels=labels)

    text_pipeline = TextPipeline(lowercase=True, keep_hashtags=cfg.keep_hashtags, tokenizer=cfg.tokenizer)
    cache: dict[str, list[str]] = {}  # text -> tokens, shared by the three splits
    distinct_train = list(dict.fromkeys(balanced.data["text"].tolist()))
    train_tokens = text_pipeline.tokenize_many(distinct_train, cache=cache)
    vocab = Vocabulary.build(train_tokens, min_freq=cfg.min_freq, max_size=cfg.max_vocab_size)
    seq_length, note = choose_seq_length(train_tokens, cfg.seq_length)
    if note:
        log(f"note: {note}")

    encoded = {
        name: encode_frame(frame, text_pipeline, vocab, seq_length, cache=cache, label_names=labels)
        for name, frame in (("train", balanced.data), ("val", split.val), ("test", split.test))
    }
    weights = class_weights(balanced.data["label"], labels) if cfg.class_weighted_loss else None
    return PreparedData(
        cleaned=cleaned,
        split=split,
        balanced=balanced,
        text_pipeline=text_pipeline,
        vocab=vocab,
        seq_length=int(seq_length),
        encoded=encoded,
        class_weights=weights,
        unlabeled_texts=unlabeled.data["text"].tolist() if unlabeled is not None else [],
        unlabeled=unlabeled,
        label_names=tuple(labels),
        data_source=_data_source(raw, cleaned, unlabeled),
    )


def check_data(cfg: Config) -> CleanResult:
    """Read and clean the configured labelled data and check its classes; return the :class:`CleanResult`.

    The series runner calls it before the first notebook, so a bad ``train_csv`` (not UTF-8, empty,
    missing columns, a class too small to split, a text column without words) stops the run at once
    with one clear message. Raises :class:`~tutorial_lib.loading.DataError` or :class:`DataError`.
    """
    return _clean_checked(loading.load_for_config(cfg))


def _clean_checked(raw: RawData) -> CleanResult:
    """Return the cleaned labelled data of ``raw``, checked: enough classes and rows, texts with words."""
    cleaned = _check_every_class_left(clean_labeled(
        raw.train, text_column=raw.text_column, label_column=raw.label_column,
        labels=LABELS if raw.source.get("course_data") else None))
    _check_texts_have_words(cleaned, raw.text_column)
    return cleaned


#: Below this share of texts holding a letter, the text column holds numbers or codes, not text.
MIN_SHARE_WITH_LETTERS = 0.1


def _check_texts_have_words(cleaned: CleanResult, text_column: str) -> None:
    """Raise :class:`DataError` when hardly any text has a letter (a column of numbers taken for the text)."""
    texts = cleaned.data["text"].tolist()
    with_letters = sum(any(ch.isalpha() for ch in text) for text in texts)
    if with_letters < MIN_SHARE_WITH_LETTERS * len(texts):
        examples = ", ".join(repr(t[:20]) for t in texts[:3])
        raise DataError(
            f"the text column {text_column!r} holds hardly any words: {with_letters:,} of its {len(texts):,} texts "
            f"have a letter (e.g. {examples}). The model learns from words, so check that text_column names the "
            "column with the texts (-p text_column NAME) and label_column the labels.")


def _data_source(raw: RawData, cleaned: CleanResult, unlabeled: CleanResult | None) -> dict[str, Any]:
    """Return ``raw.source`` with the rows kept by cleaning added (what metrics.json records as ``data``)."""
    source = {k: (dict(v) if isinstance(v, dict) else v) for k, v in raw.source.items()}
    if isinstance(source.get("train"), dict):
        source["train"]["rows_kept"] = len(cleaned.data)
    if isinstance(source.get("unlabeled"), dict) and unlabeled is not None:
        source["unlabeled"]["rows_kept"] = len(unlabeled.data)
    return source


def _check_raw(cfg: Config, raw: Any) -> RawData:
    """Return the run's :class:`RawData`: ``raw`` itself, frames wrapped with ``cfg``'s columns, or the configured files."""
    if not isinstance(cfg, Config):
        raise TypeError(f"prepare_data expects a tutorial_lib.config.Config, got {type(cfg).__name__}")
    if raw is None:
        return loading.load_for_config(cfg)
    if isinstance(raw, RawData):
        return raw
    if not isinstance(raw, tuple) or len(raw) != 2:
        raise ValueError("raw must be loading.load_for_config(cfg), or a tuple (train_raw, unlabeled_raw) of "
                         "DataFrames read from the configured files")
    text_column, label_column = loading.raw_columns(cfg)
    source = {"course_data": cfg.train_csv is None, "train": None, "unlabeled": None,
              "note": "frames passed to prepare_data; files not recorded"}
    return RawData(raw[0], raw[1], text_column, label_column, loading.unlabeled_column(cfg), source)


def _shown_counts(counts: pd.Series, limit: int = 10) -> str:
    """Return ``{label: rows}`` for at most ``limit`` classes (and how many more there are)."""
    shown = {str(k): int(v) for k, v in list(counts.items())[:limit]}
    return f"{shown}" + (f" and {len(counts) - limit} more classes" if len(counts) > limit else "")


def _class_problem(counts: pd.Series, small: dict[str, int], many: int = 50) -> str:
    """Return what is wrong with the classes: too few of them, or the ones too small to split (named)."""
    if len(counts) == 0:
        return ("no rows are left (the report says which step removed them); check that text_column names the "
                "text and label_column the label")
    if not small:
        return f"it has {len(counts)} class(es) {list(counts.index)}; a classifier needs at least 2"
    named = dict(list(small.items())[:10])
    more = f" and {len(small) - 10} more" if len(small) > 10 else ""
    why = (f"every class needs at least {MIN_PER_CLASS} (one each for training, validation and test), and "
           f"{named}{more} have fewer: add examples of those classes or remove their rows")
    if len(counts) > many:
        why += (f"; {len(counts)} distinct labels look like text: check that label_column names the label "
                "and text_column the text")
    return why


def _check_every_class_left(cleaned: CleanResult) -> CleanResult:
    """Return ``cleaned``; fewer than 2 classes, or fewer than 3 rows of a class (one per split), raises a clear error."""
    counts = cleaned.counts()
    small = {str(k): int(v) for k, v in counts.items() if v < MIN_PER_CLASS}
    if small or len(counts) < 2:
        raise DataError(
            f"after cleaning, the labeled data has {_shown_counts(counts)} rows per class: "
            f"{_class_problem(counts, small)}. Cleaning report:\n{cleaned.report.to_string(index=False)}"
        )
    return cleaned
