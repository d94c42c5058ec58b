"""Reading a course notebook's parts: its title, learning goals, pitfalls and "Your turn" exercises.

The kit finds everything it needs in the committed notebooks themselves: the title is the first
``# `` heading, the goals are the bullets under **You will learn**, the pitfalls are the
``> **Note**`` callouts, and an exercise is a cell tagged ``solution`` (with the "Your turn" heading
before it) followed by a cell tagged ``check``. :class:`WorkshopError`, the one error of the kit,
lives here because reading is where the kit first meets a notebook it cannot use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SOLUTION_TAG = "solution"
CHECK_TAG = "check"
PASS, FAIL = "✅", "❌"
YOUR_TURN = re.compile(r"^#{2,4}\s*Your turn:\s*(?P<title>.+?)\s*$", re.M)


class WorkshopError(RuntimeError):
    """The kit cannot be built; the message names the notebook (and cell) and what to do."""


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


def pitfalls(nb: Any) -> list[str]:
    """Return the text of each ``> **Note**`` callout of the notebook's markdown cells, one line each."""
    notes: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        current: list[str] | None = None
        for line in cell.source.splitlines() + [""]:
            if line.startswith(">") and "**Note**" in line and current is None:
                current = [line.lstrip("> ").replace("**Note**", "", 1).strip()]
            elif current is not None and line.startswith(">"):
                current.append(line.lstrip(">").strip())
            elif current is not None:
                notes.append(" ".join(part for part in current if part))
                current = None
    return notes


@dataclass
class Exercise:
    """One "Your turn" exercise: its title and the indices of its solution and check cells."""

    notebook: str
    number: int  # 1, 2, ... within the notebook
    title: str
    solution_cell: int
    check_cell: int | None

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
            found.append(Exercise(name, len(found) + 1, title or first_line(cell.source), i, check))
            title = None
    return found
