"""Tests of tokenization, the vocabulary and encoding (tutorial_lib.tokenization, notebook 04)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tutorial_lib.errors import TutorialError  # noqa: E402
from tutorial_lib.tokenization import (  # noqa: E402
    MIN_SEQ_LENGTH,
    EncodedSplit,
    TextPipeline,
    Vocabulary,
    decode,
    encode,
    plot_length_histogram,
    suggest_seq_length,
)

PAD, SOS, EOS, UNK = Vocabulary.SPECIALS


# ------------------------------------------------------------------------------------- tokenizers
def test_tweet_tokenizer_normalizes_first():
    pipe = TextPipeline()
    tokens = pipe.tokenize("@Apple I LOVE my #iPhone sooooo much :) http://t.co/fmtcfUAdgj")
    assert tokens == ["i", "love", "my", "iphone", "sooo", "much", ":)"]


def test_treebank_tokenizer_needs_no_download(monkeypatch):
    import nltk

    def no_download(*args, **kwargs):
        raise AssertionError("nltk.download must never be called")

    monkeypatch.setattr(nltk, "download", no_download)
    tokens = TextPipeline(tokenizer="treebank").tokenize("I don't like it. Really!")
    # Without the punkt sentence splitter only the text's last period is split off ("it." stays):
    # the one difference from the original's word_tokenize, documented in notebook 04.
    assert tokens == ["i", "do", "n't", "like", "it.", "really", "!"]


def test_pipeline_options_and_defined_edge_cases():
    assert TextPipeline(keep_hashtags=False).tokenize("#great day") == ["day"]
    assert TextPipeline(lowercase=False).tokenize("Big NEWS") == ["Big", "NEWS"]
    assert TextPipeline().tokenize("http://t.co/abc @someone") == []
    assert TextPipeline().tokenize("😀😀🎉") == ["😀", "😀", "🎉"]
    assert TextPipeline().tokenize_many(["a b", "a b", "c"]) == [["a", "b"], ["a", "b"], ["c"]]


def test_tokenize_many_tokenizes_each_distinct_text_once_and_shares_a_cache(monkeypatch):
    pipe, cache = TextPipeline(), {}
    assert pipe.tokenize_many(["a b", "c"], cache=cache) == [["a", "b"], ["c"]]
    assert cache == {"a b": ["a", "b"], "c": ["c"]}
    calls = []
    monkeypatch.setattr(TextPipeline, "tokenize", lambda self, text: calls.append(text) or text.split())
    result = pipe.tokenize_many(["c", "a b", "d", "d"], cache=cache)
    assert calls == ["d"]  # "c" and "a b" come from the cache, "d" is tokenized once
    assert result == [["c"], ["a", "b"], ["d"], ["d"]]
    result[0].append("changed")  # every text gets its own list: the cache is not changed
    assert cache["c"] == ["c"] and result[3] == ["d"]


def test_tokenizer_that_gives_up_raises_a_clear_error(monkeypatch):
    from tutorial_lib import tokenization

    def give_up(text):
        raise TimeoutError("too long")

    monkeypatch.setattr(tokenization, "_tokenizer_function", lambda name: give_up)
    with pytest.raises(TutorialError, match="gave up"):
        TextPipeline().tokenize("123456789")


def test_pipeline_dict_round_trip_and_errors():
    pipe = TextPipeline(lowercase=True, keep_hashtags=False, tokenizer="treebank")
    assert TextPipeline.from_dict(json.loads(json.dumps(pipe.to_dict()))) == pipe
    with pytest.raises(TutorialError, match="choose one of"):
        TextPipeline(tokenizer="spacy")
    with pytest.raises(TutorialError, match="exactly the keys"):
        TextPipeline.from_dict({"tokenizer": "tweet"})


def test_tokenization_does_not_import_torch():
    code = "import sys, tutorial_lib.tokenization, tutorial_lib.balancing; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ------------------------------------------------------------------------------------- vocabulary
def test_vocab_specials_order_and_min_freq():
    vocab = Vocabulary.build([["b", "a", "b"], ["c", "a", "b"], ["d"]], min_freq=2)
    assert vocab.itos == [PAD, SOS, EOS, UNK, "b", "a"]
    assert vocab.stoi[PAD] == 0 and len(vocab) == 6
    assert "a" in vocab and "d" not in vocab
    assert vocab.lookup("d") == vocab.unk_index == 3
    assert vocab.lookup_ids(["a", "zzz"]) == [5, 3]
    assert vocab.lookup_tokens([4, 5]) == ["b", "a"]
    with pytest.raises(TutorialError, match="outside the vocabulary"):
        vocab.lookup_tokens([99])


def test_vocab_ties_are_deterministic_and_max_size_counts_specials():
    vocab = Vocabulary.build([["z", "y", "x"], ["x"]], max_size=6)
    assert vocab.itos == [PAD, SOS, EOS, UNK, "x", "y"]
    with pytest.raises(TutorialError, match="max_size"):
        Vocabulary.build([["a"]], max_size=2)
    with pytest.raises(TutorialError, match="min_freq"):
        Vocabulary.build([["a"]], min_freq=0)
    with pytest.raises(TutorialError, match="got a string"):
        Vocabulary.build(["not tokenized"])


def test_vocab_never_counts_special_strings():
    vocab = Vocabulary.build([[PAD, "a", UNK]])
    assert vocab.itos == [PAD, SOS, EOS, UNK, "a"]


def test_vocab_save_load_round_trip(tmp_path):
    vocab = Vocabulary.build([["héllo", "😀", "a"], ["a"]])
    path = vocab.save(tmp_path / "sub" / "vocab.json")
    loaded = Vocabulary.load(path)
    assert loaded.itos == vocab.itos and loaded.stoi == vocab.stoi
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (None, "no vocabulary file"),
        ("{not json", "not a vocabulary JSON"),
        ('{"itos": 3}', "list under 'itos'"),
        ('{"itos": ["a", "b"]}', "special tokens"),
        ('{"itos": ["<PAD>", "<SOS>", "<EOS>", "<UNK>", "a", "a"]}', "more than once"),
    ],
)
def test_vocab_load_bad_files(tmp_path, content, match):
    path = tmp_path / "vocab.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(TutorialError, match=match):
        Vocabulary.load(path)


def test_coverage():
    vocab = Vocabulary.build([["a", "b"]])
    assert vocab.coverage([["a", "b", "c", "d"]]) == 0.5
    assert math.isnan(vocab.coverage([[]]))


# --------------------------------------------------------------------------------------- encoding
def test_encode_pads_truncates_and_reports_true_lengths():
    vocab = Vocabulary.build([["a", "b", "c", "d"]])
    ids, lengths = encode([["a", "b"], [], ["a", "b", "c", "d", "e"]], vocab, seq_length=5)
    assert ids.dtype == np.int64 and lengths.dtype == np.int64 and ids.shape == (3, 5)
    assert decode(ids[0], vocab) == [SOS, "a", "b", EOS]
    assert ids[0, 4] == vocab.pad_index
    assert decode(ids[1], vocab) == [SOS, EOS]
    assert decode(ids[2], vocab) == [SOS, "a", "b", "c", EOS]  # SOS + first tokens + EOS
    assert lengths.tolist() == [4, 2, 5]
    ids, _ = encode([["a", "unseen"]], vocab, seq_length=4)
    assert decode(ids[0], vocab) == [SOS, "a", UNK, EOS]


def test_encode_errors():
    vocab = Vocabulary.build([["a"]])
    with pytest.raises(TutorialError, match="seq_length"):
        encode([["a"]], vocab, seq_length=1)
    with pytest.raises(TutorialError, match="got a string"):
        encode(["a b"], vocab, seq_length=5)
    ids, lengths = encode([], vocab, seq_length=4)
    assert ids.shape == (0, 4) and lengths.shape == (0,)


def test_encoded_split_checks_shapes():
    with pytest.raises(TutorialError, match="inconsistent"):
        EncodedSplit(ids=np.zeros((2, 3), dtype=np.int64), lengths=np.zeros(2, dtype=np.int64),
                     labels=np.zeros(3, dtype=np.int64), texts=["a", "b"])


def test_suggest_seq_length_and_histogram():
    token_lists = [["w"] * n for n in range(1, 101)]  # encoded lengths 3..102
    assert suggest_seq_length(token_lists, percentile=100) == 102
    assert suggest_seq_length(token_lists, percentile=50) == math.ceil(np.percentile(np.arange(3, 103), 50))
    assert suggest_seq_length([[]]) == 3
    with pytest.raises(TutorialError):
        suggest_seq_length([])
    ax = plot_length_histogram(token_lists, seq_length=30)
    assert "seq_length = 30" in ax.get_legend().get_texts()[0].get_text()


tokens_st = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=20)


@settings(max_examples=200, deadline=None)
@given(st.lists(tokens_st, min_size=1, max_size=10), st.integers(min_value=MIN_SEQ_LENGTH, max_value=25))
def test_property_round_trip_and_padding_only_at_end(token_lists, seq_length):
    vocab = Vocabulary.build([["a", "b", "c", "d", "e", "f"]])
    ids, lengths = encode(token_lists, vocab, seq_length)
    assert ids.shape == (len(token_lists), seq_length)
    for row, length, tokens in zip(ids, lengths, token_lists, strict=True):
        assert 2 <= length <= seq_length
        assert (row[:length] != vocab.pad_index).all() and (row[length:] == vocab.pad_index).all()
        assert row[0] == vocab.sos_index and row[length - 1] == vocab.eos_index
        assert decode(row, vocab) == [SOS, *tokens[: seq_length - 2], EOS]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(min_size=1, max_size=3), max_size=6), max_size=8),
       st.lists(st.lists(st.text(min_size=1, max_size=3), max_size=6), max_size=8))
def test_property_vocab_has_no_token_seen_only_outside_training(train, test):
    vocab = Vocabulary.build(train)
    train_tokens = {t for toks in train for t in toks}
    test_only = {t for toks in test for t in toks} - train_tokens - set(Vocabulary.SPECIALS)
    assert not any(t in vocab for t in test_only)
    assert set(vocab.itos[4:]) == train_tokens - set(Vocabulary.SPECIALS)
