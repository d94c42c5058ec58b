"""Tests of tutorial_lib.training on a tiny learnable toy task (CPU, a few seconds)."""

from __future__ import annotations

import random

import matplotlib
import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from tutorial_lib.errors import ConfigError
from tutorial_lib.model import LSTMClassifier
from tutorial_lib.training import (
    EarlyStopping,
    History,
    evaluate_epoch,
    predict_logits,
    resolve_device,
    set_seed,
    train_epoch,
    train_model,
)

matplotlib.use("Agg")


def toy_data(n: int, seed: int, width: int = 8):
    """Label = which of the marker tokens 3/4/5 occurs in the tweet; the rest is noise tokens 6..29."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    lengths = rng.integers(3, width + 1, n)
    ids = np.zeros((n, width), dtype=np.int64)
    for i in range(n):
        ids[i, : lengths[i]] = rng.integers(6, 30, lengths[i])
        ids[i, rng.integers(0, lengths[i])] = 3 + labels[i]
    return torch.from_numpy(ids), torch.from_numpy(lengths.astype(np.int64)), torch.from_numpy(labels)


def toy_loader(n: int, seed: int, batch_size: int = 16, shuffle: bool = False):
    gen = torch.Generator().manual_seed(seed)
    return DataLoader(TensorDataset(*toy_data(n, seed)), batch_size=batch_size, shuffle=shuffle, generator=gen)


def _train(seed: int = 0, **kw):
    set_seed(seed)
    model = LSTMClassifier(30, 8, 8, dropout=0.1)
    args = dict(epochs=6, lr=1e-2, patience=None, progress=False)
    args.update(kw)
    history = train_model(model, toy_loader(192, 1, shuffle=True), toy_loader(64, 2), **args)
    return model, history


def test_loss_falls_and_the_toy_task_is_learned():
    model, history = _train()
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert max(history.val_macro_f1) > 0.8
    assert not model.training  # left in eval mode


def test_same_seed_gives_identical_history_and_predictions():
    m1, h1 = _train(seed=3)
    m2, h2 = _train(seed=3)
    assert h1.train_loss == h2.train_loss and h1.val_macro_f1 == h2.val_macro_f1
    l1, _ = predict_logits(m1, toy_loader(64, 2))
    l2, _ = predict_logits(m2, toy_loader(64, 2))
    assert np.array_equal(l1, l2)


def test_best_weights_are_restored():
    model, history = _train(epochs=5, lr=3e-2)
    logits, labels = predict_logits(model, toy_loader(64, 2))
    from sklearn.metrics import f1_score

    assert f1_score(labels, logits.argmax(1), average="macro") == pytest.approx(history.best_val_macro_f1)
    assert history.val_macro_f1[history.best_epoch - 1] == max(history.val_macro_f1)


def test_early_stopping_when_validation_does_not_improve():
    _, history = _train(epochs=10, lr=1e-9, patience=2)
    assert history.stopped_early
    assert history.epochs_run == 3 and history.best_epoch == 1


def test_class_weights_and_clipping_are_accepted():
    _, history = _train(epochs=2, class_weights=np.array([1.0, 2.0, 0.5]), grad_clip=0.1)
    assert history.epochs_run == 2 and all(np.isfinite(history.train_loss))


def test_progress_false_prints_nothing(capsys):
    _train(epochs=1, progress=False)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_progress_true_shows_a_bar(capsys):
    _train(epochs=1, progress=True)
    assert "training" in capsys.readouterr().err


def test_predict_logits_keeps_the_partial_last_batch():
    model = LSTMClassifier(30, 4, 4)
    model.train()
    logits, labels = predict_logits(model, toy_loader(10, 0, batch_size=4))
    assert logits.shape == (10, 3) and labels.shape == (10,)
    assert model.training  # mode restored


def test_history_exports_and_plot():
    _, history = _train(epochs=2)
    data = history.to_dict()
    assert set(data) >= {"train_loss", "val_loss", "val_accuracy", "val_macro_f1", "epoch_seconds",
                         "best_epoch", "stopped_early"}
    assert History.from_dict(data) == history
    frame = history.to_frame()
    assert list(frame.index) == [1, 2] and frame["best"].sum() == 1
    fig = history.plot()
    assert len(fig.axes) == 2
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert history.plot(ax=ax) is ax.figure
    plt.close("all")


def test_set_seed_seeds_every_generator():
    set_seed(5)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    set_seed(5)
    assert a == (random.random(), np.random.rand(), torch.rand(1).item())
    with pytest.raises(ValueError):
        set_seed(-1)


def test_resolve_device():
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device("auto").type in ("cpu", "cuda", "mps")
    with pytest.raises(ConfigError, match="unknown device"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="not available"):
            resolve_device("cuda")
    if not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
        with pytest.raises(ConfigError, match="MPS"):
            resolve_device("mps")


def test_bad_arguments():
    model = LSTMClassifier(30, 4, 4)
    for bad in ({"epochs": 0}, {"patience": 0}, {"grad_clip": -1.0}):  # Config checks them; here an assert
        with pytest.raises(AssertionError):
            train_model(model, toy_loader(8, 0), toy_loader(8, 1), **{"epochs": 1, "lr": 1e-3, **bad}, progress=False)


def test_train_epoch_returns_the_mean_loss_per_example_over_uneven_batches():
    set_seed(0)
    model = LSTMClassifier(30, 4, 4)  # no dropout: train and eval mode give the same scores
    loader = toy_loader(10, 0, batch_size=4)  # batches of 4, 4 and 2
    logits, labels = predict_logits(model, loader)
    expected = float(torch.nn.functional.cross_entropy(torch.from_numpy(logits), torch.from_numpy(labels)))
    frozen = torch.optim.SGD(model.parameters(), lr=0.0)  # a step that changes nothing
    loss = train_epoch(model, loader, torch.nn.CrossEntropyLoss(), frozen, device="cpu", grad_clip=1.0)
    assert loss == pytest.approx(expected, rel=1e-5)
    assert model.training


def test_evaluate_epoch_weighs_every_example_not_every_batch():
    set_seed(0)
    model = LSTMClassifier(30, 4, 4)
    loader = toy_loader(10, 0, batch_size=4)
    weights = torch.tensor([1.0, 3.0, 0.5])
    loss, accuracy, macro_f1 = evaluate_epoch(model, loader, torch.nn.CrossEntropyLoss(weight=weights),
                                              device="cpu")
    logits, labels = predict_logits(model, loader)
    log_p = torch.log_softmax(torch.from_numpy(logits), dim=1)
    y = torch.from_numpy(labels)
    w = weights[y]
    expected = float(-(w * log_p[torch.arange(len(y)), y]).sum() / w.sum())  # weighted mean over examples
    from sklearn.metrics import accuracy_score, f1_score

    assert loss == pytest.approx(expected, rel=1e-6)
    assert accuracy == pytest.approx(accuracy_score(labels, logits.argmax(1)))
    assert macro_f1 == pytest.approx(f1_score(labels, logits.argmax(1), average="macro", zero_division=0))


def test_early_stopping_keeps_the_best_weights_and_counts_patience():
    model = torch.nn.Linear(2, 1)
    stopper = EarlyStopping(patience=2)
    decisions = []
    for epoch, score in enumerate([0.5, 0.6, 0.6, 0.55, 0.7], start=1):
        with torch.no_grad():
            model.weight.fill_(epoch)  # weights that say which epoch they come from
        decisions.append(stopper.step(score, epoch, model))
    assert decisions == [False, False, False, True, False]  # a tie is not an improvement
    assert stopper.restore_best(model) == 5 and model.weight[0, 0].item() == 5.0
    never = EarlyStopping(patience=None)
    assert not any(never.step(0.1, epoch, model) for epoch in range(1, 20))
    assert EarlyStopping(patience=1).restore_best(model) == 0


def test_a_tie_on_the_score_goes_to_the_epoch_with_the_lower_validation_loss():
    """Later epochs that only tie epoch 1's macro-F1 kept its barely trained weights (loss 1.016 against 0.003)."""
    model = torch.nn.Linear(2, 1)
    stopper = EarlyStopping(patience=2)
    decisions = []
    for epoch, (score, loss) in enumerate([(1.0, 1.016), (1.0, 0.2), (1.0, 0.003), (1.0, 0.01), (0.9, 0.001)], 1):
        with torch.no_grad():
            model.weight.fill_(epoch)
        decisions.append(stopper.step(score, epoch, model, loss))
    assert decisions == [False, False, False, False, True]  # each tie with a lower loss was an improvement
    assert stopper.restore_best(model) == 3 and model.weight[0, 0].item() == 3.0


