"""Tests of tutorial_lib.prediction (edge texts, bad input) and its command, ``python -m tutorial_lib predict``."""

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
from tutorial_lib.prediction import predict_sentiment
from tutorial_lib.training import set_seed
from tutorial_tools.cli import main

ROOT = Path(__file__).resolve().parents[1]
LABELS = ("negative", "neutral", "positive")




@pytest.fixture(scope="module")
def bundle_path(tmp_path_factory):
    import pandas as pd

    rows = [{"Id": str(i), "Category": LABELS[i % 3], "Tweet": f"{LABELS[i % 3]} tweet number {i % 7}"}
            for i in range(60)]
    cfg = Config(embedding="random", embedding_dim=6, hidden_size=4, seq_length=10, device="cpu")
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
    assert main(["predict", "--model", str(bundle_path), "--json", "great tweet", ""]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["text"] for d in data] == ["great tweet", ""]
    assert all(set(d["probabilities"]) == set(LABELS) for d in data)


def test_cli_plain_output_and_stdin(bundle_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("first line\nsecond line\n"))
    assert main(["predict", "--model", str(bundle_path), "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].split() == ["label", "p_negative", "p_neutral", "p_positive", "text"]  # names the classes
    label, p1, p2, p3, *text = lines[1].split()
    assert label in LABELS and " ".join(text) == "first line"
    assert sum(map(float, (p1, p2, p3))) == pytest.approx(1.0, abs=2e-3)


def test_cli_missing_model_exits_2_without_traceback(tmp_path, capsys):
    assert main(["predict", "--model", str(tmp_path / "nope.pt"), "hello"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err  # one error: line
    assert "no model bundle" in err and "Traceback" not in err


def test_python_m_tutorial_lib_predict(bundle_path):
    proc = subprocess.run([sys.executable, "-m", "tutorial_lib", "predict", "--model", str(bundle_path),
                           "--json", "hello world"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["text"] == "hello world"


def test_a_text_without_known_words_is_flagged(bundle_path, capsys):
    results = predict_sentiment(["", "http://t.co/x", "qwzx vbnm", "neutral tweet number"], load_bundle(bundle_path))
    assert [r["known_words"] for r in results] == [0, 0, 0, 3]
    assert main(["predict", "--model", str(bundle_path), "", "neutral tweet"]) == 0
    err = capsys.readouterr().err
    assert "warning: text 1 ('') has no word the model knows" in err and "text 2" not in err


def test_predict_says_which_model_and_whether_metrics_json_describes_it(tmp_path, capsys):
    """A papermill rerun of 07 that replaces model.pt must not leave metrics.json's test score passing for its own."""
    import shutil

    from tutorial_lib import stages

    run = tmp_path / "run"
    run.mkdir()
    cfg = Config(output_dir=str(run))
    original = Path(shutil.copy(_tiny_bundle(tmp_path, seed=0), stages.bundle_path(cfg)))
    evaluation = json.loads(stages.write_evaluation(cfg, {"accuracy": 0.5, "macro_f1": 0.42}, {}).read_text())
    assert evaluation["model"] == stages.model_record(original)
    (run / "metrics.json").write_text(json.dumps(evaluation))  # what the series runner writes from it

    assert main(["predict", "--model", str(original), "hello"]) == 0
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith(f"model: {original} (saved ") and "test macro-F1 0.420 (metrics.json)" in first
    shutil.copy(_tiny_bundle(tmp_path, seed=1), original)  # a lone notebook run replaces model.pt
    assert stages.results_for_model(original)[0] is None
    assert main(["predict", "--model", str(original), "hello"]) == 0
    first = capsys.readouterr().err.splitlines()[0]
    assert "metrics.json beside it describes another model" in first and "0.420" not in first
    (run / "metrics.json").unlink()
    assert stages.results_for_model(original) == (None, "")


def _tiny_bundle(folder: Path, seed: int) -> Path:
    import pandas as pd

    rows = [{"Id": str(i), "Category": LABELS[i % 3], "Tweet": f"{LABELS[i % 3]} tweet {i % 5}"} for i in range(30)]
    cfg = Config(embedding="random", embedding_dim=4, hidden_size=2, seq_length=6, device="cpu")
    prepared = prepare_data(cfg, raw=(pd.DataFrame(rows), None))
    set_seed(seed)
    return save_bundle(folder / f"model-{seed}.pt", LSTMClassifier(len(prepared.vocab), 4, 2), prepared, cfg)
