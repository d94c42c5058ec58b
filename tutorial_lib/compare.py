"""The course's one standard for a comparison over seeds: :func:`judge` (notebooks 05 and 08).

Each seed trains both settings, so each seed gives one paired difference (changed minus default).
A difference counts only when it has the same sign on every seed AND its mean over the seeds
exceeds its spread (the population standard deviation of the seed-paired differences); anything
else is "within the noise", whichever way it points. The benchmark and ``python -m tutorial_lib
compare`` (the course's tooling, :mod:`tutorial_tools.compare`) judge by this same function.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import TutorialError


@dataclass(frozen=True)
class Verdict:
    """The course's judgement of seed-paired differences (changed minus default)."""

    mean: float
    spread: float  # population standard deviation over the seeds
    better_on: int  # seeds on which the changed setting scored higher
    worse_on: int
    seeds: int
    outcome: str  # "better", "worse" or "within the noise"
    reason: str

    @property
    def real(self) -> bool:
        return self.outcome != "within the noise"


def judge(differences: Sequence[float]) -> Verdict:
    """Return the verdict on seed-paired ``differences`` by the course's one standard.

    Real only when every seed agrees in sign (no seed at zero either) and ``|mean| > spread``, the
    population standard deviation; otherwise "within the noise". One seed cannot show a spread, so
    it is always within the noise. Introduced in notebook 05.
    """
    diffs = [float(d) for d in differences]
    if not diffs:
        raise TutorialError("no seeds to judge: give one seed-paired difference per seed")
    mean = statistics.fmean(diffs)
    spread = statistics.pstdev(diffs)
    up, down = sum(d > 0 for d in diffs), sum(d < 0 for d in diffs)
    n = len(diffs)
    if n < 2:
        outcome, reason = "within the noise", "one seed shows no spread; use at least two (--seeds 0 1 2)"
    elif up != n and down != n:
        outcome, reason = "within the noise", f"the seeds disagree: higher on {up}, lower on {down}, equal on {n - up - down}"
    elif abs(mean) <= spread:
        outcome, reason = "within the noise", (f"every seed agrees in sign, but the mean {points(mean)} does not "
                                               f"exceed its spread {points(spread, sign=False)}")
    else:
        outcome = "better" if mean > 0 else "worse"
        reason = (f"{'higher' if mean > 0 else 'lower'} on all {n} seeds and the mean {points(mean)} exceeds "
                  f"its spread {points(spread, sign=False)}")
    return Verdict(mean, spread, up, down, n, outcome, reason)


def points(value: float, *, sign: bool = True) -> str:
    """Return a score difference in points (hundredths), e.g. ``+1.3``."""
    return f"{100 * value:+.1f}" if sign else f"{100 * value:.1f}"
