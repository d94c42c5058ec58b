"""How the series' cost grows with the size of a user's data set (issue 13): ``python benchmarks/scale.py``.

For each size (default 5,000, 25,000 and 100,000 rows) a synthetic labelled CSV is generated under
``build/scale/`` (never committed): three classes, texts of 8-30 words drawn from a 20,000-word
vocabulary in which each class prefers its own words, so the labels are learnable but not trivial.
Each size then runs in a fresh Python process (so peak memory is that size's own), through the
library exactly as notebooks 04-07 do: ``prepare_data`` (read and check the CSV, clean, split,
tokenize, vocabulary, encode), the embedding matrix (``cfg.embedding``, GloVe by default) and
``train_from_config`` for ``--epochs`` epochs. Measured: preparation seconds, embedding seconds,
seconds per training epoch, and the process's peak resident memory (``resource.getrusage``:
``ru_maxrss``). Results go to ``benchmarks/results/scale.json``. ``--series 100000`` also runs the whole
notebook series (``python -m tutorial_lib run -p train_csv ...``, default parameters, full training with
early stopping) on that size and records its seconds per notebook and epochs.

Every other parameter is the course's default (one torch thread). Timings depend on the machine and
on what else runs on it; the JSON records the machine's CPU count.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (5_000, 25_000, 100_000)
LABELS = ("bad", "fine", "good")
VOCAB_WORDS = 20_000
SHARED_WORDS = 60  # frequent words every class uses
RESULTS = ROOT / "benchmarks" / "results" / "scale.json"


def _word(i: int) -> str:
    """Return a letters-only pseudo-word for index ``i`` (the tweet tokenizer splits digits off)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    i += 26 * 26
    while i:
        i, r = divmod(i, 26)
        out = letters[r] + out
    return out


def generate_csv(path: Path, rows: int, seed: int = 0) -> Path:
    """Write ``rows`` labelled texts to ``path`` (columns ``text``, ``label``; seeded, so the same file each time)."""
    rng = np.random.default_rng(seed)
    vocab = np.array([_word(i) for i in range(VOCAB_WORDS)])
    ranks = np.arange(1, VOCAB_WORDS + 1)
    base = 1.0 / ranks  # Zipf-like word frequencies
    prefs = []
    for _ in LABELS:  # each class boosts its own random third of the rarer words
        boost = np.ones(VOCAB_WORDS)
        own = rng.choice(np.arange(SHARED_WORDS, VOCAB_WORDS), VOCAB_WORDS // 3, replace=False)
        boost[own] = 4.0
        p = base * boost
        prefs.append(p / p.sum())
    labels = rng.integers(0, len(LABELS), rows)
    lengths = rng.integers(8, 31, rows)
    lines = ["text,label"]
    for label, length in zip(labels, lengths, strict=True):
        words = rng.choice(vocab, size=int(length), p=prefs[label])
        lines.append(f"{' '.join(words)},{LABELS[label]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def measure_one(csv: Path, epochs: int) -> dict:
    """Run preparation, embeddings and training on ``csv`` in this process; return the measurements."""
    import torch

    from tutorial_lib.config import Config
    from tutorial_lib.embeddings import embedding_matrix_for
    from tutorial_lib.pipeline import prepare_data
    from tutorial_lib.training import train_from_config

    torch.set_num_threads(1)
    cfg = Config(train_csv=str(csv), epochs=epochs, patience=epochs, output_dir="build/scale/run")
    t0 = time.perf_counter()
    prepared = prepare_data(cfg)
    prep_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    matrix, _ = embedding_matrix_for(cfg, prepared)
    embed_s = time.perf_counter() - t0
    _, history = train_from_config(cfg, prepared, matrix, progress=True)
    return {
        "rows": prepared.data_source["train"]["rows_read"],
        "rows_kept": prepared.data_source["train"]["rows_kept"],
        "train_rows": len(prepared.encoded["train"]),
        "vocab_size": len(prepared.vocab), "seq_length": prepared.seq_length,
        "prepare_s": round(prep_s, 1), "embedding_s": round(embed_s, 1),
        "epochs": len(history.epoch_seconds),
        "epoch_s": round(float(np.mean(history.epoch_seconds)), 1),
        "val_macro_f1_last": round(history.val_macro_f1[-1], 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
    }


def measure_series(csv: Path, out: Path) -> dict | None:
    """Run the whole notebook series on ``csv`` with the default parameters; return its timings and peak memory."""
    import resource

    print(f"[series on {csv.name}] running python -m tutorial_lib run ...", file=sys.stderr, flush=True)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "tutorial_lib", "run", "-p", "train_csv", csv.name,
                           "--output-dir", str(out)], cwd=csv.parent, env=env, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode:
        print(f"error: the series on {csv.name} failed (exit {proc.returncode})", file=sys.stderr)
        return None
    import torch

    metrics = json.loads((out / "metrics.json").read_text())
    history = torch.load(out / "model.pt", weights_only=True)["history"]
    return {
        "rows": metrics["data"]["train"]["rows_read"], "labels": metrics["labels"],
        "notebook_s": metrics["timings_s"], "wall_s": round(wall, 1),
        "epochs_run": len(history["epoch_seconds"]), "best_epoch": history["best_epoch"],
        "epoch_s": [round(x, 1) for x in history["epoch_seconds"]],
        "test_macro_f1": round(metrics["macro_f1"], 3),
        # the largest of the finished child processes (the notebooks' kernels), in MiB
        "peak_rss_mib_largest_kernel": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--epochs", type=int, default=2, help="training epochs measured per size (default 2)")
    parser.add_argument("--folder", default=str(ROOT / "build" / "scale"), help="where the CSVs go")
    parser.add_argument("--series", type=int, default=None, metavar="ROWS",
                        help="also run the whole series (python -m tutorial_lib run, default parameters) on the "
                             "CSV of this size and record its seconds per notebook and peak memory")
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)  # internal: measure this CSV, print JSON
    args = parser.parse_args(argv)
    if args.one:
        print("RESULT " + json.dumps(measure_one(Path(args.one), args.epochs)), flush=True)
        return 0
    series = None
    if args.series:
        series = measure_series(generate_csv(Path(args.folder) / f"synthetic_{args.series}.csv", args.series),
                                Path(args.folder) / f"series_{args.series}")
        if series is None:
            return 1
    results = []
    for size in args.sizes:
        csv = generate_csv(Path(args.folder) / f"synthetic_{size}.csv", size)
        print(f"[{size} rows] measuring ...", file=sys.stderr, flush=True)
        env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
        proc = subprocess.run([sys.executable, __file__, "--one", str(csv), "--epochs", str(args.epochs)],
                              stdout=subprocess.PIPE, text=True, env=env, check=False)
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if proc.returncode or line is None:
            print(f"error: the {size}-row measurement failed (exit {proc.returncode})", file=sys.stderr)
            return 1
        results.append(json.loads(line[len("RESULT "):]))
        print(f"[{size} rows] {results[-1]}", file=sys.stderr, flush=True)
    payload = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "torch_threads": 1},
               "epochs_measured": args.epochs, "results": results}
    if series is not None:
        payload["series"] = series
    elif RESULTS.is_file():  # keep an earlier series measurement
        payload["series"] = json.loads(RESULTS.read_text()).get("series")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    from tutorial_lib.paths import atomic_write_text

    atomic_write_text(RESULTS, json.dumps(payload, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
