"""The course's command line: ``python -m tutorial_lib COMMAND [options]`` (``python -m tutorial_tools`` too).

- ``doctor``: check the set-up and print one ``[OK]``/``[WARN]``/``[FAIL]`` line per check with its fix
  (see :mod:`tutorial_tools.doctor`).
- ``data``: find (or download) and verify the data set, print where it is; ``--import-from DIR`` copies
  verified files (e.g. from an offline bundle) into the cache folder.
- ``run``: execute the notebook series with papermill (see :mod:`tutorial_tools.series`).
- ``predict``: classify texts with a saved model bundle (notebook 08's
  :func:`tutorial_lib.prediction.predict_sentiment`).
- ``compare``: train the defaults and changed parameters on several seeds; is the difference more than
  noise? (see :mod:`tutorial_tools.compare`).
- ``workshop``: build the teaching kit: student copies, executed solutions, HTML, instructor notes
  (see :mod:`tutorial_tools.workshop`).
- ``student``: write the student edition into ``student/``, the notebooks learners open (a notebook
  already there is kept; see :mod:`tutorial_tools.workshop.edition`).

**One parameter parser.** ``run``, ``compare`` and ``workshop`` take the notebooks' parameters the same
way (:func:`add_parameter_options`, :func:`parameters`): ``-p NAME VALUE`` typed like papermill's ``-p``
(:func:`parse_value`), ``-r NAME VALUE`` kept as text; relative data paths are taken from the folder
the command was typed in; every name and value is checked by :class:`tutorial_lib.config.Config`
before anything runs; the output folder is ``--output-dir``, never ``-p output_dir``. The benchmark
scripts' ``--set NAME=VALUE`` is read by :func:`parse_assignment`, with the same typing.

**One exit-code map** (:data:`EXIT_STATUS`, :func:`exit_status`), the same for every command:
``0`` done; ``1`` the work failed (a notebook or a kit step failed, a kernel died, a doctor check
FAILed, an unexpected error); ``2`` the command cannot start as asked (an unknown command or option,
a bad parameter, data or a folder that cannot be used); ``130`` interrupted (Ctrl-C).

Every failure ends in one ``error:`` line, never a traceback: anything unexpected is reported by its
type and message (set ``TUTORIAL_LIB_TRACEBACK=1`` to see the traceback when reporting a bug). This
module imports nothing beyond the standard library at start and is written in Python 3.8 syntax, so
``doctor`` also runs on a Python too old for the course, to say so.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

PROG = "python -m tutorial_lib"
TRACEBACK_VAR = "TUTORIAL_LIB_TRACEBACK"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_STATUS = {
    EXIT_OK: "done",
    EXIT_FAILED: "the work failed: a notebook or a kit step failed, a kernel died, a doctor check FAILed, "
                 "or an unexpected error",
    EXIT_USAGE: "the command cannot start as asked: an unknown command or option, a bad parameter, data or "
                "a folder that cannot be used",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
}
COMMANDS = {
    "doctor": "check the set-up (Python, packages, kernel, torch, data, disk) before a workshop",
    "data": "find and verify the data set (or --import-from a folder)",
    "run": "execute the notebook series",
    "predict": "classify texts with a saved model",
    "compare": "is a change better than the noise? train it and the defaults on several seeds",
    "workshop": "build the workshop kit (student copies, solutions, HTML, instructor notes)",
    "student": "write the student edition into student/ (the notebooks learners open; your work is kept)",
}


class CommandError(Exception):
    """A failure a command expects: printed as its message alone, with the exit status of its kind."""


class Failure(CommandError):
    """The work failed (exit 1); the message says where and what to do."""


class UsageError(CommandError):
    """The command cannot start as asked (exit 2); the message says what to change."""


class Interrupted(CommandError):
    """Ctrl-C stopped the command (exit 130); the message says what it left behind."""


def _lesson_input_errors() -> tuple[type[BaseException], ...]:
    """Return the lesson's errors that mean bad input: a parameter, data, a comparison asked for."""
    try:
        from tutorial_lib.errors import TutorialError
    except ImportError:  # a broken install: the error being reported says so
        return ()
    return (TutorialError,)


def exit_status(exc: BaseException) -> int:
    """Return the exit status of a command that raised ``exc``: the one map of :data:`EXIT_STATUS`."""
    if isinstance(exc, (KeyboardInterrupt, Interrupted)):
        return EXIT_INTERRUPTED
    if isinstance(exc, UsageError) or isinstance(exc, _lesson_input_errors()):
        return EXIT_USAGE
    return EXIT_FAILED


