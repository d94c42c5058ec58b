r"""How good is the course's LSTM, honestly? One command, several seeds, the same test split for all.

    python benchmarks/benchmark.py [--seeds 0 1 2 3 4] [--quick] [--output PATH]

For every seed, ``prepare_data`` makes the stratified split of all cleaned labeled tweets (70%
train / 15% validation / 15% test with the default Config); every system is scored on that seed's
15% test split, over every test tweet. Systems (the ``SYSTEMS`` registry: name -> callable(seed,
cfg) -> dict with at least ``accuracy`` and ``macro_f1``):

- ``majority``: always the most frequent training label.
- ``tfidf_logreg``: TF-IDF (word 1-2 grams, sublinear tf) + class-balanced logistic regression,
  C=1, fitted on the same training tweets as the LSTM.
- ``tfidf_wordchar``: the strongest classical peer: TF-IDF of word 1-2 grams plus character 2-5 grams
  (``char_wb``), class-balanced logistic regression, C in {0.3, 1, 3, 10} chosen on the validation split.
- ``vader`` / ``vader_fitted``: VADER (``vaderSentiment``, a lexicon for social media; the ``bench``
  extra) on the cleaned tweets, with its standard thresholds (compound <= -0.05 negative, >= 0.05
  positive) or with the two thresholds fitted for macro-F1 on the training + validation tweets.
- ``tfidf_wordchar_lexicon``: the same peer with VADER's four scores of each tweet as four more
  columns (the lexicon ``lstm_lexicon`` reads; ``tutorial_lib.baselines.tfidf_wordchar_lexicon_baseline``):
  C chosen on validation as above, then the columns' weight in {0.5, 1, 2} on validation.
- ``original_recipe``: the original tutorial reproduced faithfully: its link regex
  ``https?:\/\/[\w]+`` (the published tutorial's, which leaves ``.co/xyz`` behind), its mention regex,
  lowercasing and word tokenization, its training part (train + validation: it had no validation)
  undersampled to the smallest class, its vocabulary built from the training part AND the test
  split, ``<SOS> ... <EOS> <PAD>...`` rows of 32, the unidirectional model read at the last padded
  position, Adam 3e-4, batch 50 with ``drop_last=True``, 50 epochs. Scored honestly (all test tweets).
- ``lstm_default``: our LSTMClassifier trained by ``train_from_config`` at the default Config
  (GloVe 6B 50d embeddings from the pip extra, fine-tuned).
- ``lstm_lexicon``: the default LSTM with ``lexicon="vader"``: VADER's four scores of each tweet,
  standardised on the training split, beside its pooled summary (appendix notebook 09).
- ``lstm_random_init``: the same with randomly initialised embeddings.
- ``lstm_undersampled``: the default LSTM trained on the training split undersampled to the
  smallest class (``balance="undersample"``), as the original balanced its data: what throwing
  away more than half of the training tweets costs.

The peers live in ``tutorial_lib.baselines`` (the lesson's, notebook 08) and ``benchmarks/vader.py``
(VADER, benchmark-only). Prints a markdown table (mean ± std over seeds), the
seed-paired differences of the LSTM rows from the strongest peer and from each other judged by the
course's one standard (a difference counts only when all seeds agree in sign and its mean is larger
than its spread), the ratio of the default LSTM's training time to the original recipe's, plus
training time per epoch and per run; it measures
the torch thread count (1 vs 2) and writes everything as JSON (atomically) to
``benchmarks/results/benchmark.json`` so the README table can be regenerated. Other benchmark
scripts (``embedding_benchmark.py``) import this module and add their own rows to ``SYSTEMS``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _folder in (ROOT, ROOT / "benchmarks"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402

import tutorial_lib  # noqa: E402
from tutorial_lib.baselines import majority_baseline  # noqa: E402
from tutorial_lib.compare import judge  # noqa: E402
from tutorial_lib.config import Config  # noqa: E402
from tutorial_lib.evaluation import classification_metrics, evaluate_model  # noqa: E402
from tutorial_lib.paths import atomic_write_text, display_path  # noqa: E402
from tutorial_lib.pipeline import PreparedData, prepare_data  # noqa: E402
from tutorial_lib.preprocessing import LABELS, original_clean  # noqa: E402
from tutorial_lib.training import set_seed, train_from_config  # noqa: E402

DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "benchmark.json"
System = Callable[[int, Config], dict[str, Any]]
SYSTEMS: dict[str, System] = {}
QUICK = {"flag": False}  # set by main(--quick): fewer epochs, for smoke tests only


def register(name: str) -> Callable[[System], System]:
    """Decorator: add a system to :data:`SYSTEMS` under ``name``."""
    def wrap(fn: System) -> System:
        SYSTEMS[name] = fn
        return fn
    return wrap


# ------------------------------------------------------------------------------------------ data
@functools.lru_cache(maxsize=2)
def raw_data(data_dir: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the raw (train, test) frames, read once per data folder."""
    from tutorial_lib.loading import get_data_dir, read_test_csv, read_train_csv

    folder = get_data_dir(data_dir)
    return read_train_csv(folder / "train.csv"), read_test_csv(folder / "test.csv")


