"""Checks for the "Your turn" exercise of notebook 09 (negation and sentiment lexicons).

Notebook 09 asks the learner to write ``negation_scope(tokens)``: one flag per token, True when a
negator (``lexicons.is_negator``: VADER's list and any "...n't") comes before it in the same clause,
a clause ending at ``.`` ``,`` ``!`` ``?`` ``;`` or ``:``. Checked by :func:`check_negation_scope`
on small token lists built here; any sequence of booleans or 0/1 numbers is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tutorial_lib.exercises import Hint, checker, not_filled_in
from tutorial_lib.lexicons import CLAUSE_END, is_negator

# (tokens, expected flags): what a token list of the tweet tokenizer looks like, and its scope.
SCOPE_CASES: tuple[tuple[tuple[str, ...], tuple[bool, ...]], ...] = (
    (("not", "good"), (False, True)),
    (("good", "movie"), (False, False)),
    ((), ()),
    (("i", "don't", "like", "it"), (False, False, True, True)),
    (("not", "good", ",", "great", "actually"), (False, True, False, False, False)),
    (("never", "again", "!", "love", "it"), (False, True, False, False, False)),
    (("NOT", "happy"), (False, True)),
    (("it", "isn\u2019t", "fun"), (False, False, True)),
    (("without", "a", "doubt", "the", "best"), (False, True, True, True, True)),
    (("not", "bad", "at", "all", ".", "not", "great", "either"), (False, True, True, True, False, False, True, True)),
)


def _flags(result: Any, tokens: Sequence[str]) -> tuple[bool, ...]:
    """Return the learner's result as a tuple of booleans, or raise :class:`Hint` when it is not one flag per token."""
    call = f"negation_scope({list(tokens)!r})"
    not_filled_in(result, call)
    if isinstance(result, (str, bytes, dict)):
        raise Hint(f"{call} returned {result!r}; return one True/False per token, in a list")
    try:
        values = list(result)
    except TypeError:
        raise Hint(f"{call} returned {result!r}; return one True/False per token, in a list") from None
    if len(values) != len(tokens):
        raise Hint(f"{call} returned {len(values)} values for {len(tokens)} tokens: give one flag per token, "
                   "negated or not (False for a token outside every scope)")
    if not all(not isinstance(v, (str, bytes)) and v in (0, 1) for v in values):
        raise Hint(f"{call} returned {values!r}; each flag must be True or False (or 1 or 0)")
    return tuple(bool(v) for v in values)


def _diagnose_scope(tokens: tuple[str, ...], got: tuple[bool, ...], expected: tuple[bool, ...]) -> str:
    """Return the most specific hint for a wrong scope on ``tokens``."""
    call = f"negation_scope({list(tokens)!r}) returned {list(got)}, expected {list(expected)}"
    wrong = [i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e]
    first = wrong[0]
    if got[first] and is_negator(tokens[first]) and not expected[first]:
        return (f"{call}: the negator {tokens[first]!r} is flagged itself; its scope starts at the next token "
                "(append the flag, then check whether this token opens a scope)")
    later_wrong = any(g and not e for g, e in zip(got[first + 1:], expected[first + 1:], strict=True))
    if got[first] and CLAUSE_END.match(tokens[first]) and not later_wrong:
        return (f"{call}: the punctuation {tokens[first]!r} ends the scope and is not negated itself; "
                "switch the flag off before appending it")
    if got[first] and any(CLAUSE_END.match(t) for t in tokens[:first + 1]):
        return (f"{call}: the scope goes on past the punctuation; a token that ends a clause "
                "(. , ! ? ; :) ends the scope")
    negators = [t for t in tokens if is_negator(t)]
    if not got[first] and negators and not any(got):
        odd = [t for t in negators if t.lower() not in {"not", "never", "no"}]
        which = f" such as {odd[0]!r}" if odd else ""
        return (f"{call}: no token is negated, so a negator{which} was not recognised; use "
                "lexicons.is_negator(token), which knows VADER's list, capitals and every word ending in n't")
    if not got[first] and first > 0 and got[first - 1]:
        run = next((k for k, flag in enumerate(reversed(got[:first])) if not flag), first)  # flags just before
        return (f"{call}: the scope stops after {run} token{'s' if run > 1 else ''}, before the clause ends; "
                "it runs to the end of the clause, so keep the flag on until punctuation switches it off")
    return f"{call}: a token is negated when a negator comes before it in the same clause"


@checker("negation scope")
def check_negation_scope(negation_scope: Callable[[list[str]], Any]) -> str:
    """Check the learner's ``negation_scope(tokens)`` on :data:`SCOPE_CASES`; print one line, return True/False."""
    for tokens, expected in SCOPE_CASES:
        got = _flags(negation_scope(list(tokens)), tokens)
        if got != expected:
            raise Hint(_diagnose_scope(tokens, got, expected))
    return (f"all {len(SCOPE_CASES)} token lists are right: the scope opens after a negator (n't and capitals "
            "too), covers the rest of the clause and closes at punctuation")
