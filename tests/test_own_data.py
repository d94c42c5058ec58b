"""Your own data (issue 13): any labelled CSV, any number of classes, checked rather than checksummed.

Every data set here is built by the test in a temporary folder; none of the course's files is used,
except in the last test, which checks that the course's default data path is unchanged.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tutorial_lib import loading
from tutorial_lib.config import Config, absolute_paths
from tutorial_lib.errors import ConfigError, DataError, TutorialError
from tutorial_lib.pipeline import check_data, prepare_data
from tutorial_lib.preprocessing import LABELS, clean_labeled, label_order

ROOT = Path(__file__).resolve().parents[1]
FILLER = ["the", "a", "it", "was", "this", "and", "so", "very", "really", "just"]


def make_rows(labels, per_class: int, seed: int = 0) -> list[tuple[str, str]]:
    """Return ``(text, label)`` rows: each label has its own cue words, so the classes are learnable."""
    rng = np.random.default_rng(seed)
    rows = []
    for k, label in enumerate(labels):
        cues = [f"cue{chr(ord('a') + k)}{chr(ord('a') + j)}" for j in range(4)]
        for i in range(per_class):
            words = list(rng.choice(FILLER, 5)) + list(rng.choice(cues, 2)) + [f"w{chr(ord('a') + i % 26)}"]
            rng.shuffle(words)
            rows.append((" ".join(words), str(label)))
    order = rng.permutation(len(rows))
    return [rows[i] for i in order]


def write_csv(path: Path, rows, columns=("text", "label"), sep=",", extra_rows=()) -> Path:
    frame = pd.DataFrame(list(rows) + list(extra_rows), columns=list(columns))
    frame.to_csv(path, index=False, sep=sep)
    return path


def cfg_for(path: Path, **changes) -> Config:
    return Config(train_csv=str(path), min_freq=1, embedding="random", epochs=1, batch_size=32,
                  hidden_size=8, embedding_dim=8, **changes)


# ------------------------------------------------------------------------------------- parameters
def test_config_fields_validated():
    assert Config().train_csv is None and Config().text_column is None
    names = Config.names()
    assert names[names.index("data_dir") + 1:names.index("data_dir") + 6] == (
        "train_csv", "text_column", "label_column", "unlabeled_csv", "unlabeled_text_column")
    for name in ("train_csv", "text_column", "label_column", "unlabeled_csv"):
        with pytest.raises(ConfigError, match=name):
            Config(**{name: 5})
        with pytest.raises(ConfigError, match=name):
            Config(**{name: "  "})
    with pytest.raises(ConfigError, match="label_column.*other than text_column"):
        Config(train_csv="x.csv", text_column="stars", label_column="stars")
    with pytest.raises(ConfigError, match="unlabeled_text_column"):
        Config(train_csv="x.csv", unlabeled_text_column="body")


def test_relative_paths_from_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    params = absolute_paths({"train_csv": "reviews.csv", "unlabeled_csv": "more.csv", "epochs": 2})
    assert params == {"train_csv": str(tmp_path / "reviews.csv"), "unlabeled_csv": str(tmp_path / "more.csv"),
                      "epochs": 2}


def test_column_defaults():
    assert loading.raw_columns(Config()) == ("Tweet", "Category")
    assert loading.unlabeled_column(Config()) == "Category"
    assert loading.raw_columns(Config(train_csv="r.csv")) == ("text", "label")
    assert loading.unlabeled_column(Config(train_csv="r.csv")) is None
    assert loading.unlabeled_column(Config(train_csv="r.csv", unlabeled_csv="u.csv")) == "text"
    cfg = Config(train_csv="r.csv", text_column="review", label_column="stars")
    assert loading.raw_columns(cfg) == ("review", "stars")


def test_label_order():
    assert label_order(["positive", "negative", "neutral", "negative"]) == LABELS
    assert label_order(["5", "1", "10", "2", "9"]) == ("1", "2", "5", "9", "10")
    assert label_order(["b", "a", "1"]) == ("1", "a", "b")


# -------------------------------------------------------------------------------------- data sets
def test_binary_data_end_to_end(tmp_path):
    """Two classes named like two of the course's: the run has exactly those two, not three."""
    path = write_csv(tmp_path / "binary.csv", make_rows(["positive", "negative"], 60))
    cfg = cfg_for(path, output_dir=str(tmp_path / "run"))
    prepared = prepare_data(cfg)
    assert prepared.label_names == ("negative", "positive")
    assert set(prepared.encoded["train"].labels.tolist()) == {0, 1}
    assert prepared.class_weights.shape == (2,)
    assert prepared.unlabeled_texts == [] and prepared.unlabeled is None
    source = prepared.data_source
    assert source["course_data"] is False and source["unlabeled"] is None
    assert source["train"]["rows_read"] == 120 and source["train"]["rows_kept"] == 120
    assert source["train"]["sha256"] == loading.sha256_file(path)
    assert source["train"]["file"] == ".../binary.csv"  # no absolute path

    from conftest import benchmark_module

    from tutorial_lib.baselines import run_baselines
    from tutorial_lib.evaluation import evaluate_model
    from tutorial_lib.stages import train_and_save, write_evaluation

    model, history, bundle_path = train_and_save(cfg, prepared, progress=False)
    assert model.fc.out_features == 2
    result = evaluate_model(model, prepared)
    assert list(result["per_class"]) == ["negative", "positive"] and result["probs"].shape[1] == 2
    baselines = run_baselines(prepared)
    assert baselines["tfidf_wordchar"]["macro_f1"] > 0.9  # the cue words make the classes learnable
    with pytest.raises(TutorialError, match="VADER"):
        benchmark_module("vader").vader_baseline(prepared)  # the benchmark's lexicon peer: the course's labels only
    saved = json.loads(write_evaluation(cfg, result, baselines, prepared=prepared).read_text())
    assert saved["labels"] == ["negative", "positive"]
    assert saved["data"]["train"]["sha256"] == loading.sha256_file(path)


