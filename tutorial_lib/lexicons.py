"""Sentiment lexicons and negation: what a hand-made word list adds to the LSTM (appendix notebook 09).

A sentiment lexicon is a list of words, each with a score that people gave it rather than one a
model learned. The course uses VADER's (Hutto and Gilbert, 2014): about 7,500 entries made for
social media, slang and emoticons included, rated from -4 (very negative) to +4 (very positive),
MIT licence, shipped inside the ``vaderSentiment`` package (no download). Its rules add what a
word list alone misses: a negator before a word ("not good") flips and weakens it; "very",
capitals and "!!!" strengthen; after "but" the second half counts more.

Two ways to hand the lexicon to a model, both shown in notebook 09:

- per tweet, :func:`tweet_scores`: VADER's four scores of the whole tweet, which the LSTM reads
  beside its pooled summary when ``Config.lexicon`` is ``"vader"`` (the model's
  ``lexicon_features``), and which the TF-IDF peer reads beside its n-grams
  (:func:`tutorial_lib.baselines.tfidf_wordchar_lexicon_baseline`);
- per token, :func:`token_valences` and :func:`negation_scope`: a score and an "is negated" flag for
  each token, what a model would read beside each word's embedding. It is shown, not offered as a
  choice: measured on five seeds it did not beat the noise (``benchmarks/lexicon_prototype.py``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

#: The values of ``Config.lexicon``: no lexicon, or VADER's four tweet scores beside the LSTM's summary.
LEXICON_CHOICES = ("none", "vader")
#: What :func:`tweet_scores` returns per tweet, in this order.
SCORE_NAMES = ("neg", "neu", "pos", "compound")
#: A token that ends a negation's scope: punctuation that closes a clause.
CLAUSE_END = re.compile(r"^[.,!?;:]+$")


@functools.cache
def analyzer() -> Any:
    """Return VADER's ``SentimentIntensityAnalyzer`` (built once: it reads its lexicon file)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tweet_scores(texts: Sequence[str]) -> np.ndarray:
    """Return VADER's ``[N, 4]`` scores (neg, neu, pos, compound) of each text, as float32.

    ``neg``, ``neu`` and ``pos`` are the shares of the text that read negative, neutral and
    positive (they sum to 1); ``compound`` sums it all into one number from -1 to +1. VADER reads
    the text as written: capitals, "!!!" and emoticons count, so give it the cleaned tweet, not
    the lowercased tokens. A text seen twice is scored once.
    """
    scores: dict[str, list[float]] = {}
    for text in texts:
        if text not in scores:
            s = analyzer().polarity_scores(text)
            scores[text] = [s[name] for name in SCORE_NAMES]
    return np.array([scores[text] for text in texts], dtype=np.float32).reshape(len(texts), len(SCORE_NAMES))


def scores_for(model: Any, texts: Sequence[str]) -> np.ndarray | None:
    """Return the scores ``model`` reads beside the tokens of ``texts`` (:func:`tweet_scores`), or None.

    None for a model that reads no lexicon (its ``lexicon_features`` is 0). Training, evaluation and
    prediction call it, so every split and every new text is scored the same way.
    """
    return tweet_scores(texts) if getattr(model, "lexicon_features", 0) else None


def is_negator(token: str) -> bool:
    """Return True for a negation word: one of VADER's list ("not", "never", "nothing", ...) or any "...n't"."""
    from vaderSentiment.vaderSentiment import NEGATE

    token = token.lower().replace("\u2019", "'")  # a curly apostrophe is still an apostrophe
    return token in NEGATE or token.endswith("n't")


def negation_scope(tokens: Sequence[str]) -> list[bool]:
    """Return, for each token, whether a negator before it in the same clause negates it.

    The scope opens after a negator (:func:`is_negator`; the negator itself is not in scope) and
    closes at punctuation that ends a clause (``.``, ``,``, ``!``, ``?``, ``;``, ``:``):
    ``["not", "good", ",", "great"]`` gives ``[False, True, False, False]``.
    """
    flags, negated = [], False
    for token in tokens:
        if CLAUSE_END.match(token):
            negated = False
        flags.append(negated)
        if is_negator(token):
            negated = True
    return flags


def token_valences(tokens: Sequence[str]) -> list[float]:
    """Return each token's score in VADER's lexicon (-4 ... +4), 0.0 for a token it does not list."""
    lexicon = analyzer().lexicon
    return [float(lexicon.get(token.lower(), 0.0)) for token in tokens]
