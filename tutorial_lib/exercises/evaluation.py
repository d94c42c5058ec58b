"""Checks for the "Your turn" exercises of notebook 08 (evaluation).

Notebook 08 asks the learner to compute the test metrics by hand from a confusion matrix (rows: true
class, columns: predicted class, as :func:`sklearn.metrics.confusion_matrix` returns it):

* ``precision_recall(matrix)``: per-class precision and recall; checked by
  :func:`check_precision_recall` against scikit-learn (catches rows and columns swapped, and a
  division by zero for a class the model never predicts);
* ``macro_f1(matrix)``: the mean of the per-class F1 scores; checked by :func:`check_macro_f1`
  against :func:`sklearn.metrics.f1_score` with ``average="macro"`` (catches accuracy, which is what
  micro averaging gives here, support-weighted averaging, the F1 of the averaged precision and
  recall, and a class without tweets).

Each check calls the learner's function on small matrices built here and prints one line (see
:mod:`tutorial_lib.exercises`). This module does not import torch.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support

from tutorial_lib.exercises import Hint, checker, expect, not_filled_in, two_values

# rows: true negative, neutral, positive; columns: predicted. Unbalanced, so every average differs.
MATRIX = np.array([[6, 3, 1],
                   [2, 20, 8],
                   [1, 9, 50]])
# the model never predicts the last class (its column is all zero): precision there is 0 / 0
NEVER_PREDICTED = np.array([[5, 2, 0],
                            [1, 8, 0],
                            [3, 1, 0]])
# no tweet of the first class at all (its row is all zero): recall there is 0 / 0
EMPTY_CLASS = np.array([[0, 0, 0],
                        [0, 7, 3],
                        [2, 4, 9]])
CASES = (("MATRIX", MATRIX), ("NEVER_PREDICTED", NEVER_PREDICTED), ("EMPTY_CLASS", EMPTY_CLASS))


def labels_from(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(true, predicted)`` label arrays whose confusion matrix is ``matrix``."""
    true, pred = [], []
    for t in range(matrix.shape[0]):
        for p in range(matrix.shape[1]):
            true += [t] * int(matrix[t, p])
            pred += [p] * int(matrix[t, p])
    return np.array(true), np.array(pred)


def _sklearn_scores(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    true, pred = labels_from(matrix)
    labels = list(range(matrix.shape[0]))
    p, r, f, _ = precision_recall_fscore_support(true, pred, labels=labels, zero_division=0)
    return p, r, f


def _numbers(value: object, call: str, size: int | None) -> np.ndarray:
    not_filled_in(value, call)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"{call} returned {value!r}; return numbers") from None
    if size is not None:
        expect(array.shape == (size,), f"{call} returned {array.round(3).tolist()}; expected {size} numbers, "
                                       "one per class")
    return array


def _name(name: str, matrix: np.ndarray) -> str:
    return f"{name} = {matrix.tolist()}"


def _call_quietly(function: Callable, matrix: np.ndarray) -> object:
    """Call the learner's function on a copy of ``matrix`` with NumPy's 0/0 warnings silenced (we check NaN)."""
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return function(matrix.copy())


