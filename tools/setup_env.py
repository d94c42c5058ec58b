"""Set up the course on Linux, macOS or Windows: the one implementation behind ``make setup``.

Usage, from the project root, with the Python (>= 3.11) the course should use:

    python3 tools/setup_env.py                        # Linux, macOS   (make setup calls this)
    py -3.11 tools\\setup_env.py                       # Windows PowerShell
    python3 tools/setup_env.py --wheelhouse DIR        # offline, from a bundle (tools/build_wheelhouse.py)
    python3 tools/setup_env.py --torch-index URL       # choose the torch build (CPU or a CUDA version)
    python3 tools/setup_env.py --dry-run --platform win32   # print the commands as Windows would run them

It creates the virtual environment ``.venv`` if missing, installs the package with the extras
``dev,lab,glove`` and the versions pinned in ``constraints.txt``, and registers the notebooks' Jupyter
kernel ``python3`` inside the venv. With ``--wheelhouse`` pip never touches the network
(``--no-index``) and the bundle's verified data files are copied into the ``data/`` cache.

Only the standard library is used, and nothing newer than Python 3.8 syntax, so that an older
Python gets a clear error line saying how to get a newer one instead of a crash.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform as platform_module
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

ROOT = Path(__file__).resolve().parents[1]
MIN_PYTHON = (3, 11)
EXTRAS = "dev,lab,glove"
KERNEL_NAME = "python3"
KERNEL_DISPLAY_NAME = "Python 3 (tweet-sentiment-tutorial)"
STAMP_NAME = ".installed-stamp"
MANIFEST_NAME = "manifest.json"
PLATFORMS = ("linux", "darwin", "win32")


class SetupError(Exception):
    """A set-up step cannot go on; the message says why and how to fix it."""


# ---------------------------------------------------------------------------------------- platform logic
def is_windows(platform: str) -> bool:
    """Return whether ``platform`` (a ``sys.platform`` value) is Windows."""
    return platform.startswith("win") or platform == "cygwin"


def path_flavour(platform: str) -> type[PurePath]:
    """Return the pure path class that writes paths as ``platform`` does."""
    return PureWindowsPath if is_windows(platform) else PurePosixPath


def venv_bin_dir(venv: PurePath | str, platform: str) -> PurePath:
    """Return the venv's folder of executables: ``Scripts`` on Windows, ``bin`` elsewhere."""
    flavour = path_flavour(platform)
    return flavour(venv, "Scripts" if is_windows(platform) else "bin")


def venv_python(venv: PurePath | str, platform: str) -> PurePath:
    """Return the venv's Python: ``Scripts\\python.exe`` on Windows, ``bin/python`` elsewhere."""
    return venv_bin_dir(venv, platform) / ("python.exe" if is_windows(platform) else "python")


def venv_script(venv: PurePath | str, name: str, platform: str) -> PurePath:
    """Return an installed console script of the venv (``jupyter`` -> ``Scripts\\jupyter.exe`` on Windows)."""
    return venv_bin_dir(venv, platform) / (f"{name}.exe" if is_windows(platform) else name)


def quote_command(argv: list[str], platform: str) -> str:
    """Return ``argv`` as one line to paste into the platform's shell (PowerShell on Windows, sh elsewhere).

    PowerShell reads a bare comma as an array separator and ``[`` in some positions as a type, so
    every argument holding one of ``, ; [ ] { } ( ) & | < > ' `` $`` or a space is double-quoted.
    """
    if not is_windows(platform):
        return " ".join(shlex.quote(a) for a in argv)
    special = set(" \t,;[]{}()&|<>'`$@#\"")
    out = []
    for arg in argv:
        if arg == "" or any(ch in special for ch in arg):
            out.append('"' + arg.replace('"', '`"') + '"')
        else:
            out.append(arg)
    return " ".join(out)


