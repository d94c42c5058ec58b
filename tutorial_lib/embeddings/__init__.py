"""Word embeddings: a vector per word, where the vectors come from, and how to look at them (notebook 05).

An embedding gives each vocabulary word a vector (a row of numbers); the model of notebook 06
starts its embedding layer from such a matrix instead of random numbers. One module per step of
notebook 05:

* :mod:`.vectors`: word vectors in memory, and how our words are found among them;
* :mod:`.word2vec`: word2vec trained on our own tweets, reproducibly, with a cache;
* :mod:`.vector_files`: reading and writing GloVe / word2vec text files;
* :mod:`.matrix`: the embedding matrix for our vocabulary, and its coverage;
* :mod:`.glove`: GloVe 6B 50d from the optional pip package;
* :mod:`.explore`: nearest neighbours and 2-D projections;
* :mod:`.choose`: the ``embedding`` parameter, i.e. which of these a run uses.

Every public name is importable from here (``embeddings.load_vectors``). Nothing here imports torch.
"""

from tutorial_lib.errors import DataError as EmbeddingError  # the name notebook 05 catches

from .choose import EMBEDDING_CHOICES, embedding_matrix_for, vectors_for
from .explore import (
    SENTIMENT_WORDS,
    cosine_similarity,
    groups_of,
    nearest_neighbours,
    plot_projection,
    project_2d,
)
from .glove import GLOVE_DIM, GLOVE_MODULE, GLOVE_PACKAGE, load_pip_glove
from .matrix import build_embedding_matrix, coverage_report, find_vector
from .vector_files import VectorLines, load_vectors, write_vectors_text
from .vectors import WordVectors, as_table, vocab_words, word_parts, words_to_look_up
from .word2vec import cached_word2vec, stable_hash, train_word2vec, word2vec_corpus

__all__ = [
    "EMBEDDING_CHOICES", "GLOVE_DIM", "GLOVE_MODULE", "GLOVE_PACKAGE", "SENTIMENT_WORDS", "EmbeddingError",
    "VectorLines", "WordVectors", "as_table", "build_embedding_matrix", "cached_word2vec", "cosine_similarity",
    "coverage_report", "embedding_matrix_for", "find_vector", "groups_of", "load_pip_glove", "load_vectors",
    "nearest_neighbours", "plot_projection", "project_2d", "stable_hash", "train_word2vec", "vectors_for",
    "vocab_words", "word2vec_corpus", "word_parts", "words_to_look_up", "write_vectors_text",
]
