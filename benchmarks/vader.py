"""VADER, the lexicon peer of the benchmark (``benchmarks/benchmark.py``, ``make bench``), scored on the LSTM's split.

VADER is a sentiment lexicon with rules made for social media (no training at all), used with its
standard thresholds or with two thresholds fitted on training + validation. Its scores as features
are a lesson (:mod:`tutorial_lib.lexicons`, notebook 09); VADER on its own, as a classifier, is a
benchmark row only, so it lives here, beside the benchmark. Like the lesson's peers
(``tutorial_lib.baselines``) it is scored on every tweet of a split of ``prepared``
(:func:`tutorial_lib.pipeline.prepare_data`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tutorial_lib.errors import TutorialError
from tutorial_lib.evaluation import _encoded, classification_metrics
from tutorial_lib.lexicons import analyzer
from tutorial_lib.preprocessing import LABELS

if TYPE_CHECKING:  # pragma: no cover
    from tutorial_lib.pipeline import PreparedData

VADER_STANDARD_THRESHOLDS = (-0.05, 0.05)  # VADER's documented cut-offs on the compound score
VADER_GRID = np.round(np.arange(-1.0, 1.0001, 0.01), 2)  # candidate thresholds when fitting


def vader_compound(texts: list[str]) -> np.ndarray:
    """Return VADER's compound score (-1 very negative ... +1 very positive) of each text.

    The analyzer is the lesson's (:func:`tutorial_lib.lexicons.analyzer`); the scores stay float64 here.
    """
    return np.array([analyzer().polarity_scores(t)["compound"] for t in texts], dtype=np.float64)


def threshold_labels(scores: np.ndarray, low: float, high: float) -> np.ndarray:
    """Return label ids for sentiment scores: negative below ``low``, positive above ``high``, else neutral.

    VADER's standard rule is ``low=-0.05, high=0.05`` (negative at or below -0.05, positive at or
    above 0.05); both ends are inclusive here, as in VADER's documentation.
    """
    ids = {label: i for i, label in enumerate(LABELS)}
    out = np.full(len(scores), ids["neutral"], dtype=np.int64)
    out[scores <= low] = ids["negative"]
    out[scores >= high] = ids["positive"]
    return out


def fit_thresholds(scores: np.ndarray, y: np.ndarray, grid: np.ndarray = VADER_GRID) -> tuple[float, float]:
    """Return the ``(low, high)`` pair from ``grid`` (``low < high``) with the best macro-F1 on ``(scores, y)``.

    Every pair is scored at once from counts (how many tweets of each class lie at or below ``low``
    and at or above ``high``), which gives exactly :func:`threshold_labels`' macro-F1. Ties go to
    the first pair in grid order (smallest ``low``, then smallest ``high``).
    """
    scores, y, grid = np.asarray(scores, dtype=np.float64), np.asarray(y), np.asarray(grid, dtype=np.float64)
    neg, neu, pos = (LABELS.index(name) for name in ("negative", "neutral", "positive"))
    at_or_below = scores[None, :] <= grid[:, None]  # [G, N]: predicted negative if grid value is `low`
    at_or_above = scores[None, :] >= grid[:, None]  # [G, N]: predicted positive if grid value is `high`
    n_neg, n_neu, n_pos = ((y == c).sum() for c in (neg, neu, pos))
    pred_neg, tp_neg = at_or_below.sum(1)[:, None], at_or_below[:, y == neg].sum(1)[:, None]  # per low
    pred_pos, tp_pos = at_or_above.sum(1)[None, :], at_or_above[:, y == pos].sum(1)[None, :]  # per high
    neu_low, neu_high = at_or_below[:, y == neu].sum(1)[:, None], at_or_above[:, y == neu].sum(1)[None, :]
    pred_neu = len(y) - pred_neg - pred_pos
    tp_neu = n_neu - neu_low - neu_high

    def f1(tp, predicted, actual):
        return np.where(predicted + actual > 0, 2 * tp / np.maximum(predicted + actual, 1), 0.0)

    macro = (f1(tp_neg, pred_neg, n_neg) + f1(tp_neu, pred_neu, n_neu) + f1(tp_pos, pred_pos, n_pos)) / 3
    valid = grid[:, None] < grid[None, :]
    macro = np.where(valid, macro, -1.0)
    i, j = np.unravel_index(int(np.argmax(macro)), macro.shape)  # first maximum in row-major order
    return float(grid[i]), float(grid[j])


def _check_sentiment_labels(label_names: tuple[str, ...]) -> None:
    """Raise :class:`TutorialError` unless the run's classes are the course's negative/neutral/positive."""
    if tuple(label_names) != LABELS:
        raise TutorialError(
            f"VADER maps a sentiment score to the classes {LABELS}; this data's classes are "
            f"{tuple(label_names)}, so VADER does not apply (it is a benchmark of the course's tweets only)"
        )


def vader_baseline(prepared: PreparedData, fit: bool = False, split: str = "test") -> dict[str, Any]:
    """Return the metrics of VADER on the cleaned tweets of ``split`` (no training).

    VADER reads the cleaned tweets as written (capitals, "!!!", emoticons and emoji carry meaning
    for it). ``fit=False``: VADER's standard thresholds (compound <= -0.05 negative, >= 0.05
    positive). ``fit=True``: the two thresholds that give the best macro-F1 on the training and
    validation tweets together (a grid of steps of 0.01), never on ``split``. The result adds
    ``thresholds``. VADER scores sentiment on one axis, so it only applies to the course's three
    classes: other label sets raise :class:`TutorialError`.
    """
    _check_sentiment_labels(prepared.label_names)
    if fit:
        parts = [("train", _encoded(prepared, "train")), ("val", _encoded(prepared, "val"))]
        scores = np.concatenate([vader_compound([str(t) for t in enc.texts]) for _, enc in parts])
        y = np.concatenate([np.asarray(enc.labels, dtype=np.int64) for _, enc in parts])
        low, high = fit_thresholds(scores, y)
    else:
        low, high = VADER_STANDARD_THRESHOLDS
    scores = vader_compound([str(t) for t in _encoded(prepared, split).texts])
    y_true = np.asarray(_encoded(prepared, split).labels, dtype=np.int64)
    result = classification_metrics(y_true, threshold_labels(scores, low, high), LABELS)
    result["thresholds"] = [low, high]
    return result
