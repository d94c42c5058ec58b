"""Command line: ``python -m tutorial_lib {data,run,predict} ...``.

- ``data``: find (or download) and verify the data set, print where it is.
- ``run``: execute the notebook series with papermill (see :mod:`tutorial_lib.series`).
- ``predict``: classify texts with a saved model bundle (see :mod:`tutorial_lib.prediction`).
"""

from __future__ import annotations

import argparse
import sys


def _data_main(argv: list[str]) -> int:
    from .loading import DataError, get_data_dir
    from .paths import display_path

    parser = argparse.ArgumentParser(prog="python -m tutorial_lib data",
                                     description="Find or download the data set and verify its checksums.")
    parser.add_argument("--data-dir", default=None, help="folder holding train.csv and test.csv")
    parser.add_argument("--no-download", action="store_true", help="never download, only look")
    args = parser.parse_args(argv)
    try:
        folder = get_data_dir(args.data_dir, download=not args.no_download)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"data set verified in {display_path(folder)} (train.csv, test.csv; sha256 checked)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m tutorial_lib`` and of the ``tutorial-lib`` script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"data": "find and verify the data set", "run": "execute the notebook series",
                "predict": "classify texts with a saved model"}
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in commands:
        print("usage: python -m tutorial_lib {data,run,predict} [options]\n")
        for name, text in commands.items():
            print(f"  {name:8s} {text}")
        if argv and argv[0] not in ("-h", "--help"):
            print(f"\nerror: unknown command {argv[0]!r}", file=sys.stderr)
            return 2
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "data":
        return _data_main(rest)
    if command == "run":
        from .series import cli_main as run_main

        return run_main(rest)
    from .prediction import cli_main as predict_main

    return predict_main(rest)


if __name__ == "__main__":
    sys.exit(main())