def test_five_numeric_classes_other_columns(tmp_path):
    """1-5 stars in a column called ``stars``, the text in ``review``: five classes in numeric order."""
    rows = make_rows([5, 3, 1, 4, 2], 40, seed=1)
    path = write_csv(tmp_path / "reviews.csv", rows, columns=("review", "stars"))
    cfg = cfg_for(path, text_column="review", label_column="stars", output_dir=str(tmp_path / "run"))
    prepared = prepare_data(cfg)
    assert prepared.label_names == ("1", "2", "3", "4", "5")
    assert prepared.split.counts().columns.tolist()[:5] == ["1", "2", "3", "4", "5"]

    from tutorial_lib.checkpoint import load_bundle
    from tutorial_lib.evaluation import most_confident_mistakes, plot_confusion_matrix
    from tutorial_lib.prediction import predict_sentiment
    from tutorial_lib.stages import train_and_save
    from tutorial_tools.cli import main

    _, _, bundle_path = train_and_save(cfg, prepared, progress=False)
    bundle = load_bundle(bundle_path)
    assert bundle.labels == ("1", "2", "3", "4", "5") and bundle.model.fc.out_features == 5
    out = predict_sentiment(["cueaa cueab the"], bundle)
    assert out[0]["label"] in bundle.labels and list(out[0]["probabilities"]) == list(bundle.labels)
    assert main(["predict", "--model", str(bundle_path), "--json", "cueaa"]) == 0

    import torch



    payload = torch.load(bundle_path, weights_only=True)
    payload["labels"] = ["1", "2", "3", "4"]  # one label fewer than the model's outputs
    torch.save(payload, tmp_path / "bad.pt")
    with pytest.raises(DataError, match="5 outputs.*4 labels"):
        load_bundle(tmp_path / "bad.pt")

    probs = np.full((3, 5), 0.2)
    probs[:, 4] = 0.6
    mistakes = most_confident_mistakes(["a", "b", "c"], ["1", "2", "5"], probs, label_names=prepared.label_names)
    assert mistakes["predicted"].tolist() == ["5", "5"] and "p_3" in mistakes.columns
    ax = plot_confusion_matrix(["1", "2", "5"], ["5", "5", "5"], label_names=prepared.label_names)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4", "5"]


