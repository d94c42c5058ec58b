"""Baselines and peers scored on exactly the LSTM's split (notebook 08 and the benchmark).

Every system here is fitted on the tweets the LSTM trains on (``prepared.encoded["train"]``), may
use the validation split to make its one choice, and is scored on every tweet of a split (the test
split by default), so its numbers are directly comparable with the LSTM's:

- :func:`majority_baseline`: always the most frequent training label (the floor);
- :func:`tfidf_logreg_baseline`: word 1-2 gram TF-IDF + class-balanced logistic regression, C=1;
- :func:`tfidf_wordchar_baseline`: the **strongest classical peer**: word 1-2 grams plus character
  2-5 grams (``char_wb``: inside word boundaries, so misspellings and unseen words still share
  pieces with known ones), class-balanced logistic regression, C chosen on the validation split;
- :func:`tfidf_wordchar_lexicon_baseline`: the same, plus VADER's four scores of each tweet, the
  lexicon the LSTM can read (appendix notebook 09).

VADER alone, as a classifier (a row of the README's benchmark table), is ``benchmarks/vader.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import TutorialError
from .evaluation import _encoded, classification_metrics
from .labels import label_ids

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import PreparedData

WORDCHAR_CS = (0.3, 1.0, 3.0, 10.0)  # the C values the word+char peer chooses from, on validation
LEXICON_WEIGHTS = (0.5, 1.0, 2.0)  # how much VADER's four columns weigh beside the n-grams, chosen on validation


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


def _pick_on_validation(options: tuple[Any, ...], fit: Any, x_val: Any, y_val: np.ndarray,
                        names: tuple[str, ...]) -> tuple[Any, Any, float, dict[str, float]]:
    """Return ``(option, model, val macro-F1, {option: val macro-F1})`` of the best ``fit(option)`` on validation.

    ``x_val(option)`` gives the validation features of that option; the first best wins a tie.
    """
    best, best_f1, chosen, scores = None, -1.0, None, {}
    for option in options:
        clf = fit(option)
        scores[str(option)] = f1 = classification_metrics(y_val, clf.predict(x_val(option)), names)["macro_f1"]
        if f1 > best_f1:
            best, best_f1, chosen = clf, f1, option
    return chosen, best, best_f1, scores


def _balanced_lr(x_train: Any, y_train: np.ndarray, C: float, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=seed).fit(x_train, y_train)


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
    if not Cs:
        raise TutorialError("Cs must hold at least one value of C")
    vectorizer = wordchar_vectorizer()
    x_train = vectorizer.fit_transform(split_texts(prepared, "train"))
    y_train = _labels(prepared, "train")
    x_val, y_val = vectorizer.transform(split_texts(prepared, "val")), _labels(prepared, "val")
    C, best, best_f1, val_scores = _pick_on_validation(
        Cs, lambda C: _balanced_lr(x_train, y_train, C, seed), lambda C: x_val, y_val, prepared.label_names)
    pred = best.predict(vectorizer.transform(split_texts(prepared, split)))
    result = classification_metrics(_labels(prepared, split), pred, prepared.label_names)
    result.update(C=float(C), val_macro_f1=best_f1, val_macro_f1_per_C=val_scores)
    return result


def tfidf_wordchar_lexicon_baseline(prepared: PreparedData, seed: int = 0, Cs: tuple[float, ...] = WORDCHAR_CS,
                                    weights: tuple[float, ...] = LEXICON_WEIGHTS,
                                    split: str = "test") -> dict[str, Any]:
    """Return the metrics of the word+char peer that also reads VADER's four scores of each tweet.

    The lexicon the LSTM reads with ``lexicon="vader"`` (:func:`tutorial_lib.lexicons.tweet_scores` of
    the cleaned tweets), given to the peer as four more columns beside its n-grams, each multiplied by a
    ``weight``. Both choices are made on the **validation** split: ``C`` as for
    :func:`tfidf_wordchar_baseline` (on the n-grams alone), then the weight from ``weights`` (the first
    best on a tie). The result adds ``C``, ``weight``, ``val_macro_f1`` and ``val_macro_f1_per_weight``.
    Introduced in notebook 09.
    """
    from scipy.sparse import csr_matrix, hstack

    from .lexicons import tweet_scores

    if not Cs or not weights:
        raise TutorialError("Cs and weights must each hold at least one value")
    vectorizer = wordchar_vectorizer()
    splits = ("train", "val", split)
    x = {"train": vectorizer.fit_transform(split_texts(prepared, "train"))}
    x.update({s: vectorizer.transform(split_texts(prepared, s)) for s in splits[1:]})
    y = {s: _labels(prepared, s) for s in splits}
    scores = {s: csr_matrix(tweet_scores([str(t) for t in _encoded(prepared, s).texts])) for s in splits}

    def stacked(s: str, weight: float) -> Any:  # [N, n-grams + 4]
        return hstack([x[s], weight * scores[s]]).tocsr()

    C, *_ = _pick_on_validation(Cs, lambda C: _balanced_lr(x["train"], y["train"], C, seed), lambda C: x["val"],
                                y["val"], prepared.label_names)
    weight, best, best_f1, val_scores = _pick_on_validation(
        weights, lambda w: _balanced_lr(stacked("train", w), y["train"], C, seed), lambda w: stacked("val", w),
        y["val"], prepared.label_names)
    result = classification_metrics(y[split], best.predict(stacked(split, weight)), prepared.label_names)
    result.update(C=float(C), weight=float(weight), val_macro_f1=best_f1, val_macro_f1_per_weight=val_scores)
    return result


def run_baselines(prepared: PreparedData, seed: int = 0) -> dict[str, dict[str, Any]]:
    """Return the baselines on the test split of ``prepared``: ``majority``, ``tfidf_logreg`` (word
    TF-IDF, C=1) and ``tfidf_wordchar`` (word+char TF-IDF, C chosen on validation: the strongest peer).

    VADER alone is left out (a benchmark row: ``benchmarks/vader.py``). Introduced in notebook 08.
    """
    return {"majority": majority_baseline(prepared),
            "tfidf_logreg": tfidf_logreg_baseline(prepared, seed=seed),
            "tfidf_wordchar": tfidf_wordchar_baseline(prepared, seed=seed)}
