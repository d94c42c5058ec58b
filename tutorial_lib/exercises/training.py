"""Checks for the "Your turn" exercises of notebook 07 (training).

Notebook 07 asks the learner to write the two loops the course's training is made of:

* ``train_one_epoch(model, loader, criterion, optimizer)``: one pass over the training batches
  (train mode, zero the gradients, forward, loss, backward, step), returning the epoch's loss, the
  batch losses weighted by batch size; checked by :func:`check_train_epoch`;
* ``evaluate(model, loader, criterion)``: one pass in eval mode without gradients, returning
  ``(loss, accuracy)`` over every example; checked by :func:`check_evaluate`.

The checks build a tiny data set (40 made-up tweets of ids whose class is given by one token) and
hand it to the learner's function as the notebook does, in a real ``DataLoader`` (batches of 16, 16
and 8; ``loader.dataset`` and ``loader.batch_size`` work), with a tiny
:class:`tutorial_lib.model.LSTMClassifier`. They run the learner's function beside a reference on
copies of the same model and watch the model while it runs (train or eval mode, gradients on or off).
Any correct loop passes: ``model.zero_grad()`` or ``optimizer.zero_grad()`` before or after the step,
``torch.no_grad()`` or ``torch.inference_mode()``, the result as a number or a tensor without its
computation graph. They leave torch's global random state as they found it. This module imports torch.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from tutorial_lib.batching import make_loader
from tutorial_lib.exercises import Hint, checker, expect, not_filled_in, two_values
from tutorial_lib.model import LSTMClassifier
from tutorial_lib.tokenization import EncodedSplit

if TYPE_CHECKING:  # pragma: no cover
    from torch.utils.data import DataLoader

Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor]
SIZES = (16, 16, 8)


def tiny_batches() -> list[Batch]:
    """Return 40 made-up tweets as 3 batches ``(ids [B, T], lengths [B], labels [B])`` of 16, 16 and 8.

    Each tweet is ``<SOS>`` (1), two to five filler ids (7-11) with one class token (4, 5 or 6 for class
    0, 1, 2) among them, ``<EOS>`` (2), then ``<PAD>`` (0). The numbers come from a private generator.
    """
    gen = torch.Generator().manual_seed(0)
    batches = []
    for size in SIZES:
        labels = torch.randint(0, 3, (size,), generator=gen)
        lengths = torch.randint(2, 6, (size,), generator=gen) + 2  # with <SOS> and <EOS>: 4 to 7
        ids = torch.zeros(size, int(lengths.max()), dtype=torch.long)
        for row in range(size):
            n = int(lengths[row]) - 2
            body = torch.randint(7, 12, (n,), generator=gen)
            body[int(torch.randint(0, n, (1,), generator=gen))] = 4 + labels[row]
            ids[row, : n + 2] = torch.cat([torch.tensor([1]), body, torch.tensor([2])])
        batches.append((ids, lengths, labels))
    return batches


def tiny_loader() -> DataLoader:
    """Return :func:`tiny_batches` as a DataLoader made by :func:`tutorial_lib.batching.make_loader`, not shuffled.

    It gives the same three batches, and it is what the notebook's code gets: ``len(loader.dataset)``
    is 40, ``loader.batch_size`` 16 and ``len(loader)`` 3.
    """
    batches = tiny_batches()
    width = max(batch[0].shape[1] for batch in batches)
    ids = torch.cat([nn.functional.pad(batch[0], (0, width - batch[0].shape[1])) for batch in batches])  # <PAD> 0
    lengths, labels = (torch.cat([batch[k] for batch in batches]) for k in (1, 2))
    encoded = EncodedSplit(ids=ids.numpy(), lengths=lengths.numpy(), labels=labels.numpy(), texts=[""] * len(ids))
    return make_loader(encoded, batch_size=SIZES[0], shuffle=False)


def tiny_model(dropout: float = 0.0) -> LSTMClassifier:
    """Return the fixed-seed tiny classifier of the checks (vocabulary 12, embeddings 8, hidden 8)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        return LSTMClassifier(vocab_size=12, embedding_dim=8, hidden_size=8, num_classes=3, dropout=dropout,
                              pooling="last")


def _optimizer(net: nn.Module) -> torch.optim.Optimizer:
    return torch.optim.Adam(net.parameters(), lr=0.02)


@contextmanager
def _watch(net: nn.Module) -> Iterator[list[tuple[bool, bool]]]:
    """Record ``(model.training, gradients on)`` at every call of ``net`` while the block runs."""
    calls: list[tuple[bool, bool]] = []
    handle = net.register_forward_pre_hook(lambda module, args: calls.append((module.training,
                                                                              torch.is_grad_enabled())))
    try:
        yield calls
    finally:
        handle.remove()


