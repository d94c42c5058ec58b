"""Session plans: the three agendas (90 minutes, 3 hours, a full day) and which exercises each does live.

An agenda allots teaching minutes per notebook, minutes per live exercise and fixed parts (opening,
breaks, wrap-up); :func:`plan` adds the run time this build measured for each notebook and says what
is left as a buffer. The core exercise of each notebook (:data:`CORE_WORDS`) is the one done live first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .notebook_parts import Exercise
from .report import Page

#: The core exercise of each notebook (the issue's list), found by a word of its title; else the first one.
CORE_WORDS = {"02": ("normaliz",), "03": ("split",), "04": ("vocab", "encode"), "05": ("cosine", "neighbour"),
              "06": ("forward", "pack"), "07": ("epoch", "train"), "08": ("macro", "confusion")}


@dataclass(frozen=True)
class Agenda:
    """A session plan: its length, the minutes of teaching per notebook we allot, and which exercises are live."""

    name: str
    minutes: int
    teach: dict[str, int]  # notebook number -> minutes of explanation (allotted)
    live_core: tuple[str, ...]  # notebooks whose core exercise is done live
    minutes_per_exercise: int
    fixed: dict[str, int]  # opening, breaks, wrap-up (allotted)
    fill: bool = False  # add the other exercises, in order, while the session has time left
    min_buffer: int = 5


AGENDAS = (
    Agenda("90 minutes", 90, {"01": 3, "02": 5, "03": 4, "04": 5, "05": 4, "06": 7, "07": 5, "08": 5},
           ("02", "06", "08"), 7, {"opening and set-up check": 5, "wrap-up and questions": 5}),
    Agenda("3 hours", 180, {"01": 6, "02": 9, "03": 7, "04": 9, "05": 8, "06": 12, "07": 10, "08": 9},
           ("02", "03", "04", "05", "06", "07", "08"), 8,
           {"opening and set-up check": 10, "break": 15, "wrap-up and questions": 5}),
    Agenda("full day (6 hours of sessions, lunch not counted)", 360,
           {"01": 15, "02": 20, "03": 15, "04": 20, "05": 20, "06": 25, "07": 25, "08": 20},
           ("02", "03", "04", "05", "06", "07", "08"), 8,
           {"opening and set-up check": 15, "morning break": 15, "afternoon break": 15, "wrap-up and questions": 10},
           fill=True, min_buffer=10),
)


def core_exercise(page: Page) -> Exercise | None:
    """Return the notebook's core exercise (see :data:`CORE_WORDS`), or its first one."""
    for word in CORE_WORDS.get(page.name[:2], ()):  # the first word decides between two matches
        for ex in page.exercises:
            if word in ex.title.lower():
                return ex
    return page.exercises[0] if page.exercises else None


def plan(agenda: Agenda, pages: list[Page]) -> dict[str, Any]:
    """Return the agenda's rows (measured run minutes + allotted minutes), its live exercises and its buffer."""
    live: list[Exercise] = []
    for page in pages:
        ex = core_exercise(page) if page.name[:2] in agenda.live_core else None
        if ex is not None:
            live.append(ex)

    def used(chosen: list[Exercise]) -> int:
        run = sum(math.ceil((p.seconds or 0) / 60) for p in pages)
        teach = sum(agenda.teach.get(p.name[:2], 10) for p in pages)
        return run + teach + len(chosen) * agenda.minutes_per_exercise + sum(agenda.fixed.values())

    if agenda.fill:
        for ex in (e for p in pages for e in p.exercises):
            if ex not in live and used(live + [ex]) <= agenda.minutes - agenda.min_buffer:
                live.append(ex)
    rows = []
    for page in pages:
        page_live = [e for e in live if e.notebook == page.name]
        run = math.ceil((page.seconds or 0) / 60)
        teach = agenda.teach.get(page.name[:2], 10)
        work = len(page_live) * agenda.minutes_per_exercise
        rows.append({"page": page, "run": run, "teach": teach, "exercises": work, "total": run + teach + work,
                     "live": page_live, "skip": [e for e in page.exercises if e not in page_live]})
    return {"rows": rows, "live": live, "buffer": agenda.minutes - used(live)}
