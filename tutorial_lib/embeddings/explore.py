"""Looking at word vectors: nearest neighbours and 2-D pictures (notebook 05).

Vectors of 50 or more numbers cannot be read directly, so we look at them two ways.
:func:`nearest_neighbours` lists the words whose vectors point in the most similar direction
(:func:`cosine_similarity`: 1 for the same direction, 0 for unrelated, -1 for opposite).
:func:`project_2d` and :func:`plot_projection` squeeze the vectors of a few words onto a plane
with PCA or t-SNE to plot them; :data:`SENTIMENT_WORDS` holds example words to plot. numpy and
pandas; scikit-learn and matplotlib are imported inside the functions that need them (no torch).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .vectors import DataError, as_table

#: Example words of each sentiment group, all in the default run's vocabulary (notebook 05 plots them).
SENTIMENT_WORDS: dict[str, tuple[str, ...]] = {
    "positive": ("good", "great", "love", "happy", "best", "awesome", "excited", "amazing", "fun", "nice"),
    "negative": ("bad", "sad", "hate", "sorry", "worst", "miss", "terrible", "upset", "sick", "sucks"),
    "neutral": ("monday", "tomorrow", "friday", "sunday", "night", "game", "show", "video", "album", "news"),
}


def cosine_similarity(vectors: Any, word: str, other: str) -> float:
    """Return the cosine similarity of the vectors of ``word`` and ``other``: 1 same direction, 0 unrelated.

    Introduced in notebook 05. ``vectors`` is WordVectors, gensim KeyedVectors or a dict word ->
    vector; a word without a vector raises :class:`DataError`.
    """
    _, table, index = as_table(vectors)
    a, b = (table[index[w]] for w in _words_with_vectors([word, other], index, "raise"))
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def nearest_neighbours(vectors: Any, words: Sequence[str], k: int = 5, *, missing: str = "raise") -> pd.DataFrame:
    """Return the ``k`` nearest neighbours (cosine similarity) of each of ``words`` as a DataFrame.

    Introduced in notebook 05. ``vectors`` is WordVectors, gensim KeyedVectors or a dict word ->
    vector. Columns: ``word``, ``rank`` (1 = nearest), ``neighbour``, ``cosine``; the word itself and
    all-zero vectors (padding) are never neighbours. Words without a vector raise
    :class:`DataError`, or are left out with ``missing="skip"``.
    """
    if not isinstance(k, int) or k < 1:
        raise DataError(f"k must be an integer >= 1, got {k!r}")
    table_words, table, index = as_table(vectors)
    query = _words_with_vectors(list(words), index, missing)
    norms = np.linalg.norm(table, axis=1)
    unit = table / np.where(norms > 0, norms, 1.0)[:, None]
    rows = []
    for word in query:
        sims = unit @ unit[index[word]]
        sims[norms == 0] = -np.inf
        sims[index[word]] = -np.inf
        top = np.argsort(-sims, kind="stable")[:k]
        for rank, j in enumerate(top, start=1):
            if math.isinf(sims[j]):
                break
            rows.append({"word": word, "rank": rank, "neighbour": table_words[j], "cosine": float(sims[j])})
    return pd.DataFrame(rows, columns=["word", "rank", "neighbour", "cosine"])


def project_2d(vectors: Any, words: Sequence[str], *, method: str = "pca", seed: int = 0,
               missing: str = "skip") -> pd.DataFrame:
    """Return 2-D coordinates of ``words`` (columns ``word``, ``x``, ``y``) by PCA or t-SNE.

    Introduced in notebook 05. PCA (the default) is deterministic; t-SNE is seeded with ``seed``,
    starts from the PCA layout and uses a perplexity below the number of words.
    """
    _, table, index = as_table(vectors)
    query = _words_with_vectors(list(words), index, missing)
    if len(query) < 3:
        raise DataError(f"a projection needs at least 3 words with vectors, got {len(query)}: {query}")
    points = table[[index[w] for w in query]].astype(np.float64)
    if method == "pca":
        from sklearn.decomposition import PCA

        xy = PCA(n_components=2, svd_solver="full").fit_transform(points)
    elif method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = float(min(30.0, max(1.0, (len(query) - 1) / 3)))
        xy = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed,
                  max_iter=500).fit_transform(points)
    else:
        raise DataError(f"method must be 'pca' or 'tsne', got {method!r}")
    return pd.DataFrame({"word": query, "x": xy[:, 0], "y": xy[:, 1]})


def plot_projection(vectors: Any, words: Sequence[str], method: str = "pca", seed: int = 0, ax: Any = None,
                    colors: Mapping[str, str] | None = None, *, missing: str = "skip"):
    """Plot ``words`` in 2-D (see :func:`project_2d`), label each point, and return the Axes.

    Introduced in notebook 05. ``colors`` maps a word to its group (e.g. ``"positive"``); each group
    gets its own colour and a legend entry. :func:`groups_of` turns :data:`SENTIMENT_WORDS` into such
    a mapping.
    """
    import matplotlib.pyplot as plt

    coords = project_2d(vectors, words, method=method, seed=seed, missing=missing)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    groups = [(colors or {}).get(w, "other") for w in coords["word"]]
    palette = {"positive": "tab:green", "negative": "tab:red", "neutral": "tab:gray"}
    cycle = iter(plt.rcParams["axes.prop_cycle"].by_key()["color"])
    for group in dict.fromkeys(groups):
        mask = np.array([g == group for g in groups])
        color = palette.get(group) or next(cycle)
        ax.scatter(coords["x"][mask], coords["y"][mask], color=color, label=group, s=25)
    for word, x, y in zip(coords["word"], coords["x"], coords["y"], strict=True):
        ax.annotate(word, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=9)
    ax.set_title(f"{len(coords)} words, {method.upper()} projection")
    ax.set_xlabel("component 1")
    ax.set_ylabel("component 2")
    if colors:
        ax.legend(loc="best")
    return ax


def groups_of(words_by_group: Mapping[str, Iterable[str]] = SENTIMENT_WORDS) -> dict[str, str]:
    """Return a mapping word -> group from a mapping group -> words (e.g. :data:`SENTIMENT_WORDS`).

    Introduced in notebook 05, for the ``colors`` argument of :func:`plot_projection`.
    """
    return {word: group for group, words in words_by_group.items() for word in words}


def _words_with_vectors(words: Sequence[str], index: Mapping[str, int], missing: str) -> list[str]:
    """Return the ``words`` that have a vector; with ``missing="raise"`` any other word raises an error."""
    if missing not in ("raise", "skip"):
        raise DataError(f"missing must be 'raise' or 'skip', got {missing!r}")
    absent = [w for w in words if w not in index]
    if absent and missing == "raise":
        raise DataError(f"no vector for {absent}; choose words of the vocabulary or pass missing='skip'")
    return [w for w in words if w in index]
