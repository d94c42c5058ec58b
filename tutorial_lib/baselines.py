"""Baselines and peers scored on exactly the LSTM's split (notebook 08 and the benchmark).

Every system here is fitted on the tweets the LSTM trains on (``prepared.encoded["train"]``), may
use the validation split to make its one choice, and is scored on every tweet of a split (the test
split by default), so its numbers are directly comparable with the LSTM's:

- :func:`majority_baseline`: always the most frequent training label (the floor);
- :func:`tfidf_logreg_baseline`: word 1-2 gram TF-IDF + class-balanced logistic regression, C=1;
- :func:`tfidf_wordchar_baseline`: the **strongest classical peer**: word 1-2 grams plus character
  2-5 grams (``char_wb``: inside word boundaries, so misspellings and unseen words still share
  pieces with known ones), class-balanced logistic regression, C chosen on the validation split;
- :func:`vader_baseline`: VADER, a sentiment lexicon with rules made for social media (no
  training at all), with its standard thresholds or with two thresholds fitted on training +
  validation. Needs the optional ``vaderSentiment`` package (``pip install -e ".[bench]"``); the
  course's run does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import TutorialError
from .evaluation import _encoded, classification_metrics
from .labels import LABELS, label_ids

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import PreparedData

WORDCHAR_CS = (0.3, 1.0, 3.0, 10.0)  # the C values the word+char peer chooses from, on validation
VADER_STANDARD_THRESHOLDS = (-0.05, 0.05)  # VADER's documented cut-offs on the compound score
VADER_GRID = np.round(np.arange(-1.0, 1.0001, 0.01), 2)  # candidate thresholds when fitting


def split_texts(prepared: PreparedData, split: str) -> list[str]:
    """Return the *normalized* texts of ``split``: ``prepared.text_pipeline.normalize`` applied to the
    cleaned tweets of ``prepared.encoded[split]`` (the text the tokenizer sees). Introduced in notebook 08.
    """
    encoded = _encoded(prepared, split)
    normalize = prepared.text_pipeline.normalize
    return [normalize(str(t)) for t in encoded.texts]


def _labels(prepared: PreparedData, split: str) -> np.ndarray:
    return np.asarray(_encoded(prepared, split).labels, dtype=np.int64)


def majority_baseline(prepared: PreparedData, split: str = "test") -> dict[str, Any]:
    """Return the metrics of always predicting the most frequent label of the training split.

    The majority is counted on the training split *before* any balancing (``prepared.split.train``):
    after undersampling every class is equally frequent and "the majority" would be an arbitrary
    tie-break, not the naive guess this baseline stands for. Introduced in notebook 08.
    """
    names = prepared.label_names
    train_labels = label_ids(prepared.split.train["label"], names)
    majority = int(np.bincount(train_labels, minlength=len(names)).argmax())
    y_true = _labels(prepared, split)
    result = classification_metrics(y_true, np.full_like(y_true, majority), names)
    result["predicted_label"] = names[majority]
    return result


def tfidf_logreg_baseline(prepared: PreparedData, seed: int = 0, class_weight: str | None = "balanced",
                          C: float = 1.0, split: str = "test") -> dict[str, Any]:
    """Return the metrics of TF-IDF (word 1-2 grams, sublinear tf) + logistic regression.

    Fitted on the normalized texts of ``prepared.encoded["train"]`` -- exactly the training tweets
    the LSTM sees (after balancing, if any) -- and evaluated on ``split`` (the test split by
    default). ``class_weight="balanced"`` weights classes inversely to their frequency, like the
    LSTM's class-weighted loss. Introduced in notebook 08.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    x_train = vectorizer.fit_transform(split_texts(prepared, "train"))
    clf = LogisticRegression(C=C, class_weight=class_weight, max_iter=2000, random_state=seed)
    clf.fit(x_train, _labels(prepared, "train"))
    pred = clf.predict(vectorizer.transform(split_texts(prepared, split)))
    return classification_metrics(_labels(prepared, split), pred, prepared.label_names)


def wordchar_vectorizer() -> Any:
    """Return the word+char TF-IDF features (unfitted): word 1-2 grams and char_wb 2-5 grams, side by side."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])


def tfidf_wordchar_baseline(prepared: PreparedData, seed: int = 0, Cs: tuple[float, ...] = WORDCHAR_CS,
                            split: str = "test") -> dict[str, Any]:
    """Return the metrics of the strongest classical peer: word+char TF-IDF + class-balanced LR.

    Features: :func:`wordchar_vectorizer`, fitted on the normalized training texts (the LSTM's
    training tweets). One logistic regression per ``C`` in ``Cs`` is fitted on the training split;
    the ``C`` with the best **validation** macro-F1 is kept (the first one on a tie) and only that
    model is scored on ``split``. The result adds ``C`` (the chosen value), ``val_macro_f1`` (its
    validation score) and ``val_macro_f1_per_C`` (``{C: score}`` for every candidate). Introduced in
    notebook 08.
    """
    from sklearn.linear_model import LogisticRegression

    if not Cs:
        raise TutorialError("Cs must hold at least one value of C")
    vectorizer = wordchar_vectorizer()
    x_train = vectorizer.fit_transform(split_texts(prepared, "train"))
    y_train = _labels(prepared, "train")
    x_val, y_val = vectorizer.transform(split_texts(prepared, "val")), _labels(prepared, "val")
    best, best_f1, val_scores = None, -1.0, {}
    for C in Cs:
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=seed)
        clf.fit(x_train, y_train)
        f1 = classification_metrics(y_val, clf.predict(x_val), prepared.label_names)["macro_f1"]
        val_scores[str(C)] = f1
        if f1 > best_f1:
            best, best_f1, chosen = clf, f1, C
    pred = best.predict(vectorizer.transform(split_texts(prepared, split)))
    result = classification_metrics(_labels(prepared, split), pred, prepared.label_names)
    result.update(C=float(chosen), val_macro_f1=best_f1, val_macro_f1_per_C=val_scores)
    return result


def vader_compound(texts: list[str]) -> np.ndarray:
    """Return VADER's compound score (-1 very negative ... +1 very positive) of each text.

    Needs the optional ``vaderSentiment`` package, which ships its lexicon (no download).
    """
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError("VADER needs the optional package vaderSentiment: "
                          'pip install -c constraints.txt -e ".[bench]"') from exc
    analyzer = SentimentIntensityAnalyzer()
    return np.array([analyzer.polarity_scores(t)["compound"] for t in texts], dtype=np.float64)


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
    result = classification_metrics(_labels(prepared, split), threshold_labels(scores, low, high), LABELS)
    result["thresholds"] = [low, high]
    return result


def run_baselines(prepared: PreparedData, seed: int = 0) -> dict[str, dict[str, Any]]:
    """Return the baselines on the test split of ``prepared``: ``majority``, ``tfidf_logreg`` (word
    TF-IDF, C=1) and ``tfidf_wordchar`` (word+char TF-IDF, C chosen on validation: the strongest peer).

    VADER is left out (it needs an optional package); see :func:`vader_baseline`. Introduced in notebook 08.
    """
    return {"majority": majority_baseline(prepared),
            "tfidf_logreg": tfidf_logreg_baseline(prepared, seed=seed),
            "tfidf_wordchar": tfidf_wordchar_baseline(prepared, seed=seed)}
