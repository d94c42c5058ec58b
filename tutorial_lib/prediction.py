"""Classify new texts with a saved model bundle, from Python or the command line (notebook 08).

Every text gets an answer: an empty, URL-only, emoji-only or entirely unknown tweet is encoded as
``<SOS> (<UNK>...) <EOS>`` like any other and gets the model's probabilities for that input; its
``known_words`` is 0, and the command line warns that such an answer is not a reading of the text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from .checkpoint import Bundle, load_bundle
from .errors import TutorialError
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
    chunks = []
    for start in range(0, len(texts), batch_size):
        batch_ids = torch.from_numpy(ids[start:start + batch_size]).to(dev)
        batch_lengths = torch.from_numpy(lengths[start:start + batch_size])  # stays on the CPU
        chunks.append(torch.softmax(model(batch_ids, batch_lengths).float(), dim=1).cpu())  # [B, classes]
    probs = torch.cat(chunks).numpy().astype(np.float64)
    labels = bundle.labels
    known = ((ids > bundle.vocab.eos_index) & (ids != bundle.vocab.unk_index)).sum(axis=1)  # words, not PAD/SOS/EOS/UNK
    return [
        {"text": text, "label": labels[int(row.argmax())],
         "probabilities": {label: float(row[j]) for j, label in enumerate(labels)}, "known_words": int(n)}
        for text, row, n in zip(texts, probs, known, strict=True)
    ]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tutorial_lib predict",
        description="Classify texts with a saved model bundle (its own labels: negative / neutral / positive "
                    "for the course's model).")
    parser.add_argument("--model", required=True, help="path of a bundle written by save_bundle (model.pt)")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of lines")
    parser.add_argument("--device", default="cpu", help="auto, cpu, cuda or mps (default: cpu)")
    parser.add_argument("texts", nargs="+", metavar="TEXT", help="texts to classify; '-' reads lines from stdin")
    return parser


def cli_main(argv: list[str]) -> int:
    """Run ``python -m tutorial_lib predict`` with ``argv`` (without the word ``predict``); return the exit code.

    Plain output: a header line naming the columns, then one line per text, ``label  p_<label>...  text``
    (one probability per label of the bundle, in its order: negative neutral positive for the
    course's model); on stderr, which model answers (:func:`describe_model`) and a warning for
    each text without a word the model knows; ``--json``
    prints a JSON list of ``{text, label, probabilities}``. A missing or incompatible model file or
    an unavailable device prints a message on stderr and returns 2. Introduced in notebook 08.
    """
    args = _build_parser().parse_args(argv)
    texts: list[str] = []
    for text in args.texts:
        if text == "-":
            texts.extend(line.rstrip("\n") for line in sys.stdin)
        else:
            texts.append(text)
    try:
        bundle = load_bundle(args.model, map_location="cpu")
        results = predict_sentiment(texts, bundle, device=args.device)
    except TutorialError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(describe_model(bundle), file=sys.stderr)
    for number, r in enumerate(results, 1):
        if r["known_words"] == 0:
            print(f"warning: text {number} ({r['text'][:40]!r}) has no word the model knows (empty, only links or "
                  "mentions, or unknown words): its label is the model's answer to an empty text", file=sys.stderr)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print("\n".join(plain_lines(results, bundle.labels)))
    return 0


def plain_lines(results: list[dict[str, Any]], labels: tuple[str, ...]) -> list[str]:
    """Return the plain output of ``predict``: a header naming the classes, then ``label  p...  text`` per text."""
    width = max(8, *(len(label) for label in labels))
    columns = [max(5, len(f"p_{label}")) for label in labels]
    header = "  ".join(f"{f'p_{label}':>{w}}" for label, w in zip(labels, columns, strict=True))
    lines = [f"{'label':<{width}}  {header}  text"]
    for r in results:
        probs = "  ".join(f"{r['probabilities'][label]:>{w}.3f}" for label, w in zip(labels, columns, strict=True))
        lines.append(f"{r['label']:<{width}}  {probs}  {r['text']}")
    return lines


def describe_model(bundle: Bundle) -> str:
    """Return one line saying which model answers: its file, when it was saved, its training and its test score.

    The test score comes from the ``metrics.json`` beside the file only when that file describes this
    very model (:func:`tutorial_lib.stages.results_for_model`); otherwise the line says why there is none.
    """
    from .paths import message_path
    from .stages import results_for_model

    parts = [f"saved {bundle.saved_at.replace('T', ' ').replace('+00:00', ' UTC')}"] if bundle.saved_at else []
    history = bundle.history or {}
    best = history.get("best_epoch")
    if best:
        parts.append(f"{len(history.get('val_macro_f1', []))} epochs, weights of epoch {best}, validation macro-F1 "
                     f"{history['val_macro_f1'][best - 1]:.3f}")
    metrics, why = results_for_model(bundle.path) if bundle.path is not None else (None, "")
    if metrics is not None and "macro_f1" in metrics:
        parts.append(f"test macro-F1 {metrics['macro_f1']:.3f} (metrics.json)")
    elif why:
        parts.append(why)
    where = message_path(bundle.path) if bundle.path is not None else "a bundle"
    return f"model: {where}" + (f" ({'; '.join(parts)})" if parts else "")
