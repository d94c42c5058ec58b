"""Hyperparameter search on the VALIDATION split (never the test split); log in benchmarks/TUNING.md.

Usage: python benchmarks/tune.py --seeds 0 1 2 --set hidden_size=96 --set pooling=last+max [--w2v]
Each run prints one line: the overrides, validation macro-F1 / accuracy mean ± std over seeds,
epochs run and seconds per run; it also appends a JSON line to build/tuning.jsonl.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import torch  # noqa: E402
from w2v_prototype import word2vec_matrix  # noqa: E402

from tutorial_lib.config import Config  # noqa: E402
from tutorial_lib.evaluation import evaluate_model  # noqa: E402
from tutorial_lib.pipeline import prepare_data  # noqa: E402
from tutorial_lib.training import train_from_config  # noqa: E402
from tutorial_tools.cli import parse_assignment  # noqa: E402

DATA_FIELDS = ("seed", "min_freq", "max_vocab_size", "seq_length", "balance", "tokenizer", "keep_hashtags",
               "class_weighted_loss", "test_size", "val_size")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE config override")
    parser.add_argument("--w2v", action="store_true", help="initialise embeddings with own-tweets word2vec")
    parser.add_argument("--w2v-epochs", type=int, default=20)
    parser.add_argument("--tag", default="")
    args = parser.parse_args()
    overrides = dict(parse_assignment(item) for item in args.set)  # the course's one parameter parser
    torch.set_num_threads(1)
    f1s, accs, times, epochs = [], [], [], []
    for seed in args.seeds:
        cfg = Config(device="cpu", seed=seed, **overrides)  # data: TWEETS_DATA_DIR or the cache
        prepared = prepare_data(cfg)
        matrix = None
        if args.w2v:
            matrix, _ = word2vec_matrix(prepared, cfg.embedding_dim, seed, epochs=args.w2v_epochs)
        elif cfg.embedding != "random":  # the library's vectors (notebook 05), e.g. --set embedding=glove
            from tutorial_lib.embeddings import embedding_matrix_for

            matrix, _ = embedding_matrix_for(cfg, prepared)
        start = time.perf_counter()
        model, history = train_from_config(cfg, prepared, matrix, progress=False)
        times.append(time.perf_counter() - start)
        val = evaluate_model(model, prepared, split="val")
        f1s.append(val["macro_f1"])
        accs.append(val["accuracy"])
        epochs.append(history.epochs_run)
    row = {"overrides": overrides, "w2v": args.w2v, "tag": args.tag, "seeds": args.seeds,
           "val_macro_f1": round(statistics.mean(f1s), 4), "val_f1_std": round(statistics.pstdev(f1s), 4),
           "val_accuracy": round(statistics.mean(accs), 4), "epochs": epochs,
           "seconds_per_run": round(statistics.mean(times), 1)}
    print(json.dumps(row), flush=True)
    log = ROOT / "build" / "tuning.jsonl"
    log.parent.mkdir(exist_ok=True)
    with log.open("a") as fh:
        fh.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
