"""Checks for the "Your turn" exercises of notebook 05 (word embeddings).

Notebook 05 asks the learner to write two things the course's embeddings package does:

* ``nearest(vectors, word, k)``: the ``k`` words whose vectors have the highest cosine similarity
  with ``word``'s, nearest first, the word itself left out; checked by :func:`check_nearest` against
  :func:`tutorial_lib.embeddings.nearest_neighbours` on a handful of 3-number vectors;
* ``embedding_matrix(words, vectors, dim, rng)``: one row per vocabulary word, its vector where there
  is one, random numbers where there is none, and a zero ``<PAD>`` row; checked by
  :func:`check_embedding_matrix`.

Each check calls the learner's function on small inputs built here and prints one line (see
:mod:`tutorial_lib.exercises`). This module does not import torch (notebook 05 stays torch-free).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from tutorial_lib.embeddings import nearest_neighbours
from tutorial_lib.exercises import Hint, checker, expect, not_filled_in

# Built so that each typical mistake gives a different order: "huge" points nearly the same way as
# "good" but is five times longer, so a plain dot product ranks it first; cosine ranks "great" first.
SMALL_VECTORS: dict[str, np.ndarray] = {
    "good": np.array([1.0, 0.2, 0.0]),
    "great": np.array([0.9, 0.3, 0.0]),
    "huge": np.array([5.0, 5.0, 0.0]),
    "okay": np.array([0.5, 0.5, 0.1]),
    "monday": np.array([0.0, 0.0, 1.0]),
    "bad": np.array([-1.0, 0.1, 0.0]),
}


def _words_of(result: object, call: str) -> list[str]:
    """Return the words of the learner's result: words, (word, score) pairs, or scores indexed by word."""
    not_filled_in(result, call)
    if isinstance(result, str) or not hasattr(result, "__iter__"):
        raise Hint(f"{call} returned {result!r}: return a list of words, nearest first")
    if isinstance(result, pd.Series) and not all(isinstance(v, str) for v in result):
        result = result.index  # e.g. pd.Series(scores).nlargest(k): the words are the index
    items = list(result)  # a generator can be read once only
    words = [item[0] if isinstance(item, (tuple, list)) else item for item in items]
    expect(all(isinstance(w, str) for w in words),
           f"{call} returned {items!r}: return the neighbours' words (strings), nearest first")
    return words


def _ranking(vectors: Mapping[str, np.ndarray], word: str, score: Callable[[np.ndarray, np.ndarray], float],
             *, keep_self: bool = False, reverse: bool = False) -> list[str]:
    others = [w for w in vectors if keep_self or w != word]
    return sorted(others, key=lambda w: score(vectors[word], vectors[w]), reverse=not reverse)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@checker("nearest neighbours by cosine similarity")
def check_nearest(nearest: Callable[[Mapping[str, np.ndarray], str, int], list]) -> str:
    """Check the learner's ``nearest(vectors, word, k)`` against the package on :data:`SMALL_VECTORS`."""
    vectors = {w: v.copy() for w, v in SMALL_VECTORS.items()}
    for word, k in (("good", 3), ("monday", 2), ("bad", 4)):
        call = f"nearest(vectors, {word!r}, k={k})"
        got = _words_of(nearest(vectors, word, k), call)
        table = nearest_neighbours(vectors, [word], k=k)
        expected = list(table["neighbour"])
        if got == expected:
            continue
        call = f"{call} on the small vectors {{{', '.join(f'{w!r}: {v.tolist()}' for w, v in SMALL_VECTORS.items())}}}"
        if word in got:
            raise Hint(f"{call} returned {got}: the word itself is in the list (its cosine with itself is 1); "
                       "leave it out")
        if len(got) != k:
            raise Hint(f"{call} returned {len(got)} words: return exactly k = {k}")
        if got == _ranking(vectors, word, lambda a, b: float(a @ b))[:k]:
            raise Hint(f"{call} returned {got}, expected {expected}: you ranked by the plain dot product, which "
                       "favours long vectors ('huge' is 5 times longer than 'great'). Divide by both lengths: "
                       "a @ b / (np.linalg.norm(a) * np.linalg.norm(b))")
        if got == _ranking(vectors, word, _cosine, reverse=True)[:k]:
            raise Hint(f"{call} returned {got}, expected {expected}: these are the *least* similar words. Sort "
                       "by cosine similarity from the highest down (sorted(..., reverse=True))")
        if sorted(got) == sorted(expected):
            raise Hint(f"{call} returned {got}, expected {expected}: the right words in the wrong order; "
                       "nearest (highest cosine) first")
        raise Hint(f"{call} returned {got}, expected {expected} (cosine similarities: "
                   f"{ {w: round(float(c), 3) for w, c in zip(table['neighbour'], table['cosine'], strict=True)} })")
    return ("same neighbours, in the same order, as embeddings.nearest_neighbours on 3 small words "
            "(a long vector does not win, the word itself is left out)")


