"""Reading a course notebook's parts: title, learning goals, outline, "Your turn" and end-of-notebook exercises.

The kit finds everything it needs in the committed notebooks themselves: the title is the first
``# `` heading, the goals are the bullets under **You will learn**, the outline is the first line of
every markdown cell, an exercise is a cell tagged ``solution`` (with the "Your turn" heading before
it) followed by a cell tagged ``check`` that calls ``ex.check_NAME``, and the end-of-notebook
exercises are the numbered list under ``## Exercises``. :class:`WorkshopError`, the one error of the
kit, lives here because reading is where the kit first meets a notebook it cannot use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tutorial_tools.cli import Failure

SOLUTION_TAG = "solution"
CHECK_TAG = "check"
PASS, FAIL = "✅", "❌"
YOUR_TURN = re.compile(r"^#{2,4}\s*Your turn:\s*(?P<title>.+?)\s*$", re.M)


class WorkshopError(Failure):
    """The kit cannot be built; the message names the notebook (and cell) and what to do (exit status 1)."""


def tags(cell: Any) -> list[str]:
    """Return the cell's tags (an empty list when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def text_of(value: Any) -> str:
    """Return a notebook text field as one string (nbformat allows a list of lines)."""
    return "".join(value) if isinstance(value, list) else str(value)


def first_line(source: str) -> str:
    """Return the first non-blank line of ``source``, cut at 60 characters (to name a cell in a message)."""
    lines = [ln.strip() for ln in source.splitlines() if ln.strip()]
    return (lines[0][:60] + ("…" if len(lines[0]) > 60 else "")) if lines else "(empty)"


def title_of(nb: Any, fallback: str) -> str:
    """Return the notebook's title: the first ``# `` heading of its first markdown cell."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            return match.group(1).strip() if match else fallback
    return fallback


def learning_goals(nb: Any) -> list[str]:
    """Return the bullets under **You will learn** in the notebook's first markdown cell (continued lines joined)."""
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first is None or "You will learn" not in first.source:
        return []
    goals: list[str] = []
    for line in first.source.split("You will learn", 1)[1].splitlines()[1:]:
        if line.lstrip().startswith(("- ", "* ")):
            goals.append(line.strip()[2:].strip())
        elif line.strip() and goals and line.startswith(" "):
            goals[-1] += " " + line.strip()
        elif line.strip() and goals:
            break
    return goals


def outline(nb: Any) -> tuple[tuple[int, bool, str], ...]:
    """Return (cell index, is a heading, first line without ``#`` marks) for every markdown cell."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.strip():
            line = cell.source.strip().splitlines()[0]
            found.append((i, line.startswith("#"), line.lstrip("#").strip()))
    return tuple(found)


def end_exercises(nb: Any) -> list[str]:
    """Return the numbered items under the last ``## Exercises`` heading, each as one line of text."""
    cell = next((c for c in reversed(nb.cells) if c.cell_type == "markdown" and "## Exercises" in c.source), None)
    if cell is None:
        return []
    items: list[str] = []
    for line in cell.source.split("## Exercises", 1)[1].splitlines():
        match = re.match(r"^\d+\.\s+(.*)$", line)
        if match:
            items.append(match.group(1).strip())
        elif items and line.strip() and line.startswith(" "):
            items[-1] += " " + line.strip()
        elif items and line.strip():
            break
    return items


@dataclass
class Exercise:
    """One "Your turn" exercise: its title and the indices of its solution and check cells."""

    notebook: str
    number: int  # 1, 2, ... within the notebook
    title: str
    solution_cell: int
    check_cell: int | None
    checker: str | None = None  # the check function the check cell calls (ex.check_NAME)

    @property
    def label(self) -> str:
        return f"{self.notebook[:2]}.{self.number} {self.title}"


def exercises(nb: Any, name: str) -> list[Exercise]:
    """Return the notebook's exercises: each solution cell with the "Your turn" title before it and its check."""
    found: list[Exercise] = []
    title = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            match = YOUR_TURN.search(cell.source)
            if match:
                title = match.group("title").strip().rstrip(".")
        elif SOLUTION_TAG in tags(cell):
            check = next((j for j in range(i + 1, len(nb.cells)) if CHECK_TAG in tags(nb.cells[j])), None)
            called = re.search(r"\bex\.(check_\w+)\(", nb.cells[check].source) if check is not None else None
            found.append(Exercise(name, len(found) + 1, title or first_line(cell.source), i, check,
                                  called.group(1) if called else None))
            title = None
    return found
