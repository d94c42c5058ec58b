"""Checks for the "Your turn" exercises of notebook 03 (balancing).

Notebook 03 asks the learner to write two functions:

* ``split_then_undersample(df, seed)``: a stratified 70 / 15 / 15 split into train, validation and
  test **first**, then undersampling of the training split alone with pandas (every class cut to the
  smallest class's count, no tweet twice); checked by :func:`check_split_then_undersample`, which
  catches balancing before splitting, sampling with replacement, an unstratified split, leaks
  between the splits and unseeded randomness;
* ``balanced_weights(labels)``: the "balanced" loss weights ``n_tweets / (n_classes × count)`` in
  :data:`~tutorial_lib.preprocessing.LABELS` order; checked by :func:`check_class_weights` against
  :func:`tutorial_lib.balancing.class_weights`.

Each check prints one line (see :mod:`tutorial_lib.exercises`). This module does not import torch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from tutorial_lib.exercises import Hint, checker, expect, not_filled_in
from tutorial_lib.preprocessing import LABELS

# tweets per class in the frame check_split_then_undersample splits: 60% / 30% / 10%
SPLIT_EXAMPLE_COUNTS = {"negative": 60, "neutral": 180, "positive": 360}


def split_example() -> pd.DataFrame:
    """Return the 600 made-up tweets (60 / 180 / 360 per class, each text unique) the check splits."""
    labels = [label for label, n in SPLIT_EXAMPLE_COUNTS.items() for _ in range(n)]
    order = np.random.default_rng(12345).permutation(len(labels))  # a local generator: no global state
    return pd.DataFrame({"text": [f"tweet {i:03d}" for i in range(len(labels))],
                         "label": [labels[i] for i in order]})


def _shares(frame: pd.DataFrame) -> dict[str, float]:
    counts = frame["label"].value_counts()
    return {label: float(counts.get(label, 0)) / max(len(frame), 1) for label in LABELS}


def _fmt_shares(shares: dict[str, float]) -> str:
    return " / ".join(f"{shares[label]:.0%} {label}" for label in LABELS)


def _frames(result: object, call: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    not_filled_in(result, call)
    expect(isinstance(result, (tuple, list)) and len(result) == 3,
           f"{call} returned {type(result).__name__}; return three frames: (train, val, test)")
    for name, frame in zip(("train", "val", "test"), result, strict=True):
        expect(isinstance(frame, pd.DataFrame), f"{call}: {name} is a {type(frame).__name__}, not a DataFrame")
        missing = [c for c in ("text", "label") if c not in frame.columns]
        expect(not missing, f"{call}: {name} lacks the column(s) {missing}; keep text and label")
    return tuple(result)  # type: ignore[return-value]


@checker("split, then undersample")
def check_split_then_undersample(split_then_undersample: Callable[[pd.DataFrame, int], tuple]) -> str:
    """Check the learner's ``split_then_undersample`` on :func:`split_example` with seeds 0, 1, 2."""
    df = split_example()
    before = df.copy()
    natural = _shares(df)
    per_class = []
    for seed in (0, 1, 2):
        call = f"split_then_undersample(df, seed={seed}) on 600 tweets ({_fmt_shares(natural)})"
        train, val, test = _frames(split_then_undersample(df, seed), call)
        expect(df.equals(before), "split_then_undersample changed the frame it was given; work on copies")
        train_texts, val_texts, test_texts = (set(f["text"]) for f in (train, val, test))
        leaked = sorted(test_texts & train_texts)
        if leaked:
            raise Hint(f"{call}: {len(leaked)} test tweets are also in training (e.g. {leaked[0]!r}); "
                       "the test split must hold tweets the model never saw")
        leaked = sorted(val_texts & (train_texts | test_texts))
        if leaked:
            raise Hint(f"{call}: {len(leaked)} validation tweets are also in another split "
                       f"(e.g. {leaked[0]!r}); each tweet belongs to one split")
        for name, frame in (("test", test), ("validation", val)):
            shares = _shares(frame)
            if all(abs(shares[k] - natural[k]) <= 0.025 for k in LABELS):
                continue
            if all(abs(shares[k] - 1 / 3) <= 0.05 for k in LABELS):
                raise Hint(f"{call}: the {name} split is balanced ({_fmt_shares(shares)}). Balancing before "
                           f"splitting (or balancing {name} too) gives it a mix no real stream of tweets "
                           "has; split first and balance only the training split")
            raise Hint(f"{call}: the {name} split has {_fmt_shares(shares)}, not the data's mix; split with "
                       "train_test_split(..., stratify=df['label']) so that every split keeps it")
        for name, frame in (("test", test), ("validation", val)):
            expect(abs(len(frame) / len(df) - 0.15) <= 0.03,
                   f"{call}: the {name} split has {len(frame)} tweets, expected about 90 (15% of 600); "
                   "take 15% for test, then 15% of all tweets for validation from the rest")
        counts = train["label"].value_counts().reindex(list(LABELS), fill_value=0)
        shown = ", ".join(f"{k} {v}" for k, v in counts.items())
        repeated = train["text"][train["text"].duplicated()]
        if not repeated.empty:
            raise Hint(f"{call}: the balanced training split holds {repeated.iloc[0]!r} more than once "
                       f"({shown}); undersampling takes a subset, without replacement: "
                       "group.sample(n=smallest, replace=False, random_state=seed)")
        expect(counts.nunique() == 1, f"{call}: the training classes are not equal ({shown}); cut every "
                                      "class to the smallest class's count")
        available = df[~df["text"].isin(val_texts | test_texts)]["label"].value_counts()
        smallest = int(available.reindex(list(LABELS), fill_value=0).min())
        expect(int(counts.iloc[0]) == smallest,
               f"{call}: training keeps {int(counts.iloc[0])} tweets per class, but the smallest class of "
               f"the training split has {smallest}; undersampling keeps all of the smallest class")
        expect(train_texts <= set(df["text"]), f"{call}: training holds tweets that are not in df")
        again = _frames(split_then_undersample(df, seed), call)
        expect(all(set(a["text"]) == set(b["text"]) for a, b in zip(again, (train, val, test), strict=True)),
               f"{call}, called twice, gave different splits; pass random_state=seed to train_test_split "
               "and to sample so that a rerun gives the same tweets")
        per_class.append(smallest)
    return (f"no test tweet in training, training classes equal ({per_class[0]} each for seed 0), "
            "validation and test keep the natural mix (10% negative, 30% neutral, 60% positive), "
            "the same seed gives the same split")


