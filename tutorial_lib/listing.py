"""Show the library's own code in a notebook, syntax-highlighted (every notebook).

``show(balancing.split_data)`` displays the function's source exactly as it is written in the
library: HTML with inline colours (they survive JupyterLab's sanitizer and nbconvert) and the plain
source as ``text/plain``. No torch, no IPython at import.
"""

from __future__ import annotations

import html
import inspect
from typing import Any


class Listing:
    """The source of one or more functions or classes; a notebook renders it highlighted."""

    def __init__(self, *objects: Any) -> None:
        self.source = "\n\n".join(inspect.getsource(obj).rstrip("\n") for obj in objects) + "\n"

    def _repr_html_(self) -> str:
        try:
            from pygments import highlight
            from pygments.formatters import HtmlFormatter
            from pygments.lexers import PythonLexer
        except ImportError:  # pygments comes with IPython; without it: plain, escaped text
            return f"<pre>{html.escape(self.source)}</pre>"
        return highlight(self.source, PythonLexer(), HtmlFormatter(noclasses=True, nobackground=True))

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.source.rstrip("\n"))


def show(*objects: Any) -> None:
    """Display the source of ``objects`` (functions, classes, methods) as one highlighted listing."""
    from IPython.display import display

    display(Listing(*objects))
