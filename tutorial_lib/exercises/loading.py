"""Checks for the "Your turn" exercises of notebook 01 (loading).

Notebook 01 asks the learner to write two small functions:

* ``file_sha256(path)``: the sha256 digest of a file's bytes as 64 hexadecimal characters, read in
  chunks with :mod:`hashlib`; checked by :func:`check_sha256` on small files written here and on the
  real ``train.csv`` against the course's registry;
* ``constant_answer_scores(labels, answer, classes)``: the accuracy and macro-F1 of a "model" that
  gives the same answer to every tweet, by hand; checked by :func:`check_constant_scores` against
  scikit-learn on small label lists.

Each check prints one line (see :mod:`tutorial_lib.exercises`). This module does not import torch.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from tutorial_lib.exercises import Hint, checker, expect, not_filled_in, two_values

# name -> bytes of the small files check_sha256 writes: an empty file, Windows line ends (a file read
# in text mode loses the \r), bytes that are not UTF-8, and one bigger than a 1 MiB read.
SHA256_FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "crlf.csv": b"Id,Category,Tweet\r\n1,positive,great app\r\n",
    "binary.bin": bytes(range(256)) * 4,
    "big.txt": b"tweet " * 400_000,
}


def _sha256_hint(path: Path, data: bytes, got: object) -> str:
    """Return a hint for a wrong digest ``got`` of the file ``path`` holding ``data``."""
    want = hashlib.sha256(data).hexdigest()
    call = f"file_sha256 of a small file holding {data[:24]!r}{'…' if len(data) > 24 else ''}"
    if isinstance(got, (bytes, bytearray)):
        return (f"{call} returned bytes; return the 64-character text of hexdigest(), not digest()")
    if not isinstance(got, str):
        return f"{call} returned a {type(got).__name__}; return the digest as a string (hexdigest())"
    if got.lower() == want:
        return f"{call} returned capital letters; the registry writes digests in lowercase"
    if len(got) != 64:
        return (f"{call} returned {len(got)} characters; a sha256 hexdigest has 64 (did you use "
                "another hash, such as md5 or sha1?)")
    if got in {hashlib.sha256(str(p).encode()).hexdigest() for p in (path, path.name)}:
        return f"{call} hashed the file's name, not its bytes: open the file and hash what you read"
    if b"\r" in data and got == hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest():
        return (f"{call} lost the file's \\r\\n line ends: open the file in binary mode, open(path, 'rb'), "
                "so that every byte is hashed as it is")
    if len(data) > (1 << 20) and got == hashlib.sha256(data[: 1 << 20]).hexdigest():
        return (f"{call} hashed only the first MiB; call update() for every chunk until read() returns "
                "b'' (for chunk in iter(lambda: fh.read(1 << 20), b''))")
    return f"{call} ({len(data)} bytes) returned {got[:16]}…, but its sha256 is {want[:16]}…"


@checker("sha256 of a file")
def check_sha256(file_sha256: Callable[[Path], str], train_csv: os.PathLike | str | None = None) -> str:
    """Check the learner's ``file_sha256`` on :data:`SHA256_FILES` and, if given, on ``train_csv``.

    ``train_csv`` is compared with ``tutorial_lib.loading.REGISTRY['train.csv'].sha256`` (notebook 01).
    """
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in SHA256_FILES.items():
            path = Path(tmp) / name
            path.write_bytes(data)
            got = file_sha256(path)
            not_filled_in(got, f"file_sha256 of a {len(data)}-byte file")
            if got != hashlib.sha256(data).hexdigest():
                raise Hint(_sha256_hint(path, data, got))
    success = f"matches hashlib on {len(SHA256_FILES)} small files (empty, \\r\\n line ends, binary, 2.4 MB)"
    if train_csv is not None:
        from tutorial_lib.loading import REGISTRY

        spec = REGISTRY["train.csv"]
        got = file_sha256(Path(train_csv))
        expect(got == spec.sha256, f"file_sha256(train.csv) returned {str(got)[:16]}…, but the registry "
                                   f"says {spec.sha256[:16]}… (and verify_file accepted the file)")
        success += f"; train.csv gives the registry's {spec.sha256[:16]}…"
    return success


def _reference_scores(labels: Sequence[str], answer: str, classes: Sequence[str]) -> tuple[float, float]:
    from sklearn.metrics import accuracy_score, f1_score

    predicted = [answer] * len(labels)
    macro = f1_score(labels, predicted, labels=list(classes), average="macro", zero_division=0)
    return float(accuracy_score(labels, predicted)), float(macro)


# (labels, answer): small cases for check_constant_scores; the last answer never occurs in labels.
CONSTANT_CASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("negative", "neutral", "positive", "positive"), "positive"),
    (("negative", "neutral", "positive", "positive"), "neutral"),
    (("neutral",) * 3 + ("positive",) * 6 + ("negative",), "neutral"),
    (("neutral", "positive"), "negative"),
)
CLASSES = ("negative", "neutral", "positive")


@checker("scores of a constant answer")
def check_constant_scores(
    constant_answer_scores: Callable[[Sequence[str], str, Sequence[str]], tuple[float, float]],
    labels: Sequence[str] | None = None,
) -> str:
    """Check the learner's ``constant_answer_scores`` against scikit-learn (notebook 01).

    With ``labels`` (the notebook's labelled rows), the success line also gives the scores of always
    answering "neutral" on them.
    """
    for case, answer in CONSTANT_CASES:
        call = f"constant_answer_scores({list(case)}, {answer!r}, {list(CLASSES)})"
        try:
            result = constant_answer_scores(list(case), answer, list(CLASSES))
        except ZeroDivisionError:
            raise Hint(f"{call} divided by zero: a class that is never predicted has precision 0/0 and a "
                       "class that never occurs has recall 0/0; count its F1 as 0") from None
        accuracy, macro = (float(v) for v in two_values(result, call, "two numbers, (accuracy, macro_f1)"))
        want_acc, want_macro = _reference_scores(case, answer, CLASSES)
        swapped = math.isclose(accuracy, want_macro, abs_tol=1e-6) and math.isclose(macro, want_acc, abs_tol=1e-6)
        expect(not swapped or math.isclose(want_acc, want_macro, abs_tol=1e-6),
               f"{call} gave ({accuracy:.3f}, {macro:.3f}): the right numbers in the wrong order; return "
               f"(accuracy, macro_f1) = ({want_acc:.3f}, {want_macro:.3f})")
        expect(math.isclose(accuracy, want_acc, abs_tol=1e-6),
               f"{call} gave accuracy {accuracy:.3f}, expected {want_acc:.3f}: the share of tweets whose "
               "label is the answer")
        if not math.isclose(macro, want_macro, abs_tol=1e-6):
            share = want_acc
            f1_answer = 2 * share / (share + 1) if share else 0.0
            if math.isclose(macro, f1_answer, abs_tol=1e-6):
                raise Hint(f"{call} gave macro-F1 {macro:.3f}, the F1 of {answer!r} alone; macro-F1 averages "
                           f"the F1 of all {len(CLASSES)} classes, and the never-predicted ones score 0 "
                           f"(expected {want_macro:.3f})")
            if math.isclose(macro, accuracy, abs_tol=1e-6):
                raise Hint(f"{call} gave macro-F1 {macro:.3f}, equal to the accuracy; compute precision, "
                           f"recall and F1 per class, then average the F1s (expected {want_macro:.3f})")
            weighted = f1_answer * share
            if math.isclose(macro, weighted, abs_tol=1e-6):
                raise Hint(f"{call} gave macro-F1 {macro:.3f}, a weighted average (by class size); macro-F1 "
                           f"gives every class the same weight (expected {want_macro:.3f})")
            raise Hint(f"{call} gave macro-F1 {macro:.3f}, expected {want_macro:.3f}: per class, "
                       "F1 = 2 × precision × recall / (precision + recall), 0 when both are 0; then the "
                       "plain mean over the classes")
    success = f"agrees with scikit-learn on {len(CONSTANT_CASES)} small label lists"
    if labels is not None:
        accuracy, macro = (float(v) for v in constant_answer_scores(list(labels), "neutral", list(CLASSES)))
        success += f"; always 'neutral' here: accuracy {accuracy:.3f}, macro-F1 {macro:.3f}"
    return success
