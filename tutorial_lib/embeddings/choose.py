"""The ``embedding`` parameter: which word vectors a run starts its model from (notebook 05).

:data:`~tutorial_lib.config.EMBEDDING_CHOICES` lists the named choices:
``"random"`` (no pretrained vectors: the model keeps its random initialisation), ``"word2vec"``
(trained on our own tweets, :mod:`~tutorial_lib.embeddings.word2vec`), ``"glove"`` (the pip
package, :mod:`~tutorial_lib.embeddings.glove`); any other value is the path of a GloVe or
word2vec text file (:mod:`~tutorial_lib.embeddings.vector_files`). :func:`embedding_matrix_for`
turns the choice into the matrix notebooks 06-08 give the model. No torch.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np

from tutorial_lib.config import EMBEDDING_CHOICES  # Config checks the parameter against it
from tutorial_lib.paths import resolve_path

from .glove import load_pip_glove
from .matrix import build_embedding_matrix
from .vector_files import load_vectors
from .word2vec import cached_word2vec

if TYPE_CHECKING:  # imported for type hints only
    from tutorial_lib.config import Config
    from tutorial_lib.pipeline import PreparedData


def embedding_matrix_for(cfg: Config, prepared: PreparedData, *, progress: bool = False,
                         **word2vec_options: Any) -> tuple[np.ndarray | None, dict[str, Any]]:
    """Return ``(matrix, report)`` for the run's ``cfg.embedding`` choice.

    Introduced in notebook 05. ``"random"`` returns ``(None, report)``: the model keeps its own
    random initialisation. Otherwise :func:`vectors_for` gives the vectors and
    :func:`~tutorial_lib.embeddings.matrix.build_embedding_matrix` the float32 matrix
    ``[len(prepared.vocab), cfg.embedding_dim]`` (zero padding row). The report holds ``source``,
    ``dim``, ``freeze``, where the vectors came from, the coverage numbers and ``seconds``.
    """
    start = time.perf_counter()
    report: dict[str, Any] = {"source": cfg.embedding, "dim": cfg.embedding_dim,
                              "freeze": cfg.freeze_embeddings}
    if cfg.embedding == "random":
        return None, report
    vectors, origin = vectors_for(cfg, prepared, progress=progress, **word2vec_options)
    report.update(origin)
    train_tokens = prepared.text_pipeline.tokenize_many(prepared.split.train["text"])
    matrix, coverage = build_embedding_matrix(prepared.vocab, vectors, dim=cfg.embedding_dim, seed=cfg.seed,
                                              train_tokens=train_tokens, pad_index=prepared.vocab.pad_index)
    report.update(coverage, seconds=time.perf_counter() - start)
    return matrix, report


def vectors_for(cfg: Config, prepared: PreparedData, *, progress: bool = False,
                **word2vec_options: Any) -> tuple[Any, dict[str, Any]]:
    """Return the word vectors ``cfg.embedding`` names (not "random") and report entries on their origin.

    Introduced in notebook 05. ``"word2vec"``: :func:`cached_word2vec` (``word2vec_options`` such
    as ``epochs`` pass through); ``"glove"``: :func:`load_pip_glove` (``Config`` has checked ``embedding_dim=50``);
    anything else: :func:`load_vectors` on that path (a relative path is taken from the project
    root), whose dimension must be ``cfg.embedding_dim``.
    """
    if cfg.embedding == "word2vec":
        vectors, w2v = cached_word2vec(prepared, cfg, **word2vec_options)
        return vectors, {"cache_hit": w2v["cache_hit"], "word2vec": w2v, "source": "word2vec (own tweets)"}
    if cfg.embedding == "glove":
        vectors = load_pip_glove(vocab=prepared.vocab)
        return vectors, {"source": vectors.source}
    vectors = load_vectors(resolve_path(cfg.embedding), vocab=prepared.vocab, expected_dim=cfg.embedding_dim,
                           progress=progress)
    return vectors, {"source": vectors.source, "file_words": vectors.lines_read}


def how_to_choose() -> str:
    """Return the sentence error messages use to say which values ``embedding`` accepts."""
    named = ", ".join(repr(choice) for choice in EMBEDDING_CHOICES)
    return (f"set the parameter embedding to {named} (pip install -e .[glove]) or the path of a "
            "GloVe/word2vec text file such as glove.6B.100d.txt")