def _reference_epoch(net: nn.Module, loader: DataLoader, criterion: nn.Module, optimizer: torch.optim.Optimizer,
                     *, zero_grad: bool = True) -> list[float]:
    """Train one epoch as notebook 07 does (without clipping); return the batch losses."""
    net.train()
    losses = []
    for ids, lengths, labels in loader:
        if zero_grad:
            optimizer.zero_grad()
        loss = criterion(net(ids, lengths), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def _max_difference(a: nn.Module, b: nn.Module) -> float:
    with torch.no_grad():
        return max(float((p - q).abs().max()) for p, q in zip(a.parameters(), b.parameters(), strict=True))


def _as_number(value: Any, call: str) -> float:
    """Return the learner's number as a float: a Python or NumPy number, or a one-number tensor without a graph."""
    not_filled_in(value, call)
    if isinstance(value, torch.Tensor) and value.requires_grad:
        raise Hint(f"{call} returned a tensor that still holds its computation graph ({value!r}); return a plain "
                   "number: add up loss.item() for each batch (adding the loss tensors keeps every batch's graph "
                   "in memory)")
    if isinstance(value, torch.Tensor) and value.numel() != 1:
        raise Hint(f"{call} returned a tensor of shape {tuple(value.shape)}; return one number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Hint(f"{call} returned {value!r}; return the epoch's loss as a number") from None


@checker("one training epoch")
def check_train_epoch(train_one_epoch: Callable[..., float]) -> str:
    """Check ``train_one_epoch(model, loader, criterion, optimizer)`` on :func:`tiny_loader`."""
    loader, criterion = tiny_loader(), nn.CrossEntropyLoss()
    call = "train_one_epoch(model, a loader of 40 tiny tweets in batches of 16, 16 and 8, criterion, optimizer)"
    start = tiny_model().eval()  # as the model is after an evaluation pass
    mine, reference = copy.deepcopy(start), copy.deepcopy(start)
    with torch.random.fork_rng(devices=[]), _watch(mine) as calls:
        got = _as_number(train_one_epoch(mine, loader, criterion, _optimizer(mine)), call)
    expect(len(calls) > 0, f"{call} never called the model: compute logits = model(ids, lengths) for each batch")
    expect(all(training for training, _ in calls),
           f"{call} ran the model in eval mode (model.training was False; this model had just been evaluated): "
           "call model.train() at the start, so that dropout is on while training")
    expect(len(calls) >= len(SIZES), f"{call} called the model {len(calls)} times for {len(SIZES)} batches: "
                                     "one forward pass per batch, the last (smaller) one included")
    ref_losses = _reference_epoch(reference, loader, criterion, _optimizer(reference))
    if _max_difference(mine, start) == 0:
        raise Hint(f"{call} left every weight unchanged: per batch, call loss.backward() and then "
                   "optimizer.step() (an optimizer.zero_grad() between the two erases the gradients before the step)")
    if _max_difference(mine, reference) > 1e-5:
        accumulated = copy.deepcopy(start)
        _reference_epoch(accumulated, loader, criterion, _optimizer(accumulated), zero_grad=False)
        if _max_difference(mine, accumulated) < 1e-5:
            raise Hint(f"{call}: after the first batch your steps use the gradients of all batches so far, added "
                       "up. PyTorch adds each backward() to the stored gradients: call optimizer.zero_grad() "
                       "before loss.backward() in every batch")
        raise Hint(f"{call}: after one epoch the weights differ from the reference's by up to "
                   f"{_max_difference(mine, reference):.4f}. Per batch: optimizer.zero_grad(), "
                   "loss = criterion(model(ids, lengths), labels), loss.backward(), optimizer.step()")
    weighted = sum(loss * size for loss, size in zip(ref_losses, SIZES, strict=True)) / sum(SIZES)
    if abs(got - weighted) > 1e-4:
        losses = ", ".join(f"{loss:.4f}" for loss in ref_losses)
        if abs(got - sum(ref_losses) / len(ref_losses)) < 1e-4:
            raise Hint(f"{call} returned {got:.4f}, the plain mean of the batch losses ({losses}); the last batch "
                       "has only 8 tweets, so weight each batch's loss by its size: "
                       f"sum(loss * batch size) / number of tweets = {weighted:.4f}")
        if abs(got - sum(loss * SIZES[0] for loss in ref_losses) / sum(SIZES)) < 1e-4:
            raise Hint(f"{call} returned {got:.4f}: every batch weighted by loader.batch_size ({SIZES[0]}), but the "
                       f"last batch holds only {SIZES[-1]} tweets; weight each batch by its own size, len(labels): "
                       f"{weighted:.4f}")
        if abs(got - ref_losses[-1]) < 1e-4:
            raise Hint(f"{call} returned {got:.4f}, the last batch's loss; return the loss of the whole epoch, "
                       f"the batch losses ({losses}) weighted by batch size: {weighted:.4f}")
        raise Hint(f"{call} returned {got:.4f}; the batch losses were {losses}, so the epoch's loss (weighted "
                   f"by batch sizes 16, 16, 8) is {weighted:.4f}")
    fresh = tiny_model()
    optimizer = _optimizer(fresh)
    with torch.random.fork_rng(devices=[]):
        epoch_losses = [_as_number(train_one_epoch(fresh, loader, criterion, optimizer), call) for _ in range(6)]
    expect(epoch_losses[-1] < 0.8 * epoch_losses[0],
           f"over 6 epochs the loss went {[round(x, 3) for x in epoch_losses]}: it should fall")
    return ("same weights and loss as the reference after one epoch, train mode on, gradients cleared per batch, "
            "and the loss falls over 6 epochs")


def _reference_evaluation(net: nn.Module, loader: DataLoader, criterion: nn.Module) -> tuple[float, float]:
    net.eval()
    with torch.no_grad():
        logits = torch.cat([net(ids, lengths) for ids, lengths, _ in loader])
        labels = torch.cat([labels for _, _, labels in loader])
    return float(criterion(logits, labels)), float((logits.argmax(dim=1) == labels).float().mean())


@checker("one evaluation pass")
def check_evaluate(evaluate: Callable[..., tuple[float, float]]) -> str:
    """Check ``evaluate(model, loader, criterion)`` -> ``(loss, accuracy)`` on :func:`tiny_loader`."""
    loader, criterion = tiny_loader(), nn.CrossEntropyLoss()
    call = "evaluate(model with dropout 0.5, a loader of 40 tiny tweets in batches of 16, 16 and 8, criterion)"
    net = tiny_model(dropout=0.5)
    with torch.random.fork_rng(devices=[]):  # a little training, so that the answers are not all alike
        _reference_epoch(net, loader, criterion, _optimizer(net))
        _reference_epoch(net, loader, criterion, _optimizer(net))
    net.zero_grad(set_to_none=True)
    net.train()  # as the model is after a training epoch
    before = copy.deepcopy(net.state_dict())
    with torch.random.fork_rng(devices=[]), _watch(net) as calls:
        result = evaluate(net, loader, criterion)
    loss, accuracy = (_as_number(value, call) for value in two_values(result, call, "a pair (loss, accuracy)"))
    expect(len(calls) > 0, f"{call} never called the model: compute logits = model(ids, lengths) for each batch")
    expect(not any(training for training, _ in calls),
           f"{call} ran the model in train mode (model.training was True; the model came straight from training), "
           "so dropout switched off random units and the scores were noisy: call model.eval() first")
    expect(all(torch.equal(before[k], v) for k, v in net.state_dict().items()),
           f"{call} changed the model's weights: an evaluation pass only scores, it never steps an optimizer")
    expect(not any(grad_on for _, grad_on in calls),
           f"{call} recorded gradients (torch.is_grad_enabled() was True during model(...)): wrap the pass in "
           "`with torch.no_grad():` (or decorate the function with @torch.no_grad()), which saves time and memory")
    expect(len(calls) >= len(SIZES), f"{call} called the model {len(calls)} times for {len(SIZES)} batches: "
                                     "every batch once, the last (smaller) one included")
    ref_loss, ref_accuracy = _reference_evaluation(copy.deepcopy(net), loader, criterion)
    net.eval()
    with torch.no_grad():
        per_batch = [(float(criterion(net(i, n), y)), float((net(i, n).argmax(1) == y).float().mean()))
                     for i, n, y in loader]
    if abs(loss - ref_loss) > 1e-4:
        if abs(loss - sum(b[0] for b in per_batch) / len(per_batch)) < 1e-4:
            raise Hint(f"{call} returned loss {loss:.4f}, the plain mean of the 3 batch losses; the last batch "
                       f"has only 8 tweets. Weight each batch by its size, or apply the criterion to all logits "
                       f"at once: {ref_loss:.4f}")
        if abs(loss - sum(b[0] * SIZES[0] for b in per_batch) / sum(SIZES)) < 1e-4:
            raise Hint(f"{call} returned loss {loss:.4f}: every batch weighted by loader.batch_size ({SIZES[0]}), "
                       f"but the last batch holds only {SIZES[-1]} tweets; weight each by len(labels): {ref_loss:.4f}")
        raise Hint(f"{call} returned loss {loss:.4f}, expected {ref_loss:.4f}: the criterion over all 40 tweets")
    if abs(accuracy - ref_accuracy) > 1e-6:
        correct = round(ref_accuracy * sum(SIZES))
        if abs(accuracy - correct) < 1e-6:
            raise Hint(f"{call} returned accuracy {accuracy:g}, the number of right answers; divide by the number "
                       f"of tweets, {sum(SIZES)}: {ref_accuracy:.4f}")
        if abs(accuracy - sum(b[1] for b in per_batch) / len(per_batch)) < 1e-6:
            raise Hint(f"{call} returned accuracy {accuracy:.4f}, the mean of the 3 batch accuracies; count right "
                       f"answers over all {sum(SIZES)} tweets instead (the last batch is smaller): {ref_accuracy:.4f}")
        raise Hint(f"{call} returned accuracy {accuracy:.4f}, expected {ref_accuracy:.4f}: the share of tweets "
                   "whose highest logit is the true class")
    return (f"eval mode, no gradients, every batch: the loss and the accuracy over all {sum(SIZES)} tweets "
            "match the reference")