@checker("precision and recall per class")
def check_precision_recall(precision_recall: Callable[[np.ndarray], tuple]) -> str:
    """Check ``precision_recall(matrix)`` -> ``(precision [C], recall [C])`` on :data:`CASES`."""
    for name, matrix in CASES:
        call = f"precision_recall({_name(name, matrix)})"
        result = _call_quietly(precision_recall, matrix)
        pair = two_values(result, call, "a pair (precision per class, recall per class)")
        precision, recall = (_numbers(v, call, matrix.shape[0]) for v in pair)
        expected_p, expected_r, _ = _sklearn_scores(matrix)
        if np.isnan(precision).any() or np.isnan(recall).any() or np.isinf(precision).any():
            which = "precision" if np.isnan(precision).any() or np.isinf(precision).any() else "recall"
            raise Hint(f"{call} gives {which} {(precision if which == 'precision' else recall).round(3).tolist()}: "
                       "a class with no predicted tweets (an all-zero column) or no true tweets (an all-zero row) "
                       "divides 0 by 0. Count it as 0, as scikit-learn does with zero_division=0 "
                       "(np.divide(tp, total, out=np.zeros(len(tp)), where=total > 0))")
        if np.allclose(precision, expected_p) and np.allclose(recall, expected_r):
            continue
        if np.allclose(precision, expected_r) and np.allclose(recall, expected_p):
            raise Hint(f"{call} gives precision {precision.round(3).tolist()} and recall {recall.round(3).tolist()}:"
                       " the two are swapped. Rows are the true classes, columns the predicted ones: precision "
                       "divides the diagonal by the column sums (matrix.sum(axis=0)), recall by the row sums "
                       "(matrix.sum(axis=1))")
        raise Hint(f"{call} gives precision {precision.round(3).tolist()} and recall {recall.round(3).tolist()}; "
                   f"scikit-learn gives {expected_p.round(3).tolist()} and {expected_r.round(3).tolist()}")
    return ("equal to scikit-learn's on 3 small matrices, a class never predicted and a class without tweets "
            "included")


@checker("macro-F1 by hand")
def check_macro_f1(macro_f1: Callable[[np.ndarray], float]) -> str:
    """Check ``macro_f1(matrix)`` against ``f1_score(..., average="macro", zero_division=0)`` on :data:`CASES`."""
    for name, matrix in CASES:
        call = f"macro_f1({_name(name, matrix)})"
        array = _numbers(_call_quietly(macro_f1, matrix), call, None)
        expect(array.size == 1, f"{call} returned {array.round(3).tolist()}: return one number, the mean of the "
                                "per-class F1 scores")
        got = float(array.reshape(-1)[0])
        true, pred = labels_from(matrix)
        labels = list(range(matrix.shape[0]))
        expected = float(f1_score(true, pred, labels=labels, average="macro", zero_division=0))
        if np.isnan(got):
            raise Hint(f"{call} returned nan: a class with no predicted or no true tweets divides 0 by 0 somewhere. "
                       "Count its precision, recall and F1 as 0 (scikit-learn's zero_division=0)")
        if abs(got - expected) < 1e-6:
            continue
        p, r, f = _sklearn_scores(matrix)
        support = matrix.sum(axis=1)
        wrong = {
            "the accuracy (micro averaging gives the same number here): the share of all tweets on the diagonal. "
            "Macro-F1 is the plain mean of the per-class F1 scores": float(np.trace(matrix) / matrix.sum()),
            "the F1 scores weighted by class size (average='weighted'); macro-F1 gives every class the same "
            "weight, so the small negative class counts as much as the large positive one":
                float(np.sum(f * support) / support.sum()),
            "the F1 of the mean precision and the mean recall; macro-F1 is the mean of the per-class F1 scores, "
            "each 2PR / (P + R) of its own class": float(2 * p.mean() * r.mean() / (p.mean() + r.mean())),
        }
        defined = (p + r) > 0  # where 2PR / (P + R) is not 0 / 0
        if not defined.all():
            wrong["the mean over the classes whose F1 is defined only (as np.nanmean gives); a class whose "
                  "precision and recall are both 0 (or 0 / 0) counts too, with F1 = 0"] = float(f[defined].mean())
        for why, value in wrong.items():
            if abs(got - value) < 1e-6:
                raise Hint(f"{call} returned {got:.4f}, expected {expected:.4f}: yours is {why}")
        raise Hint(f"{call} returned {got:.4f}; scikit-learn's f1_score(average='macro') gives {expected:.4f} "
                   f"(per-class F1 {f.round(3).tolist()})")
    return "equal to scikit-learn's f1_score(average='macro') on 3 small matrices, empty classes included"
