"""Prototype: our LSTM initialised with word2vec vectors trained on the tweets themselves.

A benchmark/tuning helper only (the library's own word vectors live in ``tutorial_lib.embeddings``,
owned there). Word2vec (gensim skip-gram, window 5, min_count 1, ``epochs`` passes, ``seed``,
one worker so it is reproducible) is trained on the distinct training-split tweets plus the
unlabeled tweets of test.csv, tokenized by the prepared text pipeline; no labels and no
validation/test-split text are used. Vocabulary rows without a vector keep a small random
initialisation; the padding row is zero.

    python benchmarks/benchmark.py --systems lstm_w2v_prototype --output benchmarks/results/w2v_prototype.json
"""

from __future__ import annotations

from typing import Any

import numpy as np


def word2vec_matrix(prepared: Any, dim: int, seed: int, epochs: int = 20, window: int = 5,
                    min_count: int = 1) -> tuple[np.ndarray, float]:
    """Return ``(matrix [len(vocab), dim] float32, share of vocabulary rows that got a vector)``."""
    from gensim.models import Word2Vec

    texts = list(dict.fromkeys(prepared.encoded["train"].texts)) + list(prepared.unlabeled_texts)
    sentences = prepared.text_pipeline.tokenize_many(texts)
    w2v = Word2Vec(sentences, vector_size=dim, window=window, min_count=min_count, sg=1, epochs=epochs,
                   seed=seed, workers=1)
    rng = np.random.default_rng(seed)
    matrix = rng.normal(0, 0.1, (len(prepared.vocab), dim)).astype(np.float32)
    hits = 0
    for i, token in enumerate(prepared.vocab.itos):
        if token in w2v.wv:
            matrix[i] = w2v.wv[token]
            hits += 1
    matrix[prepared.vocab.pad_index] = 0
    return matrix, hits / len(prepared.vocab)
