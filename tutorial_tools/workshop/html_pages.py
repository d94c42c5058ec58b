"""The kit's static HTML: each executed notebook as one offline page, a link bar, and ``index.html``.

Pages are exported by nbconvert's ``lab`` template with the figures embedded, each with its alt text
(:mod:`.alt_text`). What that template would load from the web is left out (:data:`OFFLINE_TEMPLATE`:
require.js, MathJax, mermaid and the widget renderer; the course uses none of them), and a progress
bar (a widget) shows as the text of the state it ended in, so every page opens offline in any
browser; :data:`REMOTE` finds anything a page would still fetch. ``index.html`` lists the notebooks
with their goals and measured minutes.
"""

from __future__ import annotations

import html
import re
from typing import Any

from tutorial_lib import __version__

from .alt_text import with_alt_text
from .copies import WIDGET_VIEW, clean_executed
from .notebook_parts import WorkshopError
from .report import Page

#: nbconvert's ``lab`` page without the blocks that load scripts from the web, and with each image's alt text.
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block data_png scoped -%}
{%- set alt = output | get_metadata('alt', 'image/png') -%}
{%- if alt -%}{{ super() | replace('<img ', '<img alt="' ~ (alt | escape_html) ~ '" ', 1) }}{%- else -%}{{ super() }}{%- endif -%}
{%- endblock data_png -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
#: What a browser would fetch from the web by itself (links are not followed): a script, image, frame or
#: stylesheet address, a module import, a CSS url() or @import, a script address held in a string.
REMOTE = re.compile(r"""<(?:script|img|iframe|embed|source|audio|video)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//"""
                    r"""|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//|\bimport\s*\(\s*["'](?:https?:)?//"""
                    r"""|url\(\s*["']?(?:https?:)?//|@import\s+["'](?:https?:)?//|["']https?://[^"'\s]*\.m?js["']""",
                    re.I)
PAGE_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #1f2328; }
h1 { margin-bottom: .2rem; } .sub { color: #59636e; margin-top: 0; }
ol.notebooks { padding-left: 0; list-style: none; }
ol.notebooks > li { border: 1px solid #d1d9e0; border-radius: 6px; padding: .8rem 1rem; margin: .8rem 0; }
ol.notebooks a { font-size: 1.15rem; font-weight: 600; text-decoration: none; color: #0550ae; }
ol.notebooks a:hover { text-decoration: underline; }
.meta { color: #59636e; font-size: .9rem; } ul.goals { margin: .4rem 0 0; }
""".strip()
NAV_CSS = ("<style>.kit-nav{font-family:system-ui,sans-serif;font-size:.95rem;padding:.5rem 1rem;"
           "background:#f6f8fa;border-bottom:1px solid #d1d9e0}.kit-nav a{margin-right:1.2rem}</style>")


def notebook_html(nb: Any, title: str, nav: str = "", name: str = "") -> str:
    """Return ``nb`` as one static HTML page: figures embedded with their alt text (notebook file ``name``),
    nothing loaded from the web, ``nav`` on top.

    Raises :class:`WorkshopError` if the page would still fetch anything from the web.
    """
    import copy

    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    page = with_alt_text(clean_executed(copy.deepcopy(nb)), name)
    for output in (o for c in page.cells for o in c.get("outputs", [])):
        if WIDGET_VIEW in output.get("data", {}) and "text/plain" in output.data:
            del output.data[WIDGET_VIEW]  # no widget renderer offline: show the text of its last state
    page.metadata.pop("widgets", None)
    exporter = HTMLExporter(template_name="lab", embed_images=True, template_file="offline.html.j2",
                            extra_loaders=[DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})])
    body, _ = exporter.from_notebook_node(page, resources={"metadata": {"name": title}})
    remote = REMOTE.search(body)
    if remote:
        raise WorkshopError(f"the HTML page of {name or title} would load {body[remote.start():][:80]!r} from the "
                            "web; tutorial_tools/workshop/html_pages.py must leave that out")
    if nav:
        body = re.sub(r"<body([^>]*)>", lambda m: f"<body{m.group(1)}>\n{NAV_CSS}{nav}", body, count=1)
    return body


def navigation(pages: list[Page], index: int) -> str:
    """Return the link bar of page ``index``: the index, the previous and the next notebook."""
    links = ['<a href="index.html">&#8593; all notebooks</a>']
    if index > 0:
        links.append(f'<a href="{pages[index - 1].html_name}">&#8592; {html.escape(pages[index - 1].title)}</a>')
    if index + 1 < len(pages):
        links.append(f'<a href="{pages[index + 1].html_name}">{html.escape(pages[index + 1].title)} &#8594;</a>')
    return f'<nav class="kit-nav">{"".join(links)}</nav>'


def index_html(pages: list[Page], course: str = "Tweet sentiment with an LSTM in PyTorch") -> str:
    """Return the kit's ``index.html``: one entry per notebook with its link, goals and measured minutes."""
    items = []
    for page in pages:
        meta = [f"{len(page.exercises)} exercise{'s' if len(page.exercises) != 1 else ''}"]
        if page.seconds is not None:
            meta.append(f"runs in {page.seconds / 60:.1f} min (measured when this kit was built)")
        goals = "".join(f"<li>{_inline_md(g)}</li>" for g in page.goals)
        items.append(
            f'<li><a href="{html.escape(page.html_name)}">{html.escape(page.title)}</a>'
            f'<div class="meta">{html.escape(" · ".join(meta))}</div>'
            + (f'<ul class="goals">{goals}</ul>' if goals else "") + "</li>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(course)}: the executed notebooks</title>\n<style>\n{PAGE_CSS}\n</style>\n</head>\n"
        f"<body>\n<h1>{html.escape(course)}</h1>\n"
        f"<p class=\"sub\">The {len(pages)} notebooks of the course, executed with their solutions "
        f"(tutorial_lib {html.escape(__version__)}). Every page works offline.</p>\n"
        f"<ol class=\"notebooks\">\n" + "\n".join(items) + "\n</ol>\n</body>\n</html>\n")


def _inline_md(text: str) -> str:
    """Return a line of markdown as HTML: escaped, with `code`, **bold** and *italic*."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"(?<![*\w])\*([^*]+)\*(?![*\w])", r"<em>\1</em>", out)