def test_semicolon_csv_is_read_correctly(tmp_path):
    rows = [("good, really; fine" if i == 0 else t, lab) for i, (t, lab) in enumerate(make_rows(["a", "b"], 20))]
    path = write_csv(tmp_path / "semi.csv", rows, sep=";")
    raw = loading.load_for_config(Config(train_csv=str(path)))
    assert list(raw.train.columns) == ["text", "label"] and len(raw.train) == 40
    assert "good, really; fine" in raw.train["text"].tolist()


def test_unquoted_separator_in_a_text_is_refused_with_its_line(tmp_path):
    """An unquoted ';' inside a text ('&amp;' in a ';' file) would shift the columns: refused, not misread."""
    path = tmp_path / "odd.csv"
    path.write_text("Headline;Topic\nfine headline;sports\nthis score &amp; more;sports\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 3.*quoted"):
        loading.load_for_config(Config(train_csv=str(path), text_column="Headline", label_column="Topic"))
    quoted = tmp_path / "quoted.csv"
    quoted.write_text('Headline;Topic\nfine headline;sports\n"this score &amp; more";sports\n', encoding="utf-8")
    raw = loading.load_for_config(Config(train_csv=str(quoted), text_column="Headline", label_column="Topic"))
    assert raw.train["Headline"].tolist() == ["fine headline", "this score &amp; more"]


def test_tab_separated_csv_is_read_correctly(tmp_path):
    path = write_csv(tmp_path / "tabs.tsv", make_rows(["a", "b"], 10), columns=("review", "stars"), sep="\t")
    raw = loading.load_for_config(Config(train_csv=str(path), text_column="review", label_column="stars"))
    assert list(raw.train.columns) == ["review", "stars"] and set(raw.train["stars"]) == {"a", "b"}


def test_scale_benchmark_generates_learnable_csv(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import scale
    finally:
        sys.path.pop(0)
    path = scale.generate_csv(tmp_path / "s.csv", 300)
    frame = pd.read_csv(path, dtype=str)
    assert list(frame.columns) == ["text", "label"] and len(frame) == 300
    assert set(frame["label"]) == set(scale.LABELS)
    assert path.read_bytes() == scale.generate_csv(tmp_path / "again.csv", 300).read_bytes()  # seeded


def test_unlabeled_csv_is_read_and_recorded(tmp_path):
    path = write_csv(tmp_path / "t.csv", make_rows(["x", "y"], 20))
    more = tmp_path / "more.csv"
    pd.DataFrame({"body": ["one text", "", "Not Available", "another &amp; text"]}).to_csv(more, index=False)
    cfg = cfg_for(path, unlabeled_csv=str(more), unlabeled_text_column="body")
    prepared = prepare_data(cfg)
    assert prepared.unlabeled_texts == ["one text", "another & text"]
    assert prepared.data_source["unlabeled"]["rows_read"] == 4
    assert prepared.data_source["unlabeled"]["rows_kept"] == 2


# --------------------------------------------------------------------------------------- bad input
def test_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("text,label\ncaf\xe9 ol\xe9,a\n".encode("latin-1"))
    with pytest.raises(DataError, match="not valid UTF-8.*iconv"):
        loading.load_for_config(Config(train_csv=str(path)))


def test_empty_and_header_only_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match="is empty"):
        loading.load_for_config(Config(train_csv=str(empty)))
    header = tmp_path / "header.csv"
    header.write_text("text,label\n")
    with pytest.raises(DataError, match="no rows"):
        loading.load_for_config(Config(train_csv=str(header)))
    with pytest.raises(DataError, match="does not exist"):
        loading.load_for_config(Config(train_csv=str(tmp_path / "nope.csv")))


