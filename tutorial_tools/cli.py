"""Command line: ``python -m tutorial_lib {doctor,data,run,predict} ...``.

- ``doctor``: check the set-up and print one ``[OK]``/``[WARN]``/``[FAIL]`` line per check with its fix
  (see :mod:`tutorial_lib.doctor`).
- ``data``: find (or download) and verify the data set, print where it is; ``--import-from DIR`` copies
  verified files (e.g. from an offline bundle) into the cache folder.
- ``run``: execute the notebook series with papermill (see :mod:`tutorial_lib.series`).
- ``predict``: classify texts with a saved model bundle (see :mod:`tutorial_lib.prediction`).
- ``compare``: train the defaults and changed parameters on several seeds; is the difference more than
  noise? (see :mod:`tutorial_lib.compare`).
- ``workshop``: build the teaching kit: student copies, executed solutions, HTML, instructor notes
  (see :mod:`tutorial_lib.workshop`).
- ``student``: write the student edition into ``student/``, the notebooks learners open (a notebook
  already there is kept; see :mod:`tutorial_lib.workshop.edition`).

Every failure ends in one ``error:`` line and a non-zero exit status, never a traceback: Ctrl-C exits
with 130, anything unexpected is reported by its type and message (set ``TUTORIAL_LIB_TRACEBACK=1``
to see the traceback when reporting a bug). This module imports nothing beyond the standard library
at start, so ``doctor`` also runs on a Python too old for the course, to say so.
"""

from __future__ import annotations

import argparse
import os
import sys

TRACEBACK_VAR = "TUTORIAL_LIB_TRACEBACK"
COMMANDS = {
    "doctor": "check the set-up (Python, packages, kernel, torch, data, disk) before a workshop",
    "data": "find and verify the data set (or --import-from a folder)",
    "run": "execute the notebook series",
    "predict": "classify texts with a saved model",
    "compare": "is a change better than the noise? train it and the defaults on several seeds",
    "workshop": "build the workshop kit (student copies, solutions, HTML, instructor notes)",
    "student": "write the student edition into student/ (the notebooks learners open; your work is kept)",
}


def _import_data(source: str) -> int:
    """Copy ``train.csv``/``test.csv`` from ``source`` into the cache folder, verified before and after."""
    from pathlib import Path

    from .loading import ENV_VAR, REGISTRY, ChecksumMismatchError, cache_dir, sha256_file, verify_file
    from .paths import atomic_write_bytes, display_path

    folder = Path(source).expanduser().resolve()
    missing = [name for name in REGISTRY if not (folder / name).is_file()]
    if missing:
        print(f"error: {', '.join(missing)} not found in {folder}", file=sys.stderr)
        return 2
    target = cache_dir()
    for name, spec in REGISTRY.items():
        verify_file(folder / name, spec)  # raises ChecksumMismatchError: nothing is copied
        dest = target / name
        if dest.is_file():
            if sha256_file(dest) == spec.sha256:
                print(f"{name}: already in {display_path(target)}/ (verified)")
                continue
            raise ChecksumMismatchError(
                f"{display_path(dest)} exists and differs from the registered {name}; it was left as it is. "
                f"Delete it and rerun to replace it with the verified copy from {folder}")
        atomic_write_bytes(dest, (folder / name).read_bytes())
        verify_file(dest, spec)
        print(f"{name}: copied from {folder} into {display_path(target)}/ (sha256 verified)")
    if os.environ.get(ENV_VAR):
        print(f"note: ${ENV_VAR} is set ({os.environ[ENV_VAR]}), so the course reads that folder, not "
              f"{display_path(target)}/; unset it to use the imported copy")
    return 0


def _data_main(argv: list[str]) -> int:
    from .loading import DataError, get_data_dir
    from .paths import display_path

    parser = argparse.ArgumentParser(prog="python -m tutorial_lib data",
                                     description="Find or download the data set and verify its checksums.")
    parser.add_argument("--data-dir", default=None, help="folder holding train.csv and test.csv")
    parser.add_argument("--no-download", action="store_true", help="never download, only look")
    parser.add_argument("--import-from", default=None, metavar="DIR",
                        help="copy verified train.csv and test.csv from DIR (e.g. an offline bundle's data/) "
                             "into the cache folder data/, where the course finds them")
    args = parser.parse_args(argv)
    try:
        if args.import_from is not None:
            if args.data_dir is not None:
                print("error: --import-from copies into the cache folder; it does not go with --data-dir",
                      file=sys.stderr)
                return 2
            return _import_data(args.import_from)
        folder = get_data_dir(args.data_dir, download=not args.no_download)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"data set verified in {display_path(folder)} (train.csv, test.csv; sha256 checked)")
    return 0


def _usage() -> str:
    lines = ["usage: python -m tutorial_lib {" + ",".join(COMMANDS) + "} [options]", ""]
    lines += [f"  {name:8s} {text}" for name, text in COMMANDS.items()]
    return "\n".join(lines)


def _dispatch(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print(_usage() + "\n")
        if argv and argv[0] not in ("-h", "--help"):
            print(f"error: unknown command {argv[0]!r}", file=sys.stderr)
            return 2
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "doctor":
        from .doctor import cli_main as doctor_main

        return doctor_main(rest)
    if command == "data":
        return _data_main(rest)
    if command == "run":
        from .series import cli_main as run_main

        return run_main(rest)
    if command == "compare":
        from .compare import cli_main as compare_main

        return compare_main(rest)
    if command == "workshop":
        from .workshop import cli_main as workshop_main

        return workshop_main(rest)
    if command == "student":
        from .workshop.cli import student_main

        return student_main(rest)
    from .prediction import cli_main as predict_main

    return predict_main(rest)


def describe_os_error(exc: OSError) -> str:
    """Return an ``OSError`` as one readable phrase: what failed, on which file, and why."""
    why = exc.strerror or str(exc) or type(exc).__name__
    names = [n for n in (exc.filename, exc.filename2) if n]
    return f"{why}: {' -> '.join(str(n) for n in names)}" if names else why


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m tutorial_lib`` and of the ``tutorial-lib`` script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        print("error: interrupted (Ctrl-C)", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: an error line instead of a traceback
        if os.environ.get(TRACEBACK_VAR):
            raise
        if isinstance(exc, OSError):
            print(f"error: {describe_os_error(exc)}", file=sys.stderr)
        else:
            print(f"error: unexpected {type(exc).__name__}: {exc} (python -m tutorial_lib doctor checks the set-up; "
                  f"{TRACEBACK_VAR}=1 shows the traceback for a bug report)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
