"""Word2vec trained on our own tweets: the corpus, reproducible training and a cache (notebook 05).

Word2vec learns a vector for each word by training a tiny network to predict the words around it;
words used in similar contexts end up with similar vectors. It needs text but no labels.
:func:`word2vec_corpus` collects the text we may learn from (the training split and the unlabeled
tweets of ``test.csv``, never the validation or test split), :func:`train_word2vec` trains gensim's
``Word2Vec`` on it reproducibly, and :func:`cached_word2vec` saves the vectors in the run's output
folder so that a rerun loads them instead of training again. gensim is imported inside the
functions that use it (no torch).
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutorial_lib.paths import atomic_write_bytes, display_path, resolve_path

from .vectors import DataError

if TYPE_CHECKING:  # imported for type hints only
    from tutorial_lib.config import Config
    from tutorial_lib.pipeline import PreparedData


def stable_hash(text: str) -> int:
    """Return a hash of ``text`` that is the same in every process (CRC-32 of its UTF-8 bytes).

    Introduced in notebook 05. gensim's ``hashfxn`` option (documented as the hash used to
    initialise weights, for reproducibility) defaults to Python's ``hash()``, which changes from
    process to process unless ``PYTHONHASHSEED`` is set. Passing this one is a safeguard: gensim
    4.4 draws its starting vectors from ``seed`` alone.
    """
    return zlib.crc32(text.encode("utf-8"))


def train_word2vec(token_lists: Sequence[Sequence[str]], *, dim: int = 100, seed: int = 0, epochs: int = 5,
                   window: int = 5, min_count: int = 1, sg: int = 1, negative: int = 5):
    """Train word2vec on ``token_lists`` and return its gensim ``KeyedVectors``.

    Introduced in notebook 05. One worker thread and the ``seed`` make it reproducible: the same
    tokens and seed give the same vectors in every process (``hashfxn`` is the process-independent
    :func:`stable_hash`). ``sg=1`` (skip-gram: predict the neighbours from the word) is the usual
    choice for a small corpus with many rare words; ``min_count=1`` keeps every word.
    """
    from gensim.models import Word2Vec

    sentences = [list(tokens) for tokens in token_lists if len(tokens) > 0]
    if not sentences:
        raise DataError("word2vec needs at least one non-empty token list to learn from")
    model = Word2Vec(sentences=sentences, vector_size=dim, window=window, min_count=min_count, sg=sg,
                     negative=negative, epochs=epochs, seed=seed, workers=1, hashfxn=stable_hash)
    if len(model.wv) == 0:
        raise DataError(f"no word occurs at least min_count={min_count} times; lower min_count")
    return model.wv


def word2vec_corpus(prepared: PreparedData) -> tuple[list[list[str]], dict[str, int]]:
    """Return the token lists word2vec learns from, and counts saying where they came from.

    Introduced in notebook 05: the training split's tweets plus the unlabeled tweets of
    ``test.csv``, tokenized by the run's text pipeline. The validation and test splits are left
    out, even their text: learning from it would let the held-out tweets shape the model before
    it is scored on them. For the same reason an unlabeled tweet whose tokens equal those of a
    validation or test tweet is dropped.
    """
    tokenize, cache = prepared.text_pipeline.tokenize_many, {}
    train = tokenize(prepared.split.train["text"], cache=cache)
    held_out = {tuple(t) for split in (prepared.split.val, prepared.split.test)
                for t in tokenize(split["text"], cache=cache)}
    unlabeled_all = tokenize(prepared.unlabeled_texts, cache=cache)
    unlabeled = [tokens for tokens in unlabeled_all if tuple(tokens) not in held_out]
    corpus = [tokens for tokens in train + unlabeled if tokens]
    counts = {
        "train_tweets": len(train),
        "unlabeled_tweets": len(unlabeled),
        "unlabeled_dropped_as_held_out": len(unlabeled_all) - len(unlabeled),
        "tweets": len(corpus),
        "tokens": sum(len(t) for t in corpus),
    }
    return corpus, counts


def cached_word2vec(prepared: PreparedData, cfg: Config, *, epochs: int = 5, window: int = 5, sg: int = 1,
                    min_count: int = 1) -> tuple[Any, dict[str, Any]]:
    """Return word2vec ``KeyedVectors`` for the run (``cfg.embedding_dim``, ``cfg.seed``) and a report.

    Introduced in notebook 05. The vectors are trained on :func:`word2vec_corpus` and saved
    atomically to ``<output_dir>/word2vec-<key>.kv``; ``key`` is a hash of the settings, the seed,
    the gensim version and the corpus itself, so a changed corpus or setting never reuses stale
    vectors. A second call with the same inputs loads the file instead of training. The report
    holds ``cache_hit``, ``path``, ``settings``, ``corpus`` (the counts) and ``seconds``.
    """
    corpus, counts = word2vec_corpus(prepared)
    settings = {"dim": cfg.embedding_dim, "seed": cfg.seed, "epochs": epochs, "window": window, "sg": sg,
                "min_count": min_count}
    path = resolve_path(cfg.output_dir) / f"word2vec-{_word2vec_key(corpus, settings)}.kv"
    report: dict[str, Any] = {"path": display_path(path), "settings": settings, "corpus": counts}
    start = time.perf_counter()
    kv = _load_cached(path, report)
    hit = kv is not None
    if not hit:
        kv = train_word2vec(corpus, dim=cfg.embedding_dim, seed=cfg.seed, epochs=epochs, window=window, sg=sg,
                            min_count=min_count)
        _save(kv, path)
    report.update(cache_hit=hit, seconds=time.perf_counter() - start)
    return kv, report


def _word2vec_key(corpus: Sequence[Sequence[str]], settings: Mapping[str, Any]) -> str:
    """Return a 16-hex-digit hash of the settings, the gensim version and every token of ``corpus``."""
    import gensim

    digest = hashlib.sha256()
    digest.update(json.dumps({**settings, "gensim": gensim.__version__}, sort_keys=True).encode())
    for tokens in corpus:
        digest.update("\x1f".join(tokens).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()[:16]


def _load_cached(path: Path, report: dict[str, Any]) -> Any:
    """Return the KeyedVectors saved at ``path``, or None when there are none (or they cannot be read)."""
    from gensim.models import KeyedVectors

    if not path.is_file():
        return None
    try:
        return KeyedVectors.load(str(path))
    except Exception as exc:  # noqa: BLE001 - an unreadable cache is retrained (same seed, same vectors)
        report["cache_note"] = f"unreadable cache file retrained ({type(exc).__name__})"
        return None


def _save(kv: Any, path: Path) -> None:
    """Write ``kv`` to ``path`` atomically, as one file."""
    buffer = io.BytesIO()
    kv.save(buffer)  # a file handle: gensim pickles everything into it (no side files)
    atomic_write_bytes(path, buffer.getvalue())
