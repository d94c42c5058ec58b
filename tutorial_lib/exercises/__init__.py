"""Self-checks for the "Your turn" exercises of the notebooks (the workshop edition).

Each notebook has at least two exercises, each a pair of cells:

* a **solution cell** (code cell tagged ``solution``): in the committed notebooks it holds a worked
  answer; its metadata key ``stub`` holds what a student copy shows instead: the task as a comment and
  a placeholder that runs (for example a function whose body is ``return None``), so that a student
  copy executes top to bottom with every stub unfilled;
* a **check cell** (code cell tagged ``check``) that calls a checker from this package on the
  learner's code, for example ``ex.check_normalizer(normalize_links)``.

A checker tests behaviour, not the exact code: it calls the learner's function on small inputs it
builds itself, prints one line, ``✅ <title>: <what works>`` or ``❌ <title>: <a specific hint: what is
wrong, on which small input>``, and returns True or False. It never raises: an exception in the
learner's code becomes a hint that names it. Cells after a check never use the learner's code.

The checkers live in one module per notebook stage (``exercises.preprocessing`` for notebook 02, and
so on); the helpers below are what they share.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

PASS = "✅"
FAIL = "❌"


class Hint(Exception):
    """Raised inside a checker to stop it with a specific hint for the learner."""


def expect(condition: bool, hint: str) -> None:
    """Raise :class:`Hint` with ``hint`` unless ``condition`` holds."""
    if not condition:
        raise Hint(hint)


def not_filled_in(value: Any, what: str) -> None:
    """Raise :class:`Hint` when ``value`` is None: the learner's stub still returns its placeholder."""
    if value is None:
        raise Hint(f"{what} returned None: replace the placeholder in the cell above with your code")


def two_values(result: Any, call: str, what: str) -> tuple[Any, Any]:
    """Return the two parts of the learner's pair ``result`` (a tuple, a list, an array of two rows).

    Raises :class:`Hint` for the placeholder's None and for anything that is not two values, saying
    to return ``what`` (for example ``"a pair (loss, accuracy)"``).
    """
    not_filled_in(result, call)
    if isinstance(result, (str, bytes, dict)):
        raise Hint(f"{call} returned {result!r}; return {what}")
    try:
        first, second = result
    except (TypeError, ValueError):
        raise Hint(f"{call} returned {result!r}; return {what}") from None
    return first, second


def checker(title: str) -> Callable[[Callable[..., str]], Callable[..., bool]]:
    """Decorate a check: its body returns the success text or raises :class:`Hint`; the result is printed.

    The decorated function prints ``✅ title: success text`` and returns True, or prints
    ``❌ title: hint`` and returns False. Any other exception (raised by the learner's code) becomes a
    hint that names the exception, so a check cell never ends in a traceback.
    """

    def wrap(body: Callable[..., str]) -> Callable[..., bool]:
        @functools.wraps(body)
        def run(*args: Any, **kwargs: Any) -> bool:
            try:
                success = body(*args, **kwargs)
            except Hint as hint:
                print(f"{FAIL} {title}: {hint}")
                return False
            except Exception as exc:  # the learner's code failed: say how, never a traceback
                first_line = (str(exc).splitlines() or [""])[0]  # one line, whatever the message holds
                print(f"{FAIL} {title}: your code raised {type(exc).__name__}: {first_line}")
                return False
            print(f"{PASS} {title}: {success}")
            return True

        return run

    return wrap
