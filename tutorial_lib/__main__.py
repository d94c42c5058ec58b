"""``python -m tutorial_lib COMMAND ...``: the course's commands (doctor, data, run, predict, compare,
workshop, student) live in the tooling package, :mod:`tutorial_tools.cli`; this forwards to it.

The lesson package never imports the tooling; this forwarder is the one exception, so that the
command every text of the course uses stays ``python -m tutorial_lib``.
"""

import sys

if __name__ == "__main__":
    try:
        from tutorial_tools.cli import main
    except ImportError as exc:  # a venv installed before tutorial_tools existed: one line, not a traceback
        sys.exit(f"error: the course's commands cannot be imported ({exc}); rerun the set-up (make setup, or "
                 "python tools/setup_env.py) in the course folder")
    sys.exit(main())
