"""Tests of the sentiment lexicon (tutorial_lib.lexicons, notebook 09) and of the LSTM that reads it.

Tiny CPU models and made-up tweets: the lexicon's scores, the negation scope, the model's extra input
(refused when missing, standardised with the training split's scale, saved with the weights), a toy task
only the lexicon can solve, and the whole road from Config(lexicon="vader") to predict_sentiment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from tutorial_lib import lexicons
from tutorial_lib.batching import make_loader
from tutorial_lib.checkpoint import load_bundle, save_bundle
from tutorial_lib.config import Config
from tutorial_lib.errors import ConfigError, TutorialError
from tutorial_lib.evaluation import evaluate_model
from tutorial_lib.exercises import lexicons as ex
from tutorial_lib.model import LSTMClassifier
from tutorial_lib.pipeline import prepare_data
from tutorial_lib.prediction import predict_sentiment
from tutorial_lib.training import set_seed, train_from_config, train_model

LABELS = ("negative", "neutral", "positive")


def test_tweet_scores_are_four_numbers_per_text_and_negation_turns_them():
    scores = lexicons.tweet_scores(["the camera is good", "the camera is not good", "the camera is good", ""])
    assert scores.shape == (4, 4) and scores.dtype == np.float32
    compound = scores[:, lexicons.SCORE_NAMES.index("compound")]
    assert compound[0] > 0 > compound[1]  # "not" flips "good"
    assert np.array_equal(scores[0], scores[2])  # the same text, the same scores
    assert np.allclose(scores[:3, :3].sum(axis=1), 1.0, atol=0.01)  # neg + neu + pos
    assert lexicons.tweet_scores([]).shape == (0, 4)


@pytest.mark.parametrize("token, negator", [("not", True), ("Never", True), ("don't", True), ("isn\u2019t", True),
                                            ("without", True), ("note", False), ("good", False), ("nothing", True)])
def test_is_negator(token, negator):
    assert lexicons.is_negator(token) is negator


def test_negation_scope_runs_to_the_end_of_the_clause():
    assert lexicons.negation_scope(["not", "good", ",", "great"]) == [False, True, False, False]
    assert lexicons.negation_scope(["i", "don't", "like", "it", "at", "all"]) == [False, False, True, True, True, True]
    assert lexicons.negation_scope([]) == []


def test_token_valences_come_from_the_lexicon():
    assert lexicons.token_valences(["good", "GOOD", "phone", ":)"]) == [1.9, 1.9, 0.0, 2.0]


def test_the_checker_accepts_the_library_and_idiomatic_answers(capsys):
    def with_enumerate(tokens):
        flags, on = [False] * len(tokens), False
        for i, token in enumerate(tokens):
            if lexicons.CLAUSE_END.match(token):
                on = False
                continue
            flags[i] = on
            on = on or lexicons.is_negator(token)
        return flags

    assert ex.check_negation_scope(lexicons.negation_scope)
    assert ex.check_negation_scope(with_enumerate)
    assert ex.check_negation_scope(lambda tokens: np.array(lexicons.negation_scope(tokens), dtype=int))  # 0/1
    assert ex.check_negation_scope(lambda tokens: tuple(lexicons.negation_scope(tokens)))
    assert capsys.readouterr().out.count("✅") == 4


def _self_flagging(tokens):
    flags, on = [], False
    for token in tokens:
        on = on or lexicons.is_negator(token)
        on = on and not lexicons.CLAUSE_END.match(token)
        flags.append(on)
    return flags


def _never_closing(tokens):
    flags, on = [], False
    for token in tokens:
        flags.append(on)
        on = on or lexicons.is_negator(token)
    return flags


def _one_word(tokens):
    return [i > 0 and lexicons.is_negator(tokens[i - 1]) for i in range(len(tokens))]


def _three_words(tokens):  # notebook 09's exercise 3: VADER's three-word scope
    flags, left = [], 0
    for token in tokens:
        left = 0 if lexicons.CLAUSE_END.match(token) else left
        flags.append(left > 0)
        left = 3 if lexicons.is_negator(token) else max(left - 1, 0)
    return flags


def _own_list(tokens):
    flags, on = [], False
    for token in tokens:
        on = on and not lexicons.CLAUSE_END.match(token)
        flags.append(on)
        on = on or token in ("not", "never")
    return flags


@pytest.mark.parametrize("wrong, hint", [
    (_self_flagging, "is flagged itself"),
    (_never_closing, "goes on past the punctuation"),
    (_one_word, "stops after 1 token, before the clause ends"),
    (_three_words, "stops after 3 tokens, before the clause ends"),
    (_own_list, "use lexicons.is_negator(token)"),
    (lambda tokens: None, "replace the placeholder"),
    (lambda tokens: [i for i, flag in enumerate(lexicons.negation_scope(tokens)) if flag], "values for"),
])
def test_the_checker_names_each_mistake(wrong, hint, capsys):
    assert ex.check_negation_scope(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out, out


def test_config_knows_the_lexicon_choices():
    assert Config().lexicon == "none"
    assert Config(lexicon="vader").lexicon == "vader"
    with pytest.raises(ConfigError, match="lexicon.*'none', 'vader'"):
        Config(lexicon="afinn")


def test_the_model_reads_the_lexicon_only_when_built_to():
    set_seed(0)
    ids, lengths = torch.tensor([[2, 5, 6, 3]]), torch.tensor([4])
    plain, reader = LSTMClassifier(10, 4, 3), LSTMClassifier(10, 4, 3, lexicon_features=4)
    assert reader.fc.in_features == plain.fc.in_features + 4
    assert not any("lexicon" in key for key in plain.state_dict())  # a plain model's checkpoint is unchanged
    assert reader(ids, lengths, torch.zeros(1, 4)).shape == (1, 3)
    with pytest.raises(TutorialError, match="reads 4 lexicon scores"):
        reader(ids, lengths)
    with pytest.raises(TutorialError, match="reads no lexicon scores"):
        plain(ids, lengths, torch.zeros(1, 4))
    with pytest.raises(TutorialError, match=r"shape \[batch, 4\]"):
        reader(ids, lengths, torch.zeros(1, 3))


def test_the_scale_comes_from_the_training_scores():
    model = LSTMClassifier(10, 4, 3, lexicon_features=2)
    train = np.array([[0.0, 1.0], [2.0, 1.0]], dtype=np.float32)
    model.set_lexicon_scale(train)
    assert model.lexicon_mean.tolist() == [1.0, 1.0]
    assert model.lexicon_std[0].item() == 1.0 and model.lexicon_std[1].item() > 0  # a constant column: no 0 division
    assert set(model.state_dict()) >= {"lexicon_mean", "lexicon_std"}


def test_a_loader_with_lexicon_scores_adds_a_fourth_item():
    from tutorial_lib.tokenization import EncodedSplit

    enc = EncodedSplit(ids=np.array([[2, 5, 3, 0], [2, 6, 7, 3]]), lengths=np.array([3, 4]), labels=np.array([0, 2]),
                       texts=["a", "b"])
    ids, lengths, labels, scores = next(iter(make_loader(enc, batch_size=2, shuffle=False,
                                                         lexicon=np.ones((2, 4)))))
    assert ids.shape == (2, 4) and scores.dtype == torch.float32 and scores.shape == (2, 4)
    assert len(next(iter(make_loader(enc, batch_size=2, shuffle=False)))) == 3


def _lexicon_only_task(n: int, seed: int) -> DataLoader:
    """The label is in the lexicon column alone; the tokens are noise."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    ids = torch.from_numpy(rng.integers(4, 20, (n, 6)))
    scores = torch.from_numpy(np.eye(3, dtype=np.float32)[labels] + 0.1 * rng.standard_normal((n, 3)).astype(np.float32))
    data = TensorDataset(ids, torch.full((n,), 6), torch.from_numpy(labels), scores)
    return DataLoader(data, batch_size=16, shuffle=True, generator=torch.Generator().manual_seed(seed))