def python_hint(platform: str, version: tuple[int, int] = MIN_PYTHON) -> str:
    """Return how to get a Python >= ``version`` on ``platform`` and run this script with it."""
    v = f"{version[0]}.{version[1]}"
    if is_windows(platform):
        return (f"install Python {v} or newer (winget install Python.Python.{v}, or the installer from "
                f"python.org), then run: py -{v} tools\\setup_env.py")
    if platform == "darwin":
        return (f"install Python {v} or newer (brew install python@{v}, or the installer from python.org), "
                f"then run: python{v} tools/setup_env.py   (or make setup PYTHON=python{v})")
    return (f"install Python {v} or newer; on Ubuntu 22.04, whose python3 is 3.10: sudo add-apt-repository "
            f"ppa:deadsnakes/ppa && sudo apt install python{v} python{v}-venv; then run: python{v} "
            f"tools/setup_env.py   (or make setup PYTHON=python{v})")


def setup_command(platform: str) -> str:
    """Return the command that runs this script on ``platform``, for messages."""
    if is_windows(platform):
        return f"py -{MIN_PYTHON[0]}.{MIN_PYTHON[1]} tools\\setup_env.py"
    return "make setup   (or: python3 tools/setup_env.py)"


def interpreter_command(platform: str) -> tuple[str, ...]:
    """Return the command that starts this Python, as a user of ``platform`` types it (for --dry-run)."""
    if platform == sys.platform:
        return (sys.executable,)
    if is_windows(platform):
        return ("py", f"-{MIN_PYTHON[0]}.{MIN_PYTHON[1]}")
    return (f"python{MIN_PYTHON[0]}.{MIN_PYTHON[1]}",)


def check_python(version: tuple[int, ...], platform: str) -> None:
    """Raise :class:`SetupError` with the platform's fix when ``version`` is older than 3.11."""
    if tuple(version[:2]) < MIN_PYTHON:
        found = ".".join(str(p) for p in version[:3])
        raise SetupError(f"Python {found} is too old: the course needs Python >= "
                         f"{MIN_PYTHON[0]}.{MIN_PYTHON[1]}; {python_hint(platform)}")


# -------------------------------------------------------------------------------------------- the plan
@dataclass(frozen=True)
class Step:
    """One command of the set-up, run from the project root."""

    why: str
    argv: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Options:
    """What to install, and from where."""

    venv: PurePath = PurePosixPath(".venv")
    torch_index: str | None = None
    wheelhouse: PurePath | None = None
    extras: str = EXTRAS
    create_with: tuple[str, ...] = ("python",)


def plan(options: Options, platform: str, *, create_venv: bool) -> list[Step]:
    """Return the commands of the set-up, for ``platform``, with paths written as it writes them.

    The commands are the same on every platform except for the venv layout (``Scripts\\python.exe``
    versus ``bin/python``) and the path separators; tests run this for each platform on Linux.
    """
    flavour = path_flavour(platform)
    venv = flavour(options.venv)
    python = str(venv_python(venv, platform))
    steps = []
    if create_venv:
        steps.append(Step("create the virtual environment", [*options.create_with, "-m", "venv", str(venv)]))
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check", "-c", "constraints.txt"]
    if options.wheelhouse is not None:
        wheels = flavour(options.wheelhouse, "wheels")
        pip += ["--no-index", "--find-links", str(wheels)]
        why = "install the pinned packages from the bundle (no network: --no-index)"
    else:
        why = "install the package and the versions pinned in constraints.txt"
    if options.torch_index:
        pip += ["--extra-index-url", options.torch_index]
        why += f"; torch from {options.torch_index}"
    pip += ["-e", f".[{options.extras}]"]
    steps.append(Step(why, pip))
    steps.append(Step(
        f"register the notebooks' Jupyter kernel '{KERNEL_NAME}' inside the venv",
        [python, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL_NAME,
         "--display-name", KERNEL_DISPLAY_NAME],
    ))
    if options.wheelhouse is not None:
        steps.append(Step(
            "copy the bundle's data files into the data/ cache (sha256 verified)",
            [python, "-m", "tutorial_lib", "data", "--import-from", str(flavour(options.wheelhouse, "data"))],
        ))
    return steps


