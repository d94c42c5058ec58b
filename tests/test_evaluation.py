"""Tests of tutorial_lib.evaluation and tutorial_lib.baselines: metrics over all examples, baselines and
peers (and VADER alone as a classifier, benchmarks/vader.py's benchmark row, on the same splits), plots, mistakes."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
import torch
from conftest import benchmark_module

from tutorial_lib.baselines import majority_baseline, run_baselines, split_texts
from tutorial_lib.batching import make_loader
from tutorial_lib.config import Config
from tutorial_lib.errors import TutorialError
from tutorial_lib.evaluation import (
    classification_metrics,
    classification_report_text,
    evaluate_model,
    most_confident_mistakes,
    plot_confusion_matrix,
)
from tutorial_lib.model import LSTMClassifier
from tutorial_lib.pipeline import prepare_data
from tutorial_lib.preprocessing import LABELS
from tutorial_lib.training import predict_logits, set_seed

matplotlib.use("Agg")
WORDS = {"negative": ["awful", "hate", "worst"], "neutral": ["meeting", "report", "news"],
         "positive": ["great", "love", "best"]}




@pytest.fixture(scope="module")
def prepared():
    rng = np.random.default_rng(0)
    rows = []
    for label, words in WORDS.items():
        for i in range(40 if label != "negative" else 20):
            text = f"the {rng.choice(words)} game on http://t.co/x{i} @user{i} #tag{i % 3} n{i}"
            rows.append({"Id": str(len(rows)), "Category": label, "Tweet": text})
    raw = (pd.DataFrame(rows), pd.DataFrame({"Id": ["1"], "Category": ["hello"]}))
    return prepare_data(Config(seq_length=12), raw=raw)


def test_accuracy_is_over_all_examples_not_a_mean_of_batch_accuracies():
    # 10 examples in batches of 4, 4, 2: batch accuracies 1, 1, 0 -> mean 0.667; true accuracy 0.8
    y_true = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    y_pred = y_true.copy()
    y_pred[8:] = (y_true[8:] + 1) % 3
    batch_mean = np.mean([np.mean(y_true[s:s + 4] == y_pred[s:s + 4]) for s in (0, 4, 8)])
    metrics = classification_metrics(y_true, y_pred, LABELS)
    assert metrics["accuracy"] == pytest.approx(0.8)
    assert metrics["accuracy"] != pytest.approx(batch_mean)
    assert metrics["n"] == 10


def test_metrics_are_plain_json_numbers_and_per_class():
    import json

    m = classification_metrics(["negative", "neutral", "positive", "positive"], [0, 1, 1, 2], LABELS)
    json.dumps(m)
    assert m["per_class"]["positive"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3),
                                          "support": 2}
    assert m["macro_f1"] == pytest.approx(np.mean([1.0, 2 / 3, 2 / 3]))
    assert "negative" in classification_report_text([0, 1, 2], [0, 1, 1], LABELS)


def test_metric_input_errors():
    with pytest.raises(TutorialError, match="same length"):
        classification_metrics([0, 1], [0], LABELS)
    with pytest.raises(TutorialError, match="unknown label"):
        classification_metrics(["good"], ["positive"], LABELS)
    with pytest.raises(TutorialError, match="zero examples"):
        classification_metrics([], [], LABELS)


def test_evaluation_loader_keeps_partial_batch_and_evaluate_model(prepared):
    set_seed(0)
    model = LSTMClassifier(len(prepared.vocab), 6, 4)
    test = prepared.encoded["test"]
    loader = make_loader(test, batch_size=4, shuffle=False)
    logits, labels = predict_logits(model, loader)
    assert len(test) % 4 != 0 and logits.shape[0] == len(test)
    result = evaluate_model(model, prepared, split="test", batch_size=4)
    assert result["n"] == len(test) and result["probs"].shape == (len(test), 3)
    assert np.allclose(result["probs"].sum(1), 1, atol=1e-5)
    assert np.array_equal(result["preds"], logits.argmax(1))
    assert result["accuracy"] == pytest.approx(np.mean(result["preds"] == test.labels))


def test_baselines_on_the_same_split(prepared):
    out = run_baselines(prepared, seed=0)
    assert set(out) == {"majority", "tfidf_logreg", "tfidf_wordchar"}
    # the majority class of the training split is predicted for every test tweet
    maj = majority_baseline(prepared)
    assert maj["predicted_label"] in ("neutral", "positive")
    assert maj["accuracy"] == pytest.approx(np.mean(prepared.encoded["test"].labels ==
                                                    ["negative", "neutral", "positive"].index(maj["predicted_label"])))
    # marker words make the toy task easy for TF-IDF
    assert out["tfidf_logreg"]["macro_f1"] > 0.9
    texts = split_texts(prepared, "train")
    assert not any("http" in t or "@user" in t for t in texts)  # normalized text
    # the word+char peer chose its C on validation among the candidates, and says so
    wordchar = out["tfidf_wordchar"]
    assert wordchar["macro_f1"] > 0.9 and wordchar["C"] in (0.3, 1.0, 3.0, 10.0)
    assert wordchar["val_macro_f1"] == max(wordchar["val_macro_f1_per_C"].values())


def test_baselines_module_is_the_one_source(prepared):
    from tutorial_lib import baselines, evaluation

    for name in ("split_texts", "majority_baseline", "tfidf_logreg_baseline", "tfidf_wordchar_baseline",
                 "run_baselines"):
        assert callable(getattr(baselines, name))
        assert not hasattr(evaluation, name), f"{name} is defined once, in tutorial_lib.baselines"
    vader = benchmark_module("vader")
    for name in ("vader_baseline", "vader_compound", "fit_thresholds", "threshold_labels"):
        assert callable(getattr(vader, name)) and not hasattr(baselines, name), f"{name}: benchmarks/vader.py only"
    with pytest.raises(AttributeError):
        evaluation.no_such_baseline  # noqa: B018


def test_wordchar_peer_never_looks_at_the_test_split_to_choose_c(prepared):
    from tutorial_lib.baselines import tfidf_wordchar_baseline

    on_test = tfidf_wordchar_baseline(prepared, seed=0, Cs=(0.01, 10.0))
    on_val = tfidf_wordchar_baseline(prepared, seed=0, Cs=(0.01, 10.0), split="val")
    assert on_test["C"] == on_val["C"]  # the choice depends on the validation split only
    assert on_val["macro_f1"] == pytest.approx(on_val["val_macro_f1"])
    with pytest.raises(TutorialError, match="at least one"):
        tfidf_wordchar_baseline(prepared, Cs=())


def test_thresholds_map_scores_to_labels_as_vader_documents():
    vader = benchmark_module("vader")
    VADER_STANDARD_THRESHOLDS, threshold_labels = vader.VADER_STANDARD_THRESHOLDS, vader.threshold_labels

    scores = np.array([-0.9, -0.05, -0.04, 0.0, 0.04, 0.05, 0.8])
    labels = threshold_labels(scores, *VADER_STANDARD_THRESHOLDS)
    assert list(labels) == [0, 0, 1, 1, 1, 2, 2]  # negative <= -0.05 < neutral < 0.05 <= positive


def test_fitted_thresholds_are_the_best_pair_of_the_grid():
    from sklearn.metrics import f1_score

    fit_thresholds, threshold_labels = benchmark_module("vader").fit_thresholds, benchmark_module("vader").threshold_labels

    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 400)
    scores = np.clip((y - 1) * 0.4 + rng.normal(0, 0.5, 400), -1, 1)
    grid = np.round(np.arange(-1, 1.0001, 0.1), 2)
    low, high = fit_thresholds(scores, y, grid)
    assert low < high
    best = max(f1_score(y, threshold_labels(scores, lo, hi), average="macro", zero_division=0)
               for i, lo in enumerate(grid) for hi in grid[i + 1:])
    assert f1_score(y, threshold_labels(scores, low, high), average="macro") == pytest.approx(best)


def test_vader_baseline_standard_and_fitted(prepared):
    vader_baseline, vader_compound = benchmark_module("vader").vader_baseline, benchmark_module("vader").vader_compound

    assert vader_compound(["I love it :)", "I hate it"])[0] > 0.5 > -0.5 > vader_compound(["I hate it"])[0]
    standard = vader_baseline(prepared)
    assert standard["thresholds"] == [-0.05, 0.05] and standard["n"] == len(prepared.encoded["test"].labels)
    fitted = vader_baseline(prepared, fit=True)
    assert fitted["thresholds"][0] < fitted["thresholds"][1]


def test_confusion_matrix_and_mistakes():
    ax = plot_confusion_matrix([0, 1, 2, 2], [0, 2, 2, 2], LABELS, normalize="true", title="t")
    assert ax.get_title() == "t"
    with pytest.raises(TutorialError):
        plot_confusion_matrix([0], [0], LABELS, normalize="rows")
    probs = torch.softmax(torch.tensor([[3.0, 0, 0], [0, 0, 5.0], [0, 1.0, 0], [2.0, 0, 0]]), 1).numpy()
    frame = most_confident_mistakes(["a", "b", "c", "d"], [0, 1, 1, 2], probs, LABELS, k=5)
    assert list(frame["text"]) == ["b", "d"]  # only mistakes, most confident first
    assert list(frame["predicted"]) == ["positive", "negative"]
    assert frame["confidence"].is_monotonic_decreasing
    with pytest.raises(TutorialError, match="same examples"):
        most_confident_mistakes(["a"], [0, 1], probs, LABELS)
    import matplotlib.pyplot as plt

    plt.close("all")


def test_same_seed_gives_identical_metrics_through_train_from_config(prepared):
    from tutorial_lib.training import train_from_config

    cfg = Config(seq_length=12, epochs=2, embedding="random", embedding_dim=8, hidden_size=6, device="cpu", seed=3)

    def run():
        model, history = train_from_config(cfg, prepared, progress=False)
        result = evaluate_model(model, prepared, split="test")
        return history.to_dict(), result["macro_f1"], result["probs"]

    (h1, f1, p1), (h2, f2, p2) = run(), run()
    assert {k: v for k, v in h1.items() if k != "epoch_seconds"} == \
        {k: v for k, v in h2.items() if k != "epoch_seconds"}
    assert f1 == f2 and np.array_equal(p1, p2)


@pytest.mark.realdata
def test_majority_baseline_counts_the_natural_training_split_even_when_balanced(real_raw):
    from tutorial_lib.config import Config

    prepared = prepare_data(Config(balance="undersample"), raw=real_raw)
    result = majority_baseline(prepared)
    assert result["predicted_label"] == "positive"  # not a tie-break among equal undersampled classes
    assert 0.45 <= result["accuracy"] <= 0.50