def error_line(exc: BaseException) -> str:
    """Return the one ``error:`` line that reports ``exc`` (its message on one line; the type when unexpected)."""
    if isinstance(exc, KeyboardInterrupt):
        return "error: interrupted (Ctrl-C)"
    if expected(exc):
        return "error: " + " ".join(str(exc).split())
    if isinstance(exc, OSError):
        return f"error: {describe_os_error(exc)}"
    return (f"error: unexpected {type(exc).__name__}: {' '.join(str(exc).split())} ({PROG} doctor checks the "
            f"set-up; {TRACEBACK_VAR}=1 shows the traceback for a bug report)")


def expected(exc: BaseException) -> bool:
    """Return whether ``exc`` is a failure the commands expect (its message says what to do), not a bug."""
    return isinstance(exc, (KeyboardInterrupt, CommandError, *_lesson_input_errors()))


def describe_os_error(exc: OSError) -> str:
    """Return an ``OSError`` as one readable phrase: what failed, on which file, and why."""
    why = exc.strerror or str(exc) or type(exc).__name__
    names = [n for n in (exc.filename, exc.filename2) if n]
    return f"{why}: {' -> '.join(str(n) for n in names)}" if names else why


# ------------------------------------------------------------------------------------------ parameters
def parse_value(text: str) -> Any:
    """Return ``text`` converted like papermill's ``-p``: True/False/None, int, float, else the string."""
    if text in ("True", "False"):
        return text == "True"
    if text == "None":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_assignment(text: str) -> tuple[str, Any]:
    """Return ``(NAME, value)`` of a ``--set NAME=VALUE`` item, the value typed by :func:`parse_value`."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise UsageError(f"--set {text!r}: write NAME=VALUE, e.g. --set hidden_size=64")
    return name.strip(), parse_value(value)


def add_parameter_options(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``-p NAME VALUE`` and ``-r NAME VALUE`` to ``parser``; ``what`` says what a parameter is for."""
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help=f"{what}, typed like papermill's -p (True/False/None, int, float, text)")
    parser.add_argument("-r", "--raw", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help=f"{what}, kept as text")


def parameters(args: argparse.Namespace) -> dict[str, Any]:
    """Return the parameters of ``-p``/``-r``, checked; relative data paths made absolute from the current folder.

    Raises :class:`UsageError` for ``-p output_dir`` and :class:`~tutorial_lib.config.ConfigError` for an
    unknown name or a bad value, before anything runs, in every command alike.
    """
    from tutorial_lib.config import Config, absolute_paths

    params: dict[str, Any] = {name: parse_value(value) for name, value in args.parameter}
    params.update({name: value for name, value in args.raw})
    if "output_dir" in params:
        raise UsageError("give the output folder with --output-dir, not -p output_dir")
    params = absolute_paths(params)
    Config.from_mapping(params, strict=True)  # raises ConfigError naming the parameter and the allowed values
    return params


def _folder_option(value: str | None, option: str) -> Path | None:
    """Return the folder an option names, absolute; raise :class:`UsageError` when it is not a folder."""
    if value is None:
        return None
    folder = Path(value).expanduser().resolve()
    if not folder.is_dir():
        raise UsageError(f"{option} {folder} is not a folder")
    return folder


def _output_folder(value: str | None, default: str) -> Path:
    """Return ``--output-dir`` as an absolute path (relative: from the current folder), else ``default`` in the project."""
    from tutorial_lib.paths import project_root

    return Path(value).expanduser().resolve() if value else project_root() / default


def _parser(command: str, description: str) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(prog=f"{PROG} {command}", description=description,
                                   epilog=f"exit status: {exit_help()}")


def exit_help() -> str:
    """Return the exit-code map as one sentence (every command's ``--help`` ends with it)."""
    return "; ".join(f"{code} {text}" for code, text in EXIT_STATUS.items())


# ------------------------------------------------------------------------------------------ dispatch
def usage() -> str:
    """Return the list of commands and the exit-code map (``python -m tutorial_lib --help``)."""
    lines = [f"usage: {PROG} {{{','.join(COMMANDS)}}} [options]", ""]
    lines += [f"  {name:8s} {text}" for name, text in COMMANDS.items()]
    lines += ["", "exit status (every command):"]
    lines += [f"  {code:<8d} {text}" for code, text in EXIT_STATUS.items()]
    return "\n".join(lines)


def _dispatch(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print(usage() + "\n")
        if argv and argv[0] not in ("-h", "--help"):
            raise UsageError(f"unknown command {argv[0]!r}")
        return EXIT_OK if argv else EXIT_USAGE
    from . import commands

    return getattr(commands, argv[0])(argv[1:])


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m tutorial_lib``, ``python -m tutorial_tools`` and the ``tutorial-lib`` script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(argv)
    except (KeyboardInterrupt, Exception) as exc:  # the last line of defence: an error line, never a traceback
        if os.environ.get(TRACEBACK_VAR) and not expected(exc):
            raise
        print(error_line(exc), file=sys.stderr)
        return exit_status(exc)
