"""The doctor's checks of the installation: Python, the pinned packages, tutorial-lib itself, the Jupyter kernel.

This module imports only the standard library at start and uses nothing newer than Python 3.8
syntax, like :mod:`tutorial_tools.doctor`, so that an old Python is told what to do.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tutorial_lib.paths import project_root

from .checks import MIN_PYTHON, Check, on_windows, setup_hint

EXTRAS = ("dev", "lab", "glove")
KERNEL_NAME = "python3"


def _doctor_command(platform: str) -> str:
    python = ".venv\\Scripts\\python" if on_windows(platform) else ".venv/bin/python"
    return f"{python} -m tutorial_lib doctor"


def normalize_name(name: str) -> str:
    """Return a distribution name normalized as PEP 503 does (``Jinja2`` -> ``jinja2``, ``a_b`` -> ``a-b``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    """Return ``{normalized name: version}`` of the ``name==version`` lines of a constraints file."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)\s*(#.*)?", line)
        if match:
            pins[normalize_name(match.group(1))] = match.group(2)
    return pins


def public_version(version: str) -> str:
    """Return ``version`` without its local label (``2.13.0+cpu`` -> ``2.13.0``), as ``==`` compares it."""
    return version.split("+", 1)[0]


def _short_list(items: list[str], limit: int = 6) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def check_python(version: tuple[int, ...] | None = None, platform: str = sys.platform,
                 prefix: str = sys.prefix, executable: str = sys.executable,
                 root: Path | None = None) -> Check:
    """Python >= 3.11; a WARN when the project has a ``.venv`` and this Python is not it."""
    version = tuple(version or sys.version_info[:3])
    shown = ".".join(str(p) for p in version[:3])
    if version[:2] < MIN_PYTHON:
        v = f"{MIN_PYTHON[0]}.{MIN_PYTHON[1]}"
        if on_windows(platform):
            how = f"install Python {v} (winget install Python.Python.{v}, or python.org), then: py -{v} tools\\setup_env.py"
        elif platform == "darwin":
            how = f"install Python {v} (brew install python@{v}, or python.org), then: python{v} tools/setup_env.py"
        else:
            how = (f"install Python {v} (Ubuntu 22.04: sudo add-apt-repository ppa:deadsnakes/ppa && sudo apt install "
                   f"python{v} python{v}-venv), then: make setup PYTHON=python{v}")
        return Check("FAIL", "Python", f"{shown} at {executable}; the course needs {v} or newer", how)
    root = root or project_root()
    venv = root / ".venv"
    if (venv / "pyvenv.cfg").is_file() and os.path.realpath(prefix) != os.path.realpath(venv):
        return Check("WARN", "Python", f"{shown} at {executable}, which is not the project's .venv",
                     f"run the doctor with the venv's Python: {_doctor_command(platform)}")
    where = "the project's .venv" if os.path.realpath(prefix) == os.path.realpath(venv) else "no .venv in the project"
    return Check("OK", "Python", f"{shown} at {executable} ({where})")


def _installed_distributions() -> dict:
    """Return ``{normalized name: Distribution}``, the one Python imports first for each name."""
    import importlib.metadata as metadata

    found: dict = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name and normalize_name(name) not in found:
            found[normalize_name(name)] = dist
    return found


def _root_requirements(installed: dict, root: Path) -> list[str] | None:
    """Return tutorial-lib's requirements (with the course's extras), from its metadata or pyproject.toml."""
    dist = installed.get("tutorial-lib")
    if dist is not None and dist.requires is not None:
        return list(dist.requires)
    try:
        import tomllib
    except ImportError:
        return None
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in EXTRAS:
        reqs += [f"{r}; extra == '{extra}'" if ";" not in r else r
                 for r in project.get("optional-dependencies", {}).get(extra, [])]
    return reqs


def needed_packages(installed: dict, root_requires: list[str]) -> dict[str, str] | None:
    """Return ``{normalized name: who needs it}`` for everything the course needs on this platform.

    Walks the requirements from tutorial-lib with the extras dev, lab and glove through the installed
    packages' metadata, evaluating environment markers here (so ``pexpect`` counts on Linux and macOS,
    ``colorama`` on Windows). Returns None when ``packaging`` is not installed.
    """
    try:
        from packaging.requirements import InvalidRequirement, Requirement
    except ImportError:
        return None

    def applies(req, extras) -> bool:
        if req.marker is None:
            return True
        return any(req.marker.evaluate({"extra": e}) for e in ("", *extras))

    needed: dict[str, str] = {}
    queue = [(r, "tutorial-lib", EXTRAS) for r in root_requires]
    while queue:
        text, parent, extras = queue.pop()
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue
        if not applies(req, extras):
            continue
        name = normalize_name(req.name)
        first_visit = name not in needed
        needed.setdefault(name, parent)
        dist = installed.get(name)
        if dist is not None and (first_visit or req.extras):
            queue += [(r, name, tuple(req.extras)) for r in (dist.requires or [])]
    return needed


def check_packages(root: Path | None = None, installed: dict | None = None) -> Check:
    """Every package pinned in constraints.txt that this platform needs is installed at its version."""
    root = root or project_root()
    pins = read_pins(root / "constraints.txt")
    installed = _installed_distributions() if installed is None else installed
    requires = _root_requirements(installed, root)
    needed = needed_packages(installed, requires) if requires is not None else None
    to_check = sorted(pins) if needed is None else sorted(n for n in needed if n in pins)
    problems = []
    for name in to_check:
        dist = installed.get(name)
        if dist is None:
            why = f" (needed by {needed[name]})" if needed and needed.get(name) != "tutorial-lib" else ""
            problems.append(f"{name} missing{why}")
        elif public_version(dist.version) != pins[name]:
            problems.append(f"{name} {dist.version} (pinned {pins[name]})")
    if needed is not None:
        problems += [f"{n} missing (needed by {needed[n]})" for n in sorted(needed) if n not in pins
                     and n not in installed]
    if problems:
        return Check("FAIL", "packages",
                     f"{len(problems)} of the {len(to_check)} pinned packages are missing or at another version: "
                     f"{_short_list(problems)}",
                     f"rerun the set-up: {setup_hint()}")
    notes = []
    if needed is not None:
        not_here = sorted(set(pins) - set(needed))
        if not_here:
            notes.append(f"not needed on this platform: {_short_list(not_here)}")
        unpinned = sorted(n for n in needed if n not in pins)
        if unpinned:
            notes.append(f"also needed here, not pinned: {_short_list(unpinned)}")
    what = "that this platform needs " if needed is not None else ""
    note = f" ({'; '.join(notes)})" if notes else ""
    return Check("OK", "packages",
                 f"the {len(to_check)} packages pinned in constraints.txt {what}are installed at their versions{note}")


def check_tutorial_lib(root: Path | None = None, installed: dict | None = None) -> Check:
    """tutorial-lib is installed in editable mode from this project folder (the notebooks import it)."""
    import importlib.metadata as metadata
    import json

    root = (root or project_root()).resolve()
    candidates = [d for d in metadata.distributions(name="tutorial-lib")] if installed is None else (
        [installed["tutorial-lib"]] if "tutorial-lib" in installed else [])
    for dist in candidates:
        text = dist.read_text("direct_url.json")
        if not text:
            continue
        info = json.loads(text)
        url = info.get("url", "")
        editable = info.get("dir_info", {}).get("editable", False)
        source = url[len("file://"):] if url.startswith("file://") else url
        if on_windows(sys.platform) and re.match(r"^/[A-Za-z]:", source):
            source = source[1:]
        from urllib.parse import unquote

        same = bool(source) and Path(unquote(source)).resolve() == root
        if editable and same:
            return Check("OK", "tutorial-lib", f"{dist.version} installed in editable mode from this folder")
        if same:
            return Check("WARN", "tutorial-lib", f"{dist.version} installed from this folder but not editable: "
                         "edits to tutorial_lib/ do not reach the notebooks", f"rerun the set-up: {setup_hint()}")
        return Check("FAIL", "tutorial-lib", f"installed from {unquote(source)}, another copy of the course: the "
                     "notebooks would import that copy's code", f"rerun the set-up in this folder: {setup_hint()}")
    return Check("FAIL", "tutorial-lib", "not installed in this Python: the notebooks cannot import tutorial_lib",
                 f"run the set-up: {setup_hint()}")


def check_kernel(python_prefix: str = sys.prefix) -> Check:
    """The Jupyter kernel ``python3`` runs this environment's Python (papermill, nbval and JupyterLab use it)."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError as exc:
        return Check("FAIL", "Jupyter kernel", f"jupyter_client is not installed ({exc})",
                     f"run the set-up: {setup_hint()}")
    register = (f"{Path(sys.executable).name} -m ipykernel install --sys-prefix --name {KERNEL_NAME} "
                f"(part of the set-up: {setup_hint()})")
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        return Check("FAIL", "Jupyter kernel", f"no kernel named '{KERNEL_NAME}' is registered", register)
    argv0 = spec.argv[0] if spec.argv else ""
    if argv0 in ("python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
        argv0 = sys.executable  # jupyter_client starts these names as the current interpreter
    try:
        out = subprocess.run([argv0, "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True,
                             timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("FAIL", "Jupyter kernel", f"'{KERNEL_NAME}' (spec {spec.resource_dir}) starts {argv0}, "
                     f"which does not run: {exc}", register)
    kernel_prefix = out.stdout.strip()
    if out.returncode != 0 or os.path.realpath(kernel_prefix) != os.path.realpath(python_prefix):
        shadow = ""
        if not os.path.realpath(spec.resource_dir).startswith(os.path.realpath(python_prefix)):
            shadow = (f"; the spec {spec.resource_dir} comes first in Jupyter's search path: remove it "
                      f"(jupyter kernelspec remove {KERNEL_NAME}) and then")
        return Check("FAIL", "Jupyter kernel",
                     f"'{KERNEL_NAME}' runs {argv0} (environment {kernel_prefix or '?'}), not this environment "
                     f"({python_prefix}): the notebooks would miss the course's packages",
                     f"{shadow.lstrip('; ')} register it: {register}" if shadow else register)
    return Check("OK", "Jupyter kernel", f"'{KERNEL_NAME}' runs this environment's Python (spec in {spec.resource_dir})")
