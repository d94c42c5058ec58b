"""The LSTM classifier of the course, and the original tutorial's model for comparison (notebook 06).

:class:`LSTMClassifier` reads each tweet only up to its real last token: the padded batch is packed
with :func:`torch.nn.utils.rnn.pack_padded_sequence` (lengths on the CPU, ``enforce_sorted=False``)
so the LSTM never sees a padding position, and the final hidden states of both directions are the
tweet's summary. Optional masked max/mean pooling over the valid positions can be concatenated to it,
and so can a sentiment lexicon's scores of the tweet (``lexicon_features``, appendix notebook 09).

:class:`OriginalTutorialLSTM` reproduces the original tutorial's model faithfully, bugs included:
it is a *unidirectional* LSTM although the tutorial called it "BiLSTM", and it classifies from the
output at the last *padded* position ``[:, -1]``, which for most tweets is a padding token.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .config import POOLINGS as POOLING_CHOICES  # one list for Config and the model
from .errors import TutorialError


def _check_inputs(ids: torch.Tensor, lengths: torch.Tensor | None) -> None:
    if ids.dim() != 2:
        raise TutorialError(f"ids must be a 2-D LongTensor [batch, time]; got shape {tuple(ids.shape)}")
    if ids.dtype != torch.long:
        raise TutorialError(f"ids must have dtype torch.long; got {ids.dtype} (use ids.long())")
    if lengths is None:
        return
    if lengths.dim() != 1 or lengths.shape[0] != ids.shape[0]:
        raise TutorialError(
            f"lengths must be a 1-D tensor with one entry per row of ids ({ids.shape[0]}); "
            f"got shape {tuple(lengths.shape)}"
        )
    if lengths.numel() and (int(lengths.min()) < 1 or int(lengths.max()) > ids.shape[1]):
        raise TutorialError(
            f"every length must be between 1 and the padded width {ids.shape[1]}; got min "
            f"{int(lengths.min())}, max {int(lengths.max())}"
        )


def _check_lexicon(lexicon: torch.Tensor | None, features: int, batch: int) -> None:
    if features and lexicon is None:
        raise TutorialError(f"this model reads {features} lexicon scores per tweet (Config.lexicon, notebook 09): "
                            "call it as model(ids, lengths, lexicon), with a loader made by "
                            "make_loader(..., lexicon=scores)")
    if not features and lexicon is not None:
        raise TutorialError("this model reads no lexicon scores (it was built with lexicon_features=0); "
                            "call it as model(ids, lengths)")
    if features and tuple(lexicon.shape) != (batch, features):
        raise TutorialError(f"lexicon must have shape [batch, {features}] = {(batch, features)}; "
                            f"got {tuple(lexicon.shape)}")


def _check_model_args(vocab_size: int, embedding_dim: int, hidden_size: int, num_classes: int,
                      num_layers: int, dropout: float, pad_index: int, pooling: str) -> None:
    # Config checks the sizes, dropout and pooling of a run; the asserts catch a direct call's slip.
    assert min(vocab_size, num_classes) >= 2 and min(embedding_dim, hidden_size, num_layers) >= 1, (
        "vocab_size and num_classes must be >= 2; embedding_dim, hidden_size and num_layers >= 1")
    assert 0 <= dropout < 1 and 0 <= pad_index < vocab_size, "dropout must be in [0, 1), pad_index < vocab_size"
    if pooling not in POOLING_CHOICES:  # the one choice a learner passes by name (notebook 06's exercises)
        raise TutorialError(f"pooling must be one of {POOLING_CHOICES}; got {pooling!r}")


def _copy_pretrained(embedding: nn.Embedding, pretrained: np.ndarray | torch.Tensor, pad_index: int) -> None:
    weights = torch.as_tensor(np.asarray(pretrained) if not torch.is_tensor(pretrained) else pretrained,
                              dtype=torch.float32)
    if weights.shape != embedding.weight.shape:
        raise ValueError(
            f"pretrained matrix has shape {tuple(weights.shape)} but the model expects "
            f"(vocab_size, embedding_dim) = {tuple(embedding.weight.shape)}; build the matrix "
            "from the same vocabulary and embedding_dim"
        )
    with torch.no_grad():
        embedding.weight.copy_(weights)
        embedding.weight[pad_index].zero_()


def final_states(h_n: torch.Tensor, bidirectional: bool) -> torch.Tensor:
    """Return the last layer's final hidden states ``[B, directions * H]`` from ``h_n``.

    ``h_n`` is the LSTM's ``[num_layers * directions, B, H]``; its last row (two rows when
    bidirectional: forward, then backward) belongs to the last layer. With packed input the forward
    state is the one after each tweet's real last token, the backward one after its first token.
    Introduced in notebook 06.
    """
    if bidirectional:
        return torch.cat([h_n[-2], h_n[-1]], dim=1)  # [B, 2H]: forward and backward side by side
    return h_n[-1]  # [B, H]


def masked_pooling(out: torch.Tensor, lengths: torch.Tensor, pooling: str) -> list[torch.Tensor]:
    """Return the max and/or mean (as ``pooling`` names them) of ``out`` over each tweet's real tokens.

    ``out`` ``[B, T, D]`` holds the LSTM output at every position, ``lengths`` ``[B]`` the true
    lengths; positions at or after a row's length are padding and take no part. Each result is
    ``[B, D]``. Introduced in notebook 06.
    """
    steps = torch.arange(out.shape[1], device=out.device)
    real = (steps[None, :] < lengths.to(out.device)[:, None]).unsqueeze(-1)  # [B, T, 1]: True at real tokens
    parts = []
    if "max" in pooling:
        parts.append(out.masked_fill(~real, float("-inf")).max(dim=1).values)  # a pad can never be the max
    if "mean" in pooling:
        parts.append((out * real).sum(dim=1) / lengths.to(out.device, out.dtype).unsqueeze(1))
    return parts


class LSTMClassifier(nn.Module):
    """An embedding + (bidirectional) LSTM + linear classifier that never reads a padding position.

    Parameters: ``vocab_size`` rows of ``embedding_dim`` (row ``pad_index`` is the padding row and
    stays zero), an LSTM of ``hidden_size`` units per direction and ``num_layers`` layers,
    ``dropout`` applied to the embeddings, between LSTM layers and before the output layer,
    ``pretrained`` an optional ``[vocab_size, embedding_dim]`` matrix (NumPy array or tensor) used
    to initialise the embeddings, kept fixed when ``freeze=True``. ``pooling`` chooses the tweet
    summary: ``"last"`` (:func:`final_states`) optionally followed by :func:`masked_pooling` (max
    and/or mean over the real tokens). ``lexicon_features`` > 0: the output layer also reads that
    many numbers per tweet (VADER's four scores, :func:`tutorial_lib.lexicons.tweet_scores`), given
    to ``forward`` as ``lexicon`` and standardised with the training split's mean and spread
    (:meth:`set_lexicon_scale`, kept in the model's buffers so that a saved model has them).

    ``forward(ids [B, T] long, lengths [B] long)`` returns logits ``[B, num_classes]``. The lengths
    may live on any device (they are moved to the CPU for packing, as PyTorch requires); everything
    else runs on the model's device (CPU, CUDA or MPS).

    Introduced in notebook 06.
    """

    def __init__(
        self,
        vocab_size: int,
        embedding_dim: int,
        hidden_size: int,
        num_classes: int = 3,
        num_layers: int = 1,
        bidirectional: bool = True,
        dropout: float = 0.0,
        pad_index: int = 0,
        pretrained: np.ndarray | torch.Tensor | None = None,
        freeze: bool = False,
        pooling: str = "last",
        lexicon_features: int = 0,
    ) -> None:
        super().__init__()
        _check_model_args(vocab_size, embedding_dim, hidden_size, num_classes, num_layers, dropout,
                          pad_index, pooling)
        # constructor arguments, without the (large) pretrained matrix: enough to rebuild the model
        # from a checkpoint, whose state_dict then carries the embedding weights.
        self.init_kwargs: dict[str, Any] = dict(
            vocab_size=vocab_size, embedding_dim=embedding_dim, hidden_size=hidden_size,
            num_classes=num_classes, num_layers=num_layers, bidirectional=bool(bidirectional),
            dropout=float(dropout), pad_index=pad_index, freeze=bool(freeze), pooling=pooling,
            lexicon_features=int(lexicon_features),
        )
        self.pad_index = pad_index
        self.pooling = pooling
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_index)
        if pretrained is not None:
            _copy_pretrained(self.embedding, pretrained, pad_index)
        self.embedding.weight.requires_grad_(not freeze)
        self.embedding_dropout = nn.Dropout(dropout)
        self.lstm = nn.LSTM(
            embedding_dim, hidden_size, num_layers=num_layers, batch_first=True,
            bidirectional=bidirectional, dropout=dropout if num_layers > 1 else 0.0,
        )
        directions = 2 if bidirectional else 1
        n_parts = 1 + ("max" in pooling) + ("mean" in pooling)
        self.output_dropout = nn.Dropout(dropout)
        self.lexicon_features = int(lexicon_features)
        if self.lexicon_features:  # the scale of the lexicon scores, saved with the weights
            self.register_buffer("lexicon_mean", torch.zeros(self.lexicon_features))
            self.register_buffer("lexicon_std", torch.ones(self.lexicon_features))
        self.fc = nn.Linear(n_parts * directions * hidden_size + self.lexicon_features, num_classes)

    def set_lexicon_scale(self, train_scores: np.ndarray | torch.Tensor) -> None:
        """Standardise the lexicon inputs with the mean and spread of the *training* split's ``[N, F]`` scores.

        Like the vocabulary, the scale is learned from training tweets only (notebook 09).
        """
        scores = torch.as_tensor(np.asarray(train_scores), dtype=torch.float32)
        assert self.lexicon_features and scores.shape[1:] == (self.lexicon_features,), "one row of scores per tweet"
        self.lexicon_mean.copy_(scores.mean(dim=0))
        self.lexicon_std.copy_(scores.std(dim=0, unbiased=False).clamp_min(1e-6))

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor, lexicon: torch.Tensor | None = None) -> torch.Tensor:
        """Return logits ``[B, num_classes]`` for padded ``ids`` ``[B, T]`` with true ``lengths`` ``[B]``.

        ``lexicon`` ``[B, lexicon_features]``: the tweets' lexicon scores, required when the model
        was built with ``lexicon_features`` > 0 (and refused otherwise).
        """
        _check_inputs(ids, lengths)
        _check_lexicon(lexicon, self.lexicon_features, ids.shape[0])
        emb = self.embedding_dropout(self.embedding(ids))  # [B, T, E]
        lengths = lengths.detach().to("cpu", torch.long)  # packing wants the lengths on the CPU
        packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)
        packed_out, (h_n, _) = self.lstm(packed)  # h_n: [layers * directions, B, H], in batch order
        parts = [final_states(h_n, self.lstm.bidirectional)]  # [B, directions * H]
        if self.pooling != "last":
            out, _ = pad_packed_sequence(packed_out, batch_first=True, total_length=ids.shape[1])
            parts += masked_pooling(out, lengths, self.pooling)  # out: [B, T, directions * H]
        features = self.output_dropout(torch.cat(parts, dim=1))  # [B, len(parts) * directions * H]
        if self.lexicon_features:  # beside the summary, standardised, no dropout (notebook 09)
            scaled = (lexicon.to(features.dtype) - self.lexicon_mean) / self.lexicon_std  # [B, F]
            features = torch.cat([features, scaled], dim=1)  # [B, len(parts) * directions * H + F]
        return self.fc(features)  # [B, num_classes]


class OriginalTutorialLSTM(nn.Module):
    """The original tutorial's model, reproduced faithfully (for the benchmark and notebook 06).

    A *unidirectional* one-layer LSTM (the tutorial named it ``BiLSTM_SentimentAnalysis``), dropout
    on every output position, a linear layer on every position, and the answer read at the last
    padded position ``[:, -1]``. For a tweet shorter than the padded width that position holds a
    padding token, so the same tweet padded to two widths gets two different answers. ``lengths``
    is accepted (and ignored) so it fits the same training loop as :class:`LSTMClassifier`; the
    original's initial hidden state of a fixed batch size is replaced by PyTorch's zero default,
    which is numerically the same.

    Introduced in notebook 06.
    """

    def __init__(self, vocab_size: int, embedding_dim: int = 64, hidden_size: int = 32,
                 dropout: float = 0.2, num_classes: int = 3, pad_index: int = 0) -> None:
        super().__init__()
        self.init_kwargs: dict[str, Any] = dict(
            vocab_size=vocab_size, embedding_dim=embedding_dim, hidden_size=hidden_size,
            dropout=float(dropout), num_classes=num_classes, pad_index=pad_index,
        )
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_index)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Return logits ``[B, num_classes]`` read at the last padded position (the original bug)."""
        _check_inputs(ids, None)
        out, _ = self.lstm(self.embedding(ids))
        out = self.fc(self.dropout(out))
        return out[:, -1]


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Return the number of (trainable, by default) parameters of ``model``. Introduced in notebook 06."""
    return int(sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only))


MODEL_CLASSES: dict[str, type[nn.Module]] = {
    "LSTMClassifier": LSTMClassifier,
    "OriginalTutorialLSTM": OriginalTutorialLSTM,
}
