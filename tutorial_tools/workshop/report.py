"""What the kit knows about its notebooks: a :class:`Page` per notebook and the :class:`KitReport` of a build.

These are the data the HTML index, the agendas and ``INSTRUCTOR.md`` are written from: a page is a
notebook's title, goals, outline and exercises (read by :mod:`.notebook_parts`) plus the seconds this
build measured; the report adds the kit's folder, the parameters and the totals, and says them in the
command's summary. Plain data, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .notebook_parts import FAIL, Exercise, end_exercises, exercises, learning_goals, outline, title_of


@dataclass
class Page:
    """One notebook of the kit: its file name, title, goals, exercises, outline and measured seconds."""

    name: str
    title: str
    goals: list[str] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)
    end_exercises: list[str] = field(default_factory=list)  # the numbered items under "## Exercises"
    outline: tuple[tuple[int, bool, str], ...] = ()  # (cell index, heading?, first line) of each markdown cell
    cells: int = 0
    seconds: float | None = None
    student_seconds: float | None = None

    @classmethod
    def from_notebook(cls, nb: Any, name: str) -> Page:
        """Return the page of notebook ``nb`` (file name ``name``), not yet timed."""
        return cls(name, title_of(nb, Path(name).stem), learning_goals(nb), exercises(nb, name), end_exercises(nb),
                   outline(nb), len(nb.cells))

    @property
    def html_name(self) -> str:
        return Path(self.name).with_suffix(".html").name


@dataclass
class KitReport:
    """What :func:`~tutorial_tools.workshop.kit.build_kit` did: the pages (with measured seconds), the folders,
    and the student run."""

    output_dir: Path
    pages: list[Page]
    params: dict[str, Any]
    solutions_seconds: float
    student_seconds: float | None = None
    checks_hinted: int = 0

    def summary_lines(self) -> list[str]:
        """Return what ``python -m tutorial_lib workshop`` prints: where the kit is, the seconds each notebook took."""
        from tutorial_lib.paths import message_path

        lines = [f"Workshop kit in {message_path(self.output_dir)}/: student/, solutions/, html/index.html, "
                 "INSTRUCTOR.md, timings.json",
                 "  solutions: " + ", ".join(f"{p.name[:2]} {p.seconds:.0f} s" for p in self.pages)
                 + f"; total {self.solutions_seconds:.0f} s"]
        if self.student_seconds is None:
            return lines + ["  student copies: not executed (--skip-student-run)"]
        return lines + [f"  student copies: all {len(self.pages)} ran top to bottom with every stub unfilled in "
                        f"{self.student_seconds:.0f} s; each of the {self.checks_hinted} checks printed its {FAIL} hint"]