_PREPARED: dict[tuple, PreparedData] = {}


def prepared_for(cfg: Config) -> PreparedData:
    """Return ``prepare_data(cfg)`` (cached per config: all systems of a seed share one split)."""
    key = tuple(sorted(cfg.to_dict().items()))
    if key not in _PREPARED:
        if len(_PREPARED) > 4:
            _PREPARED.clear()
        _PREPARED[key] = prepare_data(cfg, raw=raw_data(cfg.data_dir))
    return _PREPARED[key]


# ------------------------------------------------------------------------------------- baselines
@register("majority")
def majority_system(seed: int, cfg: Config) -> dict[str, Any]:
    """Most frequent training label for every test tweet."""
    return majority_baseline(prepared_for(cfg.replace(seed=seed)))


@register("tfidf_logreg")
def tfidf_system(seed: int, cfg: Config) -> dict[str, Any]:
    """TF-IDF (1-2 grams, sublinear) + class-balanced logistic regression (C=1), on the LSTM's training tweets."""
    from tutorial_lib.baselines import tfidf_logreg_baseline

    prepared = prepared_for(cfg.replace(seed=seed))
    start = time.perf_counter()
    result = tfidf_logreg_baseline(prepared, seed=seed, class_weight="balanced", C=1.0)
    result["train_seconds"] = time.perf_counter() - start
    return result


@register("tfidf_wordchar")
def tfidf_wordchar_system(seed: int, cfg: Config) -> dict[str, Any]:
    """The strongest classical peer: word 1-2 + char_wb 2-5 gram TF-IDF, balanced LR, C chosen on validation."""
    from tutorial_lib.baselines import tfidf_wordchar_baseline

    prepared = prepared_for(cfg.replace(seed=seed))
    start = time.perf_counter()
    result = tfidf_wordchar_baseline(prepared, seed=seed)
    result["train_seconds"] = time.perf_counter() - start  # four fits (one per C) + scoring
    return result


@register("tfidf_wordchar_lexicon")
def tfidf_wordchar_lexicon_system(seed: int, cfg: Config) -> dict[str, Any]:
    """The word+char peer plus VADER's four tweet scores (the LSTM's lexicon); C, then the weight, on validation."""
    from tutorial_lib.baselines import tfidf_wordchar_lexicon_baseline

    prepared = prepared_for(cfg.replace(seed=seed))
    start = time.perf_counter()
    result = tfidf_wordchar_lexicon_baseline(prepared, seed=seed)
    result["train_seconds"] = time.perf_counter() - start  # four fits (one per C) + three (one per weight)
    return result


@register("vader")
def vader_system(seed: int, cfg: Config) -> dict[str, Any]:
    """VADER (social-media sentiment lexicon, no training), standard thresholds -0.05 / +0.05."""
    from vader import vader_baseline

    return vader_baseline(prepared_for(cfg.replace(seed=seed)), fit=False)


@register("vader_fitted")
def vader_fitted_system(seed: int, cfg: Config) -> dict[str, Any]:
    """VADER with its two thresholds fitted (best macro-F1) on the training + validation tweets."""
    from vader import vader_baseline

    return vader_baseline(prepared_for(cfg.replace(seed=seed)), fit=True)


# -------------------------------------------------------------------------------- original recipe
def original_tokenize(text: str) -> list[str]:
    """Return the original tutorial's tokens: its cleaning (``preprocessing.original_clean``, the published
    patterns of shared/original/tutorial.txt, bug kept), then NLTK word_tokenize (no punkt)."""
    from nltk.tokenize import word_tokenize

    return word_tokenize(original_clean(text), preserve_line=True)


