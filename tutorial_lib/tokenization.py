"""Tokenization, the vocabulary and encoding tweets as fixed-length id rows (notebook 04).

* :class:`TextPipeline` normalizes a tweet (:func:`tutorial_lib.preprocessing.normalize_tweet`)
  and splits it into tokens with an NLTK tokenizer that needs no downloaded data.
* :class:`Vocabulary` maps tokens to ids with dicts (the original looked tokens up in a list,
  which is quadratic) and maps unknown tokens to ``<UNK>`` instead of raising ``KeyError``.
  It is built from the training split only: a vocabulary that has seen the test split leaks
  information about it.
* :func:`encode` turns token lists into ``<SOS> tokens <EOS> <PAD>...`` rows and returns the
  true lengths, so the model can read its answer at the last real token, not at a padding
  position (the original read position 31 whatever the tweet's length).

This module does not import torch.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from tutorial_lib.errors import ConfigError, DataError, TutorialError
from tutorial_lib.paths import atomic_write_text
from tutorial_lib.preprocessing import normalize_tweet

TOKENIZERS: tuple[str, ...] = ("tweet", "treebank")
#: The smallest vocabulary (``max_vocab_size`` / ``max_size``): the 4 special tokens and one word.
MIN_VOCAB_SIZE = 5
#: The shortest encoded row (``seq_length``): ``<SOS>``, one token, ``<EOS>``.
MIN_SEQ_LENGTH = 3


# ------------------------------------------------------------------------------------- tokenizers
@cache
def _tokenizer_function(name: str):
    if name == "tweet":
        from nltk.tokenize import TweetTokenizer

        return TweetTokenizer(preserve_case=True, reduce_len=True, strip_handles=True).tokenize
    if name == "treebank":
        from nltk.tokenize import word_tokenize

        def treebank(text: str) -> list[str]:
            # preserve_line=True skips the sentence splitter, which needs the downloaded 'punkt' data
            return word_tokenize(text, preserve_line=True)

        return treebank
    raise ConfigError(f"unknown tokenizer {name!r}; choose one of {TOKENIZERS}")


def split_tokens(text: str, tokenizer: str = "tweet") -> list[str]:
    """Return the tokens of an already normalized ``text`` with the named NLTK ``tokenizer``."""
    try:
        return _tokenizer_function(tokenizer)(text)
    except TimeoutError as err:  # NLTK's guard against pathological input (e.g. huge digit runs)
        raise TutorialError(
            f"the {tokenizer!r} tokenizer gave up on a text of {len(text)} characters "
            f"starting {text[:40]!r}; tweets are short: check that this row is really a tweet"
        ) from err


#: ``tokenize_many`` shows a progress bar from this many texts on (unless told otherwise).
PROGRESS_MIN_TEXTS = 20_000


@dataclass(frozen=True)
class TextPipeline:
    """Normalization settings plus a tokenizer: text in, tokens out (introduced in notebook 04).

    ``tokenizer="tweet"`` is NLTK's ``TweetTokenizer`` (keeps emoticons, emoji and contractions
    together, shortens ``sooooo`` to ``sooo``); ``"treebank"`` is ``word_tokenize`` without the
    sentence splitter, which is what the original tutorial's tokenizer did on one-line tweets.
    Neither needs ``nltk.download``. The checkpoint bundle stores :meth:`to_dict`, so a loaded
    model tokenizes new text exactly as in training.
    """

    lowercase: bool = True
    keep_hashtags: bool = True
    tokenizer: str = "tweet"

    def __post_init__(self) -> None:
        if self.tokenizer not in TOKENIZERS:
            raise ConfigError(f"unknown tokenizer {self.tokenizer!r}; choose one of {TOKENIZERS}")
        for name in ("lowercase", "keep_hashtags"):
            if not isinstance(getattr(self, name), bool):
                raise TutorialError(f"{name} must be True or False, got {getattr(self, name)!r}")

    def normalize(self, text: str) -> str:
        """Return the normalized text (URLs and mentions removed, lowercased, ...)."""
        return normalize_tweet(text, lowercase=self.lowercase, keep_hashtags=self.keep_hashtags)

    def tokenize(self, text: str) -> list[str]:
        """Return the tokens of one tweet: normalize it (notebook 02), then split it into tokens."""
        return split_tokens(self.normalize(text), self.tokenizer)

    def tokenize_many(self, texts: Iterable[str], cache: dict[str, list[str]] | None = None,
                      progress: bool | None = None) -> list[list[str]]:
        """Return the tokens of every text, tokenizing each distinct text only once.

        Introduced in notebook 04. ``cache`` maps text -> tokens; pass the same dict to several
        calls (``prepare_data`` does, for the three splits) and a tweet seen before is not
        tokenized again. Each text gets its own list, so changing one changes nothing else.
        ``progress``: show a bar; None (default) shows one for :data:`PROGRESS_MIN_TEXTS` texts or more
        (seconds of work on a laptop), not for the course's few thousand tweets.
        """
        from tqdm.auto import tqdm

        cache = {} if cache is None else cache
        texts = texts if isinstance(texts, list) else list(texts)
        show = len(texts) >= PROGRESS_MIN_TEXTS if progress is None else progress
        token_lists = []
        for text in tqdm(texts, desc="tokenizing", unit="text", leave=False, disable=not show):
            if text not in cache:
                cache[text] = self.tokenize(text)
            token_lists.append(list(cache[text]))
        return token_lists

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as a JSON-serialisable dict."""
        return {"lowercase": self.lowercase, "keep_hashtags": self.keep_hashtags, "tokenizer": self.tokenizer}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> TextPipeline:
        """Build a pipeline from :meth:`to_dict` output; unknown or missing keys raise an error."""
        if not isinstance(values, dict):
            raise TutorialError(f"expected a dict of text pipeline settings, got {type(values).__name__}")
        expected = {"lowercase", "keep_hashtags", "tokenizer"}
        if set(values) != expected:
            raise TutorialError(f"text pipeline settings must have exactly the keys {sorted(expected)}, "
                                    f"got {sorted(values)}")
        return cls(**values)


