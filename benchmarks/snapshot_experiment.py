"""Issue 12 experiment, on the VALIDATION split only: what do snapshot ensembles add to the default LSTM?

    python benchmarks/snapshot_experiment.py [--seeds 0 1 2 3 4] [--set NAME=VALUE ...]

One training run per seed at the default Config (GloVe init, early stopping on validation macro-F1,
the same loop as ``train_model``), keeping the weights of every epoch. From that one run it scores
on the validation split, with no extra training time:

- ``best``: the best epoch's weights (what ``train_model`` keeps; the default);
- ``avgw_k``: the weights averaged over the k best epochs (one model, same size);
- ``ens_k``: the class probabilities averaged over the k best epochs' models (a snapshot ensemble);
- ``ens_k+wordchar``: ``ens_k`` averaged with the word+char TF-IDF peer's probabilities.

Prints one JSON line per seed and a mean line; appends them to build/tuning.jsonl.
Logged in benchmarks/TUNING.md. Never looks at the test split.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

from tutorial_lib.batching import make_loader  # noqa: E402
from tutorial_lib.config import Config  # noqa: E402
from tutorial_lib.embeddings import embedding_matrix_for  # noqa: E402
from tutorial_lib.pipeline import prepare_data  # noqa: E402
from tutorial_lib.training import (  # noqa: E402
    class_weights_for,
    evaluate_epoch,
    model_from_config,
    predict_logits,
    set_seed,
    train_epoch,
)
from tutorial_tools.cli import parse_assignment  # noqa: E402

KS = (2, 3, 5)


def wordchar_val_probs(prepared, seed: int) -> np.ndarray:
    """Return the word+char TF-IDF peer's validation probabilities (C chosen on validation, as in baselines)."""
    from sklearn.linear_model import LogisticRegression

    from tutorial_lib.baselines import WORDCHAR_CS, split_texts, wordchar_vectorizer

    vec = wordchar_vectorizer()
    x_train = vec.fit_transform(split_texts(prepared, "train"))
    x_val = vec.transform(split_texts(prepared, "val"))
    y_train, y_val = prepared.encoded["train"].labels, prepared.encoded["val"].labels
    best = None
    for C in WORDCHAR_CS:
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=seed).fit(x_train, y_train)
        f1 = f1_score(y_val, clf.predict(x_val), average="macro")
        if best is None or f1 > best[0]:
            best = (f1, clf)
    return best[1].predict_proba(x_val)


def run_seed(cfg: Config) -> dict:
    prepared = prepare_data(cfg)
    matrix, _ = embedding_matrix_for(cfg, prepared) if cfg.embedding != "random" else (None, None)
    train_loader = make_loader(prepared.encoded["train"], batch_size=cfg.batch_size, shuffle=True, seed=cfg.seed)
    val_loader = make_loader(prepared.encoded["val"], batch_size=256, shuffle=False)
    set_seed(cfg.seed)
    model = model_from_config(cfg, len(prepared.vocab), prepared.vocab.pad_index, matrix)
    weights = class_weights_for(cfg, prepared)
    criterion = torch.nn.CrossEntropyLoss(weight=None if weights is None else torch.as_tensor(weights))
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    states, scores, best, since = [], [], -1.0, 0
    start = time.perf_counter()
    for _epoch in range(cfg.epochs):  # the loop of train_model, keeping every epoch's weights
        train_epoch(model, train_loader, criterion, optimizer, device="cpu", grad_clip=cfg.grad_clip)
        _, _, f1 = evaluate_epoch(model, val_loader, criterion, device="cpu")
        states.append(copy.deepcopy(model.state_dict()))
        scores.append(f1)
        if f1 > best:
            best, since = f1, 0
        else:
            since += 1
            if since >= cfg.patience:
                break
    seconds = time.perf_counter() - start
    order = list(np.argsort(-np.array(scores), kind="stable"))
    y_val = prepared.encoded["val"].labels

    def probs_of(state) -> np.ndarray:
        model.load_state_dict(state)
        logits, _ = predict_logits(model, val_loader)
        return torch.softmax(torch.from_numpy(logits), 1).numpy()

    def f1_of(probs) -> float:
        return float(f1_score(y_val, probs.argmax(1), average="macro"))

    out = {"seed": cfg.seed, "epochs": len(scores), "seconds": round(seconds, 1), "best": f1_of(probs_of(states[order[0]]))}
    per_epoch = {i: probs_of(states[i]) for i in order[:max(KS)]}
    peer = wordchar_val_probs(prepared, cfg.seed)
    out["wordchar"] = f1_of(peer)
    out["best+wordchar"] = f1_of((per_epoch[order[0]] + peer) / 2)
    for k in KS:
        top = order[:k]
        avg_state = {name: sum(states[i][name].float() for i in top) / len(top) for name in states[0]}
        out[f"avgw_{k}"] = f1_of(probs_of(avg_state))
        ens = np.mean([per_epoch[i] for i in top], axis=0)
        out[f"ens_{k}"] = f1_of(ens)
        out[f"ens_{k}+wordchar"] = f1_of((ens + peer) / 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE config override")
    args = parser.parse_args()
    overrides = dict(parse_assignment(item) for item in args.set)  # the course's one parameter parser
    torch.set_num_threads(1)
    rows = []
    for seed in args.seeds:
        row = run_seed(Config(device="cpu", seed=seed, **overrides))
        print(json.dumps(row), flush=True)
        rows.append(row)
    keys = [k for k in rows[0] if k not in ("seed",)]
    summary = {"experiment": "snapshot", "overrides": overrides, "seeds": args.seeds,
               **{k: f"{statistics.mean(r[k] for r in rows):.4f} ± {statistics.pstdev(r[k] for r in rows):.4f}"
                  for k in keys}}
    print(json.dumps(summary), flush=True)
    log = ROOT / "build" / "tuning.jsonl"
    log.parent.mkdir(exist_ok=True)
    with log.open("a") as fh:
        for row in [*rows, summary]:
            fh.write(json.dumps({"experiment": "snapshot", "overrides": overrides, **row}) + "\n")


if __name__ == "__main__":
    main()
