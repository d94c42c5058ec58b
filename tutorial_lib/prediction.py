"""Classify new texts with a saved model bundle (notebook 08); ``python -m tutorial_lib predict`` calls it.

Every text gets an answer: an empty, URL-only, emoji-only or entirely unknown tweet is encoded as
``<SOS> (<UNK>...) <EOS>`` like any other and gets the model's probabilities for that input; its
``known_words`` is 0, and the command line (:func:`tutorial_tools.commands.predict`) warns that such
an answer is not a reading of the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from .checkpoint import Bundle
from .lexicons import scores_for
from .training import resolve_device


def _check_predict_args(texts: Any, batch_size: int) -> list[str]:
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be an integer >= 1; got {batch_size!r}")
    if isinstance(texts, str):
        raise TypeError("predict_sentiment expects a list of texts, got one string; wrap it: [text]")
    if not isinstance(texts, Iterable):
        raise TypeError(f"predict_sentiment expects a list of strings, got {type(texts).__name__}")
    texts = list(texts)
    bad = [(i, type(t).__name__) for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise TypeError(f"every text must be a str; got non-strings at (index, type) {bad[:5]}")
    return texts


@torch.no_grad()
def predict_sentiment(texts: Iterable[str], bundle: Bundle, *, device: str = "cpu",
                      batch_size: int = 256) -> list[dict[str, Any]]:
    """Return one ``{"text", "label", "probabilities": {label: p}, "known_words": n}`` dict per input text, in order.

    ``known_words`` counts the text's words found in the vocabulary (0: empty, only links or
    mentions, or only unknown words, so the answer is the same as for an empty text).

    Texts are normalized, tokenized and encoded with the bundle's own settings; the bundle's model
    is moved to ``device`` and left in eval mode; no gradients are recorded. Introduced in notebook 08.
    """
    texts = _check_predict_args(texts, batch_size)
    if not texts:
        return []
    dev = resolve_device(device)
    model = bundle.model.to(dev).eval()  # dropout off
    ids, lengths = bundle.encode_texts(texts)  # [N, seq_length], [N]: exactly as in training
    scores = scores_for(model, texts)  # [N, F] when the model reads a lexicon (notebook 09), else None
    chunks = []
    for start in range(0, len(texts), batch_size):
        batch_ids = torch.from_numpy(ids[start:start + batch_size]).to(dev)
        batch_lengths = torch.from_numpy(lengths[start:start + batch_size])  # stays on the CPU
        lexicon = [] if scores is None else [torch.from_numpy(scores[start:start + batch_size]).to(dev)]
        chunks.append(torch.softmax(model(batch_ids, batch_lengths, *lexicon).float(), dim=1).cpu())  # [B, classes]
    probs = torch.cat(chunks).numpy().astype(np.float64)
    labels = bundle.labels
    known = ((ids > bundle.vocab.eos_index) & (ids != bundle.vocab.unk_index)).sum(axis=1)  # words, not PAD/SOS/EOS/UNK
    return [
        {"text": text, "label": labels[int(row.argmax())],
         "probabilities": {label: float(row[j]) for j, label in enumerate(labels)}, "known_words": int(n)}
        for text, row, n in zip(texts, probs, known, strict=True)
    ]
