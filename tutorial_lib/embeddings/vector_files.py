"""Reading and writing word-vector text files: the GloVe and word2vec formats (notebook 05).

Pretrained vectors are published as text: a **GloVe** file has one line ``word v1 v2 ... vd`` per
word; a **word2vec text** file is the same after a header line ``count dim``. Such files are large
(``glove.6B.100d.txt`` is about 330 MB, the biggest GloVe files several GB), so
:func:`load_vectors` reads them line by line and keeps only the words our vocabulary can use.
A malformed file raises :class:`~tutorial_lib.embeddings.vectors.DataError` naming the file
and the line. :func:`write_vectors_text` writes the GloVe format. numpy only (no torch).
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from tutorial_lib.paths import atomic_write_text, display_path

from .vectors import DataError, WordVectors, as_table, words_to_look_up


def load_vectors(
    path: str | os.PathLike,
    *,
    vocab: Any = None,
    expected_dim: int | None = None,
    lowercase: bool = True,
    progress: bool = False,
) -> WordVectors:
    """Read a GloVe or word2vec *text* file line by line and return its vectors as :class:`WordVectors`.

    Introduced in notebook 05. The format is detected (:class:`VectorLines` checks it), ``.gz``
    files are read through gzip. With ``vocab`` only the words :func:`words_to_look_up` names are
    kept, so a multi-GB file never sits in memory; a word seen twice keeps its first vector.
    ``expected_dim`` checks the vectors' dimension.
    """
    path = _check_vector_file(path)
    keep = None if vocab is None else words_to_look_up(vocab, lowercase)
    lines = VectorLines(path, expected_dim)
    kept: dict[str, np.ndarray] = {}
    for lineno, word, line in _with_progress(lines, f"reading {path.name}") if progress else lines:
        if (keep is None or word in keep) and word not in kept:
            kept[word] = _parse_vector(path, lineno, word, line)
    matrix = np.stack(list(kept.values())) if kept else np.zeros((0, lines.dim or 0), dtype=np.float32)
    return WordVectors(tuple(kept), matrix, source=display_path(path), lines_read=lines.count)


def write_vectors_text(vectors: Any, path: str | os.PathLike, *, precision: int = 5) -> Path:
    """Write word vectors to ``path`` in the GloVe text format (``word v1 ... vd`` per line); return the path.

    Introduced in notebook 05, which writes its own word2vec vectors this way and reads them back
    with :func:`load_vectors`. ``vectors`` is WordVectors, gensim KeyedVectors or a dict word ->
    vector; the file is written atomically.
    """
    words, matrix, _ = as_table(vectors)
    lines = (word + " " + " ".join(f"{v:.{precision}f}" for v in row)
             for word, row in zip(words, matrix, strict=True))
    return atomic_write_text(path, "\n".join(lines) + "\n")


class VectorLines:
    """The vector lines of a text file: iterating yields ``(line number, word, line)``, checking the format.

    The first non-empty line may be a word2vec header ``count dim``. Every vector line must hold a
    word and ``dim`` values (``dim`` from the header, else ``expected_dim``, else the first line);
    a line with more fields whose second field is not a number is a word that contains spaces
    (some GloVe 840B lines): the last ``dim`` fields are its vector. Only the number of values is
    checked here; :func:`load_vectors` parses the values of the lines it keeps. After iterating,
    ``count`` is the number of vector lines and ``dim`` their dimension.
    """

    def __init__(self, path: Path, expected_dim: int | None = None) -> None:
        self.path, self.expected_dim = path, expected_dim
        self.dim: int | None = expected_dim
        self.announced: int | None = None  # the word2vec header's count
        self.count = 0

    def __iter__(self) -> Iterator[tuple[int, str, str]]:
        with _open_vector_file(self.path) as fh:
            lines = ((n, raw.rstrip("\r\n ")) for n, raw in enumerate(fh, start=1))
            lines = ((n, line) for n, line in lines if line)
            first = next(lines, None)
            if first is not None and not self._read_header(*first):
                lines = itertools.chain([first], lines)
            for lineno, line in lines:
                word = self._word_of(lineno, line)
                self.count += 1
                yield lineno, word, line
        self._check_complete()

    def _read_header(self, lineno: int, line: str) -> bool:
        """Return True when ``line`` is a word2vec header (giving ``dim``); else take ``dim`` from it."""
        fields = line.split(" ")
        if len(fields) == 2 and fields[0].isdigit() and fields[1].isdigit():
            self.announced, dim = int(fields[0]), int(fields[1])
            if dim < 1:
                raise _line_error(self.path, lineno, f"word2vec header says dimension {dim}")
            if self.expected_dim is not None and dim != self.expected_dim:
                raise _dim_error(self.path, dim, "header line", self.expected_dim)
            self.dim = dim
            return True
        if self.dim is None:
            self.dim = len(fields) - 1
            if self.dim < 1:
                raise _line_error(self.path, lineno, "a vector line needs a word followed by its values")
        return False

    def _word_of(self, lineno: int, line: str) -> str:
        """Return the word of a vector line; a line without exactly ``dim`` values raises an error."""
        assert self.dim is not None
        fields = line.count(" ") + 1
        if fields == self.dim + 1:
            return line[: line.index(" ")]
        if fields > self.dim + 1 and not _is_number(line.split(" ", 2)[1]):
            return line.rsplit(" ", self.dim)[0]  # a word that contains spaces
        if self.count == 0 and self.expected_dim is not None and self.announced is None:
            raise _dim_error(self.path, fields - 1, f"line {lineno}", self.expected_dim)
        raise _line_error(self.path, lineno, f"expected a word and {self.dim} values, found {fields - 1} "
                          "values after the word (is the file truncated or are two files mixed?)")

    def _check_complete(self) -> None:
        """Raise when the file held no vectors, or fewer or more than its header announced."""
        from .choose import how_to_choose  # here, not at the top: choose imports this module

        name = display_path(self.path)
        if self.count == 0:
            raise DataError(f"{name} holds no word vectors (the file is empty or has only a header); "
                                 f"{how_to_choose()}")
        if self.announced is not None and self.announced != self.count:
            raise DataError(f"{name}: the header line announces {self.announced} vectors but the file "
                                 f"holds {self.count}; the file is probably truncated: download it again")


def _parse_vector(path: Path, lineno: int, word: str, line: str) -> np.ndarray:
    """Return the float32 values after ``word`` on ``line``; non-numbers and nan/inf raise an error."""
    values = line[len(word) + 1:].split(" ")
    try:
        row = np.array(values, dtype=np.float32)
    except ValueError:
        bad = next(v for v in values if not _is_number(v))
        raise _line_error(path, lineno, f"value {bad!r} of word {word!r} is not a number") from None
    if not np.all(np.isfinite(row)):
        raise _line_error(path, lineno, f"word {word!r} has a non-finite value (nan or inf)")
    return row


def _check_vector_file(path: str | os.PathLike) -> Path:
    """Return ``path`` as a Path; a missing file raises an error saying how to choose vectors instead."""
    from .choose import how_to_choose  # here, not at the top: choose imports this module

    path = Path(path).expanduser()
    if not path.is_file():
        raise DataError(f"word-vector file {path} does not exist (or is not a file); {how_to_choose()}")
    return path


@contextlib.contextmanager
def _open_vector_file(path: Path) -> Iterator[Any]:
    """Open ``path`` as UTF-8 text (gzip for ``.gz``); an unreadable or binary file raises a clear error."""
    try:
        with (gzip.open(path, "rt", encoding="utf-8", newline="\n") if path.suffix == ".gz"
              else open(path, encoding="utf-8", newline="\n")) as fh:
            yield fh
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{display_path(path)} is not UTF-8 text ({exc.reason} at byte {exc.start}); binary word2vec "
            "files (.bin) are not supported: convert one with gensim's KeyedVectors.load_word2vec_format("
            "path, binary=True).save_word2vec_format(out, binary=False)"
        ) from None
    except (OSError, EOFError) as exc:
        raise DataError(f"cannot read {display_path(path)}: {exc}") from None


def _with_progress(lines: VectorLines, desc: str) -> Iterator[tuple[int, str, str]]:
    """Yield from ``lines`` while a tqdm bar counts them (updated every 10,000 lines)."""
    from tqdm.auto import tqdm

    with tqdm(desc=desc, unit=" lines") as bar:
        for n, item in enumerate(lines, start=1):
            if n % 10_000 == 0:
                bar.update(10_000)
            yield item
        bar.update(lines.count % 10_000)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _line_error(path: Path, lineno: int, what: str) -> DataError:
    return DataError(f"{display_path(path)}, line {lineno}: {what}")


def _dim_error(path: Path, found: int, where: str, expected: int) -> DataError:
    return DataError(
        f"{display_path(path)} holds {found}-dimensional vectors ({where}), but {expected} were expected; "
        f"set embedding_dim={found} or use a file with {expected}-dimensional vectors"
    )
