"""The command lines of the kit: ``python -m tutorial_lib workshop`` (``make workshop``) and
``python -m tutorial_lib student`` (``make lab EDITION=student``).

``workshop`` parses the options, makes the data paths among the ``-p`` parameters absolute from the
folder the command was typed in, runs :func:`~tutorial_lib.workshop.kit.build_kit` and prints a
summary of what it measured. ``student`` writes the student edition into the course folder
(:mod:`.edition`) and says how to open it. Every failure is one ``error:`` line on stderr (exit 1;
2 for a bad option).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutorial_lib.config import ConfigError, absolute_paths
from tutorial_lib.paths import message_path, project_root

from .copies import STUDENT_OUTPUT
from .edition import STUDENT_DIR, write_student_edition
from .kit import DEFAULT_OUTPUT, build_kit
from .notebook_parts import FAIL, WorkshopError
from .report import KitReport


def cli_main(argv: list[str]) -> int:
    """``python -m tutorial_lib workshop [--output-dir DIR] [-p NAME VALUE]... [--skip-student-run]``."""
    from tutorial_lib.series import EXIT_INTERRUPTED, parse_value

    args = _parser().parse_args(argv)
    params = {name: parse_value(value) for name, value in args.parameter}
    params = absolute_paths(params)  # relative data paths are taken from the current folder
    output = Path(args.output_dir).expanduser().resolve() if args.output_dir else project_root() / DEFAULT_OUTPUT
    folder = Path(args.notebooks_dir).expanduser().resolve() if args.notebooks_dir else None
    if folder is not None and not folder.is_dir():
        print(f"error: --notebooks-dir {folder} is not a folder", file=sys.stderr)
        return 2
    try:
        report = build_kit(output, params, notebooks_folder=folder, student_run=not args.skip_student_run,
                           student_run_dir=Path(args.keep_student_runs).resolve() if args.keep_student_runs else None)
    except KeyboardInterrupt:
        print("error: interrupted (Ctrl-C); the notebook's kernel was stopped and the kit is incomplete; "
              "run the command again", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (WorkshopError, ConfigError) as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    _print_summary(report)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tutorial_lib workshop",
        description="Build the workshop kit: student copies, executed solutions, static HTML and INSTRUCTOR.md.",
    )
    parser.add_argument("--output-dir", default=None, metavar="DIR",
                        help=f"the kit's folder (default: {DEFAULT_OUTPUT} in the project; a relative path is "
                             "taken from the current folder)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter for every notebook, typed like papermill's -p (the measured minutes "
                             "then describe these parameters)")
    parser.add_argument("--skip-student-run", action="store_true",
                        help="do not execute the student copies afterwards")
    parser.add_argument("--keep-student-runs", default=None, metavar="DIR",
                        help="keep the executed student copies in DIR (what learners see with every stub unfilled)")
    parser.add_argument("--notebooks-dir", default=None, metavar="DIR",
                        help="folder of the numbered notebooks (default: notebooks/ of this project)")
    return parser


def _print_summary(report: KitReport) -> None:
    """Print where the kit is and the seconds each notebook took (solutions, then the student copies)."""
    shown = message_path(report.output_dir)
    print(f"Workshop kit in {shown}/: student/, solutions/, html/index.html, INSTRUCTOR.md, timings.json")
    print("  solutions: " + ", ".join(f"{p.name[:2]} {p.seconds:.0f} s" for p in report.pages)
          + f"; total {report.solutions_seconds:.0f} s")
    if report.student_seconds is not None:
        print(f"  student copies: all {len(report.pages)} ran top to bottom with every stub unfilled in "
              f"{report.student_seconds:.0f} s; each of the {report.checks_hinted} checks printed its {FAIL} hint")
    else:
        print("  student copies: not executed (--skip-student-run)")


def student_main(argv: list[str]) -> int:
    """``python -m tutorial_lib student [--output-dir DIR]``: write the student edition, keep what is there."""
    parser = argparse.ArgumentParser(
        prog="python -m tutorial_lib student",
        description="Write the student edition (the notebooks with the answers left to write) into student/ of "
                    "the course folder; a notebook already there is kept (delete it to get a fresh copy).")
    parser.add_argument("--output-dir", default=None, metavar="DIR",
                        help=f"another folder for the notebooks (default: {STUDENT_DIR}/ in the course folder)")
    args = parser.parse_args(argv)
    folder = Path(args.output_dir).expanduser().resolve() if args.output_dir else project_root() / STUDENT_DIR
    if folder.exists() and not folder.is_dir():
        print(f"error: {message_path(folder)} is a file; choose a folder with --output-dir", file=sys.stderr)
        return 1
    try:
        written, kept = write_student_edition(folder)
    except WorkshopError as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    shown = message_path(folder)
    if not written and not kept:
        print("error: no numbered notebooks (NN_name.ipynb) in the course's notebooks/ folder", file=sys.stderr)
        return 1
    print(f"Student edition in {shown}/: " + (f"wrote {', '.join(written)}" if written else "nothing new")
          + (f"; kept {len(kept)} notebook{'s' if len(kept) != 1 else ''} already there (your work; delete one "
             "to get a fresh copy)" if kept else ""))
    print(f"Open it: make lab EDITION=student  (or: .venv/bin/jupyter lab --notebook-dir={shown}; Windows: "
          f".venv\\Scripts\\jupyter lab --notebook-dir={shown}); its runs write to {STUDENT_OUTPUT}/ in the course folder")
    return 0
