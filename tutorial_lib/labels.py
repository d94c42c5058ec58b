"""The labels of a run: their order, and the one place names become ids (notebooks 03 and 04).

A run's classes are the distinct labels of its data in :func:`label_order`; after
``prepare_data`` they travel in one place, ``PreparedData.label_names``, and a label id is an
index in it everywhere. :data:`LABELS` is the course's own three classes. No pandas, no torch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
"""The course's sentiment classes. A run's classes are the distinct labels of its data (:func:`label_order`);
for the course's tweets that is exactly this tuple."""


def _as_number(label: str) -> float | None:
    try:
        value = float(label)
    except ValueError:
        return None
    return None if math.isnan(value) else value


def label_order(labels: Iterable[object]) -> tuple[str, ...]:
    """Return the distinct labels (as strings) in THE order of a run (introduced in notebook 03).

    Numeric labels are sorted by value (``"1"`` ... ``"5"`` stars, ``"10"`` after ``"9"``), any
    other labels alphabetically, so the course's tweets give ``("negative", "neutral", "positive")``.
    A label's id everywhere in a run is its index in this tuple.
    """
    distinct = {str(label) for label in labels}
    numbers = {label: _as_number(label) for label in distinct}
    if distinct and all(v is not None for v in numbers.values()):
        return tuple(sorted(distinct, key=lambda label: (numbers[label], label)))
    return tuple(sorted(distinct))


def labels_for(labels: Iterable[object], label_names: Iterable[str] | None = None) -> tuple[str, ...]:
    """Return ``label_names`` (a run's classes, ``prepared.label_names``) if given, else ``label_order(labels)``."""
    return label_order(labels) if label_names is None else tuple(str(label) for label in label_names)


def label_ids(labels: Iterable[object], label_names: Iterable[str]) -> np.ndarray:
    """Return the label ids (int64, the index in ``label_names``, a run's classes) of label names.

    Introduced in notebook 04. The one place where names become ids: the encoded splits, class
    weights and the model all use it.
    """
    order = tuple(str(label) for label in label_names)
    index = {label: i for i, label in enumerate(order)}
    names = [str(label) for label in labels]
    unknown = sorted(set(names) - set(index))
    if unknown:
        raise ValueError(f"unknown label(s) {unknown[:10]}; expected labels from {order}")
    return np.array([index[name] for name in names], dtype=np.int64)