def test_missing_columns_lists_the_columns_the_file_has(tmp_path):
    path = write_csv(tmp_path / "r.csv", make_rows(["a", "b"], 5), columns=("review", "stars"))
    with pytest.raises(DataError, match=r"lacks the column.*'review'"):
        loading.load_for_config(Config(train_csv=str(path)))
    with pytest.raises(DataError, match=r"\['body'\].*text_column"):
        loading.load_for_config(Config(train_csv=str(path), text_column="body", label_column="stars"))


def test_empty_texts_and_missing_labels_are_counted(tmp_path):
    extra = [("", "a"), ("   ", "b"), ("no label here", ""), ("Not Available", "a"), ("text", "label"),
             ("fish &amp; chips", "a"), ("same text", "a"), ("same text", "b")]
    path = write_csv(tmp_path / "defects.csv", make_rows(["a", "b"], 20), extra_rows=extra)
    cleaned = check_data(Config(train_csv=str(path)))
    report = cleaned.report.set_index("step")
    assert report.loc["drop missing or empty", "removed"] == 3
    assert report.loc["drop missing or empty", "note"] == "2 empty texts, 1 missing labels"
    assert report.loc["drop 'Not Available'", "removed"] == 1
    assert report.loc["drop repeated header rows", "removed"] == 1
    assert report.loc["decode HTML entities", "note"] == "1 texts changed"  # a user's rows are not called tweets
    assert report.loc["drop conflicting duplicates", "removed"] == 2
    assert cleaned.label_names == ("a", "b") and len(cleaned.data) == 41


def test_numeric_labels_are_compared_as_numbers_and_the_merge_is_reported(tmp_path):
    """A spreadsheet export mixing 1 and 1.0 (and 01, 2.50) gives one class per number, not one per spelling."""
    rows = make_rows(["1", "2", "3"], 12)
    spelled = {"1": ["1", "1.0", "01"], "2": ["2", "2.0"], "3": ["3"]}
    mixed = [(text, spelled[label][i % len(spelled[label])]) for i, (text, label) in enumerate(rows)]
    path = write_csv(tmp_path / "stars.csv", mixed, extra_rows=[("half a star more", "2.50"), ("again", "2.5"),
                                                               ("and more", "2.5")])
    cleaned = check_data(Config(train_csv=str(path)))
    assert cleaned.label_names == ("1", "2", "2.5", "3")
    assert cleaned.counts().tolist() == [12, 12, 3, 12]
    report = cleaned.report.set_index("step")
    assert report.loc["merge numeric labels", "removed"] == 0
    note = report.loc["merge numeric labels", "note"]
    assert "'1.0' -> '1'" in note and "'01' -> '1'" in note and "'2.50' -> '2.5' (1 rows)" in note
    assert "'3'" not in note  # only what changed is listed
    same = write_csv(tmp_path / "same.csv", [("good film", "1"), ("good film", "1.0")] + make_rows(["1", "2"], 5))
    cleaned = check_data(Config(train_csv=str(same)))  # the same text with 1 and 1.0: a duplicate, not a conflict
    assert cleaned.conflicts.empty and cleaned.label_names == ("1", "2")
    words = write_csv(tmp_path / "words.csv", make_rows(["pos", "neg"], 5))
    assert "merge numeric labels" not in set(check_data(Config(train_csv=str(words))).report["step"])


