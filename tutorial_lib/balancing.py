"""Splitting the cleaned tweets and balancing the training split (notebook 03).

The order matters: the data is split into train / validation / test **first**, and balancing
touches only the training split. The original tutorial undersampled the whole data set (869 tweets
per class) and then split it, so its test set had an artificial 1:1:1 class mix that no real stream
of tweets has, and the 2,814 tweets it threw away were never used for anything. Here validation and
test keep the natural class mix, so their metrics say how the model does on tweets as they come.

This module does not import torch (matplotlib is imported only when a plot is drawn).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tutorial_lib.errors import ConfigError, DataError
from tutorial_lib.labels import labels_for
from tutorial_lib.loading import require_columns

STRATEGIES: tuple[str, ...] = ("none", "undersample", "oversample", "hybrid")


def _check_labeled(df: object, what: str, labels: tuple[str, ...] | None = None) -> None:
    """Raise :class:`DataError` unless ``df`` is a non-empty frame with ``text`` and ``label``s from ``labels``
    (default: any labels; the classes are then the labels found)."""
    require_columns(df, ("text", "label"), what, "; expected the cleaned frame: run preprocessing.clean_labeled first")
    if len(df) == 0:
        raise DataError(f"{what} has no rows")
    unknown = sorted(set(df["label"].map(str)) - set(labels)) if labels is not None else []
    if unknown:
        raise DataError(f"{what} has unknown label(s) {unknown[:10]}; expected labels from {labels}")


def label_counts(df: pd.DataFrame, labels: tuple[str, ...] | None = None) -> pd.Series:
    """Return the number of rows per label, in the order of ``labels`` (0 for an absent label).

    ``labels`` (a run's classes) defaults to the frame's own classes, in
    :func:`~tutorial_lib.preprocessing.label_order`. Introduced in notebook 03.
    """
    order = labels_for(df["label"], labels)
    return df["label"].map(str).value_counts().reindex(list(order), fill_value=0).astype(int)


# ------------------------------------------------------------------------------------------ split
@dataclass(frozen=True)
class Split:
    """The train / validation / test frames of a stratified split (introduced in notebook 03)."""

    train: pd.DataFrame
    val: pd.DataFrame
    test: pd.DataFrame

    def counts(self, labels: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Return a table of tweets per label (columns in the order of ``labels``, default the splits'
        own classes, plus ``total``) for each split (rows)."""
        labels = labels_for(pd.concat([self.train["label"], self.val["label"], self.test["label"]]), labels)
        table = pd.DataFrame(
            {name: label_counts(getattr(self, name), labels) for name in ("train", "val", "test")}
        ).T
        table["total"] = table.sum(axis=1)
        return table


#: ``test_size`` and ``val_size`` are each below this fraction, and their sum below :data:`MAX_HELD_OUT`,
#: so that training keeps most of the data.
MAX_SPLIT_FRACTION = 0.5
MAX_HELD_OUT = 0.8


def _split_sizes(n: int, test_size: float, val_size: float) -> tuple[int, int]:
    """Return the number of test and validation tweets out of ``n`` (both rounded up)."""
    n_test = int(np.ceil(test_size * n))
    return n_test, int(np.ceil(val_size / (1 - test_size) * (n - n_test)))


def _check_split(df: object, test_size: float, val_size: float) -> None:
    """Raise :class:`DataError` unless ``df`` can be split into the three fractions, stratified."""
    _check_labeled(df, "the data to split")
    if not (0 < test_size < MAX_SPLIT_FRACTION and 0 < val_size < MAX_SPLIT_FRACTION
            and test_size + val_size < MAX_HELD_OUT):
        raise ConfigError(f"test_size={test_size!r}, val_size={val_size!r}: each must be between 0 and "
                          f"{MAX_SPLIT_FRACTION}, their sum below {MAX_HELD_OUT} (0.15 each is usual)")
    counts = df["label"].value_counts()
    n_classes, n = len(counts), len(df)
    n_test, n_val = _split_sizes(n, test_size, val_size)
    too_few = {str(k): int(v) for k, v in counts.items() if v < 3}
    if too_few or min(n_test, n_val, n - n_test - n_val) < n_classes:
        raise DataError(
            f"cannot stratify {n} tweets into train/val/test: every class needs at least 3 tweets and "
            f"every split at least one tweet per class ({n_classes} classes; test would get {n_test}, "
            f"validation {n_val}); classes with too few tweets: {too_few or 'none'}. "
            "Use more data or smaller/larger test_size and val_size."
        )
    if n_classes < 2:
        raise DataError(f"the data has only one class ({list(counts.index)}); a classifier needs at least 2")


def split_data(
    df: pd.DataFrame, *, test_size: float = 0.15, val_size: float = 0.15, seed: int
) -> Split:
    """Return a stratified train / validation / test :class:`Split` of the cleaned tweets.

    The test split (``test_size`` of all tweets) is carved first, then the validation split
    (``val_size`` of *all* tweets, so 0.15 / 0.15 gives 70 / 15 / 15) from the rest, both with
    scikit-learn's ``train_test_split`` stratified by label and seeded with ``seed``. Every split
    keeps the natural class mix; balancing comes later and only touches ``train``. Each frame gets
    a fresh index. Raises :class:`DataError` when a class has too few tweets for every split.
    Introduced in notebook 03.
    """
    from sklearn.model_selection import train_test_split

    _check_split(df, test_size, val_size)
    n_test, n_val = _split_sizes(len(df), test_size, val_size)
    try:
        rest, test = train_test_split(df, test_size=n_test, stratify=df["label"], random_state=seed)
        train, val = train_test_split(rest, test_size=n_val, stratify=rest["label"], random_state=seed)
    except ValueError as err:  # scikit-learn's message, e.g. a class with a single member
        raise DataError(f"cannot stratify the split: {err}. Use more data or other fractions.") from err
    return Split(
        train=train.reset_index(drop=True), val=val.reset_index(drop=True), test=test.reset_index(drop=True)
    )


# -------------------------------------------------------------------------------------- balancing
@dataclass(frozen=True)
class BalanceResult:
    """A balanced training frame with the counts per label before and after (notebook 03)."""

    data: pd.DataFrame
    before: pd.Series
    after: pd.Series
    strategy: str

    def table(self) -> pd.DataFrame:
        """Return ``before`` and ``after`` side by side, one row per label."""
        return pd.DataFrame({"before": self.before, "after": self.after})


def _check_balance(train: object, strategy: str, target: int | None) -> None:
    """Raise :class:`DataError` for a frame that is not a cleaned split, :class:`ConfigError` for an unknown
    ``strategy`` or a ``target`` below 1 (Config checks both parameters; this is a learner's own call)."""
    _check_labeled(train, "the training split")
    if strategy not in STRATEGIES or (target is not None and target < 1):
        raise ConfigError(f"strategy={strategy!r}, target={target!r}: choose one of {STRATEGIES}, and a target "
                          "of None or a positive integer (tweets per class)")


def _check_target(strategy: str, target: int | None, present: pd.Series) -> None:
    """Raise :class:`ConfigError` unless ``strategy`` sets a size and can bring every class to ``target``."""
    if strategy not in ("undersample", "oversample", "hybrid"):
        raise ConfigError(f"strategy {strategy!r} has no target size; choose undersample, oversample or hybrid")
    if target is None:
        return
    goal = int(target)
    if strategy == "undersample" and goal > present.min():
        raise ConfigError(f"undersampling cannot reach target={goal}: the smallest class has only "
                           f"{int(present.min())} tweets; use 'hybrid' or 'oversample' for larger targets")
    if strategy == "oversample" and goal < present.max():
        raise ConfigError(f"oversampling cannot reach target={goal}: the largest class already has "
                           f"{int(present.max())} tweets; use 'hybrid' or 'undersample' for smaller targets")


def tweets_per_class(counts: pd.Series, strategy: str, target: int | None = None) -> int:
    """Return how many tweets every class gets when balancing with ``strategy`` (notebook 03).

    ``target`` if given; otherwise, over the classes present in ``counts``, the smallest count
    (``"undersample"``), the largest (``"oversample"``) or the median (``"hybrid"``). Raises
    :class:`ConfigError` if undersampling would need more tweets than the smallest class has, or
    oversampling fewer than the largest.
    """
    present = counts[counts > 0]  # a class absent from the training split stays absent
    _check_target(strategy, target, present)
    if target is not None:
        return int(target)
    default = {"undersample": present.min(), "oversample": present.max(), "hybrid": np.median(present.to_numpy())}
    return int(default[strategy])


def balance(train: pd.DataFrame, strategy: str, *, seed: int, target: int | None = None,
            labels: tuple[str, ...] | None = None) -> BalanceResult:
    """Return a :class:`BalanceResult` with the training split balanced by ``strategy``.

    ``"none"`` returns an unchanged copy. Otherwise every class is brought to the same number of
    tweets (:func:`tweets_per_class`): a bigger class is **undersampled** (a random subset, no tweet
    twice), a smaller one **oversampled** (all its tweets plus random copies). ``"undersample"``
    only cuts, ``"oversample"`` only adds, ``"hybrid"`` does both. Balance only the training split.
    The result is shuffled; the input is not modified; ``seed`` drives every random choice.
    ``labels``: the run's classes (default: those of ``train``, see :func:`label_counts`).
    Introduced in notebook 03.
    """
    _check_balance(train, strategy, target)
    labels = labels_for(train["label"], labels)
    before = label_counts(train, labels)
    if strategy == "none":
        data = train.reset_index(drop=True).copy()
        return BalanceResult(data=data, before=before, after=label_counts(data, labels), strategy=strategy)
    goal = tweets_per_class(before, strategy, target)
    rng = np.random.default_rng(seed)
    parts = []
    for label in labels:
        group = train[train["label"] == label]
        if len(group) >= goal:  # too many: keep a random `goal` of them
            parts.append(group.sample(n=goal, replace=False, random_state=rng))
        elif len(group) > 0:  # too few: keep them all, plus random copies up to `goal`
            parts.append(group)
            parts.append(group.sample(n=goal - len(group), replace=True, random_state=rng))
    data = pd.concat(parts).sample(frac=1.0, random_state=rng).reset_index(drop=True)
    return BalanceResult(data=data, before=before, after=label_counts(data, labels), strategy=strategy)


def class_weights(labels, label_names: tuple[str, ...] | None = None) -> np.ndarray:
    """Return float32 loss weights for the classes, in ``label_names`` order (introduced in notebook 03).

    ``labels`` are label names or label ids (indices into ``label_names``, which ids need; for names
    the default is the labels' own classes, see :func:`label_counts`). The weights are
    scikit-learn's ``compute_class_weight('balanced')``: ``n_samples / (n_classes * count)``, so a
    rare class weighs more. Every class must occur at least once.
    """
    from sklearn.utils.class_weight import compute_class_weight

    values = pd.Series(list(labels) if not isinstance(labels, pd.Series) else labels)
    if len(values) == 0:
        raise DataError("class_weights needs at least one label")
    if pd.api.types.is_integer_dtype(values.dtype):
        assert label_names is not None, "label ids need their label_names (prepared.label_names)"
        names = tuple(label_names)
        bad = sorted(set(values[(values < 0) | (values >= len(names))].tolist()))
        if bad:
            raise DataError(f"label ids {bad[:10]} are out of range 0..{len(names) - 1}")
        values = values.map(lambda i: names[i])
    values = values.map(str)
    names = labels_for(values, label_names)
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise DataError(f"unknown label(s) {unknown[:10]}; expected labels from {names}")
    absent = [lab for lab in names if lab not in set(values)]
    if absent:
        raise DataError(f"class(es) {absent} do not occur, so they cannot be weighted; "
                           "every class needs at least one training tweet")
    weights = compute_class_weight("balanced", classes=np.array(names), y=values.to_numpy())
    return weights.astype(np.float32)


#: Up to this many classes a per-class figure writes every number on it; above, the bars or cells stay bare.
NUMBERED_CLASSES = 10
#: Up to this many classes a per-class figure is meant to be read class by class; above, its title says where
#: the full table is.
READABLE_CLASSES = 20


def crowded(labels: tuple[str, ...]) -> bool:
    """Return True when class names written side by side would overprint: many classes or long names."""
    return len(labels) > NUMBERED_CLASSES or sum(len(label) for label in labels) > 30


def grow_figure(ax, width: float, height: float) -> None:
    """Enlarge the figure of ``ax`` to at least ``width`` x ``height`` inches when ``ax`` is its only Axes.

    Per-class figures call it so that many classes do not overprint; a figure that holds other
    Axes (a grid made by the caller) is left as it is.
    """
    fig = ax.figure
    if len(fig.axes) == 1:
        w, h = fig.get_size_inches()
        fig.set_size_inches(max(w, width), max(h, height))


def plot_class_distribution(frames: dict[str, pd.DataFrame], ax=None, labels: tuple[str, ...] | None = None):
    """Draw grouped bars of tweets per label for each named frame and return the matplotlib Axes.

    ``frames`` maps a name (e.g. ``"train"``, ``"train (undersampled)"``, ``"test"``) to a frame
    with a ``label`` column; ``labels`` are the classes on the x axis (default: those of all frames).
    With many classes the figure widens and the bars lose their numbers (:data:`NUMBERED_CLASSES`);
    above :data:`READABLE_CLASSES` the title says where every count is. Introduced in notebook 03.
    """
    import matplotlib.pyplot as plt

    if not frames:
        raise ValueError("plot_class_distribution needs at least one frame")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    names = list(frames)
    width = 0.8 / len(names)
    labels = labels_for(pd.concat([frames[n]["label"] for n in names]), labels)
    x = np.arange(len(labels))
    for i, name in enumerate(names):
        counts = label_counts(frames[name], labels)
        bars = ax.bar(x + (i - (len(names) - 1) / 2) * width, counts.to_numpy(), width, label=name)
        if len(labels) <= NUMBERED_CLASSES:
            ax.bar_label(bars, fontsize=8)
    ax.set_xticks(x, list(labels), rotation=90 if crowded(labels) else 0,
                  fontsize=8 if len(labels) > NUMBERED_CLASSES else None)
    grow_figure(ax, 1.5 + 0.1 * len(names) * len(labels), 3.5)
    ax.set_ylabel("tweets")
    ax.set_title("Tweets per class" + (f" ({len(labels)} classes: .counts() of each split lists every count)"
                                       if len(labels) > READABLE_CLASSES else ""))
    ax.legend()
    return ax
