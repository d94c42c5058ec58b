"""Config owns every rule about a parameter; the stage function that takes it must accept the same values.

For each limit Config enforces, the boundary value it accepts is accepted by the stage function a
learner calls with that value, and a value just past it is rejected by both, so two limits for one
parameter cannot drift apart again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from tutorial_lib.balancing import MAX_HELD_OUT, MAX_SPLIT_FRACTION, STRATEGIES, balance, split_data
from tutorial_lib.batching import make_loader
from tutorial_lib.config import DEVICES, EMBEDDING_CHOICES, GLOVE_DIM, POOLINGS, Config, is_device
from tutorial_lib.errors import ConfigError
from tutorial_lib.model import LSTMClassifier
from tutorial_lib.tokenization import (
    MIN_SEQ_LENGTH,
    MIN_VOCAB_SIZE,
    TOKENIZERS,
    EncodedSplit,
    TextPipeline,
    Vocabulary,
    encode,
)
from tutorial_lib.training import resolve_device, set_seed, train_model

FRAME = pd.DataFrame({"text": [f"tweet {i}" for i in range(90)], "label": ["a", "b", "c"] * 30})
ENCODED = EncodedSplit(ids=np.ones((6, 4), dtype=np.int64), lengths=np.full(6, 4, dtype=np.int64),
                       labels=np.arange(6, dtype=np.int64) % 3, texts=["t"] * 6)


def _split(test_size=0.15, val_size=0.15):
    return split_data(FRAME, test_size=test_size, val_size=val_size, seed=0)


def _model(**kw):
    return LSTMClassifier(**{"vocab_size": 10, "embedding_dim": 4, "hidden_size": 4, "num_classes": 3, **kw})


def _train(**kw):
    loader = make_loader(ENCODED, batch_size=6, shuffle=False)
    args = {"epochs": 1, "lr": 1e-3, "grad_clip": 1.0, "patience": 1, "weight_decay": 0.0, **kw}
    return train_model(_model(), loader, loader, progress=False, **args)


# parameter values: (Config changes it accepts, Config changes it rejects, the stage given the same values)
LIMITS = {
    "seed": ({"seed": 0}, {"seed": -1}, lambda c: set_seed(c["seed"])),
    "min_freq": ({"min_freq": 1}, {"min_freq": 0}, lambda c: Vocabulary.build([["a"]], min_freq=c["min_freq"])),
    "max_vocab_size": ({"max_vocab_size": MIN_VOCAB_SIZE}, {"max_vocab_size": MIN_VOCAB_SIZE - 1},
                       lambda c: Vocabulary.build([["a"]], max_size=c["max_vocab_size"])),
    "seq_length": ({"seq_length": MIN_SEQ_LENGTH}, {"seq_length": MIN_SEQ_LENGTH - 1},
                   lambda c: encode([["a"]], Vocabulary.build([["a"]]), c["seq_length"])),
    "test_size": ({"test_size": MAX_SPLIT_FRACTION - 0.01}, {"test_size": MAX_SPLIT_FRACTION},
                  lambda c: _split(test_size=c["test_size"])),
    "val_size": ({"val_size": MAX_SPLIT_FRACTION - 0.01}, {"val_size": MAX_SPLIT_FRACTION},
                 lambda c: _split(val_size=c["val_size"])),
    "test_size + val_size": ({"test_size": MAX_HELD_OUT / 2, "val_size": MAX_HELD_OUT / 2 - 0.01},
                             {"test_size": MAX_HELD_OUT / 2, "val_size": MAX_HELD_OUT / 2},
                             lambda c: _split(c["test_size"], c["val_size"])),
    "balance_target": ({"balance_target": 1}, {"balance_target": 0},
                       lambda c: balance(FRAME, "undersample", seed=0, target=c["balance_target"])),
    "batch_size": ({"batch_size": 1}, {"batch_size": 0},
                   lambda c: make_loader(ENCODED, batch_size=c["batch_size"], shuffle=False)),
    "embedding_dim": ({"embedding": "random", "embedding_dim": 1}, {"embedding": "random", "embedding_dim": 0},
                      lambda c: _model(embedding_dim=c["embedding_dim"])),
    "hidden_size": ({"hidden_size": 1}, {"hidden_size": 0}, lambda c: _model(hidden_size=c["hidden_size"])),
    "num_layers": ({"num_layers": 1}, {"num_layers": 0}, lambda c: _model(num_layers=c["num_layers"])),
    "dropout": ({"dropout": 0.99}, {"dropout": 1.0}, lambda c: _model(dropout=c["dropout"])),
    "dropout ": ({"dropout": 0.0}, {"dropout": -0.01}, lambda c: _model(dropout=c["dropout"])),
    "epochs": ({"epochs": 1}, {"epochs": 0}, lambda c: _train(epochs=c["epochs"])),
    "learning_rate": ({"learning_rate": 1e-9}, {"learning_rate": 0.0}, lambda c: _train(lr=c["learning_rate"])),
    "weight_decay": ({"weight_decay": 0.0}, {"weight_decay": -0.01}, lambda c: _train(weight_decay=c["weight_decay"])),
    "grad_clip": ({"grad_clip": 0.0}, {"grad_clip": -0.01}, lambda c: _train(grad_clip=c["grad_clip"])),
    "patience": ({"patience": 1}, {"patience": 0}, lambda c: _train(patience=c["patience"])),
}
# choice lists: every choice Config accepts, the stage accepts; an unknown one both reject
CHOICES = {
    "balance": (STRATEGIES, lambda v: balance(FRAME, v, seed=0)),
    "tokenizer": (TOKENIZERS, lambda v: TextPipeline(tokenizer=v)),
    "pooling": (POOLINGS, lambda v: _model(pooling=v)),
}
#: Parameters no stage function takes with its own limit (Config's check is the only one).
CONFIG_ONLY = {"data_dir", "train_csv", "text_column", "label_column", "unlabeled_csv", "unlabeled_text_column",
               "output_dir", "num_threads", "class_weighted_loss", "keep_hashtags", "embedding", "freeze_embeddings",
               "bidirectional", "device", "lexicon"}


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_config_and_the_stage_have_one_limit(name):
    accepted, rejected, stage = LIMITS[name]
    Config(**accepted)
    stage(accepted)
    with pytest.raises(ConfigError):
        Config(**rejected)
    with pytest.raises((ValueError, AssertionError)):  # a learner's own call: a plain check or an assert
        stage(rejected)


@pytest.mark.parametrize("name", sorted(CHOICES))
def test_config_and_the_stage_have_one_choice_list(name):
    choices, stage = CHOICES[name]
    for value in choices:
        Config(**{name: value})
        stage(value)
    with pytest.raises(ConfigError):
        Config(**{name: "no-such-choice"})
    with pytest.raises(ValueError):
        stage("no-such-choice")


def test_every_parameter_has_its_limit_compared_or_is_config_only():
    compared = {k for accepted, _, _ in LIMITS.values() for k in accepted} | set(CHOICES)
    assert compared | CONFIG_ONLY == set(Config.names())


def test_device_names_are_one_rule():
    """Config accepts cuda:N (a machine with several GPUs); resolve_device knows the same names."""
    for name in (*DEVICES, "cuda:0", "cuda:1"):
        assert is_device(name)
        Config(device=name)
        try:
            assert isinstance(resolve_device(name), torch.device)
        except ConfigError as exc:  # a known name that this machine lacks
            assert "not available" in str(exc)
    for name in ("gpu", "cuda:", "cuda:x", "CPU"):
        with pytest.raises(ConfigError, match="device"):
            Config(device=name)
        with pytest.raises(ConfigError, match="unknown device"):
            resolve_device(name)


def test_embedding_choices_are_config_s_list():
    from tutorial_lib import embeddings

    assert embeddings.EMBEDDING_CHOICES is EMBEDDING_CHOICES


def test_glove_needs_its_dimension_and_config_says_so():
    """Config owns the rule (GLOVE_DIM, which embeddings.glove imports); the message names both fixes."""
    from tutorial_lib import embeddings

    assert embeddings.GLOVE_DIM == GLOVE_DIM == Config().embedding_dim
    with pytest.raises(ConfigError, match=rf"embedding_dim=8 .*{GLOVE_DIM} with embedding='glove'.*'random'") as err:
        Config(embedding="glove", embedding_dim=8)
    assert "\n" not in str(err.value) and "'word2vec'" in str(err.value)
    for embedding in ("random", "word2vec", "vectors.txt"):
        Config(embedding=embedding, embedding_dim=8)


def test_config_does_not_import_the_embeddings():
    """No import circle config -> embeddings.choose -> config: Config needs only the choice lists."""
    import subprocess
    import sys

    code = "import sys, tutorial_lib.config; print('tutorial_lib.embeddings' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_a_notebook_s_parameters_cell_lists_its_parameters_at_these_values():
    from tutorial_lib.config import NOTEBOOK_PARAMS

    assert {name for names in NOTEBOOK_PARAMS.values() for name in names} <= set(Config.names())
    namespace: dict = {}
    exec(Config(seed=3).parameters_cell("02"), namespace)  # noqa: S102 (our own cell)
    assert {k: v for k, v in namespace.items() if k != "__builtins__"} == {"seed": 3, "train_csv": None,
                                                                           "keep_hashtags": True}
    assert Config().parameters_cell("02").startswith("# Parameters of this notebook's stage")
