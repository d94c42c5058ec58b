"""Tests of tutorial_lib.checkpoint: one-file bundle, weights_only loading, clear errors."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import torch

import tutorial_lib
from tutorial_lib.checkpoint import BUNDLE_FORMAT_VERSION, load_bundle, save_bundle
from tutorial_lib.config import Config
from tutorial_lib.errors import DataError
from tutorial_lib.pipeline import prepare_data
from tutorial_lib.prediction import predict_sentiment
from tutorial_lib.training import History, train_from_config

WORDS = {"negative": ["awful", "hate", "worst", "sad"], "neutral": ["today", "meeting", "report", "news"],
         "positive": ["great", "love", "best", "happy"]}




def tiny_raw(n_per_class: int = 30, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return tiny raw (train, test) frames shaped like the real CSVs: labels follow marker words."""
    rng = np.random.default_rng(seed)
    filler = ["the", "a", "game", "on", "at", "with", "new", "phone", "tomorrow", "night"]
    rows = []
    for label, words in WORDS.items():
        for i in range(n_per_class):
            body = list(rng.choice(filler, size=rng.integers(2, 7))) + [str(rng.choice(words)), f"w{i}"]
            rng.shuffle(body)
            rows.append({"Id": str(len(rows)), "Category": label, "Tweet": " ".join(body)})
    train = pd.DataFrame(rows)
    test = pd.DataFrame({"Id": ["1", "2"], "Category": ["the game tomorrow", "great news"]})
    return train, test


@pytest.fixture(scope="module")
def trained():
    cfg = Config(epochs=3, embedding="random", embedding_dim=8, hidden_size=6, batch_size=16, device="cpu", seq_length=12)
    prepared = prepare_data(cfg, raw=tiny_raw())
    model, history = train_from_config(cfg, prepared, progress=False)
    return cfg, prepared, model, history


def test_round_trip_gives_identical_predictions(trained, tmp_path):
    cfg, prepared, model, history = trained
    path = save_bundle(tmp_path / "sub" / "model.pt", model, prepared, cfg, history=history,
                       metrics={"accuracy": 0.5, "probs": np.zeros((2, 3))})
    assert path.is_file() and [p.name for p in path.parent.iterdir()] == ["model.pt"]  # no temp files left
    bundle = load_bundle(path)
    assert not bundle.model.training
    assert bundle.seq_length == prepared.seq_length and bundle.labels == ("negative", "neutral", "positive")
    assert bundle.vocab.itos == prepared.vocab.itos
    assert bundle.config == cfg.to_dict()
    assert History.from_dict(bundle.history) == history
    assert bundle.metrics == {"accuracy": 0.5}
    texts = ["I love this great phone", "awful night", "", "http://t.co/abc", "zzz qqq"]
    before = predict_sentiment(texts, bundle)
    fresh = load_bundle(path)
    assert predict_sentiment(texts, fresh) == before
    # the original in-memory model gives the same probabilities
    ids, lengths = bundle.encode_texts(texts)
    with torch.no_grad():
        probs = torch.softmax(model.eval()(torch.from_numpy(ids), torch.from_numpy(lengths)), 1).numpy()
    assert np.allclose([[r["probabilities"][k] for k in bundle.labels] for r in before], probs, atol=1e-6)


def test_bundle_loads_with_weights_only(trained, tmp_path):
    cfg, prepared, model, _ = trained
    path = save_bundle(tmp_path / "m.pt", model, prepared, cfg)
    payload = torch.load(path, weights_only=True)
    assert payload["library_version"] == tutorial_lib.__version__
    assert payload["model_class"] == "LSTMClassifier"


def _rewrite(path, tmp_path, **changes):
    payload = torch.load(path, weights_only=True)
    payload.update(changes)
    buf = io.BytesIO()
    torch.save(payload, buf)
    out = tmp_path / "changed.pt"
    out.write_bytes(buf.getvalue())
    return out


def test_clear_errors(trained, tmp_path):
    cfg, prepared, model, _ = trained
    with pytest.raises(DataError, match="no model bundle"):
        load_bundle(tmp_path / "missing.pt")
    junk = tmp_path / "junk.pt"
    junk.write_text("not a bundle")
    with pytest.raises(DataError, match="not a .*bundle"):
        load_bundle(junk)
    other = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(2)}, other)
    with pytest.raises(DataError, match="not a .*bundle"):
        load_bundle(other)
    path = save_bundle(tmp_path / "m.pt", model, prepared, cfg)
    with pytest.raises(DataError, match="major.minor"):
        load_bundle(_rewrite(path, tmp_path, library_version="0.9.0"))
    with pytest.raises(DataError, match="bundle format"):
        load_bundle(_rewrite(path, tmp_path, format_version=BUNDLE_FORMAT_VERSION + 1))
    payload = torch.load(path, weights_only=True)
    vocab = dict(payload["vocab"])
    vocab["itos"] = vocab["itos"][:-1]
    with pytest.raises(DataError, match="vocabulary has"):
        load_bundle(_rewrite(path, tmp_path, vocab=vocab))


def test_saving_with_a_mismatched_vocabulary_is_refused(trained, tmp_path):
    cfg, prepared, _, _ = trained
    from tutorial_lib.model import LSTMClassifier

    wrong = LSTMClassifier(len(prepared.vocab) + 1, 8, 6)
    with pytest.raises(DataError, match="embedding has"):
        save_bundle(tmp_path / "m.pt", wrong, prepared, cfg)


def test_a_bundle_matches_a_config_that_differs_only_in_file_locations():
    from tutorial_lib.config import Config
    from tutorial_lib.stages import same_training_parameters

    saved = Config(output_dir="build/a").to_dict()
    assert same_training_parameters(saved, Config(output_dir="elsewhere", data_dir="/some/data"))
    assert not same_training_parameters(saved, Config(output_dir="build/a", hidden_size=64))