def original_encode(tokens: list[str], word2index: dict[str, int], length: int = 32) -> list[int]:
    """Return the original's ``encode_and_pad`` row: SOS tokens EOS, then PAD up to ``length``."""
    body = [word2index[w] for w in tokens][: length - 2]
    return [1, *body, 2] + [0] * (length - 2 - len(body))


def run_original_recipe(train: pd.DataFrame, test: pd.DataFrame, seed: int, epochs: int = 50) -> dict[str, Any]:
    """Train and score the original tutorial's recipe; ``train`` is its training part (not yet undersampled).

    Returns the metrics on every tweet of ``test`` plus timing. Introduced for the benchmark and
    notebook 06.
    """
    from torch.utils.data import DataLoader, TensorDataset

    from tutorial_lib.model import OriginalTutorialLSTM

    set_seed(seed)
    smallest = int(train["label"].value_counts().min())
    balanced = pd.concat([train[train["label"] == label].sample(n=smallest, random_state=seed)
                          for label in LABELS])
    train_tokens = [original_tokenize(t) for t in balanced["text"]]
    test_tokens = [original_tokenize(t) for t in test["text"]]
    index2word = ["<PAD>", "<SOS>", "<EOS>"]
    word2index = {w: i for i, w in enumerate(index2word)}
    for tokens in train_tokens + test_tokens:  # the original's vocabulary saw the test split
        for token in tokens:
            if token not in word2index:
                word2index[token] = len(word2index)
    label_id = {label: i for i, label in enumerate(LABELS)}
    x_train = torch.tensor([original_encode(t, word2index) for t in train_tokens], dtype=torch.long)
    y_train = torch.tensor([label_id[v] for v in balanced["label"]], dtype=torch.long)
    x_test = torch.tensor([original_encode(t, word2index) for t in test_tokens], dtype=torch.long)
    y_test = np.array([label_id[v] for v in test["label"]], dtype=np.int64)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=50, shuffle=True, drop_last=True,
                        generator=torch.Generator().manual_seed(seed))
    model = OriginalTutorialLSTM(len(word2index), embedding_dim=64, hidden_size=32, dropout=0.2)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
    criterion = torch.nn.CrossEntropyLoss()
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
    train_seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        preds = model(x_test).argmax(1).numpy()
    result = classification_metrics(y_test, preds, LABELS)
    result.update(train_seconds=train_seconds, seconds_per_epoch=train_seconds / epochs, epochs=epochs,
                  train_tweets=len(balanced), vocab_size=len(word2index))
    return result


@register("original_recipe")
def original_system(seed: int, cfg: Config) -> dict[str, Any]:
    """The original tutorial's recipe on this seed's split (training part = train + validation)."""
    prepared = prepared_for(cfg.replace(seed=seed))
    split = prepared.split
    train = pd.concat([split.train, split.val])
    return run_original_recipe(train, split.test, seed, epochs=5 if QUICK["flag"] else 50)


# ------------------------------------------------------------------------------------ our LSTM
def run_lstm(seed: int, cfg: Config, embedding_matrix: np.ndarray | None = None) -> dict[str, Any]:
    """Train our LSTM with ``cfg`` (seed replaced) and return its test metrics plus timing and history."""
    cfg = cfg.replace(seed=seed)
    if QUICK["flag"]:
        cfg = cfg.replace(epochs=min(cfg.epochs, 2))
    return train_and_score(cfg, prepared_for(cfg), embedding_matrix)


def train_and_score(cfg: Config, prepared: Any, embedding_matrix: np.ndarray | None = None) -> dict[str, Any]:
    """Train our LSTM with ``cfg`` on ``prepared`` and return its test metrics plus timing and history."""
    start = time.perf_counter()
    model, history = train_from_config(cfg, prepared, embedding_matrix, progress=False)
    train_seconds = time.perf_counter() - start
    result = evaluate_model(model, prepared, split="test", device=cfg.device)
    for key in ("probs", "preds", "labels", "texts"):
        result.pop(key, None)
    result.update(train_seconds=train_seconds, seconds_per_epoch=float(np.mean(history.epoch_seconds)),
                  epochs=history.epochs_run, best_epoch=history.best_epoch,
                  val_macro_f1=history.best_val_macro_f1, train_tweets=len(prepared.encoded["train"]))
    return result


