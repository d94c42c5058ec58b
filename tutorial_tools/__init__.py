"""tutorial_tools: the course's tooling, apart from the lesson package ``tutorial_lib``.

The series runner (:mod:`.series`), the workshop kit (:mod:`.workshop`), the preflight check
(:mod:`.doctor`), the multi-seed comparison (:mod:`.compare`) and the one command line
(:mod:`.cli`: one parameter parser, one exit-code map; :mod:`.commands`: one function per
command). Tooling imports the lesson; the lesson never imports tooling (a test keeps it so), except
``tutorial_lib/__main__.py``, which forwards ``python -m tutorial_lib`` here. See
docs/ARCHITECTURE.md.

Importing this package imports nothing beyond the standard library (``doctor`` runs on a Python
too old for the course, to say so).
"""
