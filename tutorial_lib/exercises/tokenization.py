"""Checks for the "Your turn" exercises of notebook 04 (tokenization).

Notebook 04 asks the learner to write the two steps that turn tokens into numbers:

* ``build_vocab(token_lists, min_freq)``: a dict from token to id with ``<PAD>`` = 0, ``<SOS>``,
  ``<EOS>`` and ``<UNK>``, then every token seen at least ``min_freq`` times; checked by
  :func:`check_vocabulary` on small token lists and, in the notebook, on the learner's vocabulary of
  the training split (no word that only the validation split has may be in it);
* ``encode_tweet(tokens, vocab, seq_length)``: ``<SOS> ids <EOS> <PAD>...`` of exactly
  ``seq_length`` ids, unknown tokens as ``<UNK>``, a long tweet cut so that ``<EOS>`` stays;
  checked by :func:`check_encoder`.

Each check prints one line (see :mod:`tutorial_lib.exercises`). This module does not import torch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from numbers import Integral

from tutorial_lib.exercises import Hint, checker, expect, not_filled_in

SPECIALS = ("<PAD>", "<SOS>", "<EOS>", "<UNK>")

# Small training tweets for check_vocabulary: love 3 times, i and it twice, the rest once.
VOCAB_TRAIN: tuple[tuple[str, ...], ...] = (
    ("i", "love", "it"),
    ("love", "this", "app"),
    ("i", "hate", "mondays"),
    ("love", "it"),
)
# min_freq -> the ordinary tokens the vocabulary must hold
VOCAB_EXPECTED = {2: {"i", "love", "it"}, 1: {"i", "love", "it", "this", "app", "hate", "mondays"}}


def _check_one_vocab(vocab: object, call: str, expected: set[str], min_freq: int) -> None:
    not_filled_in(vocab, call)
    expect(isinstance(vocab, Mapping), f"{call} returned a {type(vocab).__name__}; return a dict "
                                       "from token to id, e.g. {'<PAD>': 0, '<SOS>': 1, ...}")
    missing = [s for s in SPECIALS if s not in vocab]
    if "<UNK>" in missing and len(missing) == 1:
        raise Hint(f"{call} has no '<UNK>': a word the vocabulary has not seen would then raise KeyError "
                   "(the published original's mistake); reserve '<UNK>' next to the other special tokens")
    expect(not missing, f"{call} lacks the special token(s) {missing}; put {list(SPECIALS)} first")
    expect(vocab["<PAD>"] == 0, f"{call} gives '<PAD>' the id {vocab['<PAD>']!r}; padding must be id 0 "
                                "(rows are filled with 0 and the embedding layer keeps row 0 at zero)")
    ids = sorted(vocab.values())
    expect(all(isinstance(i, Integral) and not isinstance(i, bool) for i in ids), f"{call}: every id must be an int")
    expect(ids == list(range(len(ids))), f"{call}: the ids are {ids[:12]}{'…' if len(ids) > 12 else ''}; "
                                         "give every token its own id, 0, 1, 2, … with no gaps")
    tokens = set(vocab) - set(SPECIALS)
    extra, lacking = sorted(tokens - expected), sorted(expected - tokens)
    counted = "; in the tweets " + ", ".join(" ".join(t) for t in VOCAB_TRAIN)
    if extra:
        raise Hint(f"{call} holds {extra}, seen fewer than min_freq={min_freq} times{counted}; keep a token "
                   "only when its count is at least min_freq")
    if lacking:
        raise Hint(f"{call} lacks {lacking}, seen at least min_freq={min_freq} times{counted}; count every "
                   "occurrence (collections.Counter) and keep the tokens with count >= min_freq")


@checker("build a vocabulary")
def check_vocabulary(
    build_vocab: Callable[[Sequence[Sequence[str]], int], Mapping[str, int]],
    my_vocab: Mapping[str, int] | None = None,
    train_tokens: Sequence[Sequence[str]] | None = None,
    heldout_tokens: Sequence[Sequence[str]] | None = None,
    min_freq: int = 2,
) -> str:
    """Check the learner's ``build_vocab`` on :data:`VOCAB_TRAIN`, then the vocabulary they built.

    ``my_vocab`` (the learner's vocabulary of ``train_tokens``) must equal the tokens of
    :meth:`tutorial_lib.tokenization.Vocabulary.build` and hold no token that occurs only in
    ``heldout_tokens`` (the validation split in notebook 04).
    """
    for freq, expected in VOCAB_EXPECTED.items():
        call = f"build_vocab(tweets, min_freq={freq}) on 4 small tweets"
        _check_one_vocab(build_vocab([list(t) for t in VOCAB_TRAIN], freq), call, expected, freq)
    success = "specials first with '<PAD>' = 0, min_freq respected on small tweets"
    if train_tokens is None:
        return success
    from tutorial_lib.tokenization import Vocabulary

    not_filled_in(my_vocab, "my_vocab (your vocabulary of the training tokens)")
    expect(isinstance(my_vocab, Mapping), f"my_vocab is a {type(my_vocab).__name__}; build it with "
                                          "build_vocab(train_tokens, min_freq=cfg.min_freq)")
    words = set(my_vocab) - set(SPECIALS)
    seen = {t for tokens in train_tokens for t in tokens}
    leaked = sorted(w for w in words if w not in seen)
    if leaked and heldout_tokens is not None:
        heldout = {t for tokens in heldout_tokens for t in tokens}
        leaked = sorted(w for w in leaked if w in heldout) or leaked
    expect(not leaked, f"my_vocab holds {len(leaked)} words that no training tweet has (e.g. {leaked[:3]}): "
                       "build the vocabulary from the training tokens only, so that validation and test "
                       "measure how the model copes with new words")
    reference = set(Vocabulary.build(train_tokens, min_freq=min_freq).itos) - set(SPECIALS)
    expect(words == reference, f"my_vocab has {len(words) + 4} entries, Vocabulary.build(train_tokens, "
                               f"min_freq={min_freq}) has {len(reference) + 4}: build it with "
                               f"build_vocab(train_tokens, min_freq={min_freq})")
    return success + f"; my_vocab: {len(my_vocab)} entries, the same tokens as Vocabulary.build, no held-out word"


ENCODER_VOCAB = {"<PAD>": 0, "<SOS>": 1, "<EOS>": 2, "<UNK>": 3, "i": 4, "love": 5, "it": 6, "so": 7,
                 "much": 8}
# (tokens, seq_length, expected ids, what the case tests)
ENCODER_CASES: tuple[tuple[tuple[str, ...], int, list[int], str], ...] = (
    (("i", "love", "it"), 8, [1, 4, 5, 6, 2, 0, 0, 0], "short"),
    (("i", "love", "pizza"), 8, [1, 4, 5, 3, 2, 0, 0, 0], "unknown"),
    (("i", "love", "it", "so", "much"), 7, [1, 4, 5, 6, 7, 8, 2], "fits"),
    (("i", "love", "it", "so", "much", "so", "much"), 6, [1, 4, 5, 6, 7, 2], "long"),
    ((), 4, [1, 2, 0, 0], "empty"),
)


def _encoder_hint(call: str, got: list[int], want: list[int], kind: str, seq_length: int) -> str:
    said = f"{call} returned {got}, expected {want}"
    if len(got) != seq_length:
        return f"{said}: a row must have exactly seq_length={seq_length} ids (pad or cut to that length)"
    if got and got[0] == 0 and want[0] != 0:
        return f"{said}: the padding is at the start; put '<PAD>' (0) after '<EOS>', at the end of the row"
    if got[0] != 1:
        return f"{said}: a row starts with the id of '<SOS>' ({ENCODER_VOCAB['<SOS>']})"
    if kind == "unknown":
        return (f"{said}: 'pizza' is not in the vocabulary and must read as '<UNK>' (id 3): "
                "vocab.get(token, vocab['<UNK>'])")
    if kind == "long" and 2 not in got:
        return (f"{said}: a cut tweet lost its '<EOS>'; keep the first seq_length - 2 tokens, then add "
                "'<SOS>' and '<EOS>' around them")
    if 2 not in got:
        return f"{said}: '<EOS>' (id 2) must follow the tweet's last token"
    return said


@checker("encode a tweet")
def check_encoder(encode_tweet: Callable[[Sequence[str], Mapping[str, int], int], Sequence[int]]) -> str:
    """Check the learner's ``encode_tweet`` with :data:`ENCODER_VOCAB` on :data:`ENCODER_CASES`."""
    shown_vocab = ", ".join(f"{t}={i}" for t, i in ENCODER_VOCAB.items())
    for tokens, seq_length, want, kind in ENCODER_CASES:
        call = f"encode_tweet({list(tokens)}, vocab, seq_length={seq_length})"
        try:
            got = encode_tweet(list(tokens), dict(ENCODER_VOCAB), seq_length)
        except KeyError as err:
            raise Hint(f"{call} raised KeyError {err} with the vocabulary {{{shown_vocab}}}: a word the "
                       "vocabulary lacks must become '<UNK>': vocab.get(token, vocab['<UNK>'])") from None
        not_filled_in(got, call)
        try:
            got = [int(i) for i in got]
        except (TypeError, ValueError):
            raise Hint(f"{call} returned {got!r}; return a list of int ids") from None
        if got != want:
            raise Hint(_encoder_hint(call, got, want, kind, seq_length))
    return ("<SOS> … <EOS> then <PAD> (0) at the end, unknown words as <UNK>, a cut tweet keeps <EOS>, "
            f"on {len(ENCODER_CASES)} small tweets")
