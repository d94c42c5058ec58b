"""Tiny checks of benchmarks/benchmark.py (the benchmark itself is run by hand, not in tests)."""

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


def test_registry_lists_the_default_systems_first(bench):
    assert list(bench.SYSTEMS)[:6] == ["majority", "tfidf_logreg", "original_recipe", "lstm_default", "lstm_random_init",
                                       "lstm_undersampled"]
    assert bench.DEFAULT_SYSTEMS == tuple(list(bench.SYSTEMS)[:6])


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
