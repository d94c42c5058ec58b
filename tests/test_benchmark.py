"""Checks of benchmarks/benchmark.py, and that its committed results still come from the code beside them.

The full benchmark is run by hand (``make bench``); here one cheap seed of the cheap rows is rerun on
the real data and compared exactly with ``benchmarks/results/benchmark.json``, so the committed
numbers cannot drift silently from the code (a change to the split, the cleaning, the text
normalization or a baseline makes this test fail until the results are regenerated).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "benchmarks" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DEFAULT_ROWS = ["majority", "tfidf_logreg", "tfidf_wordchar", "tfidf_wordchar_lexicon", "vader", "vader_fitted",
                "original_recipe", "lstm_default", "lstm_lexicon", "lstm_random_init", "lstm_undersampled"]
RESULTS = ROOT / "benchmarks" / "results" / "benchmark.json"


def test_registry_lists_the_default_systems_first(bench):
    assert list(bench.SYSTEMS)[:len(DEFAULT_ROWS)] == DEFAULT_ROWS
    assert bench.DEFAULT_SYSTEMS == tuple(DEFAULT_ROWS)


def test_committed_results_say_where_they_come_from():
    results = json.loads(RESULTS.read_text())
    assert results["quick"] is False and results["seeds"] == [0, 1, 2, 3, 4]
    assert list(results["systems"]) == DEFAULT_ROWS, "regenerate: python benchmarks/benchmark.py"
    for name, entry in results["systems"].items():
        assert [r["seed"] for r in entry["per_seed"]] == [0, 1, 2, 3, 4], name
        assert all(r["n"] == 812 for r in entry["per_seed"]), name  # every test tweet scored
    commit = results["environment"]["commit"]
    assert len(commit.split("+")[0]) == 40, f"results must record the git commit they come from; got {commit!r}"


@pytest.mark.realdata
@pytest.mark.slow
def test_committed_results_reproduce_from_this_code(bench, real_data_dir):
    """Rerun seed 0 of the cheap rows and compare with the committed per-seed numbers exactly."""
    from tutorial_lib.config import Config

    results = json.loads(RESULTS.read_text())
    cfg = Config(data_dir=str(real_data_dir), device="cpu")
    for name in ("majority", "tfidf_logreg", "tfidf_wordchar", "tfidf_wordchar_lexicon", "vader", "vader_fitted"):
        committed = results["systems"][name]["per_seed"][0]
        again = bench.SYSTEMS[name](0, cfg)
        for key in ("accuracy", "macro_f1", "n", "C", "weight", "thresholds"):
            if key in committed:
                assert again[key] == committed[key], (
                    f"{name} seed 0 {key}: committed {committed[key]}, this code gives {again[key]}; "
                    "benchmarks/results/benchmark.json is stale: rerun python benchmarks/benchmark.py")


def test_original_encoding_is_faithful(bench):
    # the published link pattern https?:\/\/[\w]+ stops at the dot: ".co/..." stays, as in the original
    tokens = bench.original_tokenize("Look @bob at https://t.co/AbC123 NOW")
    assert tokens == ["look", "at", ".co/abc123", "now"]
    tokens = [t for t in tokens if t != ".co/abc123"]
    w2i = {"<PAD>": 0, "<SOS>": 1, "<EOS>": 2, "look": 3, "at": 4, "now": 5}
    row = bench.original_encode(tokens, w2i, length=8)
    assert row == [1, 3, 4, 5, 2, 0, 0, 0]
    assert bench.original_encode(tokens * 5, w2i, length=8) == [1, 3, 4, 5, 3, 4, 5, 2]


def test_original_recipe_runs_and_scores_every_test_tweet(bench):
    labels = ["negative", "neutral", "positive"]
    train = pd.DataFrame({"text": [f"{labels[i % 3]} words {i}" for i in range(60)],
                          "label": [labels[i % 3] for i in range(60)]})
    test = pd.DataFrame({"text": ["negative one", "positive two", "neutral x"], "label": labels[:1] + labels[2:] + labels[1:2]})
    result = bench.run_original_recipe(train, test, seed=0, epochs=1)
    assert result["n"] == 3  # no drop_last on the test side
    assert result["train_tweets"] == 60


def test_table_and_summary(bench):
    fake = {"systems": {"a": {"accuracy": bench.summarize([0.5, 0.7]), "macro_f1": bench.summarize([0.4, 0.4])}}}
    table = bench.format_table(fake)
    assert "| a | 0.600 ± 0.100 | 0.400 ± 0.000 |" in table
    json.dumps(fake)


@pytest.mark.realdata
@pytest.mark.slow
def test_default_lstm_seed0_reproduces_the_committed_benchmark(bench, real_data_dir):
    """Seed 0 of our default LSTM must give the committed numbers, so a change to training cannot slip through."""
    from tutorial_lib.config import Config

    for name in ("lstm_default", "lstm_lexicon"):
        committed = json.loads(RESULTS.read_text())["systems"][name]["per_seed"][0]
        again = bench.SYSTEMS[name](0, Config(data_dir=str(real_data_dir), device="cpu"))
        for key in ("accuracy", "macro_f1", "n", "epochs", "best_epoch"):
            assert again[key] == committed[key], (
                f"{name} seed 0 {key}: committed {committed[key]}, this code gives {again[key]}; a change to the data "
                "pipeline or training changed the model (rerun python benchmarks/benchmark.py if intended)")
