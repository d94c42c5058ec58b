"""Tests of tutorial_lib.prediction: edge texts, bad input, the predict CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tutorial_lib.checkpoint import load_bundle, save_bundle
from tutorial_lib.config import Config
from tutorial_lib.model import LSTMClassifier
from tutorial_lib.pipeline import prepare_data
from tutorial_lib.prediction import cli_main, predict_sentiment
from tutorial_lib.training import set_seed

ROOT = Path(__file__).resolve().parents[1]
LABELS = ("negative", "neutral", "positive")




@pytest.fixture(scope="module")
def bundle_path(tmp_path_factory):
    import pandas as pd

    rows = [{"Id": str(i), "Category": LABELS[i % 3], "Tweet": f"{LABELS[i % 3]} tweet number {i % 7}"}
            for i in range(60)]
    cfg = Config(embedding_dim=6, hidden_size=4, seq_length=10, device="cpu")
    prepared = prepare_data(cfg, raw=(pd.DataFrame(rows), pd.DataFrame({"Id": ["1"], "Category": ["x"]})))
    set_seed(0)
    model = LSTMClassifier(len(prepared.vocab), 6, 4)  # untrained is enough: we test the plumbing
    return save_bundle(tmp_path_factory.mktemp("b") / "model.pt", model, prepared, cfg)


EDGE_TEXTS = ["", "   ", "http://t.co/xyz", "@someone", "😀😀", "qwzx vbnm unknownword", "neutral tweet"]


def test_edge_texts_get_defined_answers(bundle_path):
    bundle = load_bundle(bundle_path)
    results = predict_sentiment(EDGE_TEXTS, bundle)
    assert [r["text"] for r in results] == EDGE_TEXTS
    for r in results:
        assert r["label"] in LABELS
        assert set(r["probabilities"]) == set(LABELS)
        assert sum(r["probabilities"].values()) == pytest.approx(1.0, abs=1e-6)
        assert r["label"] == max(r["probabilities"], key=r["probabilities"].get)
    assert predict_sentiment([], bundle) == []
    # batching does not change answers
    assert predict_sentiment(EDGE_TEXTS, bundle, batch_size=2) == results


def test_bad_input_is_a_clear_error(bundle_path):
    bundle = load_bundle(bundle_path)
    with pytest.raises(TypeError, match="one string"):
        predict_sentiment("just one string", bundle)
    with pytest.raises(TypeError, match="must be a str"):
        predict_sentiment(["ok", None], bundle)
    with pytest.raises(ValueError, match="batch_size"):
        predict_sentiment(["ok"], bundle, batch_size=0)


def test_cli_prints_valid_json(bundle_path, capsys):
    assert cli_main(["--model", str(bundle_path), "--json", "great tweet", ""]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["text"] for d in data] == ["great tweet", ""]
    assert all(set(d["probabilities"]) == set(LABELS) for d in data)


def test_cli_plain_output_and_stdin(bundle_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("first line\nsecond line\n"))
    assert cli_main(["--model", str(bundle_path), "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    label, p1, p2, p3, *text = lines[0].split()
    assert label in LABELS and " ".join(text) == "first line"
    assert sum(map(float, (p1, p2, p3))) == pytest.approx(1.0, abs=2e-3)


def test_cli_missing_model_exits_2_without_traceback(tmp_path, capsys):
    assert cli_main(["--model", str(tmp_path / "nope.pt"), "hello"]) == 2
    err = capsys.readouterr().err
    assert "no model bundle" in err and "Traceback" not in err


def test_python_m_tutorial_lib_predict(bundle_path):
    proc = subprocess.run([sys.executable, "-m", "tutorial_lib", "predict", "--model", str(bundle_path),
                           "--json", "hello world"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["text"] == "hello world"