# ------------------------------------------------------------------------------------- vocabulary
class Vocabulary:
    """Token <-> id maps with the special tokens ``<PAD>`` = 0, ``<SOS>``, ``<EOS>``, ``<UNK>``.

    Introduced in notebook 04. Build it with :meth:`build` from the training split only.
    """

    PAD = "<PAD>"
    SOS = "<SOS>"
    EOS = "<EOS>"
    UNK = "<UNK>"
    SPECIALS: tuple[str, ...] = (PAD, SOS, EOS, UNK)

    def __init__(self, itos: Sequence[str]) -> None:
        itos = list(itos)
        if tuple(itos[: len(self.SPECIALS)]) != self.SPECIALS:
            raise TutorialError(f"a vocabulary must start with the special tokens {self.SPECIALS}, "
                                    f"got {itos[:4]}")
        if not all(isinstance(t, str) for t in itos):
            raise TutorialError("every vocabulary entry must be a string")
        if len(set(itos)) != len(itos):
            dups = [t for t, c in Counter(itos).items() if c > 1]
            raise TutorialError(f"the vocabulary lists tokens more than once: {dups[:10]}")
        self.itos: list[str] = itos
        self.stoi: dict[str, int] = {t: i for i, t in enumerate(itos)}

    pad_index = 0
    sos_index = 1
    eos_index = 2
    unk_index = 3

    @classmethod
    def build(cls, token_lists: Iterable[Sequence[str]], min_freq: int = 1,
              max_size: int | None = None) -> Vocabulary:
        """Return a vocabulary of the tokens that occur at least ``min_freq`` times.

        Introduced in notebook 04. Tokens are ordered by frequency (highest first), ties by the
        token itself, so the same data always gives the same ids. ``max_size`` caps the total
        size, the 4 special tokens included. Pass only training-split tokens.
        """
        if min_freq < 1 or (max_size is not None and max_size < MIN_VOCAB_SIZE):
            raise ConfigError(f"min_freq={min_freq!r} must be >= 1 and max_size={max_size!r} None or "
                              f">= {MIN_VOCAB_SIZE} (the {len(cls.SPECIALS)} special tokens and a word)")
        counter: Counter[str] = Counter()
        for tokens in token_lists:
            counter.update(_check_token_list(tokens, "build"))
        for special in cls.SPECIALS:
            counter.pop(special, None)
        kept = sorted((t for t, c in counter.items() if c >= min_freq), key=lambda t: (-counter[t], t))
        if max_size is not None:
            kept = kept[: max_size - len(cls.SPECIALS)]
        return cls(list(cls.SPECIALS) + kept)

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, token: object) -> bool:
        return token in self.stoi

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} tokens)"

    def lookup(self, token: str) -> int:
        """Return the id of ``token``, or the ``<UNK>`` id for a token the vocabulary lacks."""
        return self.stoi.get(token, self.unk_index)

    def lookup_ids(self, tokens: Iterable[str]) -> list[int]:
        """Return the ids of ``tokens`` (``<UNK>`` for unknown ones)."""
        get, unk = self.stoi.get, self.unk_index
        return [get(t, unk) for t in tokens]

    def lookup_tokens(self, ids: Iterable[int]) -> list[str]:
        """Return the tokens of ``ids``; an id outside ``0..len-1`` raises an error."""
        out = []
        for i in ids:
            i = int(i)
            if not 0 <= i < len(self.itos):
                raise TutorialError(f"id {i} is outside the vocabulary (0..{len(self.itos) - 1})")
            out.append(self.itos[i])
        return out

    def coverage(self, token_lists: Iterable[Sequence[str]]) -> float:
        """Return the share of token occurrences the vocabulary knows (NaN when there are no tokens)."""
        known = total = 0
        for tokens in token_lists:
            total += len(tokens)
            known += sum(1 for t in tokens if t in self.stoi)
        return known / total if total else math.nan

    # --------------------------------------------------------------------------------- files
    def to_dict(self) -> dict[str, Any]:
        """Return the vocabulary as a JSON-serialisable dict."""
        return {"format": "tutorial_lib.Vocabulary", "version": 1, "itos": list(self.itos)}

    @classmethod
    def from_dict(cls, values: Any) -> Vocabulary:
        """Return the vocabulary stored by :meth:`to_dict`; a malformed dict raises an error."""
        if not isinstance(values, dict) or not isinstance(values.get("itos"), list):
            raise TutorialError("not a saved vocabulary: expected a dict with a list under 'itos'")
        return cls(values["itos"])

    def save(self, path: str | os.PathLike) -> Path:
        """Write the vocabulary to ``path`` as JSON (atomically) and return the path."""
        return atomic_write_text(path, json.dumps(self.to_dict(), ensure_ascii=False))

    @classmethod
    def load(cls, path: str | os.PathLike) -> Vocabulary:
        """Read a vocabulary written by :meth:`save`; a missing or malformed file raises an error."""
        path = Path(path)
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            raise DataError(f"no vocabulary file at {path}; save one with Vocabulary.save") from err
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise DataError(f"{path} is not a vocabulary JSON file: {err}") from err
        try:
            return cls.from_dict(values)
        except TutorialError as err:
            raise DataError(f"{path}: {err}") from err


