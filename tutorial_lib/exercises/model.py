"""Checks for the "Your turn" exercises of notebook 06 (the model).

Notebook 06 asks the learner to write two pieces of the course's classifier:

* ``forward(model, ids, lengths)``: the forward pass of a :class:`tutorial_lib.model.LSTMClassifier`
  with ``pooling="last"``: embed, pack with the true lengths, run the bidirectional LSTM, join the
  two final states, apply the linear layer; checked by :func:`check_forward`, which pads the same
  tweets to two widths (the answers must agree; reading ``out[:, -1]`` fails here) and compares the
  logits with the course's own ``model(ids, lengths)``;
* ``masked_mean(out, lengths)``: the mean of the LSTM outputs over each tweet's real positions only;
  checked by :func:`check_masked_mean` against :func:`tutorial_lib.model.masked_pooling`.

Each check builds a tiny model and batch itself, on the CPU, prints one line (see
:mod:`tutorial_lib.exercises`) and leaves torch's global random state as it found it, so that a
notebook's seeded numbers do not depend on whether the checks ran. This module imports torch.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from tutorial_lib.exercises import Hint, checker, expect, not_filled_in
from tutorial_lib.model import LSTMClassifier, masked_pooling

# three tiny tweets as ids (1 = <SOS>, 2 = <EOS>), deliberately not sorted by length
TWEETS: tuple[tuple[int, ...], ...] = ((1, 4, 7, 2), (1, 5, 6, 8, 9, 2), (1, 3, 2))
HIDDEN = 5


def tiny_classifier() -> LSTMClassifier:
    """Return the small, fixed-seed classifier the checks use (vocabulary 12, embeddings 6, hidden 5)."""
    with torch.random.fork_rng(devices=[]):  # the notebook's own random numbers stay untouched
        torch.manual_seed(0)
        net = LSTMClassifier(vocab_size=12, embedding_dim=6, hidden_size=HIDDEN, num_classes=3, pooling="last")
    return net.eval()


def padded_batch(width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Return :data:`TWEETS` padded with 0 (``<PAD>``) to ``width`` columns: ``(ids [3, width], lengths [3])``."""
    ids = torch.zeros(len(TWEETS), width, dtype=torch.long)
    for row, tweet in enumerate(TWEETS):
        ids[row, : len(tweet)] = torch.tensor(tweet)
    return ids, torch.tensor([len(t) for t in TWEETS])


def _call_forward(forward: Callable, net: LSTMClassifier, ids: torch.Tensor, lengths: torch.Tensor,
                  call: str) -> torch.Tensor:
    try:
        with torch.no_grad():
            logits = forward(net, ids, lengths)
    except RuntimeError as exc:
        text = str(exc)
        if "sorted in decreasing order" in text:
            raise Hint(f"{call} stopped: the lengths {lengths.tolist()} are not sorted. Pass enforce_sorted=False "
                       "to pack_padded_sequence (PyTorch then sorts and unsorts the batch itself)") from None
        if "shapes cannot be multiplied" in text:
            raise Hint(f"{call} stopped at a matrix product ({text}). model.fc expects 2 x {HIDDEN} = "
                       f"{2 * HIDDEN} numbers per tweet: the forward and the backward final states side by side, "
                       "torch.cat([h_n[-2], h_n[-1]], dim=1)") from None
        if "CPU int64" in text or ("lengths" in text and "cpu" in text.lower()):
            raise Hint(f"{call} stopped: pack_padded_sequence wants the lengths on the CPU, even when the "
                       "model runs on a GPU: pass lengths.cpu()") from None
        raise
    not_filled_in(logits, call)
    expect(isinstance(logits, torch.Tensor), f"{call} returned a {type(logits).__name__}: return the logits tensor")
    return logits.detach().float().cpu()


READS_LAST_COLUMN = ("Reading out[:, -1] reads a <PAD> position for every tweet shorter than the batch; pack the "
                     "batch with the true lengths and take the final states h_n instead")
