"""The course's one standard for a comparison over seeds: :func:`judge` (notebooks 05, 08 and 09).

Each seed trains both settings, so each seed gives one paired difference (changed minus default).
A difference counts only when it has the same sign on every seed AND its mean over the seeds
exceeds its spread (the population standard deviation of the seed-paired differences); anything
else is "within the noise", whichever way it points. The benchmark and ``python -m tutorial_lib
compare`` (the course's tooling, :mod:`tutorial_tools.compare`) judge by this same function;
:func:`seed_scores` reads the benchmark's per-seed numbers for the notebooks that quote it (08, 09).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

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

    def describe(self) -> str:
        """Return the verdict in one line: ``+1.7 ± 1.6 points, higher on 4 of 5 seeds: within the noise``."""
        return (f"{points(self.mean)} ± {points(self.spread, sign=False)} points, higher on {self.better_on} of "
                f"{self.seeds} seeds: {self.outcome}")


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


def seed_scores(results: Mapping[str, Any], systems: Mapping[str, str], metric: str = "macro_f1") -> pd.DataFrame:
    """Return one column per system (named by ``systems``: result name -> label) of its per-seed ``metric``.

    ``results`` is a benchmark results file as read by ``json.loads`` (``benchmarks/results/benchmark.json``).
    The rows are the seeds; every system must have run on the same seeds, so that a column difference is
    seed-paired, ready for :func:`judge`. Introduced in notebook 08.
    """
    runs = {label: results["systems"][name]["per_seed"] for name, label in systems.items()}
    seeds = [[run["seed"] for run in per_seed] for per_seed in runs.values()]
    assert all(s == seeds[0] for s in seeds), "the systems must have run on the same seeds"
    return pd.DataFrame({label: [run[metric] for run in per_seed] for label, per_seed in runs.items()},
                        index=pd.Index(seeds[0], name="seed"))