def test_long_texts_get_a_capped_seq_length_and_a_note_saying_what_was_cut(tmp_path):
    """300 texts of 5-8k characters gave seq_length 1,218 and a 523-second notebook 07, without a word."""
    from tutorial_lib.pipeline import MAX_SUGGESTED_SEQ_LENGTH, choose_seq_length

    rows = [(" ".join([text] * 60), label) for text, label in make_rows(["a", "b"], 15)]  # ~480 tokens each
    path = write_csv(tmp_path / "long.csv", rows)
    said: list[str] = []
    prepared = prepare_data(cfg_for(path), log=said.append)
    assert prepared.seq_length == MAX_SUGGESTED_SEQ_LENGTH == 256
    assert prepared.encoded["train"].lengths.max() == 256
    (note,) = said
    assert note.startswith("note: 95% of the training texts fit in 48") and "cap of 256" in note
    assert f"{len(prepared.encoded['train'])} of {len(prepared.encoded['train'])} training texts are cut" in note
    assert "-p seq_length 48" in note
    said.clear()
    assert prepare_data(cfg_for(path, seq_length=600), log=said.append).seq_length == 600 and said == []
    assert choose_seq_length([["w"] * 10] * 5) == (12, "")  # short texts: the percentile, no note
    assert choose_seq_length([["w"] * 400], seq_length=500) == (500, "")  # a chosen value is never capped


def test_a_text_column_of_numbers_is_refused_before_any_notebook(tmp_path):
    """A text column of numbers failed late, in notebook 05, with a hint about English word vectors."""
    rows = [(f"{i * 7 % 100}.{i % 10}", label) for i, (_, label) in enumerate(make_rows(["a", "b"], 20))]
    path = write_csv(tmp_path / "numbers.csv", rows, columns=("score", "label"))
    for check in (check_data, prepare_data):
        with pytest.raises(DataError, match=r"'score' holds hardly any words.*-p text_column"):
            check(Config(train_csv=str(path), text_column="score"))
    rows[0] = ("4.5 stars", rows[0][1])  # a few texts with words do not make a text column
    with pytest.raises(DataError, match="1 of its 40 texts"):
        check_data(Config(train_csv=str(write_csv(tmp_path / "n2.csv", rows))))


def _overlapping_tick_labels(ax) -> int:
    """Return how many neighbouring x tick labels of ``ax`` overlap once drawn."""
    ax.figure.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()]
    return sum(a.overlaps(b) for a, b in zip(boxes, boxes[1:], strict=False))


@pytest.mark.parametrize("classes", [3, 20, 40])
def test_per_class_figures_stay_readable_with_many_classes(classes):
    """With 40 classes the confusion matrix and the bar chart overprinted; they must read up to 20 and say where
    the full table is beyond."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from tutorial_lib.balancing import plot_class_distribution
    from tutorial_lib.evaluation import plot_confusion_matrix

    names = tuple(f"category number {i}" for i in range(classes))
    y = np.arange(4 * classes) % classes
    fig, ax = plt.subplots(figsize=(4.5, 4))  # as notebook 08 makes it
    plot_confusion_matrix(y, np.roll(y, 1), ax=ax, label_names=names, title="Test split")
    assert _overlapping_tick_labels(ax) == 0
    assert bool(ax.texts) == (classes <= 10)  # numbers in the cells only while they fit
    assert ("every count is in metrics.json" in ax.get_title()) == (classes > 20)
    if classes == 3:
        assert tuple(fig.get_size_inches()) == (4.5, 4.0)  # the course's figure is unchanged
    frame = pd.DataFrame({"label": [names[i] for i in y]})
    fig, ax = plt.subplots(figsize=(7, 3.5))  # as notebook 03 makes it
    plot_class_distribution({"train": frame, "validation": frame, "test": frame}, ax=ax, labels=names)
    assert _overlapping_tick_labels(ax) == 0
    assert ("lists every count" in ax.get_title()) == (classes > 20)
    if classes == 3:
        assert tuple(fig.get_size_inches()) == (7.0, 3.5)
    plt.close("all")


def test_sentences_about_the_data_use_its_own_numbers_and_noun(tmp_path, real_data_dir):
    """Notebook 02 said 'we keep 5,411 labelled tweets' above a user's 1,113 rows."""
    from tutorial_lib.preprocessing import kept_sentence

    path = write_csv(tmp_path / "r.csv", make_rows(["a", "b"], 20))
    cleaned = check_data(Config(train_csv=str(path)))
    assert kept_sentence(cleaned, course_data=False) == "After cleaning we keep 40 labelled texts:"
    course = check_data(Config())
    assert kept_sentence(course, course_data=True) == "After cleaning we keep 5,411 labelled tweets:"  # as 02 says
    assert course.report.set_index("step").loc["decode HTML entities", "note"].endswith(" tweets changed")


