"""The student edition in a learner's course folder: ``python -m tutorial_lib student`` (``make lab EDITION=student``).

Writes the student copy (:func:`~tutorial_tools.workshop.copies.student_copy`) of every numbered
notebook into ``student/`` of the course folder, the folder learners open. A notebook already there
is never overwritten: it may hold a learner's work (delete it to get a fresh copy). Nothing is
executed, so it takes a second and works offline.
"""

from __future__ import annotations

from pathlib import Path

from tutorial_lib.paths import project_root

from .copies import student_copy, write_notebook

STUDENT_DIR = "student"


def write_student_edition(folder: Path | None = None, notebooks: list[Path] | None = None) -> tuple[list[str], list[str]]:
    """Write the student copy of each of ``notebooks`` (default: the course's) into ``folder`` (default
    ``student/`` of the course folder) unless a notebook of that name is there; return (written, kept) names.

    Every copy is made before any is written, so a notebook without stubs (:class:`WorkshopError`) writes none.
    """
    import nbformat

    from tutorial_tools.series import list_notebooks, notebooks_dir

    folder = folder or project_root() / STUDENT_DIR
    paths = notebooks if notebooks is not None else list_notebooks(notebooks_dir())
    missing = [p for p in paths if not (folder / p.name).exists()]
    copies = {p.name: student_copy(nbformat.read(p, as_version=4), p.name) for p in missing}
    for name, nb in copies.items():
        write_notebook(nb, folder / name)
    return list(copies), [p.name for p in paths if p not in missing]


def edition_message(folder: Path, written: list[str], kept: list[str]) -> str:
    """Return what ``python -m tutorial_lib student`` prints: what it wrote into ``folder``, what it kept, how to open it."""
    from tutorial_lib.paths import message_path

    from .copies import STUDENT_OUTPUT

    shown = message_path(folder)
    kept_note = (f"; kept {len(kept)} notebook{'s' if len(kept) != 1 else ''} already there (your work; delete one "
                 "to get a fresh copy)" if kept else "")
    return (f"Student edition in {shown}/: " + (f"wrote {', '.join(written)}" if written else "nothing new") + kept_note
            + f"\nOpen it: make lab EDITION=student  (or: .venv/bin/jupyter lab --notebook-dir={shown}; Windows: "
            f".venv\\Scripts\\jupyter lab --notebook-dir={shown}); its runs write to {STUDENT_OUTPUT}/ in the course folder")
