"""Session plans: the three agendas (90 minutes, 3 hours, a full day), which exercises each does live,
and which parts of each notebook the short plan shows.

An agenda allots teaching minutes per notebook, minutes per live "Your turn" exercise, the end-of-notebook
exercises done in the session (their minutes come from the answer key, :mod:`.answers`) and fixed parts
(opening, breaks, wrap-up); :func:`plan` adds the run time this build measured for each notebook and says
what is left as a buffer. The core exercise of each notebook (:data:`CORE_WORDS`) is the one done live
first. A plan with ``show`` names the parts of each notebook to show (:func:`shown_parts`); the rest is
left for reading at home.

A notebook is part of a session when the agenda allots it teaching minutes (``teach``); one it leaves out
(the optional appendix 09 in the 90-minute and 3-hour plans) costs the session nothing: its row says
"after the session", and its exercises, "Your turn" and end-of-notebook, are homework.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .answers import EndExercise, end_exercises_of
from .notebook_parts import Exercise, WorkshopError
from .report import Page

#: The core exercise of each notebook (the issue's list), found by a word of its title; else the first one.
CORE_WORDS = {"02": ("normaliz",), "03": ("split",), "04": ("vocab", "encode"), "05": ("cosine", "neighbour"),
              "06": ("forward", "pack"), "07": ("epoch", "train"), "08": ("macro", "confusion"),
              "09": ("scope",)}

#: The parts of each notebook the 90-minute plan shows: the first words of the markdown cell each starts at.
#: A heading's part is its section (to the next heading), a paragraph's is the paragraph and the code cells after
#: it. The live exercises' parts are added. Only the notebooks the plan teaches are listed (not the appendix, 09).
SHORT_PLAN_SHOW: dict[str, tuple[str, ...]] = {
    "01_loading.ipynb": ("01 · Loading the data", "A picture of the class balance"),
    "02_preprocessing.ipynb": ("Cleaning the labelled tweets", "The original's link pattern"),
    "03_balancing.ipynb": ("Three splits, each with a job", "Pitfall: balancing before splitting"),
    "04_tokenization.ipynb": ("A vocabulary built from the training split only", "From tokens to fixed-length rows"),
    "05_embeddings.ipynb": ("05 · Word embeddings", "What did it learn?", "Do pretrained vectors help?"),
    "06_model.ipynb": ("One short tweet through the layers", "Pitfall 1: reading the answer at a padding position"),
    "07_training.ipynb": ("The loop with early stopping",),
    "08_evaluation.ipynb": ("Metrics on the test split", "On the course's tweets the majority baseline",
                            "Over five seeds the LSTM leads"),
}


@dataclass(frozen=True)
class Agenda:
    """A session plan: its length, the minutes of teaching per notebook we allot, and which exercises are live.

    The notebooks in ``teach`` are the session's; every other one is left for after it (:meth:`in_session`).
    """

    name: str
    minutes: int
    teach: dict[str, int]  # notebook number -> minutes of explanation (allotted); a notebook not listed: after it
    live_core: tuple[str, ...]  # notebooks whose core exercise is done live
    minutes_per_exercise: int
    fixed: dict[str, int]  # opening, breaks, wrap-up (allotted)
    end_live: tuple[str, ...] = ()  # end-of-notebook exercises done in the session ("03.E1"); the rest is homework
    show: dict[str, tuple[str, ...]] = field(default_factory=dict)  # parts to show; a notebook not listed: all
    fill: bool = False  # add the other exercises (core ones first, then in order) while the session has time left
    min_buffer: int = 5

    def __post_init__(self) -> None:
        outside = ([n for n in self.live_core if n not in self.teach]
                   + [label for label in self.end_live if label[:2] not in self.teach]
                   + [name for name in self.show if name[:2] not in self.teach])
        if outside:
            raise ValueError(f"agenda {self.name!r}: {', '.join(outside)} belong to notebooks it does not teach; "
                             "add them to its teach minutes or leave them out")

    def in_session(self, page: Page) -> bool:
        """Return True when the session teaches ``page``'s notebook; else it is reading and homework for after it."""
        return page.name[:2] in self.teach