# label lists for check_class_weights
WEIGHT_CASES: tuple[tuple[str, ...], ...] = (
    ("negative",) + ("neutral",) * 3 + ("positive",) * 6,
    ("positive", "negative", "neutral", "neutral", "positive", "negative"),
    ("neutral",) * 2 + ("negative",) * 5 + ("positive",) * 1,
)


def _in_label_order(weights: object) -> list:
    """Return the weights as a list in LABELS order (a dict, or a Series indexed by label, is read by name)."""
    if isinstance(weights, Mapping) or (isinstance(weights, pd.Series) and set(LABELS) <= set(weights.index)):
        return [weights[label] for label in LABELS]
    return list(weights)  # type: ignore[call-overload]


def _reference_weights(labels: Sequence[str]) -> np.ndarray:
    from tutorial_lib.balancing import class_weights

    return class_weights(list(labels)).astype(float)


@checker("class weights by hand")
def check_class_weights(balanced_weights: Callable[[Sequence[str]], Sequence[float]],
                        labels: Sequence[str] | None = None) -> str:
    """Check the learner's ``balanced_weights`` against :func:`tutorial_lib.balancing.class_weights`.

    With ``labels`` (the notebook's training labels), the success line prints the weights for them.
    """
    for case in WEIGHT_CASES:
        counts = {label: case.count(label) for label in LABELS}
        call = f"balanced_weights of {len(case)} labels ({', '.join(f'{k} {v}' for k, v in counts.items())})"
        got = balanced_weights(list(case))
        not_filled_in(got, call)
        try:
            values = np.asarray([float(v) for v in _in_label_order(got)])
        except (TypeError, ValueError, KeyError):
            raise Hint(f"{call} returned {got!r}; return one number per class, in the order "
                       f"{LABELS}") from None
        expect(values.shape == (len(LABELS),), f"{call} returned {len(values)} numbers; return one per "
                                               f"class ({len(LABELS)}), in the order {LABELS}")
        want = _reference_weights(case)
        if np.allclose(values, want, atol=1e-4):
            continue
        rounded = ", ".join(f"{v:.3f}" for v in values)
        expected = ", ".join(f"{v:.3f}" for v in want)
        call += f" returned [{rounded}], expected [{expected}]"
        n, k = len(case), len(LABELS)
        count = np.array([counts[label] for label in LABELS], dtype=float)
        if np.allclose(np.sort(values), np.sort(want), atol=1e-4):
            raise Hint(f"{call}: right numbers, wrong order; give them in the order {LABELS} "
                       "(value_counts() sorts by frequency)")
        if np.allclose(values, count / n, atol=1e-4):
            raise Hint(f"{call}: these are the class shares; a weight is the inverse, n / (k × count), "
                       "so that a rare class weighs more")
        if np.allclose(values, n / count, atol=1e-4):
            raise Hint(f"{call}: divide by the number of classes too, n / (k × count) with k = {k}")
        if np.allclose(values, 1 / count, atol=1e-4):
            raise Hint(f"{call}: 1 / count has the right proportions but the wrong scale; multiply by "
                       f"n / k (here {n} / {k})")
        raise Hint(f"{call}: weight = n_tweets / (n_classes × count of the class)")
    success = f"matches balancing.class_weights on {len(WEIGHT_CASES)} small label lists"
    if labels is not None:
        got = balanced_weights(list(labels))
        values = [float(v) for v in _in_label_order(got)]
        expect(all(math.isfinite(v) for v in values), "the weights of the training labels are not finite")
        success += "; training split: " + ", ".join(f"{k} {v:.3f}" for k, v in zip(LABELS, values, strict=True))
    return success