def next_steps(venv: PurePath, platform: str) -> list[str]:
    """Return the commands to run after the set-up, written for ``platform``."""
    python = str(venv_python(path_flavour(platform)(venv), platform))
    jupyter = str(venv_script(path_flavour(platform)(venv), "jupyter", platform))
    return [
        quote_command([python, "-m", "tutorial_lib", "doctor"], platform) + "    # check everything",
        quote_command([python, "-m", "tutorial_lib", "run"], platform) + "       # run the series",
        quote_command([jupyter, "lab", "--notebook-dir=notebooks"], platform) + "    # work in JupyterLab",
    ]


# ----------------------------------------------------------------------------------- stamp and bundle
def fingerprint(root: Path, options: Options, python_version: str) -> str:
    """Return a digest of everything the installed set depends on (pins, extras, sources, Python)."""
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((root / name).read_bytes())
    wheelhouse = str(options.wheelhouse) if options.wheelhouse is not None else ""
    for part in (options.extras, options.torch_index or "", wheelhouse, python_version):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def read_stamp(venv: Path) -> dict:
    """Return the stamp the last set-up wrote in ``venv`` ({} when there is none or an old empty one)."""
    path = venv / STAMP_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_stamp(venv: Path, data: dict) -> None:
    """Write the stamp atomically (a temporary file renamed into place)."""
    path = venv / STAMP_NAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def legacy_stamp_current(venv: Path, root: Path, options: Options) -> bool:
    """Return whether ``venv`` has the empty stamp the former Makefile wrote, newer than the pins.

    That stamp meant: installed with the default index and extras, from these pyproject.toml and
    constraints.txt; such a venv is taken as up to date instead of being reinstalled once more.
    """
    path = venv / STAMP_NAME
    if options.torch_index or options.wheelhouse is not None or options.extras != EXTRAS:
        return False
    try:
        if path.stat().st_size != 0:
            return False
        newest = max((root / n).stat().st_mtime for n in ("pyproject.toml", "constraints.txt"))
        return path.stat().st_mtime >= newest
    except OSError:
        return False


def sha256_file(path: Path) -> str:
    """Return the hex sha256 digest of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def this_platform() -> dict:
    """Return what a bundle's wheels depend on: the OS, the machine and the Python version."""
    return {"sys_platform": sys.platform, "machine": platform_module.machine().lower(),
            "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
            "implementation": sys.implementation.name}


def check_bundle(bundle: Path, root: Path, here: dict, *, verify_hashes: bool = True) -> dict:
    """Check that ``bundle`` fits this machine and checkout and is intact; return its manifest.

    Raises :class:`SetupError` naming what differs: another OS, machine or Python version (pip
    would then fail with "No matching distribution"), other pins than this ``constraints.txt``, or
    a file whose size or sha256 is not the one recorded when the bundle was built (a bad copy).
    """
    manifest_path = bundle / MANIFEST_NAME
    if not manifest_path.is_file():
        raise SetupError(f"{bundle} is not an offline bundle: it has no {MANIFEST_NAME}. Build one with "
                         f"make wheelhouse (python tools/build_wheelhouse.py DIR) on a machine with internet")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SetupError(f"{manifest_path} is not valid JSON ({exc}); copy the bundle again") from None
    built = manifest.get("platform", {})
    differing = [k for k in ("implementation", "sys_platform", "machine", "python") if built.get(k) != here.get(k)]
    if differing:
        def show(p: dict) -> str:
            return f"{p.get('implementation')} {p.get('python')} on {p.get('sys_platform')} {p.get('machine')}"
        raise SetupError(f"the bundle {bundle} was built for {show(built)}, but this is {show(here)}: its "
                         f"wheels do not fit. Use a bundle built on a machine like this one (make wheelhouse), "
                         f"or run this script with Python {built.get('python')}")
    pins = sha256_file(root / "constraints.txt")
    if manifest.get("constraints_sha256") != pins:
        raise SetupError(f"the bundle {bundle} was built from another constraints.txt than this checkout's: "
                         f"install the course source that came with the bundle "
                         f"({manifest.get('source', {}).get('file', 'its zip file')}), or rebuild the bundle here")
    for entry in manifest.get("files", []):
        path = bundle / entry["path"]
        if not path.is_file():
            raise SetupError(f"the bundle lacks {entry['path']}: copy the whole folder {bundle} again")
        if path.stat().st_size != entry["size"] or (verify_hashes and sha256_file(path) != entry["sha256"]):
            raise SetupError(f"{path} is damaged (its size or sha256 is not the one in {MANIFEST_NAME}): "
                             f"copy the bundle again")
    return manifest