AGENDAS = (
    Agenda("90 minutes", 90, {"01": 3, "02": 5, "03": 4, "04": 5, "05": 4, "06": 6, "07": 5, "08": 5},
           ("02", "06", "08"), 7, {"opening and set-up check": 5, "wrap-up and questions": 5},
           end_live=("03.E1",), show=SHORT_PLAN_SHOW),
    Agenda("3 hours", 180, {"01": 6, "02": 8, "03": 7, "04": 8, "05": 8, "06": 11, "07": 9, "08": 8},
           ("02", "03", "04", "05", "06", "07", "08"), 8,
           {"opening and set-up check": 10, "break": 15, "wrap-up and questions": 5}, end_live=("03.E1", "08.E3")),
    Agenda("full day (6 hours of sessions, lunch not counted)", 360,
           {"01": 12, "02": 16, "03": 12, "04": 16, "05": 16, "06": 20, "07": 20, "08": 16, "09": 12},
           ("02", "03", "04", "05", "06", "07", "08"), 7,
           {"opening and set-up check": 15, "morning break": 15, "afternoon break": 15, "wrap-up and questions": 10},
           end_live=("01.E4", "02.E2", "03.E1", "04.E1", "05.E3", "06.E1", "07.E3", "08.E2", "08.E3"),
           fill=True, min_buffer=10),
)


def core_exercise(page: Page) -> Exercise | None:
    """Return the notebook's core exercise (see :data:`CORE_WORDS`), or its first one."""
    for word in CORE_WORDS.get(page.name[:2], ()):  # the first word decides between two matches
        for ex in page.exercises:
            if word in ex.title.lower():
                return ex
    return page.exercises[0] if page.exercises else None


def shown_parts(page: Page, anchors: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Return (first cell, last cell, first line) of each part to show, counting cells from 1, in notebook order.

    A part starts at the markdown cell whose first line starts with one of ``anchors`` and runs to the
    cell before the next heading (from a heading) or the next markdown cell (from a paragraph). Raises
    :class:`WorkshopError` naming an anchor the notebook lacks.
    """
    parts = []
    for anchor in anchors:
        start = next((entry for entry in page.outline if entry[2].startswith(anchor)), None)
        if start is None:
            raise WorkshopError(f"{page.name}: the short plan shows the part {anchor!r}, but no markdown cell starts "
                                f"with it; update SHORT_PLAN_SHOW in tutorial_tools/workshop/agenda.py")
        end = next((i for i, heading, _ in page.outline if i > start[0] and (heading or not start[1])), page.cells)
        parts.append((start[0] + 1, end, start[2]))
    return sorted(parts)


def plan(agenda: Agenda, pages: list[Page]) -> dict[str, Any]:
    """Return the agenda's rows (measured run minutes + allotted minutes), its live exercises and its buffer."""
    taught = [p for p in pages if agenda.in_session(p)]
    live: list[Exercise] = []
    for page in taught:
        ex = core_exercise(page) if page.name[:2] in agenda.live_core else None
        if ex is not None:
            live.append(ex)
    ends = [e for p in taught for e in end_exercises_of(p) if e.label in agenda.end_live]

    def used(chosen: list[Exercise]) -> int:
        run = sum(math.ceil((p.seconds or 0) / 60) for p in taught)
        teach = sum(agenda.teach[p.name[:2]] for p in taught)
        return (run + teach + len(chosen) * agenda.minutes_per_exercise + sum(e.minutes for e in ends)
                + sum(agenda.fixed.values()))

    if agenda.fill:  # the core exercises first (a taught notebook's main one), then the others, in order
        cores = [core_exercise(p) for p in taught]
        for ex in [e for e in cores if e is not None] + [e for p in taught for e in p.exercises]:
            if ex not in live and used(live + [ex]) <= agenda.minutes - agenda.min_buffer:
                live.append(ex)
    return {"rows": [_row(agenda, page, live, ends) for page in pages], "live": live, "end_live": ends,
            "buffer": agenda.minutes - used(live)}


def _row(agenda: Agenda, page: Page, live: list[Exercise], ends: list[EndExercise]) -> dict[str, Any]:
    """One notebook's row; a notebook the session does not teach takes no minutes and all its exercises are homework."""
    in_session = agenda.in_session(page)
    page_live = [e for e in live if e.notebook == page.name]
    page_ends = [e for e in ends if e.notebook == page.name]
    run = math.ceil((page.seconds or 0) / 60) if in_session else 0
    teach = agenda.teach.get(page.name[:2], 0)
    work = len(page_live) * agenda.minutes_per_exercise + sum(e.minutes for e in page_ends)
    anchors = agenda.show.get(page.name)
    if anchors is not None:
        anchors += tuple(f"Your turn: {e.title}" for e in page_live)  # a live exercise's part is shown too
    return {"page": page, "in_session": in_session, "run": run, "teach": teach, "exercises": work,
            "total": run + teach + work, "live": page_live, "skip": [e for e in page.exercises if e not in page_live],
            "end_live": page_ends, "end_homework": [e for e in end_exercises_of(page) if e not in page_ends],
            "show": shown_parts(page, anchors) if anchors is not None else None}
