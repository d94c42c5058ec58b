"""Where things live, and how files are written safely (used by every notebook).

Relative paths given by a user (``data_dir``, ``output_dir``) are resolved against the project
root, not against the current working directory: papermill runs kernels in the caller's folder,
JupyterLab and nbval in the notebook's folder, and a path that means different files in each is a
classic source of silent mistakes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """Return the project's root folder (the one holding ``pyproject.toml``).

    With the editable install the README uses, that is the parent of the package folder. If the
    package was installed elsewhere (no ``pyproject.toml`` beside it), the current working
    directory is used instead.
    """
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").is_file():
        return candidate
    return Path.cwd()


def resolve_path(path: str | os.PathLike) -> Path:
    """Return ``path`` as an absolute path; a relative path is taken from the project root."""
    p = Path(path).expanduser()
    if not p.is_absolute():
        p = project_root() / p
    return p


def display_path(path: str | os.PathLike) -> str:
    """Return ``path`` relative to the project root when it is inside it (for printing).

    Notebooks print paths through this so that committed outputs never show a machine's absolute
    folders; a path outside the project is shown by its name only.
    """
    p = Path(path).resolve()
    root = project_root().resolve()
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return f".../{p.name}"


def message_path(path: str | os.PathLike) -> str:
    """Return ``path`` for a terminal message: relative to the project when inside it, else in full.

    Unlike :func:`display_path` (for notebooks' committed outputs), a message names a folder outside
    the project completely, so that the user can find it.
    """
    shown = display_path(path)
    return str(path) if shown.startswith("...") else shown


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    The bytes go to a temporary file in the same folder, are flushed to disk, and the temporary
    file is renamed over ``path``; a crash or an error leaves either the old file or none, never
    a half-written one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`) and return the path."""
    return atomic_write_bytes(path, text.encode(encoding))