def test_class_too_small_is_named(tmp_path):
    path = write_csv(tmp_path / "small.csv", make_rows(["big", "other"], 30), extra_rows=[("rare one", "rare"),
                                                                                          ("rare two", "rare")])
    with pytest.raises(DataError, match=r"\{'rare': 2\} have fewer"):
        prepare_data(Config(train_csv=str(path)))
    swapped = write_csv(tmp_path / "swapped.csv", [(f"id{i}", text) for i, (text, _) in
                                                   enumerate(make_rows(["a", "b"], 40))])
    with pytest.raises(DataError, match=r"and 70 more classes.*and 70 more have fewer.*look like text"):
        check_data(Config(train_csv=str(swapped)))
    gone = write_csv(tmp_path / "gone.csv", [(lab, f"t{i}") for i, (_, lab) in enumerate(make_rows(["a", "b"], 9))])
    with pytest.raises(DataError, match="no rows are left.*text_column"):
        check_data(Config(train_csv=str(gone)))  # every text is 'a' or 'b' with many labels: all conflicts
    one = write_csv(tmp_path / "one.csv", make_rows(["only"], 30))
    with pytest.raises(DataError, match="at least 2"):
        check_data(Config(train_csv=str(one)))


def test_course_labels_still_strict():
    raw = pd.DataFrame({"Id": ["1", "2"], "Category": ["positive", "happy"], "Tweet": ["a", "b"]})
    with pytest.raises(DataError, match="happy"):
        clean_labeled(raw, labels=LABELS)
    assert clean_labeled(raw, labels=None).label_names == ("happy", "positive")


# ------------------------------------------------------------------------------------ command line
def test_cli_refuses_bad_data_before_any_notebook(tmp_path):
    write_csv(tmp_path / "r.csv", make_rows(["a", "b"], 5), columns=("review", "stars"))
    proc = subprocess.run(
        [sys.executable, "-m", "tutorial_lib", "run", "-p", "train_csv", "r.csv", "--output-dir", "out"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2  # data that cannot be used: the exit status of bad input (tutorial_tools.cli)
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert "['review', 'stars']" in proc.stderr
    assert not (tmp_path / "out").exists()  # stopped before anything was written


# ----------------------------------------------------------------------------- the course's default
def test_course_default_path_unchanged(real_data_dir):
    raw = loading.load_for_config(Config())
    assert raw.text_column == "Tweet" and raw.label_column == "Category" and raw.unlabeled_text_column == "Category"
    assert raw.source["train"]["sha256"] == loading.REGISTRY["train.csv"].sha256
    prepared = prepare_data(Config(), raw=raw)
    assert prepared.label_names == LABELS
    assert len(prepared.vocab) == 4028 and prepared.seq_length == 32
    assert prepared.data_source["train"]["rows_read"] == 5970


def test_course_tweets_with_own_unlabeled_file(real_data_dir, tmp_path):
    more = tmp_path / "more.csv"
    pd.DataFrame({"text": ["an unlabelled tweet", ""]}).to_csv(more, index=False)
    raw = loading.load_for_config(Config(unlabeled_csv=str(more)))
    assert raw.source["course_data"] is True and raw.unlabeled_text_column == "text"
    assert raw.source["unlabeled"]["file"] == ".../more.csv" and raw.source["unlabeled"]["rows_read"] == 2
