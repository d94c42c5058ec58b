"""Word vectors in memory, and how our words are found among them (notebook 05).

A table of word vectors gives some words a row of numbers each. :class:`WordVectors` holds one read
from a file or a package; :func:`as_table` also accepts gensim's ``KeyedVectors`` and a plain dict,
so that the other modules of :mod:`tutorial_lib.embeddings` work with any of them.

Our tokens are not always spelled as such a table spells them: GloVe is all lowercase and was
trained on tokens like ``do`` + ``n't``, while our tweet tokenizer (notebook 04) keeps ``don't``
and ``#happy`` whole. :func:`word_parts` and :func:`words_to_look_up` say which table words can
stand for one of ours. numpy only (no torch).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutorial_lib.errors import DataError


@dataclass(frozen=True)
class WordVectors:
    """Words and their vectors (``vectors[i]`` belongs to ``words[i]``), as read from one source.

    Introduced in notebook 05. ``lines_read`` counts the vector lines of the file (all of them,
    not only the kept ones).
    """

    words: tuple[str, ...]
    vectors: np.ndarray  # float32 [len(words), dim]
    source: str = ""
    lines_read: int = 0
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        vectors = np.asarray(self.vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(self.words):
            raise DataError(
                f"WordVectors needs one row per word: got {len(self.words)} words and vectors of shape "
                f"{vectors.shape}"
            )
        object.__setattr__(self, "vectors", vectors)
        object.__setattr__(self, "index", {w: i for i, w in enumerate(self.words)})

    @property
    def dim(self) -> int:
        """Return the number of values per vector."""
        return int(self.vectors.shape[1])

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self.index[word]]


def as_table(vectors: Any) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """Return ``(words, float32 matrix, word -> row)`` for WordVectors, gensim KeyedVectors or a dict."""
    if isinstance(vectors, WordVectors):
        return list(vectors.words), vectors.vectors, vectors.index
    if hasattr(vectors, "index_to_key") and hasattr(vectors, "vectors"):  # gensim KeyedVectors
        words = list(vectors.index_to_key)
        return words, np.asarray(vectors.vectors, dtype=np.float32), dict(vectors.key_to_index)
    if isinstance(vectors, Mapping):
        words = list(vectors)
        if not words:
            return [], np.zeros((0, 0), dtype=np.float32), {}
        matrix = np.stack([np.asarray(vectors[w], dtype=np.float32) for w in words])
        return words, matrix, {w: i for i, w in enumerate(words)}
    raise DataError(
        f"expected WordVectors, gensim KeyedVectors or a dict word -> vector, got {type(vectors).__name__}"
    )


def vocab_words(vocab: Any) -> list[str]:
    """Return the words of ``vocab`` in id order (a ``Vocabulary``, a mapping word -> id, or words)."""
    if hasattr(vocab, "itos"):
        return [str(w) for w in vocab.itos]
    stoi = getattr(vocab, "stoi", None)
    if stoi is None and isinstance(vocab, Mapping):
        stoi = vocab
    if stoi is not None:
        return [w for w, _ in sorted(stoi.items(), key=lambda item: item[1])]
    if isinstance(vocab, str):
        raise DataError("vocab must be a Vocabulary or a collection of words, not a single string")
    return [str(w) for w in vocab]


@functools.cache
def _treebank():
    from nltk.tokenize import TreebankWordTokenizer

    return TreebankWordTokenizer()


def word_parts(word: str) -> list[str]:
    """Return the parts a pretrained vocabulary may know ``word`` by, or ``[]`` when it has none.

    Introduced in notebook 05. Our tweet tokenizer keeps contractions and hashtags whole, while
    GloVe was trained on Treebank-style tokens: ``don't`` -> ``["do", "n't"]``, ``i'm`` ->
    ``["i", "'m"]``, ``valentine's`` -> ``["valentine", "'s"]``, ``#happy`` -> ``["happy"]``.
    """
    if word.startswith("#") and len(word) > 1:
        return [word[1:]]
    if "'" in word:
        parts = _treebank().tokenize(word)
        return parts if len(parts) > 1 else []
    return []


def words_to_look_up(vocab: Any, lowercase: bool = True) -> set[str]:
    """Return every table word that can give a vocabulary word its vector.

    Introduced in notebook 05: the vocabulary's words, their lowercased forms (with
    ``lowercase=True``) and the :func:`word_parts` of all of them. A loader keeps only these.
    """
    wanted = set(vocab_words(vocab))
    if lowercase:
        wanted |= {w.lower() for w in wanted}
    return wanted | {part for w in list(wanted) for part in word_parts(w)}