NOT_PACKED = ("Without pack_padded_sequence the LSTM runs over the <PAD> positions too: h_n[-2] is then the forward "
              "state after the padding, and the backward direction starts on it. Pack the embedded batch with the "
              "true lengths before model.lstm")
SEES_PADDING = ("The LSTM or your read-out sees <PAD> positions: pack the embedded batch with the true lengths and "
                "join the final states h_n[-2] and h_n[-1]")
SWAPPED = ("the backward state comes first. The course's order is forward then backward: "
           "torch.cat([h_n[-2], h_n[-1]], dim=1)")
PROBABILITIES = ("you returned probabilities (the softmax of the logits: every row sums to 1). Return the logits, "
                 "what model.fc gives: nn.CrossEntropyLoss applies the softmax itself")
LOG_PROBABILITIES = ("you returned log-probabilities (log_softmax of the logits). Return the logits, what model.fc "
                     "gives: nn.CrossEntropyLoss applies log_softmax itself")


def _typical_mistakes(net: LSTMClassifier, ids: torch.Tensor, lengths: torch.Tensor) -> list[tuple[str, torch.Tensor]]:
    """Return ``(hint, logits)`` for the typical wrong forwards on ``ids``, to name the learner's mistake."""
    with torch.no_grad():
        emb = net.embedding(ids)
        out, (h_n, _) = net.lstm(emb)  # not packed: every column is read, padding included
        packed, (packed_h, _) = net.lstm(pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False))
        padded, _ = pad_packed_sequence(packed, batch_first=True, total_length=ids.shape[1])
        right = net.fc(torch.cat([packed_h[-2], packed_h[-1]], dim=1))
        return [(READS_LAST_COLUMN, net.fc(out[:, -1])), (READS_LAST_COLUMN, net.fc(padded[:, -1])),
                (NOT_PACKED, net.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))),
                (SWAPPED, net.fc(torch.cat([packed_h[-1], packed_h[-2]], dim=1))),
                (PROBABILITIES, right.softmax(dim=1)), (LOG_PROBABILITIES, right.log_softmax(dim=1))]


def _named_mistake(logits: torch.Tensor, net: LSTMClassifier, ids: torch.Tensor, lengths: torch.Tensor) -> str | None:
    """Return the hint of the typical mistake whose logits ``logits`` equal, or None."""
    for hint, wrong in _typical_mistakes(net, ids, lengths):
        if torch.allclose(logits, wrong, atol=1e-5):
            return hint
    return None


def _rounded(values: torch.Tensor) -> list:
    """Return ``values`` as lists of numbers rounded to 3 decimals (0.123, not float32's 0.12300000339)."""
    return values.detach().double().cpu().numpy().round(3).tolist()


