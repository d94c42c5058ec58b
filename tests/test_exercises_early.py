"""The self-checks of notebooks 01-04 (tutorial_lib.exercises.loading ... tokenization).

For every checker: the answer committed in the notebook passes (True, one ✅ line), the empty stub
fails with the "replace the placeholder" hint, and the typical wrong answers named in issue 10 fail
with their specific hint. No check may raise.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tutorial_lib.exercises import balancing as ex03
from tutorial_lib.exercises import loading as ex01
from tutorial_lib.exercises import preprocessing as ex02
from tutorial_lib.exercises import tokenization as ex04


def run_check(capsys, check, *args, **kwargs) -> tuple[bool, str]:
    """Return what the check returned and the one line it printed."""
    result = check(*args, **kwargs)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    return result, lines[0]


def assert_passes(capsys, check, *args, **kwargs) -> str:
    ok, line = run_check(capsys, check, *args, **kwargs)
    assert ok is True and line.startswith("✅"), line
    return line


def assert_fails(capsys, hint: str, check, *args, **kwargs) -> str:
    ok, line = run_check(capsys, check, *args, **kwargs)
    assert ok is False and line.startswith("❌"), line
    assert hint in line, line
    return line


# ------------------------------------------------------------------------------------ notebook 01
def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def test_sha256_solution_passes(capsys, tmp_path):
    assert_passes(capsys, ex01.check_sha256, file_sha256)


def test_sha256_solution_matches_the_registry_on_real_data(capsys, real_data_dir):
    line = assert_passes(capsys, ex01.check_sha256, file_sha256, real_data_dir / "train.csv")
    assert "train.csv gives the registry's" in line


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda path: None, "replace the placeholder"),
        (lambda path: hashlib.sha256(Path(path).read_bytes()).digest(), "not digest()"),
        (lambda path: hashlib.md5(Path(path).read_bytes()).hexdigest(), "another hash"),
        (lambda path: hashlib.sha256(str(path).encode()).hexdigest(), "hashed the file's name"),
        (lambda path: hashlib.sha256(Path(path).read_text().encode()).hexdigest(), "binary mode"),
        (lambda path: hashlib.sha256(Path(path).read_bytes()[: 1 << 20]).hexdigest(), "only the first MiB"),
        (lambda path: hashlib.sha256(Path(path).read_bytes()).hexdigest().upper(), "lowercase"),
        (lambda path: Path(path).read_text()[5], "your code raised IndexError"),
    ],
    ids=["stub", "digest", "md5", "name", "text-mode", "first-chunk", "upper", "raises"],
)
def test_sha256_wrong_answers_get_their_hint(capsys, wrong, hint):
    assert_fails(capsys, hint, ex01.check_sha256, wrong)


def constant_answer_scores(labels, answer, classes):
    f1s = []
    for cls in classes:
        predicted = len(labels) if cls == answer else 0
        actual = sum(label == cls for label in labels)
        correct = actual if cls == answer else 0
        precision = correct / predicted if predicted else 0.0
        recall = correct / actual if actual else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    accuracy = sum(label == answer for label in labels) / len(labels)
    return accuracy, sum(f1s) / len(classes)


def test_constant_scores_solution_passes(capsys):
    labels = ["positive"] * 48 + ["neutral"] * 36 + ["negative"] * 16
    line = assert_passes(capsys, ex01.check_constant_scores, constant_answer_scores, labels)
    assert "always 'neutral' here: accuracy 0.360, macro-F1 0.176" in line


@pytest.mark.parametrize(
    "variant",
    [lambda labels, answer, classes: list(constant_answer_scores(labels, answer, classes)),
     lambda labels, answer, classes: np.array(constant_answer_scores(labels, answer, classes))],
    ids=["list", "numpy-array"],
)
def test_constant_scores_accepts_any_pair(capsys, variant):
    assert_passes(capsys, ex01.check_constant_scores, variant)


def _share(labels, answer):
    return sum(label == answer for label in labels) / len(labels)


def _f1_of_answer(labels, answer):
    share = _share(labels, answer)
    return 2 * share / (share + 1) if share else 0.0


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda labels, answer, classes: None, "replace the placeholder"),
        (lambda labels, answer, classes: (_share(labels, answer), _f1_of_answer(labels, answer)),
         "the F1 of 'positive' alone"),
        (lambda labels, answer, classes: (_share(labels, answer), _share(labels, answer)), "equal to the accuracy"),
        (lambda labels, answer, classes: (_share(labels, answer),
                                          _f1_of_answer(labels, answer) * _share(labels, answer)), "weighted"),
        (lambda labels, answer, classes: (_share(labels, answer), 2 * 0 * 1 / (0 + 1) / 0), "divided by zero"),
        (lambda labels, answer, classes: (labels.count(answer), 0.0), "gave accuracy 2.000, expected 0.500"),
        (lambda labels, answer, classes: _share(labels, answer), "return two numbers"),
        (lambda labels, answer, classes: constant_answer_scores(labels, answer, classes)[::-1],
         "the right numbers in the wrong order"),
    ],
    ids=["stub", "answer-class-only", "accuracy", "weighted", "zero-division", "count-not-share", "one-number",
         "swapped"],
)
def test_constant_scores_wrong_answers_get_their_hint(capsys, wrong, hint):
    assert_fails(capsys, hint, ex01.check_constant_scores, wrong)


# ------------------------------------------------------------------------------------ notebook 02
def normalize_links(text):
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"(?<!\w)@\w+", " ", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def test_normalizer_solution_passes(capsys):
    assert_passes(capsys, ex02.check_normalizer, normalize_links)


def test_normalizer_cases_agree_with_the_library():
    from tutorial_lib.preprocessing import normalize_tweet

    for text, expected in ex02.NORMALIZER_CASES:
        assert normalize_tweet(text) == expected


def _original(text):  # the published tutorial's two patterns, then lowercase
    return re.sub(r"@\w+", "", re.sub(r"https?:\/\/[\w]+", "", text)).lower()


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda text: None, "replace the placeholder"),
        (_original, "returned 'see .co/fmtcfuadgj', expected 'see': part of the link stays behind"),
        (lambda text: re.sub(r"\s+", " ", re.sub(r"@\w+|https?://\S+", " ", text)).strip().lower(),
         "e-mail address"),
        (lambda text: re.sub(r"\s+", " ", re.sub(r"(?<!\w)@\w+|https?://\S+", " ", text)).strip(),
         "lowercase"),
        (lambda text: re.sub(r"(?<!\w)@\w+|https?://\S+", "", text).lower(), "collapse runs of whitespace"),
        (lambda text: re.sub(r"\s+", " ", re.sub(r"(?<!\w)@\w+|https?://\S+", "", text)).strip().lower(),
         "returned 'great show!:)', expected 'great show! :)': a link or mention replaced by nothing glues"),
        (lambda text: re.sub(r"\s+", " ", re.sub(r"https?://\S+", " ", text)).strip().lower(),
         "an @mention is still there"),
        (lambda text: text.lower().split(), "not a string"),
        (lambda text: text + 1, "your code raised TypeError"),
    ],
    ids=["stub", "published-original", "eats-email", "no-lowercase", "spaces", "replaced-by-nothing", "no-mentions",
         "list", "raises"],
)
def test_normalizer_wrong_answers_get_their_hint(capsys, wrong, hint):
    assert_fails(capsys, hint, ex02.check_normalizer, wrong)


def drop_conflicts(df):
    df = df.drop_duplicates(subset=["text", "label"])
    conflicting = df.groupby("text")["label"].transform("nunique") > 1
    return df[~conflicting]


def test_drop_conflicts_solution_passes(capsys):
    assert_passes(capsys, ex02.check_drop_conflicts, drop_conflicts)


def _in_place(df):
    df["seen"] = True  # adds a column to the caller's frame
    return drop_conflicts(df)


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda df: None, "replace the placeholder"),
        (lambda df: df.drop_duplicates(subset="text"), "'meh' is labelled both negative and neutral"),
        (lambda df: df.drop_duplicates(), "'meh' is labelled both"),
        (lambda df: df.drop_duplicates(subset="text", keep=False), "keep one copy, do not drop it"),
        (lambda df: df[df.groupby("text")["label"].transform("nunique") == 1], "'good app' is kept 2 times"),
        (_in_place, "changed the frame it was given"),
        (lambda df: df["text"].unique(), "return a DataFrame"),
    ],
    ids=["stub", "first-copy", "exact-only", "keep-false", "no-dedup", "in-place", "not-a-frame"],
)
def test_drop_conflicts_wrong_answers_get_their_hint(capsys, wrong, hint):
    assert_fails(capsys, hint, ex02.check_drop_conflicts, wrong)


# ------------------------------------------------------------------------------------ notebook 03
def _split(df, seed, stratify=True):
    from sklearn.model_selection import train_test_split

    rest, test = train_test_split(df, test_size=0.15, stratify=df["label"] if stratify else None,
                                  random_state=seed)
    train, val = train_test_split(rest, test_size=0.15 / 0.85, stratify=rest["label"] if stratify else None,
                                  random_state=seed)
    return train, val, test


def _undersample(train, seed, replace=False, n=None):
    smallest = n or train["label"].value_counts().min()
    return train.groupby("label").sample(n=smallest, replace=replace, random_state=seed)


def split_then_undersample(df, seed):
    train, val, test = _split(df, seed)
    return _undersample(train, seed), val, test


def test_split_then_undersample_solution_passes(capsys):
    assert_passes(capsys, ex03.check_split_then_undersample, split_then_undersample)


def _balance_then_split(df, seed):
    return _split(_undersample(df, seed), seed)


def _with_replacement(df, seed):
    train, val, test = _split(df, seed)
    return _undersample(train, seed, replace=True), val, test


def _oversample(df, seed):
    train, val, test = _split(df, seed)
    return _undersample(train, seed, replace=True, n=train["label"].value_counts().max()), val, test


def _unstratified(df, seed):
    train, val, test = _split(df, seed, stratify=False)
    return _undersample(train, seed), val, test


def _leaky(df, seed):
    train, val, test = _split(df, seed)
    return _undersample(pd.concat([train, test]), seed), val, test


def _unseeded(df, seed):
    train, val, test = _split(df, seed)
    return train.groupby("label").sample(n=train["label"].value_counts().min()), val, test


def _too_few(df, seed):
    train, val, test = _split(df, seed)
    return _undersample(train, seed, n=20), val, test


def _not_balanced(df, seed):
    return _split(df, seed)


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda df, seed: None, "replace the placeholder"),
        (_balance_then_split, "Balancing before splitting"),
        (_with_replacement, "without replacement"),
        (_oversample, "more than once"),
        (_unstratified, "stratify=df['label']"),
        (_leaky, "test tweets are also in training"),
        (_unseeded, "random_state=seed"),
        (_too_few, "keeps all of the smallest class"),
        (_not_balanced, "the training classes are not equal"),
        (lambda df, seed: df, "return three frames"),
    ],
    ids=["stub", "balance-then-split", "replacement", "oversample", "unstratified", "leak", "unseeded",
         "too-few", "unbalanced", "one-frame"],
)
def test_split_then_undersample_wrong_answers_get_their_hint(capsys, wrong, hint):
    assert_fails(capsys, hint, ex03.check_split_then_undersample, wrong)


def test_split_example_leaves_the_global_random_state_alone():
    import numpy as np

    np.random.seed(0)
    expected = np.random.rand()
    np.random.seed(0)
    ex03.split_example()
    assert np.random.rand() == expected


def balanced_weights(labels):
    counts = Counter(labels)
    return [len(labels) / (3 * counts[label]) for label in ("negative", "neutral", "positive")]


def test_class_weights_solution_passes(capsys):
    labels = ["negative"] * 606 + ["neutral"] * 1364 + ["positive"] * 1817
    line = assert_passes(capsys, ex03.check_class_weights, balanced_weights, labels)
    assert "negative 2.083, neutral 0.925, positive 0.695" in line


def test_class_weights_accepts_a_dict_by_label(capsys):
    assert_passes(capsys, ex03.check_class_weights,
                  lambda labels: dict(zip(("negative", "neutral", "positive"), balanced_weights(labels),
                                          strict=True)))


@pytest.mark.parametrize(
    "variant",
    [lambda labels: len(labels) / (3 * pd.Series(labels).value_counts()),  # a Series by label, largest class first
     lambda labels: np.array(balanced_weights(labels), dtype=np.float32)],
    ids=["series-by-label", "float32-array"],
)
def test_class_weights_accepts_other_containers(capsys, variant):
    assert_passes(capsys, ex03.check_class_weights, variant)


def _counts(labels):
    c = Counter(labels)
    return [c[label] for label in ("negative", "neutral", "positive")]


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda labels: None, "replace the placeholder"),
        (lambda labels: [c / len(labels) for c in _counts(labels)], "these are the class shares"),
        (lambda labels: [len(labels) / c for c in _counts(labels)], "divide by the number of classes"),
        (lambda labels: [1 / c for c in _counts(labels)], "the wrong scale"),
        (lambda labels: [len(labels) / (3 * c) for c in pd.Series(labels).value_counts()], "wrong order"),
        (lambda labels: [1.0, 1.0], "return one per class"),
    ],
    ids=["stub", "shares", "no-k", "inverse-count", "order", "two-numbers"],
)
def test_class_weights_wrong_answers_get_their_hint(capsys, wrong, hint):
    assert_fails(capsys, hint, ex03.check_class_weights, wrong)


# ------------------------------------------------------------------------------------ notebook 04
def build_vocab(token_lists, min_freq):
    counts = Counter(token for tokens in token_lists for token in tokens)
    vocab = {"<PAD>": 0, "<SOS>": 1, "<EOS>": 2, "<UNK>": 3}
    for token, count in counts.most_common():
        if count >= min_freq and token not in vocab:
            vocab[token] = len(vocab)
    return vocab


def test_vocabulary_solution_passes(capsys):
    assert_passes(capsys, ex04.check_vocabulary, build_vocab)


def test_vocabulary_accepts_numpy_ids(capsys):
    def numpy_ids(token_lists, min_freq):
        return {token: np.int64(i) for token, i in build_vocab(token_lists, min_freq).items()}

    assert_passes(capsys, ex04.check_vocabulary, numpy_ids)


def test_vocabulary_check_of_the_learners_vocabulary(capsys):
    train = [["good", "app"], ["good", "day"], ["bad", "day"]] * 2 + [["rare"]]
    held_out = [["good", "film"], ["new", "film"]]
    line = assert_passes(capsys, ex04.check_vocabulary, build_vocab, build_vocab(train, 2), train, held_out,
                         min_freq=2)
    assert "my_vocab: 8 entries" in line
    assert_fails(capsys, "words that no training tweet has (e.g. ['film'",
                 ex04.check_vocabulary, build_vocab, build_vocab(train + held_out, 2), train, held_out, min_freq=2)
    assert_fails(capsys, "build it with build_vocab(train_tokens, min_freq=2)",
                 ex04.check_vocabulary, build_vocab, build_vocab(train, 1), train, held_out, min_freq=2)
    assert_fails(capsys, "my_vocab (your vocabulary of the training tokens) returned None",
                 ex04.check_vocabulary, build_vocab, None, train, held_out, min_freq=2)


def _original_vocab(token_lists, min_freq):  # the published original: no <UNK>, no min_freq
    index2word = ["<PAD>", "<SOS>", "<EOS>"]
    for tokens in token_lists:
        index2word += [t for t in tokens if t not in index2word]
    return {t: i for i, t in enumerate(index2word)}


def _strict_min_freq(token_lists, min_freq):
    return build_vocab(token_lists, min_freq + 1)


def _pad_last(token_lists, min_freq):
    vocab = build_vocab(token_lists, min_freq)
    specials = ["<SOS>", "<EOS>", "<UNK>"]
    words = [t for t in vocab if t not in specials and t != "<PAD>"]
    return {t: i for i, t in enumerate(specials + words + ["<PAD>"])}


def _gaps(token_lists, min_freq):
    return {t: 2 * i for t, i in build_vocab(token_lists, min_freq).items()}


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda token_lists, min_freq: None, "replace the placeholder"),
        (_original_vocab, "has no '<UNK>'"),
        (_strict_min_freq, "lacks ['i', 'it']"),
        (lambda token_lists, min_freq: build_vocab(token_lists, 1), "holds ['app', 'hate', 'mondays', 'this']"),
        (_pad_last, "padding must be id 0"),
        (_gaps, "with no gaps"),
        (lambda token_lists, min_freq: list(build_vocab(token_lists, min_freq)), "return a dict"),
    ],
    ids=["stub", "original-no-unk", "strict-min-freq", "ignores-min-freq", "pad-not-0", "gaps", "list"],
)
def test_vocabulary_wrong_answers_get_their_hint(capsys, wrong, hint):
    assert_fails(capsys, hint, ex04.check_vocabulary, wrong)


def encode_tweet(tokens, vocab, seq_length):
    ids = [vocab.get(token, vocab["<UNK>"]) for token in tokens[: seq_length - 2]]
    row = [vocab["<SOS>"]] + ids + [vocab["<EOS>"]]
    return row + [vocab["<PAD>"]] * (seq_length - len(row))


def test_encoder_solution_passes(capsys):
    assert_passes(capsys, ex04.check_encoder, encode_tweet)


def test_encoder_agrees_with_the_library():
    from tutorial_lib.tokenization import Vocabulary, encode

    vocab = Vocabulary(list(ex04.ENCODER_VOCAB))
    for tokens, seq_length, want, _ in ex04.ENCODER_CASES:
        ids, _ = encode([list(tokens)], vocab, seq_length)
        assert ids[0].tolist() == want


def _original_encode(tokens, vocab, seq_length):  # the published original: word2index[w], no <UNK>
    encoded = [vocab[w] for w in tokens]
    return [1] + encoded[: seq_length - 2] + [2] + [0] * max(0, seq_length - 2 - len(tokens))


def _cut_after_eos(tokens, vocab, seq_length):
    row = [1] + [vocab.get(t, 3) for t in tokens] + [2]
    return (row + [0] * seq_length)[:seq_length]


def _pad_front(tokens, vocab, seq_length):
    row = encode_tweet(tokens, vocab, seq_length)
    body = [i for i in row if i != 0]
    return [0] * (seq_length - len(body)) + body


def _unk_as_pad(tokens, vocab, seq_length):
    return encode_tweet([t if t in vocab else "<PAD>" for t in tokens], vocab, seq_length)


def _no_padding(tokens, vocab, seq_length):
    return [1] + [vocab.get(t, 3) for t in tokens][: seq_length - 2] + [2]


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda tokens, vocab, seq_length: None, "replace the placeholder"),
        (_original_encode, "raised KeyError 'pizza'"),
        (_cut_after_eos, "a cut tweet lost its '<EOS>'"),
        (_pad_front, "the padding is at the start"),
        (_unk_as_pad, "must read as '<UNK>' (id 3)"),
        (_no_padding, "exactly seq_length=8 ids"),
        (lambda tokens, vocab, seq_length: encode_tweet(tokens, vocab, seq_length)[1:] + [0], "starts with"),
    ],
    ids=["stub", "original-keyerror", "cut-after-eos", "pad-front", "unk-as-pad", "no-padding", "no-sos"],
)
def test_encoder_wrong_answers_get_their_hint(capsys, wrong, hint):
    assert_fails(capsys, hint, ex04.check_encoder, wrong)


def test_exercise_modules_do_not_import_torch():
    import subprocess
    import sys

    code = ("import sys\nimport tutorial_lib.exercises.loading, tutorial_lib.exercises.preprocessing, "
            "tutorial_lib.exercises.balancing, tutorial_lib.exercises.tokenization\nprint('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
