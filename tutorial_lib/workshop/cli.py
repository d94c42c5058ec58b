"""The command line of the kit: ``python -m tutorial_lib workshop``, as ``make workshop`` types it.

Parses the options, makes the data paths among the ``-p`` parameters absolute from the folder the
command was typed in, runs :func:`~tutorial_lib.workshop.kit.build_kit` and prints a summary of what
it measured. Every failure is one ``error:`` line on stderr (exit 1; 2 for a bad option).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutorial_lib.config import ConfigError, absolute_paths
from tutorial_lib.paths import message_path, project_root

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
        report = build_kit(output, params, notebooks_folder=folder, student_run=not args.skip_student_run)
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
