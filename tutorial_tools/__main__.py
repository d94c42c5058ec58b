"""``python -m tutorial_tools COMMAND ...``: the same command line as ``python -m tutorial_lib`` (:mod:`.cli`)."""

import sys

from tutorial_tools.cli import main

if __name__ == "__main__":
    sys.exit(main())
