"""Time the whole notebook series at default parameters (the README's "Speed" numbers).

    python benchmarks/time_series.py [--repeats 1] [-p NAME VALUE]...

Runs ``python -m tutorial_lib run`` into a fresh temporary folder (so the word2vec cache and the
model are rebuilt, as on a first run), prints the time of each notebook and the total, and writes
them with the machine's description to ``benchmarks/results/series_timing.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tutorial_lib.paths import atomic_write_text  # noqa: E402
from tutorial_tools.cli import add_parameter_options, parameters  # noqa: E402
from tutorial_tools.series import run_series  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    add_parameter_options(parser, "a parameter for every notebook")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/series_timing.json"))
    args = parser.parse_args()
    params = parameters(args)  # the course's one parameter parser, checked as `python -m tutorial_lib run` checks it
    runs = []
    for i in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            metrics = run_series(Path(tmp) / "run", params, log=lambda *a, **k: None)
            wall = time.perf_counter() - start
        runs.append({"timings_s": metrics["timings_s"], "wall_s": round(wall, 2),
                     "macro_f1": metrics.get("macro_f1"), "accuracy": metrics.get("accuracy")})
        print(f"run {i + 1}: total {wall:.1f} s | " + ", ".join(
            f"{k} {v:.1f}" for k, v in metrics["timings_s"].items() if k != "total"))
    import torch

    result = {
        "params": params, "runs": runs,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "torch": torch.__version__,
                    "processor": platform.machine(), "cuda": torch.cuda.is_available()},
    }
    atomic_write_text(args.out, json.dumps(result, indent=2) + "\n")
    print(f"written to {Path(args.out).relative_to(ROOT) if Path(args.out).is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
