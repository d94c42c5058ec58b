"""The model bundle: everything needed to use a trained model later, in one file (notebook 07).

A bundle holds the weights, the constructor arguments of the model class, the vocabulary, the
normalization/tokenizer settings, the label names, ``seq_length``, the series config, the training
history, metrics, the library version and when it was saved. The payload is made only of plain Python values and
tensors, so it loads with ``torch.load(weights_only=True)``, which cannot run code hidden in a
file. The file is written atomically: a crash never leaves half a bundle behind.
"""

from __future__ import annotations

import io
import os
import pickle
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from . import __version__
from .errors import DataError, TutorialError
from .model import MODEL_CLASSES
from .paths import atomic_write_bytes
from .tokenization import TextPipeline, Vocabulary

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config
    from .pipeline import PreparedData
    from .training import History

BUNDLE_FORMAT = "tutorial_lib.model_bundle"
BUNDLE_FORMAT_VERSION = 1


@dataclass
class Bundle:
    """A loaded model bundle (introduced in notebook 07).

    ``model`` is in eval mode on the ``map_location`` device; ``vocab`` and ``text_pipeline``
    encode new text exactly as in training; ``labels`` are the class names in model output order.
    """

    model: nn.Module
    vocab: Vocabulary
    text_pipeline: TextPipeline
    labels: tuple[str, ...]
    seq_length: int
    config: dict[str, Any]
    history: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    library_version: str = __version__
    format_version: int = BUNDLE_FORMAT_VERSION
    path: Path | None = field(default=None, compare=False)
    saved_at: str | None = None  # when save_bundle wrote it (UTC, ISO 8601)

    def encode_texts(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(ids [N, seq_length], lengths [N])`` for raw texts, as the training data was encoded."""
        from .tokenization import encode

        return encode(self.text_pipeline.tokenize_many(texts), self.vocab, self.seq_length)


def _plain(value: Any) -> Any:
    """Return ``value`` converted to plain Python values (for a weights_only-loadable payload)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    if value is None:
        return None
    for kind in (bool, str, int, float):  # exact built-in types (str subclasses do not unpickle safely)
        if isinstance(value, kind):
            return kind(value)
    if torch.is_tensor(value):
        return value.detach().cpu()
    raise DataError(f"cannot store a value of type {type(value).__name__} in a bundle; pass plain data")


def _check_bundleable(model: nn.Module, vocab: Vocabulary) -> None:
    class_name = type(model).__name__
    if class_name not in MODEL_CLASSES or not hasattr(model, "init_kwargs"):
        raise DataError(f"cannot bundle a {class_name}; expected one of {sorted(MODEL_CLASSES)}")
    embedding = getattr(model, "embedding", None)
    if embedding is not None and embedding.num_embeddings != len(vocab):
        raise DataError(f"the model's embedding has {embedding.num_embeddings} rows but the vocabulary has "
                          f"{len(vocab)} tokens; save the model with the data it was trained on")


def save_bundle(path: str | os.PathLike, model: nn.Module, prepared: PreparedData, cfg: Config | dict[str, Any],
                history: History | dict[str, Any] | None = None, metrics: dict[str, Any] | None = None) -> Path:
    """Write ``model`` and what is needed to use it to ONE file at ``path`` (atomically); return the path.

    ``prepared`` provides the vocabulary, text pipeline and ``seq_length``; ``cfg`` (a Config or a
    dict) is stored for the record; ``history`` (a History or dict) and ``metrics`` (plain dict;
    array entries such as ``probs`` are dropped) are optional. Introduced in notebook 07.
    """
    _check_bundleable(model, prepared.vocab)
    if history is not None and hasattr(history, "to_dict"):
        history = history.to_dict()
    if metrics is not None:  # arrays (probabilities, predictions) and texts stay out
        metrics = {k: v for k, v in metrics.items() if not isinstance(v, np.ndarray) and k != "texts"}
    payload = {
        "format": BUNDLE_FORMAT, "format_version": BUNDLE_FORMAT_VERSION,
        "library_version": str(__version__), "torch_version": str(torch.__version__),
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model_class": type(model).__name__, "model_kwargs": _plain(model.init_kwargs),
        "state_dict": {k: v.detach().cpu().clone() for k, v in model.state_dict().items()},
        "vocab": _plain(prepared.vocab.to_dict()), "text_pipeline": _plain(prepared.text_pipeline.to_dict()),
        "labels": [str(label) for label in prepared.label_names], "seq_length": int(prepared.seq_length),
        "config": _plain(cfg.to_dict() if hasattr(cfg, "to_dict") else dict(cfg)),
        "history": _plain(history), "metrics": _plain(metrics),
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return atomic_write_bytes(path, buffer.getvalue())


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(str(version).split(".")[:2])


def _read_payload(path: Path, map_location: str | torch.device) -> dict[str, Any]:
    """Return the payload dict stored at ``path`` after checking it is a bundle this library reads."""
    if not path.is_file():
        raise DataError(f"no model bundle at {path}; train and save one with save_bundle "
                          "(notebook 07 writes <output_dir>/model.pt)")
    try:
        payload = torch.load(path, map_location=map_location, weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, OSError, ValueError, AttributeError) as exc:
        raise DataError(f"{path} is not a tutorial_lib model bundle (it could not be read: "
                          f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from exc
    if not isinstance(payload, dict) or payload.get("format") != BUNDLE_FORMAT:
        raise DataError(f"{path} is not a tutorial_lib model bundle (no '{BUNDLE_FORMAT}' marker)")
    if payload.get("format_version") != BUNDLE_FORMAT_VERSION:
        raise DataError(f"{path} has bundle format {payload.get('format_version')!r}; this library reads "
                          f"format {BUNDLE_FORMAT_VERSION}. Re-train and save the model with this version.")
    saved_version = str(payload.get("library_version"))
    if _major_minor(saved_version) != _major_minor(__version__):
        raise DataError(f"{path} was written by tutorial_lib {saved_version}; this is {__version__} and "
                          "bundles are compatible only within the same major.minor version. Re-train and "
                          "save the model, or install the version that wrote it.")
    if payload.get("model_class") not in MODEL_CLASSES:
        raise DataError(f"{path} holds an unknown model class {payload.get('model_class')!r}")
    _check_labels(path, payload.get("labels"))
    return payload


def _check_labels(path: Path, labels: Any) -> None:
    """Raise :class:`DataError` unless the stored labels are at least 2 distinct strings."""
    if (not isinstance(labels, (list, tuple)) or len(labels) < 2 or len(set(map(str, labels))) != len(labels)
            or not all(isinstance(label, str) for label in labels)):
        raise DataError(f"{path} stores the labels {labels!r}; a bundle needs at least 2 distinct label "
                          "names (re-save it with save_bundle)")


def _check_vocab_fits(path: Path, vocab: Vocabulary, kwargs: dict[str, Any], state: dict[str, Any]) -> None:
    weight = state.get("embedding.weight")
    if weight is None or weight.shape[0] != len(vocab) or kwargs.get("vocab_size") != len(vocab):
        rows = None if weight is None else weight.shape[0]
        raise DataError(f"{path}: the vocabulary has {len(vocab)} tokens but the embedding weights have "
                          f"{rows} rows (model vocab_size={kwargs.get('vocab_size')}); the bundle is "
                          "inconsistent, re-save it from the trained model and its own vocabulary")


def _check_outputs_fit(path: Path, model: nn.Module, labels: list[str]) -> None:
    """Raise :class:`DataError` unless the model has one output per stored label."""
    outputs = getattr(model, "init_kwargs", {}).get("num_classes")
    if outputs is not None and outputs != len(labels):
        raise DataError(f"{path}: the model has {outputs} outputs but the bundle stores {len(labels)} "
                          f"labels {labels}; the bundle is inconsistent, re-save it")


def load_bundle(path: str | os.PathLike, map_location: str | torch.device = "cpu") -> Bundle:
    """Return the :class:`Bundle` stored at ``path``, with its model in eval mode on ``map_location``.

    Needs no notebook state. Raises :class:`DataError` when the file is missing, is not a bundle,
    was written by an incompatible bundle format or library major.minor version, or its vocabulary
    does not match the embedding weights. Introduced in notebook 07.
    """
    path = Path(path)
    payload = _read_payload(path, map_location)
    try:
        vocab = Vocabulary.from_dict(payload["vocab"])
        text_pipeline = TextPipeline.from_dict(payload["text_pipeline"])
    except (KeyError, TutorialError) as exc:
        raise DataError(f"{path} has a malformed vocabulary or text pipeline: {exc}") from exc
    class_name, kwargs, state = payload["model_class"], dict(payload["model_kwargs"]), payload["state_dict"]
    _check_vocab_fits(path, vocab, kwargs, state)
    model = MODEL_CLASSES[class_name](**kwargs)
    try:
        model.load_state_dict(state)
    except RuntimeError as exc:
        raise DataError(f"{path}: the weights do not fit a {class_name}({kwargs}): "
                          f"{str(exc).splitlines()[0]}") from exc
    _check_outputs_fit(path, model, payload["labels"])
    model.to(map_location).eval()
    return Bundle(model=model, vocab=vocab, text_pipeline=text_pipeline, labels=tuple(payload["labels"]),
                  seq_length=int(payload["seq_length"]), config=dict(payload.get("config") or {}),
                  history=payload.get("history"), metrics=payload.get("metrics"),
                  library_version=str(payload["library_version"]), format_version=int(payload["format_version"]),
                  path=path, saved_at=payload.get("saved_at"))