@register("lstm_default")
def lstm_system(seed: int, cfg: Config) -> dict[str, Any]:
    """Our LSTMClassifier at the default Config (GloVe 6B 50d embeddings, fine-tuned)."""
    from tutorial_lib.embeddings import embedding_matrix_for

    run_cfg = cfg.replace(seed=seed)
    matrix, _ = embedding_matrix_for(run_cfg, prepared_for(run_cfg))
    return run_lstm(seed, cfg, matrix)


@register("lstm_lexicon")
def lstm_lexicon_system(seed: int, cfg: Config) -> dict[str, Any]:
    """The default LSTM that also reads VADER's four tweet scores (lexicon="vader", notebook 09)."""
    from tutorial_lib.embeddings import embedding_matrix_for

    run_cfg = cfg.replace(seed=seed)
    matrix, _ = embedding_matrix_for(run_cfg, prepared_for(run_cfg))
    return run_lstm(seed, cfg.replace(lexicon="vader"), matrix)


@register("lstm_random_init")
def lstm_random_system(seed: int, cfg: Config) -> dict[str, Any]:
    """The default Config with embedding="random": what the pretrained vectors add."""
    return run_lstm(seed, cfg.replace(embedding="random"))


@register("lstm_undersampled")
def lstm_undersampled_system(seed: int, cfg: Config) -> dict[str, Any]:
    """The default LSTM trained on the undersampled training split (balance="undersample")."""
    from tutorial_lib.embeddings import embedding_matrix_for

    run_cfg = cfg.replace(seed=seed, balance="undersample")
    matrix, _ = embedding_matrix_for(run_cfg, prepared_for(run_cfg))
    return run_lstm(seed, run_cfg, matrix)


@register("lstm_w2v_prototype")
def lstm_w2v_system(seed: int, cfg: Config) -> dict[str, Any]:
    """Prototype: default Config but embedding_dim=100, initialised with own-tweets word2vec (20 epochs).

    See ``benchmarks/w2v_prototype.py``; for the lead's decision on the default embedding.
    """
    from w2v_prototype import word2vec_matrix

    cfg = cfg.replace(embedding="random", embedding_dim=100)
    prepared = prepared_for(cfg.replace(seed=seed))
    matrix, coverage = word2vec_matrix(prepared, cfg.embedding_dim, seed, epochs=2 if QUICK["flag"] else 20)
    result = run_lstm(seed, cfg, matrix)
    result["w2v_vocab_coverage"] = coverage
    return result


DEFAULT_SYSTEMS = ("majority", "tfidf_logreg", "tfidf_wordchar", "tfidf_wordchar_lexicon", "vader", "vader_fitted",
                   "original_recipe", "lstm_default", "lstm_lexicon", "lstm_random_init", "lstm_undersampled")


# ----------------------------------------------------------------------------------- threads
def measure_threads(cfg: Config, threads: tuple[int, ...] = (1, 2), batches: int = 15) -> dict[str, Any]:
    """Return seconds per training epoch of our default LSTM for each torch thread count.

    Times ``batches`` training batches (forward, backward, Adam step) per thread count and
    extrapolates to a full epoch: a whole epoch per setting would cost minutes when the other core
    is busy and two threads contend for it. Wall time and CPU time are both reported.
    """
    from tutorial_lib.batching import make_loader
    from tutorial_lib.training import class_weights_for, model_from_config

    run_cfg = cfg.replace(seed=0)
    prepared = prepared_for(run_cfg)
    loader = make_loader(prepared.encoded["train"], batch_size=cfg.batch_size, shuffle=True, seed=0)
    per_epoch = len(loader)
    weights = class_weights_for(run_cfg, prepared)
    before = torch.get_num_threads()
    out: dict[str, Any] = {"batches_timed": batches, "batches_per_epoch": per_epoch}
    for n in threads:
        torch.set_num_threads(n)
        set_seed(0)
        model = model_from_config(run_cfg, len(prepared.vocab))
        optimizer = torch.optim.Adam(model.parameters(), lr=cfg.learning_rate)
        criterion = torch.nn.CrossEntropyLoss(weight=None if weights is None else torch.as_tensor(weights))
        model.train()
        wall, cpu = time.perf_counter(), time.process_time()
        for i, (ids, lengths, labels) in enumerate(loader):
            if i == batches:
                break
            optimizer.zero_grad()
            criterion(model(ids, lengths), labels).backward()
            optimizer.step()
        scale = per_epoch / min(batches, per_epoch)
        out[f"{n}_threads_wall_s_per_epoch"] = (time.perf_counter() - wall) * scale
        out[f"{n}_threads_cpu_s_per_epoch"] = (time.process_time() - cpu) * scale
    torch.set_num_threads(before)
    return out


