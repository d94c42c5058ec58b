"""The embedding matrix: one row per vocabulary id, filled from word vectors (notebook 05).

The model's embedding layer (notebook 06) can start from this matrix instead of random numbers.
:func:`build_embedding_matrix` puts each vocabulary word's vector in the row of its id (found by
:func:`find_vector`), gives the words without one a random row, keeps the padding row at zero,
and reports the **coverage** (:func:`coverage_report`): how many of our words, and of our training
tokens, got a real vector. numpy only (no torch).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .vectors import DataError, as_table, vocab_words, word_parts

FOUND = ("exact", "lowercase", "parts")  # the ways find_vector can find a word


def build_embedding_matrix(vocab: Any, vectors: Any, *, dim: int, seed: int,
                           train_tokens: Iterable[Sequence[str]] | None = None, pad_index: int = 0,
                           lowercase: bool = True, compose: bool = True,
                           n_examples: int = 10) -> tuple[np.ndarray, dict[str, Any]]:
    """Return the embedding matrix for ``vocab`` (float32 ``[len(vocab), dim]``) and a coverage report.

    Introduced in notebook 05. Row ``i`` holds the vector :func:`find_vector` finds for word ``i``
    in ``vectors`` (WordVectors, gensim KeyedVectors or a dict). A word without one gets a seeded
    random vector whose spread (standard deviation) is that of the found vectors, so random rows
    are neither much larger nor much smaller than the others. The padding row stays all zeros.
    """
    words = vocab_words(vocab)
    _, table, index = as_table(vectors)
    _check_matrix_inputs(words, table, dim, pad_index)
    matrix = np.zeros((len(words), dim), dtype=np.float32)
    how = ["padding"] * len(words)  # how each row was found: see find_vector
    for i, word in enumerate(words):
        if i != pad_index:
            vector, how[i] = find_vector(word, table, index, lowercase=lowercase, compose=compose)
            if vector is not None:
                matrix[i] = vector
    found = np.array([h in FOUND for h in how])
    _check_found_any(found, len(words) - 1, len(table))
    missing = np.array([h == "missing" for h in how])
    std = float(matrix[found].std())
    matrix[missing] = np.random.default_rng(seed).normal(0.0, std, size=(int(missing.sum()), dim))
    return matrix, coverage_report(words, how, std, train_tokens, n_examples)


def find_vector(word: str, table: np.ndarray, index: Mapping[str, int], *, lowercase: bool = True,
                compose: bool = True) -> tuple[np.ndarray | None, str]:
    """Return ``(vector, how)`` for ``word``; ``how`` is "exact", "lowercase", "parts" or "missing".

    Introduced in notebook 05. The word itself, else its lowercase form, else (``compose``) the
    mean of the vectors of its :func:`word_parts` when all of them have one (``don't`` -> ``do``
    + ``n't``, ``#happy`` -> ``happy``), else ``(None, "missing")``.
    """
    if word in index:
        return table[index[word]], "exact"
    if lowercase and word.lower() in index:
        return table[index[word.lower()]], "lowercase"
    parts = word_parts(word.lower() if lowercase else word) if compose else []
    if parts and all(p in index for p in parts):
        return table[[index[p] for p in parts]].mean(axis=0), "parts"
    return None, "missing"


def coverage_report(words: Sequence[str], how: Sequence[str], random_std: float,
                    train_tokens: Iterable[Sequence[str]] | None = None,
                    n_examples: int = 10) -> dict[str, Any]:
    """Return how many vocabulary words, and training tokens, got a pretrained vector.

    Introduced in notebook 05, for :func:`build_embedding_matrix` (``how`` as :func:`find_vector`
    returns it, ``"padding"`` for the padding row). Keys: ``vocab_size``; ``types_found`` and
    ``type_coverage`` (share of the vocabulary words, padding excluded, that got a vector);
    ``found_lowercased``; ``found_composed``; ``random_init_std``; with ``train_tokens`` (the
    training split's token lists) also ``train_tokens``, ``train_tokens_in_vocab``,
    ``train_tokens_found`` and ``token_coverage`` (share of the training token occurrences the
    vocabulary keeps that got a vector); ``missing_examples``: words without a vector, the most
    frequent in training first when ``train_tokens`` is given.
    """
    ways = Counter(how)
    n_types = len(words) - ways["padding"]
    n_found = sum(ways[w] for w in FOUND)
    report: dict[str, Any] = {
        "vocab_size": len(words),
        "types_found": n_found,
        "type_coverage": n_found / n_types if n_types else 0.0,
        "found_lowercased": ways["lowercase"],
        "found_composed": ways["parts"],
        "random_init_std": random_std,
    }
    missing = [w for w, h in zip(words, how, strict=True) if h == "missing"]
    if train_tokens is not None:
        counts = Counter(tok for tokens in train_tokens for tok in tokens)
        report.update(_token_coverage(counts, dict(zip(words, how, strict=True))))
        missing.sort(key=lambda w: -counts.get(w, 0))  # stable: vocabulary order among ties
    report["missing_examples"] = missing[:n_examples]
    return report


def _token_coverage(counts: Counter[str], how_of: Mapping[str, str]) -> dict[str, Any]:
    """Return the training-token numbers of :func:`coverage_report` from token counts."""
    in_vocab = sum(c for w, c in counts.items() if how_of.get(w, "padding") != "padding")
    found = sum(c for w, c in counts.items() if how_of.get(w) in FOUND)
    return {
        "train_tokens": sum(counts.values()),
        "train_tokens_in_vocab": in_vocab,
        "train_tokens_found": found,
        "token_coverage": found / in_vocab if in_vocab else 0.0,
    }


def _check_matrix_inputs(words: Sequence[str], table: np.ndarray, dim: Any, pad_index: int) -> None:
    """Raise unless ``dim`` is a positive integer the vectors have and ``pad_index`` is a vocabulary id."""
    if not isinstance(dim, int) or dim < 1:
        raise DataError(f"dim must be a positive integer, got {dim!r}")
    if not words:
        raise DataError("the vocabulary is empty: build it from the training split first")
    if not 0 <= pad_index < len(words):
        raise DataError(f"pad_index={pad_index} is outside the vocabulary (size {len(words)})")
    if table.shape[0] and table.shape[1] != dim:
        raise DataError(
            f"the word vectors have {table.shape[1]} dimensions but dim={dim}; set embedding_dim="
            f"{table.shape[1]} or use vectors with {dim} dimensions"
        )


def _check_found_any(found: np.ndarray, n_types: int, n_vectors: int) -> None:
    """Raise when no vocabulary word got a vector: the vectors do not fit our words at all."""
    if not found.any():
        raise DataError(
            f"none of the {n_types} vocabulary words has a vector in the given word vectors "
            f"({n_vectors} words); check that the vectors are for English and that their words "
            "are tokenized like ours"
        )