VOCABULARY: tuple[str, ...] = ("<PAD>", "<SOS>", "<EOS>", "<UNK>", "good", "bad", "monday", "zzz", "qqq")
KNOWN: dict[str, np.ndarray] = {
    "monday": np.array([0.0, 0.3, -0.2, 0.1]),
    "good": np.array([0.5, -0.1, 0.2, 0.4]),
    "bad": np.array([-0.4, 0.2, -0.3, 0.6]),
    "unused": np.array([0.1, -0.3, 0.2, 0.0]),  # in the vectors, not in the vocabulary
}


@checker("embedding matrix for the vocabulary")
def check_embedding_matrix(embedding_matrix: Callable[..., np.ndarray]) -> str:
    """Check the learner's ``embedding_matrix(words, vectors, dim, rng)`` on :data:`VOCABULARY` and :data:`KNOWN`."""
    words, dim = list(VOCABULARY), 4
    call = f"embedding_matrix({words}, vectors, dim=4, rng)"
    got = embedding_matrix(words, {w: v.copy() for w, v in KNOWN.items()}, dim, np.random.default_rng(0))
    not_filled_in(got, call)
    matrix = np.asarray(got, dtype=float)
    expect(matrix.shape == (len(words), dim),
           f"{call} has shape {matrix.shape}; expected ({len(words)}, {dim}): one row per vocabulary word, in "
           "the vocabulary's order, not one per vector")
    for row, word in enumerate(words):
        if word in KNOWN:
            expect(np.allclose(matrix[row], KNOWN[word]),
                   f"row {row} ({word!r}) is {matrix[row].round(3).tolist()}, expected its vector "
                   f"{KNOWN[word].tolist()}: row i must belong to words[i] (the id of the word)")
    expect(np.all(matrix[0] == 0), f"the <PAD> row (row 0) is {matrix[0].round(3).tolist()}: keep it all zero, "
                                   "so padding adds nothing to what the model reads")
    missing = [i for i, w in enumerate(words) if w not in KNOWN and i > 0]
    rows = matrix[missing]
    names = [words[i] for i in missing]
    expect(not np.any(np.all(rows == 0, axis=1)),
           f"the rows of the words without a vector ({names}) include all-zero rows: give each a random "
           "vector (rng.normal), otherwise all these words look the same to the model, and like padding")
    expect(len({tuple(r) for r in rows.round(8)}) == len(missing),
           f"the words without a vector ({names}) share one row: draw a separate random vector for each")
    spread = float(np.std(np.stack([KNOWN[w] for w in words if w in KNOWN])))
    expect(0.2 * spread < float(np.std(rows)) < 5 * spread,
           f"the random rows have a spread (standard deviation) of {np.std(rows):.3f}, far from the found "
           f"vectors' {spread:.3f}: draw them with rng.normal(0, std_of_found_vectors, dim)")
    return (f"{len(words)} x {dim}, found words copied in vocabulary order, {len(missing)} random rows of the "
            "right spread, <PAD> row zero")