# ------------------------------------------------------------------------------------------------- run
def _display(argv: list[str], root: Path) -> str:
    shown = []
    for arg in argv:
        try:
            shown.append(str(Path(arg).relative_to(root)) if os.path.isabs(arg) else arg)
        except ValueError:
            shown.append(arg)
    return quote_command(shown, sys.platform)


def run_step(step: Step, root: Path) -> None:
    """Run one command from ``root``; raise :class:`SetupError` naming it when it fails."""
    print(f"# {step.why}\n$ {_display(step.argv, root)}", flush=True)
    argv = list(step.argv)
    if not os.path.isabs(argv[0]) and os.sep in argv[0]:
        argv[0] = str(root / argv[0])
    try:
        completed = subprocess.run(argv, cwd=root, check=False)
    except OSError as exc:
        raise SetupError(f"could not start {argv[0]}: {exc.strerror or exc}") from None
    if completed.returncode != 0:
        raise SetupError(f"this step failed (exit status {completed.returncode}): {step.why}; pip's or the "
                         f"tool's message is above. Rerun after fixing it; a half-finished venv is reused")


def _relative(path: Path, root: Path) -> PurePath:
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def _venv_python_version(python: Path) -> tuple[int, int]:
    out = subprocess.run([str(python), "-c", "import sys; print(sys.version_info[0], sys.version_info[1])"],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SetupError(f"{python} does not run ({out.stderr.strip() or out.returncode}); recreate the venv "
                         f"with --recreate")
    major, minor = (int(p) for p in out.stdout.split())
    return major, minor


def setup(options: Options, *, root: Path = ROOT, recreate: bool = False, force: bool = False) -> int:
    """Create or update the venv described by ``options`` (absolute paths); return 0."""
    check_python(sys.version_info, sys.platform)
    venv = Path(options.venv)
    if options.wheelhouse is not None:
        check_bundle(Path(options.wheelhouse), root, this_platform())
    if recreate and venv.exists():
        if not (venv / "pyvenv.cfg").is_file():
            raise SetupError(f"--recreate: {venv} is not a virtual environment (no pyvenv.cfg); not deleting it")
        print(f"# --recreate: deleting {_relative(venv, root)}", flush=True)
        shutil.rmtree(venv)
    python = Path(venv_python(venv, sys.platform))
    create = not python.is_file()
    if not create:
        version = _venv_python_version(python)
        if version < MIN_PYTHON:
            raise SetupError(f"{_relative(venv, root)} was made with Python {version[0]}.{version[1]}; recreate "
                             f"it with a newer one: add --recreate ({python_hint(sys.platform)})")
        stamp = read_stamp(venv)
        if (stamp.get("torch_index") or None) != (options.torch_index or None) and not force:
            before = stamp.get("torch_index") or "the default index (PyPI)"
            raise SetupError(
                f"{_relative(venv, root)} was set up with torch from {before}; pip keeps an installed torch, so "
                f"to switch the torch build recreate the venv: add --recreate (make setup ... RECREATE=1)")
        python_version = ".".join(str(p) for p in version)
    else:
        try:
            import ensurepip  # noqa: F401  (Debian/Ubuntu ship venv's pip separately)
        except ImportError:
            v = f"{sys.version_info[0]}.{sys.version_info[1]}"
            raise SetupError(f"this Python cannot create virtual environments with pip (no ensurepip); on "
                             f"Debian/Ubuntu: sudo apt install python{v}-venv") from None
        python_version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    stamp_wanted = {"fingerprint": fingerprint(root, options, python_version),
                    "torch_index": options.torch_index or None,
                    "wheelhouse": str(options.wheelhouse) if options.wheelhouse is not None else None}
    if not create and not force and legacy_stamp_current(venv, root, options):
        write_stamp(venv, stamp_wanted)  # the Makefile's former empty stamp: same install, new format
    if not create and not force and read_stamp(venv).get("fingerprint") == stamp_wanted["fingerprint"]:
        print(f"set-up is up to date ({_relative(venv, root)}, Python {python_version}); "
              f"python tools/setup_env.py --force reinstalls", flush=True)
        return 0
    shown = Options(venv=_relative(venv, root), torch_index=options.torch_index,
                    wheelhouse=_relative(Path(options.wheelhouse), root) if options.wheelhouse else None,
                    extras=options.extras, create_with=(sys.executable,))
    for step in plan(shown, sys.platform, create_venv=create):
        run_step(step, root)
    write_stamp(venv, stamp_wanted)
    print("set-up done. Next:", *("  " + line for line in next_steps(_relative(venv, root), sys.platform)),
          sep="\n", flush=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python tools/setup_env.py",
        description="Create the course's virtual environment, install the pinned packages and register "
                    "the Jupyter kernel, on Linux, macOS or Windows (what make setup runs).")
    parser.add_argument("--venv", default=None,
                        help="the virtual environment's folder (default: .venv in the project)")
    parser.add_argument("--torch-index", default=None, metavar="URL",
                        help="an extra package index for the torch build, e.g. "
                             "https://download.pytorch.org/whl/cpu (the CPU build) or .../whl/cu128 (CUDA 12.8); "
                             "default: what pip's own index serves (see README: torch build); make: TORCH_INDEX=URL")
    parser.add_argument("--wheelhouse", default=None, metavar="DIR",
                        help="install offline from a bundle made by tools/build_wheelhouse.py (pip --no-index), "
                             "and copy its data files into data/; make: WHEELHOUSE=DIR")
    parser.add_argument("--recreate", action="store_true",
                        help="delete the venv first (needed to switch the torch build)")
    parser.add_argument("--force", action="store_true", help="reinstall even when the stamp says up to date")
    parser.add_argument("--dry-run", action="store_true", help="print the commands, run nothing")
    parser.add_argument("--platform", choices=PLATFORMS, default=None,
                        help="with --dry-run: write the commands as this platform runs them (win32: PowerShell)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.platform and not args.dry_run:
        print("error: --platform only goes with --dry-run (a set-up always runs for this machine)",
              file=sys.stderr)
        return 2
    if args.torch_index and args.wheelhouse:
        print("error: --torch-index has no effect with --wheelhouse: the bundle's wheels decide the torch build "
              "(build the bundle with --torch-index instead)", file=sys.stderr)
        return 2
    extras = EXTRAS
    try:
        if args.dry_run:
            platform = args.platform or sys.platform
            root = ROOT.resolve()
            if platform == sys.platform:  # this machine: paths as they resolve here, relative to the project
                venv_shown = _relative(Path(args.venv).expanduser().resolve(), root) if args.venv else Path(".venv")
                wheel_shown = _relative(Path(args.wheelhouse).expanduser().resolve(), root) if args.wheelhouse else None
            else:  # another platform: the paths exactly as given, in its notation
                flavour = path_flavour(platform)
                venv_shown = flavour(args.venv or ".venv")
                wheel_shown = flavour(args.wheelhouse) if args.wheelhouse else None
            options = Options(venv=venv_shown, torch_index=args.torch_index, wheelhouse=wheel_shown,
                              extras=extras, create_with=interpreter_command(platform))
            for step in plan(options, platform, create_venv=True):
                print(f"# {step.why}\n{quote_command(step.argv, platform)}")
            return 0
        venv = Path(args.venv).expanduser().resolve() if args.venv else ROOT / ".venv"
        wheelhouse = Path(args.wheelhouse).expanduser().resolve() if args.wheelhouse else None
        return setup(Options(venv=venv, torch_index=args.torch_index, wheelhouse=wheelhouse, extras=extras),
                     recreate=args.recreate, force=args.force)
    except SetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted (Ctrl-C); rerun the same command to finish the set-up", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