def test_the_lexicon_reader_learns_what_only_the_lexicon_says():
    set_seed(0)
    model = LSTMClassifier(20, 4, 4, lexicon_features=3)
    history = train_model(model, _lexicon_only_task(192, 1), _lexicon_only_task(96, 2), epochs=8, lr=2e-2,
                          patience=None, progress=False)
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert max(history.val_macro_f1) > 0.9


@pytest.fixture(scope="module")
def lexicon_run(tmp_path_factory):
    words = {"negative": "awful terrible sad", "neutral": "meeting tuesday report", "positive": "great love happy"}
    rows = [{"Id": str(i), "Category": LABELS[i % 3], "Tweet": f"{words[LABELS[i % 3]].split()[i % 3]} day {i % 5}"}
            for i in range(90)]
    cfg = Config(embedding="random", embedding_dim=6, hidden_size=4, seq_length=8, epochs=3, device="cpu",
                 lexicon="vader")
    prepared = prepare_data(cfg, raw=(pd.DataFrame(rows), pd.DataFrame({"Id": ["1"], "Category": ["x"]})))
    model, history = train_from_config(cfg, prepared, progress=False)
    path = save_bundle(tmp_path_factory.mktemp("lex") / "model.pt", model, prepared, cfg, history)
    return cfg, prepared, model, path


def test_train_from_config_sets_the_scale_from_the_training_tweets(lexicon_run):
    _, prepared, model, _ = lexicon_run
    train_scores = lexicons.tweet_scores(prepared.encoded["train"].texts)
    assert model.lexicon_features == 4
    assert torch.allclose(model.lexicon_mean, torch.from_numpy(train_scores.mean(axis=0)), atol=1e-6)
    result = evaluate_model(model, prepared, split="test")
    assert result["n"] == len(prepared.encoded["test"])


def test_a_saved_lexicon_model_predicts_new_text(lexicon_run):
    _, _, model, path = lexicon_run
    bundle = load_bundle(path)
    assert torch.equal(bundle.model.lexicon_mean, model.lexicon_mean)
    answers = predict_sentiment(["I love this, great day", "awful, not happy", ""], bundle)
    assert [sorted(a["probabilities"]) for a in answers] == [list(LABELS)] * 3
    again = predict_sentiment(["I love this, great day"], bundle)
    assert again[0]["probabilities"] == answers[0]["probabilities"]
