"""End-to-end check of the offline route: ``make offline-check`` (``python tools/check_offline_install.py``).

1. Build a bundle (``tools/build_wheelhouse.py``) into a temporary folder, or use ``--bundle DIR``.
2. Copy the project's files (tracked and untracked-but-not-ignored: no ``.venv``, no ``data/``) into a
   new folder, as a fresh clone would be.
3. With the network cut (``unshare --net``: a new network namespace whose only interface is the
   loopback, brought up so that Jupyter kernels can talk to their client), pip's configuration and caches switched off (``PIP_CONFIG_FILE`` = the null device,
   ``PIP_NO_CACHE_DIR``, a new ``HOME``) and no ``TWEETS_DATA_DIR``, run
   ``python tools/setup_env.py --wheelhouse BUNDLE`` in that copy and time it;
4. still offline, check that nothing can be reached, run ``python -m tutorial_lib doctor`` (it must
   report no FAIL, with the data found in the copy's ``data/``), write the student edition
   (``python -m tutorial_lib student``) and execute notebook 01; the bundle's course zip must hold
   the student edition too.

It prints the bundle's size, the build time and the offline set-up time (the README quotes them).
Needs Linux and the right to create a network namespace (root, or unprivileged user namespaces);
``--no-network-cut`` runs the same steps relying on ``pip --no-index`` alone, and says so.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import setup_env  # noqa: E402

NETWORK_PROBE = ("import socket\n"
                 "try:\n    socket.create_connection(('pypi.org', 443), timeout=5)\n"
                 "except OSError as exc:\n    print('offline:', exc)\n"
                 "else:\n    raise SystemExit('pypi.org is reachable: the network is not cut')\n")


class CheckError(Exception):
    """A step of the offline check failed; the message names it."""


def base_python() -> str:
    """Return the interpreter a participant would start from (not this venv's, if we run in one)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def project_files(root: Path = ROOT) -> list[Path]:
    """Return the files a fresh clone would have, plus untracked files that git does not ignore."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                         capture_output=True, check=True).stdout.decode()
    return [Path(p) for p in out.split("\0") if p and (root / p).is_file()]


def copy_project(dest: Path, root: Path = ROOT) -> int:
    """Copy :func:`project_files` into ``dest``; return how many."""
    files = project_files(root)
    for rel in files:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, dest / rel)
    return len(files)


def offline_env(home: Path, python: str) -> dict[str, str]:
    """Return a minimal environment: no proxies, no pip configuration or cache, no TWEETS_DATA_DIR."""
    return {"PATH": os.pathsep.join([str(Path(python).parent), "/usr/bin", "/bin"]), "HOME": str(home),
            "LANG": "C.UTF-8", "PIP_CONFIG_FILE": os.devnull, "PIP_NO_CACHE_DIR": "1", "MPLBACKEND": "Agg"}


def loopback_up_and_exec(argv: list[str]) -> None:
    """Bring the loopback interface ``lo`` up (ioctl, no iproute2 needed), then replace this process by ``argv``."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        flags = struct.unpack("16sh", fcntl.ioctl(sock, siocgifflags, struct.pack("16sh", b"lo", 0)))[1]
        fcntl.ioctl(sock, siocsifflags, struct.pack("16sh", b"lo", flags | iff_up))
    os.execvp(argv[0], argv)


def network_cut_prefix(cut: bool) -> list[str]:
    """Return the command prefix that runs a command with no network, after checking that it works."""
    if not cut:
        return []
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        raise CheckError("cutting the network needs Linux's unshare; rerun with --no-network-cut to rely on "
                         "pip --no-index alone")
    prefix = ["unshare", "--net", "--", sys.executable, str(Path(__file__).resolve()), "--loopback-exec", "--"]
    probe = subprocess.run([*prefix, "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        raise CheckError(f"unshare --net is not allowed here ({probe.stderr.strip()}); run as root, or rerun with "
                         "--no-network-cut to rely on pip --no-index alone")
    return prefix


def run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, what: str,
        capture: bool = False) -> tuple[float, str]:
    """Run ``cmd``; return (seconds, captured output); raise :class:`CheckError` naming ``what`` on failure."""
    print(f"\n## {what}\n$ {' '.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, check=False, text=True,
                          stdout=subprocess.PIPE if capture else None, stderr=subprocess.STDOUT if capture else None)
    seconds = time.perf_counter() - t0
    if capture:
        print(done.stdout, end="", flush=True)
    if done.returncode != 0:
        raise CheckError(f"{what} failed (exit status {done.returncode})")
    return seconds, done.stdout or ""


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def zip_student_edition(bundle: Path, manifest: dict) -> list[str]:
    """Return the student notebooks in the bundle's course zip (none there, if the bundle has a zip, is an error)."""
    source = manifest.get("source") or {}
    if not source.get("file"):
        return []
    with zipfile.ZipFile(bundle / source["file"]) as archive:
        names = sorted(n.rsplit("/", 1)[1] for n in archive.namelist() if "/student/" in n and n.endswith(".ipynb"))
    if not names:
        raise CheckError(f"the bundle's {source['file']} holds no student/ edition")
    return names


def check(bundle: Path | None, *, cut: bool, keep: bool, python: str) -> dict:
    """Run the whole check in a temporary folder; return the measurements."""
    prefix = network_cut_prefix(cut)
    work = Path(tempfile.mkdtemp(prefix="offline-check-"))
    results: dict = {"network_cut": bool(prefix), "python": python}
    try:
        if bundle is None:
            bundle = work / "bundle"
            seconds, _ = run([sys.executable, str(ROOT / "tools" / "build_wheelhouse.py"), str(bundle)], cwd=ROOT,
                             what="build the bundle (online)")
            results["bundle_build_s"] = round(seconds, 1)
        manifest = json.loads((bundle / setup_env.MANIFEST_NAME).read_text(encoding="utf-8"))
        results["bundle_bytes"] = manifest["total_bytes"]
        results["wheels"] = manifest["wheel_count"]
        course = work / "course"
        results["files_copied"] = copy_project(course)
        home = work / "home"
        home.mkdir()
        env = offline_env(home, python)
        run([*prefix, python, "-c", NETWORK_PROBE], cwd=course, env=env, what="the network is cut")
        seconds, _ = run([*prefix, python, "tools/setup_env.py", "--wheelhouse", str(bundle)], cwd=course,
                         env=env, what="offline set-up: tools/setup_env.py --wheelhouse")
        results["offline_setup_s"] = round(seconds, 1)
        results["venv_bytes"] = folder_bytes(course / ".venv")
        venv_python = str(setup_env.venv_python(course / ".venv", sys.platform))
        _, report = run([*prefix, venv_python, "-m", "tutorial_lib", "doctor"], cwd=course, env=env,
                        what="doctor, offline", capture=True)
        if f"in the cache folder {course / 'data'}" not in report:
            raise CheckError("the doctor did not find the data in the copy's data/ folder")
        results["doctor"] = report.strip().splitlines()
        run([*prefix, venv_python, "-m", "tutorial_lib", "student"], cwd=course, env=env,
            what="the student edition, offline")
        results["student_edition"] = sorted(p.name for p in (course / "student").glob("*.ipynb"))
        if not results["student_edition"]:
            raise CheckError("python -m tutorial_lib student wrote no notebook into the copy's student/")
        results["zip_student_edition"] = zip_student_edition(bundle, manifest)
        seconds, _ = run([*prefix, venv_python, "-m", "tutorial_lib", "run", "--only", "01", "--output-dir",
                          str(work / "run")], cwd=course, env=env, what="notebook 01, offline")
        results["notebook_01_s"] = round(seconds, 1)
    finally:
        if keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["--loopback-exec", "--"]:  # inside the new network namespace (see network_cut_prefix)
        loopback_up_and_exec(argv[2:])
    parser = argparse.ArgumentParser(prog="python tools/check_offline_install.py",
                                     description="Build an offline bundle and set up a copy of the project from it "
                                                 "with the network cut; print the measurements.")
    parser.add_argument("--bundle", default=None, metavar="DIR", help="use this bundle instead of building one")
    parser.add_argument("--python", default=base_python(), help="the Python to set up with (default: %(default)s)")
    parser.add_argument("--no-network-cut", action="store_true",
                        help="do not cut the network (where unshare --net is not allowed); pip still uses --no-index")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    bundle = Path(args.bundle).expanduser().resolve() if args.bundle else None
    try:
        results = check(bundle, cut=not args.no_network_cut, keep=args.keep, python=args.python)
    except CheckError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted (Ctrl-C)", file=sys.stderr)
        return 130
    lines = [
        "",
        "offline install check passed" + ("" if results["network_cut"] else " (network NOT cut: --no-network-cut)"),
        f"  bundle: {results['wheels']} wheels + data + course zip, {results['bundle_bytes'] / 1e6:.0f} MB"
        + (f", built in {results['bundle_build_s']:.0f} s" if "bundle_build_s" in results else ""),
        f"  offline set-up (venv, {results['wheels']} wheels, kernel, data): {results['offline_setup_s']:.0f} s; "
        f"venv {results['venv_bytes'] / 1e9:.2f} GB",
        f"  doctor: {results['doctor'][-1]}",
        f"  student edition: {len(results['student_edition'])} notebooks written offline; "
        f"{len(results['zip_student_edition'])} in the bundle's course zip",
        f"  notebook 01 offline: {results['notebook_01_s']:.1f} s",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