def test_training_that_reaches_a_perfect_score_at_once_keeps_the_better_fitted_later_epoch():
    _, history = _train(epochs=8, patience=3)
    scores, losses = history.val_macro_f1, history.val_loss
    best = history.best_epoch
    assert scores[best - 1] == max(scores)
    tied = [e for e in range(1, history.epochs_run + 1) if scores[e - 1] == max(scores)]
    assert len(tied) > 1, "the toy task should tie on macro-F1 1.0 (epochs 6-8 here)"
    assert losses[best - 1] == min(losses[e - 1] for e in tied) and best != tied[0]


def test_an_empty_loader_is_a_clear_error():
    model = LSTMClassifier(30, 4, 4)
    empty = DataLoader(TensorDataset(*toy_data(0, 0)), batch_size=4)
    with pytest.raises(AssertionError, match="no batches"):
        predict_logits(model, empty)
    with pytest.raises(AssertionError, match="no batches"):
        train_epoch(model, empty, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1),
                    device="cpu", grad_clip=1.0)


def test_the_batch_progress_bar_does_not_change_the_shuffle_or_the_numbers():
    """Wrapping a shuffled DataLoader in tqdm advances its generator (tqdm 4.70): the bar must not."""
    results = []
    for progress in (False, True):
        set_seed(0)
        model = LSTMClassifier(30, 8, 8, dropout=0.1)
        loader = toy_loader(64, 3, shuffle=True)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        losses = [train_epoch(model, loader, torch.nn.CrossEntropyLoss(), optimizer, device="cpu", grad_clip=1.0,
                              progress=progress) for _ in range(3)]
        results.append((losses, loader.generator.get_state(), model.state_dict()))
    (loss_a, gen_a, state_a), (loss_b, gen_b, state_b) = results
    assert loss_a == loss_b
    assert torch.equal(gen_a, gen_b)
    assert all(torch.equal(state_a[k], state_b[k]) for k in state_a)
