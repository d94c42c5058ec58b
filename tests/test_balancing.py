"""Tests of splitting and balancing (tutorial_lib.balancing, notebook 03)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tutorial_lib.balancing import (  # noqa: E402
    balance,
    class_weights,
    label_counts,
    plot_class_distribution,
    split_data,
    tweets_per_class,
)
from tutorial_lib.errors import ConfigError, DataError  # noqa: E402
from tutorial_lib.preprocessing import LABELS  # noqa: E402


def make_frame(counts: dict[str, int]) -> pd.DataFrame:
    """A cleaned-style frame with ``counts[label]`` distinct tweets per label."""
    rows = [(f"{label} tweet {i}", label) for label, n in counts.items() for i in range(n)]
    return pd.DataFrame(rows, columns=["text", "label"])


# ------------------------------------------------------------------------------------------ split
def test_split_sizes_stratified_and_disjoint():
    df = make_frame({"negative": 100, "neutral": 200, "positive": 300})
    split = split_data(df, test_size=0.15, val_size=0.15, seed=0)
    counts = split.counts()
    assert counts.loc["test", "total"] == 90 and counts.loc["val", "total"] == 90
    assert counts.loc["train", "total"] == 420
    for name in ("train", "val", "test"):  # natural mix 1:2:3 everywhere
        share = counts.loc[name, list(LABELS)] / counts.loc[name, "total"]
        assert np.allclose(share.to_numpy(), [1 / 6, 2 / 6, 3 / 6], atol=0.02)
    texts = [set(getattr(split, n)["text"]) for n in ("train", "val", "test")]
    assert not (texts[0] & texts[1]) and not (texts[0] & texts[2]) and not (texts[1] & texts[2])
    assert sum(map(len, texts)) == len(df)


def test_split_is_seeded():
    df = make_frame({"negative": 30, "neutral": 30, "positive": 30})
    a, b = split_data(df, seed=1), split_data(df, seed=1)
    c = split_data(df, seed=2)
    pd.testing.assert_frame_equal(a.test, b.test)
    assert set(a.test["text"]) != set(c.test["text"])


def test_split_too_few_examples_is_clear():
    df = make_frame({"negative": 2, "neutral": 30, "positive": 30})
    with pytest.raises(DataError, match="at least 3 tweets"):
        split_data(df, seed=0)
    with pytest.raises(DataError, match="cannot stratify"):
        split_data(make_frame({"negative": 3, "neutral": 3, "positive": 3}), seed=0)


@pytest.mark.parametrize("bad", [pd.DataFrame({"text": ["a"]}), pd.DataFrame(columns=["text", "label"]),
                                 pd.DataFrame({"text": ["a"] * 9, "label": ["meh"] * 9})])
def test_split_bad_frames(bad):
    with pytest.raises(DataError):
        split_data(bad, seed=0)


def test_split_bad_fractions():
    df = make_frame({"negative": 30, "neutral": 30, "positive": 30})
    with pytest.raises(ConfigError, match="test_size"):
        split_data(df, test_size=1.5, seed=0)
    with pytest.raises(ConfigError, match="sum below"):
        split_data(df, test_size=0.45, val_size=0.45, seed=0)


# -------------------------------------------------------------------------------------- balancing
TRAIN = make_frame({"negative": 10, "neutral": 25, "positive": 40})


def test_balance_none_is_a_copy():
    result = balance(TRAIN, "none", seed=0)
    pd.testing.assert_frame_equal(result.data, TRAIN)
    assert result.data is not TRAIN
    assert result.before.equals(result.after)


def test_undersample_never_duplicates():
    before = TRAIN.copy()
    result = balance(TRAIN, "undersample", seed=0)
    pd.testing.assert_frame_equal(TRAIN, before)  # pure
    assert result.after.tolist() == [10, 10, 10]
    assert not result.data["text"].duplicated().any()
    assert set(result.data["text"]) <= set(TRAIN["text"])


def test_oversample_keeps_all_originals_and_hits_target():
    result = balance(TRAIN, "oversample", seed=0)
    assert result.after.tolist() == [40, 40, 40]
    assert set(TRAIN["text"]) <= set(result.data["text"])


def test_hybrid_default_target_is_median():
    result = balance(TRAIN, "hybrid", seed=0)
    assert result.after.tolist() == [25, 25, 25]
    neg = result.data[result.data["label"] == "negative"]["text"]
    pos = result.data[result.data["label"] == "positive"]["text"]
    assert neg.nunique() == 10  # oversampled: all 10 originals present
    assert pos.nunique() == 25  # undersampled: no duplicates
    assert balance(TRAIN, "hybrid", seed=0, target=17).after.tolist() == [17, 17, 17]


def test_balance_is_shuffled_and_seeded():
    a = balance(TRAIN, "oversample", seed=3).data
    b = balance(TRAIN, "oversample", seed=3).data
    c = balance(TRAIN, "oversample", seed=4).data
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert a["label"].iloc[:40].nunique() > 1  # not grouped by label


def test_balance_errors():
    with pytest.raises(ConfigError, match="choose one of"):
        balance(TRAIN, "smote", seed=0)
    with pytest.raises(ConfigError, match="smallest class has only 10"):
        balance(TRAIN, "undersample", seed=0, target=11)
    with pytest.raises(ConfigError, match="largest class already has 40"):
        balance(TRAIN, "oversample", seed=0, target=39)
    with pytest.raises(ConfigError, match="positive integer"):
        balance(TRAIN, "hybrid", seed=0, target=0)
    with pytest.raises(DataError, match="label"):
        balance(pd.DataFrame({"text": ["a"]}), "hybrid", seed=0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=40), min_size=3, max_size=3),
    st.sampled_from(["undersample", "oversample", "hybrid"]),
    st.integers(min_value=0, max_value=2**31),
    st.one_of(st.none(), st.integers(min_value=1, max_value=60)),
)
def test_property_balance_exact_and_deterministic(sizes, strategy, seed, target):
    train = make_frame(dict(zip(LABELS, sizes, strict=True)))
    if strategy == "undersample":
        target = None if target is None else min(target, min(sizes))
        goal = min(sizes) if target is None else target
    elif strategy == "oversample":
        target = None if target is None else max(target, max(sizes))
        goal = max(sizes) if target is None else target
    else:
        goal = int(np.median(sizes)) if target is None else target
    result = balance(train, strategy, seed=seed, target=target)
    assert result.after.tolist() == [goal] * 3
    assert label_counts(result.data).tolist() == [goal] * 3
    pd.testing.assert_frame_equal(result.data, balance(train, strategy, seed=seed, target=target).data)
    for label, n in zip(LABELS, sizes, strict=True):
        kept = result.data.loc[result.data["label"] == label, "text"]
        if goal <= n:
            assert not kept.duplicated().any()  # sampling down never duplicates
        else:
            assert kept.nunique() == n  # sampling up keeps every original


def test_tweets_per_class_defaults_and_targets():
    counts = label_counts(TRAIN)  # 10 / 25 / 40
    assert tweets_per_class(counts, "undersample") == 10
    assert tweets_per_class(counts, "oversample") == 40
    assert tweets_per_class(counts, "hybrid") == 25
    assert tweets_per_class(counts, "hybrid", 100) == 100 and tweets_per_class(counts, "undersample", 7) == 7
    absent = pd.Series([0, 25, 40], index=list(LABELS))  # an absent class does not count as the smallest
    assert tweets_per_class(absent, "undersample") == 25
    with pytest.raises(ConfigError, match="smallest class has only 10"):
        tweets_per_class(counts, "undersample", 11)
    with pytest.raises(ConfigError, match="largest class already has 40"):
        tweets_per_class(counts, "oversample", 39)
    with pytest.raises(ConfigError, match="no target size"):
        tweets_per_class(counts, "none")


# ---------------------------------------------------------------------------------- class weights
def test_class_weights_balanced_formula():
    labels = ["negative"] * 10 + ["neutral"] * 20 + ["positive"] * 70
    w = class_weights(labels)
    assert w.dtype == np.float32 and w.shape == (3,)
    assert np.allclose(w, [100 / (3 * 10), 100 / (3 * 20), 100 / (3 * 70)])
    assert np.allclose(class_weights(np.array([0] * 10 + [1] * 20 + [2] * 70), LABELS), w)
    assert np.allclose(class_weights(["negative", "neutral", "positive"]), [1, 1, 1])


def test_class_weights_errors():
    with pytest.raises(DataError, match="do not occur"):
        class_weights(["negative", "positive"], LABELS)
    with pytest.raises(DataError, match="unknown"):
        class_weights(["negative", "neutral", "happy"], LABELS)
    with pytest.raises(DataError, match="out of range"):
        class_weights([0, 1, 5], LABELS)


def test_plot_class_distribution_returns_axes():
    ax = plot_class_distribution({"train": TRAIN, "balanced": balance(TRAIN, "hybrid", seed=0).data})
    assert len(ax.patches) == 6
    assert [t.get_text() for t in ax.get_xticklabels()] == list(LABELS)
