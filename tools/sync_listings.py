"""Rewrite the notebooks' copies of library code, and their ``parameters`` cells, from the library.

Usage (from the project root, with the venv):  python tools/sync_listings.py [--check]

- A code cell whose metadata has ``"listing": "tutorial_lib.MODULE.NAME"`` holds an editable copy of
  that library function: a comment, the imports it needs, its source. This tool rewrites the cell from
  the library's current source (``render_listing``); the cell's outputs are kept (a definition has none).
- The cell tagged ``parameters`` is rewritten from ``tutorial_lib.config`` (``NOTEBOOK_PARAMS``, the names;
  ``Config``, the defaults).

Run it after changing one of those functions, ``NOTEBOOK_PARAMS`` or a default, then re-execute the
notebooks that changed (``tools/execute_notebooks.py NN``). ``--check`` changes nothing and exits 1 when
a cell differs (``tests/test_notebooks.py`` checks the same).
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import inspect
import sys
import textwrap
import types
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tutorial_lib.config import Config  # noqa: E402
from tutorial_lib.paths import atomic_write_text  # noqa: E402
from tutorial_tools.series import list_notebooks  # noqa: E402

LISTING_KEY = "listing"


def library_object(dotted: str):
    """Return the object named ``tutorial_lib.MODULE.NAME`` (the longest importable module prefix)."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(f"no module in {dotted!r}")


def _type_checking_imports(module) -> dict[str, str]:
    """Return name -> module for the names ``module`` imports only for type checkers (``if TYPE_CHECKING:``)."""
    found = {}
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for imp in (n for n in ast.walk(node) if isinstance(n, ast.ImportFrom)):
                source = importlib.util.resolve_name("." * imp.level + (imp.module or ""), module.__package__)
                found.update({alias.asname or alias.name: source for alias in imp.names})
    return found


def _imports(obj, imported: frozenset[str] = frozenset()) -> list[str]:
    """Return the import lines that give a copy of ``obj`` the module-level names its source uses.

    Annotations included: a notebook cell evaluates them when it defines the function. A module an earlier
    cell ``imported`` is not imported again (ruff's F811).
    """
    tree = ast.parse(textwrap.dedent(inspect.getsource(obj)))
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    module = sys.modules[obj.__module__]
    typing_only = _type_checking_imports(module)
    lines, by_module = [], {}
    for name in sorted(used - set(dir(builtins)) - {obj.__name__}):
        if name not in vars(module):
            if name in typing_only:
                by_module.setdefault(typing_only[name], []).append(name)
            continue  # else a local name
        value = vars(module)[name]
        if isinstance(value, types.ModuleType):
            if name in imported:
                continue
            lines.append(f"import {value.__name__}" + ("" if value.__name__ == name else f" as {name}"))
            continue
        home = getattr(value, "__module__", None)
        source = home if home and getattr(sys.modules.get(home), name, None) is value else module.__name__
        by_module.setdefault(source, []).append(name)
    lines += [f"from {source} import {', '.join(names)}" for source, names in sorted(by_module.items())]
    return sorted(lines, key=lambda line: (not line.startswith("import "), line))


def render_listing(dotted: str, imported: frozenset[str] = frozenset()) -> str:
    """Return the source of the notebook cell that holds an editable copy of ``dotted``."""
    obj = library_object(dotted)
    module, name = obj.__module__, obj.__qualname__
    comment = (f"# {module.removeprefix('tutorial_lib.')}.{name}, copied from the library to run and edit here "
               "(tools/sync_listings.py\n# writes this cell; a test keeps it identical to the library's)")
    return "\n".join([comment, *_imports(obj, imported), "", "", textwrap.dedent(inspect.getsource(obj)).rstrip("\n")])


def _imported_modules(source: str) -> set[str]:
    """Return the names a cell binds with a plain ``import X`` (magics skipped)."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names}


def expected_cells(nb, number: str) -> list[tuple[int, str]]:
    """Return ``(cell index, expected source)`` for each synced cell of notebook ``number``."""
    out, imported = [], set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if LISTING_KEY in cell.metadata:
            out.append((i, render_listing(cell.metadata[LISTING_KEY], frozenset(imported))))
        elif "parameters" in cell.metadata.get("tags", []):
            out.append((i, Config().parameters_cell(number)))
        else:
            imported |= _imported_modules(cell.source)
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path in list_notebooks(ROOT / "notebooks"):
        nb = nbformat.read(path, as_version=4)
        changed = [(i, source) for i, source in expected_cells(nb, path.name[:2]) if nb.cells[i].source != source]
        for i, source in changed:
            stale.append(f"{path.name}: cell {i} ({nb.cells[i].metadata.get(LISTING_KEY, 'parameters')})")
            nb.cells[i].source = source
        if changed and not check:
            atomic_write_text(path, nbformat.writes(nb) + "\n")
    for line in stale:
        print(("differs from the library: " if check else "rewrote ") + line)
    if stale and not check:
        print("re-execute these notebooks: .venv/bin/python tools/execute_notebooks.py "
              + " ".join(sorted({line[:2] for line in stale})))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