# ------------------------------------------------------------------------------------- running
def summarize(values: list[float]) -> dict[str, float]:
    """Return mean and population std of ``values``."""
    return {"mean": float(statistics.mean(values)), "std": float(statistics.pstdev(values)) if values else 0.0}


def run_benchmark(systems: dict[str, System], seeds: list[int], cfg: Config,
                  log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run every system for every seed; return ``{"systems": {name: {"per_seed": [...], summaries}}}``."""
    results: dict[str, Any] = {}
    for name, fn in systems.items():
        per_seed = []
        for seed in seeds:
            start = time.perf_counter()
            r = fn(seed, cfg)
            r = {k: v for k, v in r.items() if not isinstance(v, np.ndarray)}
            r["seed"] = seed
            r["wall_seconds"] = time.perf_counter() - start
            per_seed.append(r)
            log(f"  {name:<22} seed {seed}: accuracy {r['accuracy']:.3f}  macro-F1 {r['macro_f1']:.3f}  "
                f"({r['wall_seconds']:.1f} s)")
        entry: dict[str, Any] = {"per_seed": per_seed}
        for key in ("accuracy", "macro_f1", "train_seconds", "seconds_per_epoch", "epochs", "val_macro_f1"):
            vals = [r[key] for r in per_seed if key in r]
            if vals:
                entry[key] = summarize([float(v) for v in vals])
        results[name] = entry
    return {"systems": results}


# Seed-paired comparisons written with the results: (system, reference). The first is the issue-12 target.
COMPARISONS = (("lstm_default", "tfidf_wordchar"), ("lstm_default", "tfidf_logreg"), ("lstm_default", "vader_fitted"),
               ("lstm_default", "original_recipe"), ("lstm_default", "lstm_random_init"),
               ("lstm_undersampled", "lstm_default"), ("tfidf_wordchar", "tfidf_logreg"),
               ("lstm_lexicon", "tfidf_wordchar_lexicon"), ("lstm_lexicon", "tfidf_wordchar"),
               ("lstm_lexicon", "lstm_default"), ("lstm_default", "tfidf_wordchar_lexicon"),
               ("tfidf_wordchar_lexicon", "tfidf_wordchar"))
TARGET_MARGIN = 0.02  # issue 12: the default LSTM's 5-seed mean macro-F1 at least this far above the strongest peer
MAX_TIME_RATIO = 1.5  # issue 12: default LSTM training time at most this multiple of the original recipe's
#: The peers (no LSTM) among which issue 18's target finds the best by mean test macro-F1.
PEERS = ("majority", "tfidf_logreg", "tfidf_wordchar", "tfidf_wordchar_lexicon", "vader", "vader_fitted")


def paired_difference(values: list[float], reference: list[float]) -> dict[str, Any]:
    """Return the seed-paired differences ``values - reference`` judged by the course's one standard.

    The judgement is :func:`tutorial_lib.compare.judge` (the rule notebooks 05 and 08 and ``python -m
    tutorial_lib compare`` use): real only when every seed agrees in sign AND the mean exceeds the spread.
    """
    diffs = [a - b for a, b in zip(values, reference, strict=True)]
    verdict = judge(diffs)
    return {"per_seed": diffs, "mean": verdict.mean, "spread": verdict.spread, "better_on": verdict.better_on,
            "seeds": verdict.seeds, "real": verdict.real,
            "verdict": ("real " + ("gain" if verdict.mean > 0 else "loss")) if verdict.real else "within the noise"}


def compare(results: dict[str, Any]) -> dict[str, Any]:
    """Return the macro-F1 comparisons of :data:`COMPARISONS`, the issue-12 target and the time ratio."""
    systems = results["systems"]

    def per_seed(name: str, key: str) -> list[float]:
        return [float(r[key]) for r in systems[name]["per_seed"]]

    out: dict[str, Any] = {"macro_f1": {}}
    for name, ref in COMPARISONS:
        if name in systems and ref in systems:
            out["macro_f1"][f"{name} - {ref}"] = paired_difference(per_seed(name, "macro_f1"), per_seed(ref, "macro_f1"))
    target = out["macro_f1"].get("lstm_default - tfidf_wordchar")
    if target is not None:
        out["target"] = {"rule": f"lstm_default's mean macro-F1 at least {TARGET_MARGIN} above tfidf_wordchar's",
                         "margin": target["mean"], "reached": target["mean"] >= TARGET_MARGIN}
    if "lstm_default" in systems and "original_recipe" in systems:
        ours = systems["lstm_default"]["train_seconds"]["mean"]
        original = systems["original_recipe"]["train_seconds"]["mean"]
        out["train_time_ratio"] = {"lstm_default_s": ours, "original_recipe_s": original, "ratio": ours / original,
                                   "limit": MAX_TIME_RATIO, "within_limit": ours / original <= MAX_TIME_RATIO}
    peers = [name for name in PEERS if name in systems]
    if "lstm_lexicon" in systems and peers:
        best = max(peers, key=lambda name: systems[name]["macro_f1"]["mean"])
        diff = paired_difference(per_seed("lstm_lexicon", "macro_f1"), per_seed(best, "macro_f1"))
        out["lexicon_target"] = {
            "rule": f"lstm_lexicon's mean macro-F1 at least {TARGET_MARGIN} above the best peer's (issue 18)",
            "best_peer": best, "margin": diff["mean"], "verdict": diff["verdict"],
            "reached": diff["mean"] >= TARGET_MARGIN}
        if "original_recipe" in systems:
            ratio = systems["lstm_lexicon"]["train_seconds"]["mean"] / systems["original_recipe"]["train_seconds"]["mean"]
            out["lexicon_target"].update(train_time_ratio=ratio, within_time_limit=ratio <= MAX_TIME_RATIO)
    return out


def format_comparisons(comparisons: dict[str, Any]) -> str:
    """Return the comparisons as printable lines (macro-F1 points)."""
    lines = ["seed-paired macro-F1 differences (points; real only if all seeds agree in sign and |mean| > spread):"]
    for label, d in comparisons["macro_f1"].items():
        seeds = " ".join(f"{100 * x:+.1f}" for x in d["per_seed"])
        lines.append(f"  {label:<36} {100 * d['mean']:+.1f} ± {100 * d['spread']:.1f}  "
                     f"(better on {d['better_on']} of {d['seeds']}: {seeds})  {d['verdict']}")
    if "target" in comparisons:
        t = comparisons["target"]
        lines.append(f"target ({t['rule']}): margin {100 * t['margin']:+.1f} points -> "
                     f"{'reached' if t['reached'] else 'NOT reached'}")
    if "lexicon_target" in comparisons:
        t = comparisons["lexicon_target"]
        lines.append(f"lexicon target ({t['rule']}): best peer {t['best_peer']}, margin {100 * t['margin']:+.1f} "
                     f"points ({t['verdict']}) -> {'reached' if t['reached'] else 'NOT reached'}"
                     + (f"; training time / original recipe {t['train_time_ratio']:.2f}" if "train_time_ratio" in t
                        else ""))
    if "train_time_ratio" in comparisons:
        r = comparisons["train_time_ratio"]
        lines.append(f"training time, default LSTM / original recipe: {r['lstm_default_s']:.1f} s / "
                     f"{r['original_recipe_s']:.1f} s = {r['ratio']:.2f} (limit {r['limit']})")
    return "\n".join(lines)


def format_table(results: dict[str, Any]) -> str:
    """Return the markdown table of a :func:`run_benchmark` result."""
    lines = ["| system | accuracy | macro-F1 | train s/run | s/epoch | epochs |",
             "| --- | --- | --- | --- | --- | --- |"]
    def cell(entry: dict[str, Any], key: str, digits: int = 3) -> str:
        if key not in entry:
            return "-"
        return f"{entry[key]['mean']:.{digits}f} ± {entry[key]['std']:.{digits}f}"

    def plain(entry: dict[str, Any], key: str, digits: int = 2) -> str:
        return f"{entry[key]['mean']:.{digits}f}" if key in entry else "-"

    for name, e in results["systems"].items():
        lines.append(f"| {name} | {cell(e, 'accuracy')} | {cell(e, 'macro_f1')} | {plain(e, 'train_seconds', 1)} | "
                     f"{plain(e, 'seconds_per_epoch')} | {plain(e, 'epochs', 1)} |")
    return "\n".join(lines)


def source_commit() -> str:
    """Return the git commit the results come from (``+dirty`` when tracked files were changed), or ``unknown``."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def environment() -> dict[str, Any]:
    """Return versions, machine facts and the source commit recorded with the results."""
    import sklearn

    return {"commit": source_commit(), "tutorial_lib": tutorial_lib.__version__, "torch": str(torch.__version__),
            "scikit_learn": sklearn.__version__, "pandas": pd.__version__, "numpy": np.__version__,
            "python": platform.python_version(), "cpu_count": os.cpu_count(), "machine": platform.machine()}


def main(argv: list[str] | None = None, systems: dict[str, System] | None = None,
         default_output: Path = DEFAULT_OUTPUT) -> int:
    """Run the benchmark from the command line; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=None, help="default: 0 1 2 3 4 (0 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: seed 0 only unless --seeds given, 2 LSTM / 5 original epochs; "
                             "writes benchmark_quick.json")
    parser.add_argument("--systems", nargs="+", default=None,
                        help=f"systems to run (default: {' '.join(DEFAULT_SYSTEMS)}; also: lstm_w2v_prototype)")
    parser.add_argument("--data-dir", default=None, help="folder with train.csv/test.csv (default: as loading finds)")
    parser.add_argument("--output", default=None, help=f"JSON output (default {default_output.relative_to(ROOT)})")
    parser.add_argument("--no-threads", action="store_true", help="skip the 1-vs-2 thread measurement")
    args = parser.parse_args(argv)
    if systems is None:
        systems = SYSTEMS if args.systems else {k: v for k, v in SYSTEMS.items() if k in DEFAULT_SYSTEMS}
    systems = dict(systems)
    if args.systems:
        unknown = sorted(set(args.systems) - set(systems))
        if unknown:
            parser.error(f"unknown system(s) {unknown}; choose from {sorted(systems)}")
        systems = {k: v for k, v in systems.items() if k in args.systems}
    QUICK["flag"] = args.quick
    seeds = args.seeds if args.seeds is not None else ([0] if args.quick else [0, 1, 2, 3, 4])
    output = Path(args.output) if args.output else (
        default_output.with_name(default_output.stem + "_quick.json") if args.quick else default_output)
    cfg = Config(data_dir=args.data_dir, device="cpu")
    torch.set_num_threads(cfg.num_threads)
    print(f"benchmark: seeds {seeds}, systems {list(systems)}, torch threads {cfg.num_threads}", flush=True)
    start = time.perf_counter()
    results = run_benchmark(systems, seeds, cfg, log=lambda s: print(s, flush=True))
    results["threads_seconds_per_epoch"] = {} if args.no_threads else measure_threads(cfg)
    config = cfg.to_dict()
    if config["data_dir"] is not None:  # no machine-specific absolute path in committed results
        config["data_dir"] = display_path(config["data_dir"])
    results.update(seeds=seeds, quick=args.quick, config=config, environment=environment(),
                   total_seconds=time.perf_counter() - start,
                   protocol="stratified split of all cleaned labeled tweets by prepare_data(Config(seed)); "
                            "every system scored on all tweets of the same 15% test split")
    results["comparisons"] = compare(results)
    table = format_table(results)
    print("\n" + table)
    print("\n" + format_comparisons(results["comparisons"]))
    if results["threads_seconds_per_epoch"]:
        t = results["threads_seconds_per_epoch"]
        print("\nseconds per epoch of the default LSTM (extrapolated from "
              f"{t['batches_timed']} batches): "
              + ", ".join(f"{k}: {v:.2f}" for k, v in t.items() if k.endswith("_s_per_epoch")))
    results["table_markdown"] = table
    atomic_write_text(output, json.dumps(results, indent=2) + "\n")
    print(f"\nresults written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
