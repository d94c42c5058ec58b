"""Metrics, confusion matrix and error analysis (notebook 08); the baselines are in ``baselines``.

Accuracy is computed over every example of a split (never as a mean of per-batch accuracies, which
over-weights a small last batch). The baselines (:mod:`tutorial_lib.baselines`) are trained on the
same training tweets as the LSTM and evaluated on the same test tweets, so their numbers are
directly comparable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    accuracy_score,
    classification_report,
    f1_score,
    precision_recall_fscore_support,
)

from .balancing import NUMBERED_CLASSES, READABLE_CLASSES, crowded, grow_figure
from .errors import TutorialError
from .labels import label_ids

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import torch

    from .pipeline import PreparedData
    from .tokenization import EncodedSplit


def _names(label_names: Any) -> tuple[str, ...]:
    """Return the classes to score: ``label_names``, a run's ``prepared.label_names``."""
    names = tuple(str(label) for label in label_names)
    if len(names) < 2 or len(set(names)) != len(names):
        raise TutorialError(f"label_names must hold at least 2 distinct labels; got {names}")
    return names


def _as_label_ids(y: Any, name: str, labels: tuple[str, ...]) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise TutorialError(f"{name} must be one-dimensional; got shape {arr.shape}")
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind in "OUS":  # label names -> ids
        try:
            arr = label_ids(arr, labels)
        except ValueError as exc:
            raise TutorialError(f"{name}: {exc} (or ids 0-{len(labels) - 1})") from exc
    if arr.dtype.kind not in "iu":
        raise TutorialError(f"{name} must hold integer label ids or label names; got dtype {arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() >= len(labels)):
        raise TutorialError(f"{name} holds ids outside 0..{len(labels) - 1}")
    return arr.astype(np.int64)


def classification_metrics(y_true: Any, y_pred: Any, label_names: Any) -> dict[str, Any]:
    """Return accuracy (over all examples), macro-F1 and per-class precision/recall/F1/support.

    ``y_true`` and ``y_pred`` hold label ids (indices into ``label_names``, the run's classes)
    or label names. The result holds plain Python
    numbers (JSON-ready): ``{"accuracy", "macro_f1", "n", "per_class": {label: {precision, recall,
    f1, support}}}``. Classes never predicted get precision 0 (no warning). Introduced in notebook 08.
    """
    labels = _names(label_names)
    t = _as_label_ids(y_true, "y_true", labels)
    p = _as_label_ids(y_pred, "y_pred", labels)
    if t.shape != p.shape:
        raise TutorialError(f"y_true and y_pred must have the same length; got {t.shape[0]} and {p.shape[0]}")
    if t.size == 0:
        raise TutorialError("cannot compute metrics on zero examples")
    ids = list(range(len(labels)))
    prec, rec, f1, support = precision_recall_fscore_support(t, p, labels=ids, zero_division=0)
    return {
        "accuracy": float(accuracy_score(t, p)),
        "macro_f1": float(f1_score(t, p, labels=ids, average="macro", zero_division=0)),
        "n": int(t.size),
        "per_class": {
            label: {"precision": float(prec[i]), "recall": float(rec[i]), "f1": float(f1[i]),
                    "support": int(support[i])}
            for i, label in enumerate(labels)
        },
    }


def classification_report_text(y_true: Any, y_pred: Any, label_names: Any, digits: int = 3) -> str:
    """Return scikit-learn's text classification report with the label names (``label_names``: the run's
    classes). Introduced in notebook 08."""
    labels = _names(label_names)
    t = _as_label_ids(y_true, "y_true", labels)
    p = _as_label_ids(y_pred, "y_pred", labels)
    return classification_report(t, p, labels=list(range(len(labels))), target_names=list(labels),
                                 digits=digits, zero_division=0)


def plot_confusion_matrix(y_true: Any, y_pred: Any, label_names: Any, ax: Any = None,
                          normalize: str | None = "true", title: str | None = None) -> Any:
    """Draw the confusion matrix (rows: true label, columns: predicted) and return its Axes.

    ``normalize`` is passed to scikit-learn: ``"true"`` (default: each row sums to 1, i.e. recall
    on the diagonal), ``"pred"``, ``"all"`` or ``None`` (counts). ``label_names``: the run's classes
    (``prepared.label_names``); the figure grows with their number, the cells lose their numbers above
    :data:`~tutorial_lib.balancing.NUMBERED_CLASSES` classes, and above
    :data:`~tutorial_lib.balancing.READABLE_CLASSES` the title says where the full table is.
    Introduced in notebook 08.
    """
    if normalize not in (None, "true", "pred", "all"):
        raise TutorialError(f"normalize must be None, 'true', 'pred' or 'all'; got {normalize!r}")
    labels = _names(label_names)
    t = _as_label_ids(y_true, "y_true", labels)
    p = _as_label_ids(y_pred, "y_pred", labels)
    many = len(labels) > NUMBERED_CLASSES
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    grow_figure(ax, 2.5 + 0.3 * len(labels), 2 + 0.3 * len(labels))  # before a colorbar joins the figure
    display = ConfusionMatrixDisplay.from_predictions(
        t, p, labels=list(range(len(labels))), display_labels=list(labels), normalize=normalize,
        ax=ax, cmap="Blues", colorbar=many, values_format=".2f" if normalize else "d", include_values=not many,
        xticks_rotation="vertical" if crowded(labels) else "horizontal",
    )
    if many:
        display.ax_.tick_params(labelsize=7)
    if len(labels) > READABLE_CLASSES:
        title = f"{title or ''}\n({len(labels)} classes: every count is in metrics.json, 'confusion_matrix')".strip()
    if title:
        display.ax_.set_title(title)
    return display.ax_


def _check_mistake_inputs(texts: Any, y_true: Any, probs: Any, k: int,
                          labels: tuple[str, ...]) -> tuple[list, np.ndarray, np.ndarray]:
    texts = list(texts)
    t = _as_label_ids(y_true, "y_true", labels)
    pr = np.asarray(probs, dtype=np.float64)
    if pr.ndim != 2 or pr.shape != (len(texts), len(labels)) or t.shape[0] != len(texts):
        raise TutorialError(
            f"texts ({len(texts)}), y_true ({t.shape[0]}) and probs {pr.shape} must describe the same "
            f"examples, with probs shaped [n, {len(labels)}] (one column per class)"
        )
    if not isinstance(k, int) or k < 1:
        raise TutorialError(f"k must be an integer >= 1; got {k!r}")
    return texts, t, pr


def most_confident_mistakes(texts: Any, y_true: Any, probs: Any, label_names: Any, k: int = 10) -> pd.DataFrame:
    """Return the ``k`` wrong predictions with the highest predicted probability, as a DataFrame.

    Columns: ``text``, ``true``, ``predicted``, ``confidence`` (probability of the predicted label),
    ``p_true`` (probability given to the true label) and one ``p_<label>`` column per label of
    ``label_names`` (the run's classes). Introduced in notebook 08.
    """
    import pandas as pd

    labels = _names(label_names)
    texts, t, pr = _check_mistake_inputs(texts, y_true, probs, k, labels)
    pred = pr.argmax(axis=1)
    wrong = np.flatnonzero(pred != t)
    order = wrong[np.argsort(-pr[wrong, pred[wrong]], kind="stable")][:k]
    frame = pd.DataFrame({
        "text": [texts[i] for i in order],
        "true": [labels[t[i]] for i in order],
        "predicted": [labels[pred[i]] for i in order],
        "confidence": pr[order, pred[order]],
        "p_true": pr[order, t[order]],
    })
    for j, label in enumerate(labels):
        frame[f"p_{label}"] = pr[order, j]
    return frame


def _encoded(prepared: PreparedData, split: str) -> EncodedSplit:
    if split not in prepared.encoded:
        raise TutorialError(f"unknown split {split!r}; use one of {sorted(prepared.encoded)}")
    return prepared.encoded[split]


# ---------------------------------------------------------------------------------------- the model
def evaluate_model(model: torch.nn.Module, prepared: PreparedData, split: str = "test", device: str = "cpu",
                   batch_size: int = 256) -> dict[str, Any]:
    """Return the model's metrics on ``split`` plus ``probs`` [N, classes], ``preds``, ``labels`` and ``texts``.

    Every example counts (the evaluation loader keeps the last partial batch). A model that reads a
    lexicon's scores gets them for the split's tweets (notebook 09). Introduced in notebook 08.
    """
    import torch

    from .batching import make_loader
    from .lexicons import scores_for
    from .training import predict_logits, resolve_device

    encoded = _encoded(prepared, split)
    loader = make_loader(encoded, batch_size=batch_size, shuffle=False, drop_last=False,
                         lexicon=scores_for(model, encoded.texts))
    logits, labels = predict_logits(model, loader, resolve_device(device))
    probs = torch.softmax(torch.from_numpy(logits), dim=1).numpy()
    preds = probs.argmax(axis=1)
    result = classification_metrics(labels, preds, prepared.label_names)
    result.update(probs=probs, preds=preds, labels=labels, texts=list(encoded.texts))
    return result