# --------------------------------------------------------------------------------------- encoding
@dataclass(frozen=True)
class EncodedSplit:
    """One split as arrays a model can read (introduced in notebook 04).

    ``ids``: int64 ``[N, seq_length]`` rows ``<SOS> tokens <EOS> <PAD>...``; ``lengths``: int64
    ``[N]`` true lengths (SOS and EOS included); ``labels``: int64 ``[N]`` indices into the run's ``label_names``;
    ``texts``: the N cleaned tweets the rows came from.
    """

    ids: np.ndarray
    lengths: np.ndarray
    labels: np.ndarray
    texts: list[str]

    def __post_init__(self) -> None:
        n = len(self.texts)
        if self.ids.ndim != 2 or len(self.ids) != n or self.lengths.shape != (n,) or self.labels.shape != (n,):
            raise TutorialError(
                f"inconsistent EncodedSplit shapes: ids {self.ids.shape}, lengths {self.lengths.shape}, "
                f"labels {self.labels.shape}, {n} texts"
            )

    def __len__(self) -> int:
        return len(self.texts)


def encode(
    token_lists: Sequence[Sequence[str]], vocab: Vocabulary, seq_length: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(ids, lengths)``: int64 ``[N, seq_length]`` rows and int64 ``[N]`` true lengths.

    Introduced in notebook 04. Each row is ``<SOS> tokens <EOS>`` followed by ``<PAD>`` up to
    ``seq_length``; a longer tweet keeps its first ``seq_length - 2`` tokens. Lengths count SOS
    and EOS (so they are at least 2). Unknown tokens become ``<UNK>``.
    """
    if seq_length < MIN_SEQ_LENGTH:
        raise ConfigError(f"seq_length={seq_length} must be >= {MIN_SEQ_LENGTH} (<SOS>, a token, <EOS>)")
    token_lists = list(token_lists)
    ids = np.full((len(token_lists), seq_length), vocab.pad_index, dtype=np.int64)
    lengths = np.empty(len(token_lists), dtype=np.int64)
    for row, tokens in enumerate(token_lists):
        body = vocab.lookup_ids(_check_token_list(tokens, "encode")[: seq_length - 2])
        ids[row, : len(body) + 2] = [vocab.sos_index, *body, vocab.eos_index]
        lengths[row] = len(body) + 2
    return ids, lengths


def decode(ids_row: Iterable[int], vocab: Vocabulary) -> list[str]:
    """Return the tokens of one encoded row without its ``<PAD>`` entries (introduced in notebook 04)."""
    return [t for t in vocab.lookup_tokens(ids_row) if t != vocab.PAD]


def token_counts(token_lists: Iterable[Sequence[str]]) -> np.ndarray:
    """Return the encoded length of each token list (tokens + 2 for SOS/EOS) as an int64 array."""
    return np.fromiter((len(t) + 2 for t in token_lists), dtype=np.int64)


def suggest_seq_length(token_lists: Iterable[Sequence[str]], percentile: float = 95) -> int:
    """Return a ``seq_length`` that fits ``percentile`` % of the tweets without truncation.

    Lengths count ``<SOS>`` and ``<EOS>``; the result is rounded up and at least 3.
    Introduced in notebook 04.
    """
    if not 0 < percentile <= 100:
        raise TutorialError(f"percentile={percentile!r} must be in (0, 100]")
    counts = token_counts(token_lists)
    if len(counts) == 0:
        raise TutorialError("suggest_seq_length needs at least one tokenized tweet")
    return max(3, int(math.ceil(np.percentile(counts, percentile))))


def plot_length_histogram(token_lists: Iterable[Sequence[str]], seq_length: int | None = None, ax=None):
    """Draw a histogram of encoded lengths (tokens + SOS/EOS), mark ``seq_length``, return the Axes.

    Introduced in notebook 04.
    """
    import matplotlib.pyplot as plt

    counts = token_counts(token_lists)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    if len(counts):
        ax.hist(counts, bins=np.arange(counts.min(), counts.max() + 2) - 0.5, color="tab:blue", alpha=0.8)
    if seq_length is not None:
        cut = float((counts > seq_length).mean()) if len(counts) else 0.0
        ax.axvline(seq_length + 0.5, color="tab:red", linestyle="--",
                   label=f"seq_length = {seq_length} ({cut:.1%} truncated)")
        ax.legend()
    ax.set_xlabel("tokens per tweet (with <SOS> and <EOS>)")
    ax.set_ylabel("tweets")
    return ax


# ------------------------------------------------------------------------------------------ checks
def _check_token_list(tokens: Sequence[str], caller: str) -> Sequence[str]:
    """Return ``tokens``; a plain string (a text that was not tokenized) raises a clear error."""
    if isinstance(tokens, str):
        raise TutorialError(f"{caller} expects lists of tokens, got a string; tokenize the texts first")
    return tokens