@checker("forward pass with packed sequences")
def check_forward(forward: Callable[[LSTMClassifier, torch.Tensor, torch.Tensor], torch.Tensor]) -> str:
    """Check the learner's ``forward(model, ids, lengths)`` on :data:`TWEETS` padded to widths 6 and 10."""
    net = tiny_classifier()
    ids, lengths = padded_batch(6)
    call = f"forward(model, ids [3, 6], lengths={lengths.tolist()})"
    logits = _call_forward(forward, net, ids, lengths.clone(), call)
    if logits.dim() == 3:
        raise Hint(f"{call} returned shape {tuple(logits.shape)}: scores at every position. Classify once per "
                   "tweet, from the final states h_n, to get [batch, classes] = [3, 3]")
    expect(tuple(logits.shape) == (3, 3),
           f"{call} returned shape {tuple(logits.shape)}; expected [batch, classes] = [3, 3]")
    wide_ids, _ = padded_batch(10)
    wide = _call_forward(forward, net, wide_ids, lengths.clone(), "forward(model, ids [3, 10], lengths)")
    if not torch.allclose(logits, wide, atol=1e-5):
        raise Hint("the same 3 tweets padded to width 6 and to width 10 get different logits (largest difference "
                   f"{(logits - wide).abs().max():.3f}): your answer depends on the padding. "
                   + (_named_mistake(logits, net, ids, lengths) or SEES_PADDING))
    with torch.no_grad():
        expected = net(ids, lengths)
    if not torch.allclose(logits, expected, atol=1e-5):
        mistake = _named_mistake(logits, net, ids, lengths)
        raise Hint(f"{call}: {mistake}" if mistake else
                   f"{call} returned {_rounded(logits)}, the course's model gives {_rounded(expected)}: embed, pack "
                   "(true lengths, enforce_sorted=False), run model.lstm, join h_n[-2] and h_n[-1], apply model.fc")
    on_gpu = ""
    if torch.cuda.is_available():  # where a GPU exists, the lengths must still be moved to the CPU
        gpu_net = tiny_classifier().cuda()
        got = _call_forward(forward, gpu_net, ids.cuda(), lengths.cuda(), "forward on the GPU with lengths on the GPU")
        expect(torch.allclose(got, expected, atol=1e-4), "on the GPU your forward gives other logits than on the CPU")
        on_gpu = "; on the GPU too, lengths moved to the CPU"
    return (f"logits [3, 3] equal to the course's model, and the same for the tweets padded to 6 or 10 "
            f"columns{on_gpu}")


def example_outputs() -> tuple[torch.Tensor, torch.Tensor]:
    """Return ``(out [3, 5, 4], lengths [3])``: made-up LSTM outputs, non-zero even at padding positions."""
    out = (torch.arange(60, dtype=torch.float32).reshape(3, 5, 4) % 7 - 3.0) / 2  # fixed numbers, no randomness
    return out, torch.tensor([2, 5, 3])


@checker("masked mean over the real tokens")
def check_masked_mean(masked_mean: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> str:
    """Check the learner's ``masked_mean(out, lengths)`` against ``masked_pooling(out, lengths, "mean")``."""
    out, lengths = example_outputs()
    before = out.clone()
    call = f"masked_mean(out [3, 5, 4], lengths={lengths.tolist()})"
    got = masked_mean(out, lengths)
    not_filled_in(got, call)
    expect(isinstance(got, torch.Tensor), f"{call} returned a {type(got).__name__}: return a tensor")
    expect(torch.equal(out, before), f"{call} changed `out` in place (for example with masked_fill_ or *=); "
                                     "work on a copy: out * mask makes a new tensor")
    if tuple(got.shape) == (3, 5):
        raise Hint(f"{call} returned shape [3, 5]: you averaged over the 4 features. Average over the positions, "
                   "the time axis: dim=1, to get [batch, features] = [3, 4]")
    expect(tuple(got.shape) == (3, 4), f"{call} returned shape {tuple(got.shape)}; expected [3, 4]")
    expected = masked_pooling(out, lengths, "mean")[0]
    if torch.allclose(got.float(), expected, atol=1e-5):
        return "the mean over each tweet's real positions, padding left out, shape [3, 4]"
    if torch.allclose(got.float(), out.mean(dim=1), atol=1e-5):
        raise Hint(f"{call} is the mean over all 5 positions, padding included: mask the positions at or after "
                   "each length (torch.arange(T)[None, :] < lengths[:, None]) and divide by the lengths")
    mask = (torch.arange(5)[None, :] < lengths[:, None]).unsqueeze(-1)
    if torch.allclose(got.float(), (out * mask).sum(dim=1) / 5, atol=1e-5):
        raise Hint(f"{call} divides by the padded width 5 for every tweet; divide each tweet's sum by its own "
                   "length (lengths[:, None])")
    if torch.allclose(got.float(), out.sum(dim=1) / lengths[:, None], atol=1e-5):
        raise Hint(f"{call} adds the padding positions to the sum before dividing by the length: multiply out "
                   "by the mask first")
    raise Hint(f"{call} returned {_rounded(got)}, expected {_rounded(expected)}")
