"""One check of the set-up, as the doctor reports it: :class:`Check`, and the set-up command every fix names.

This module imports only the standard library at start and uses nothing newer than Python 3.8
syntax, like :mod:`tutorial_tools.doctor`, so that an old Python is told what to do.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

MIN_PYTHON = (3, 11)
STATUSES = ("OK", "WARN", "FAIL")


@dataclass(frozen=True)
class Check:
    """The outcome of one check: its status, what was found, and (for WARN/FAIL) the fix."""

    status: str
    name: str
    message: str
    fix: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")

    def lines(self) -> list[str]:
        """Return the report lines: ``[STATUS] name: message`` and, if any, an indented ``fix:``."""
        head = f"{'[' + self.status + ']':7s}{self.name}: {self.message}"
        return [head] + ([f"{'':7s}fix: {self.fix}"] if self.fix and self.status != "OK" else [])


def on_windows(platform: str) -> bool:
    """Return whether ``platform`` (a ``sys.platform`` value) is Windows."""
    return platform.startswith("win")


def setup_hint(platform: str = sys.platform) -> str:
    """Return the command that (re)runs the set-up on ``platform`` (see tools/setup_env.py)."""
    if on_windows(platform):
        return f"py -{MIN_PYTHON[0]}.{MIN_PYTHON[1]} tools\\setup_env.py"
    return "make setup   (or: python3 tools/setup_env.py)"
