"""Prototype for issue 18: a sentiment lexicon (VADER's) for the LSTM and for its peer, measured fairly.

A head start, not the resolution: one script, seeds 0-4, the benchmark's splits (``prepare_data(Config(seed))``
through ``benchmark.prepared_for``), every choice made on the validation split, then the test split for the
final rows. Needs the ``bench`` extra (vaderSentiment; ``make bench`` installs it). From the repository root, with
the venv (set ``TWEETS_DATA_DIR`` where the data is not in the cache):

    .venv/bin/python benchmarks/lexicon_prototype.py \
        --output benchmarks/results/lexicon_prototype.json

Rows (macro-F1 and accuracy on validation and test, training seconds):

- ``tfidf_wordchar``: the benchmark's strongest peer, the same algorithm as
  ``tutorial_lib.baselines.tfidf_wordchar_baseline`` (its ``wordchar_vectorizer`` and ``WORDCHAR_CS``; C by
  validation macro-F1); its test scores are checked against ``benchmarks/results/benchmark.json``.
- ``tfidf_wordchar_vader``: the same TF-IDF features plus VADER's four tweet-level scores (neg, neu, pos,
  compound of the cleaned tweet, raw, times a weight ``w``), stacked with
  ``scipy.sparse.hstack``; C from the plain peer's validation choice, then ``w`` from ``VADER_WEIGHTS`` by
  validation macro-F1 (first best on a tie).
- ``lstm_default``: ``train_from_config`` at the default Config (GloVe 6B 50d), as the benchmark's row.
- ``lstm_vader``: the default LSTM with the four standardised VADER scores concatenated to its pooled state
  before the output layer.
- ``lstm_lextok``: the default LSTM with two numbers appended to each token's embedding: the token's VADER
  lexicon valence / 4 and a negation-scope flag (``tutorial_lib.lexicons.token_valences`` and ``negation_scope``:
  1 after a negator, VADER's NEGATE list or any token ending in "n't", up to the next punctuation token).
- ``lstm_vader_lextok``: both.

The lexicon LSTMs reuse ``tutorial_lib.training.train_model`` unchanged (Adam, class-weighted loss, early
stopping on validation macro-F1, default Config values). The extra inputs travel as a side table inside the
model (a non-persistent buffer over all train+val+test rows); each batch carries its rows' indices as one
extra last column of ``ids``, which the model strips before the embedding.

Output: per seed and mean ± std of every row, the lexicon LSTM picked by mean validation macro-F1, the
seed-paired test macro-F1 differences of every LSTM row from both peers judged by
``tutorial_lib.compare.judge``, and each LSTM's training time relative to ``lstm_default`` in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchmark  # noqa: E402  (puts the repository root on sys.path)

from tutorial_lib.baselines import WORDCHAR_CS, split_texts, wordchar_vectorizer  # noqa: E402
from tutorial_lib.batching import TweetDataset, collate_batch  # noqa: E402
from tutorial_lib.config import Config  # noqa: E402
from tutorial_lib.evaluation import classification_metrics  # noqa: E402
from tutorial_lib.lexicons import analyzer, negation_scope, token_valences  # noqa: E402
from tutorial_lib.model import LSTMClassifier, final_states, masked_pooling  # noqa: E402
from tutorial_lib.paths import atomic_write_text  # noqa: E402
from tutorial_lib.training import (  # noqa: E402
    class_weights_for,
    predict_logits,
    set_seed,
    train_from_config,
    train_model,
)

ROOT = benchmark.ROOT
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "lexicon_prototype.json"
VADER_WEIGHTS = (0.5, 1.0, 2.0)  # weight of the raw VADER columns (in [0, 1] / [-1, 1]) next to the TF-IDF rows
SPLITS = ("train", "val", "test")
LSTM_VARIANTS = {"lstm_vader": (True, False), "lstm_lextok": (False, True), "lstm_vader_lextok": (True, True)}


# ------------------------------------------------------------------------------------------- lexicon
_SCORES: dict[str, list[float]] = {}


def vader_scores(texts: list[str]) -> np.ndarray:
    """Return ``[N, 4]`` VADER (neg, neu, pos, compound) of each cleaned text (cached per text)."""
    for t in texts:
        if t not in _SCORES:
            s = analyzer().polarity_scores(t)
            _SCORES[t] = [s["neg"], s["neu"], s["pos"], s["compound"]]
    return np.array([_SCORES[t] for t in texts], dtype=np.float64)


def tweet_features(prepared: Any, standardise: bool = True) -> dict[str, np.ndarray]:
    """Return each split's VADER scores, standardised with the training split's mean and std (or raw)."""
    raw = {s: vader_scores([str(t) for t in prepared.encoded[s].texts]) for s in SPLITS}
    if not standardise:
        return raw
    mean, std = raw["train"].mean(0), raw["train"].std(0) + 1e-8
    return {s: ((raw[s] - mean) / std).astype(np.float32) for s in SPLITS}


def token_features(tokens: list[str]) -> list[tuple[float, float]]:
    """Return ``(valence / 4, in negation scope)`` per token: the lesson's token_valences and negation_scope."""
    return [(v / 4.0, float(n)) for v, n in zip(token_valences(tokens), negation_scope(tokens), strict=True)]


def token_table(prepared: Any, split: str) -> np.ndarray:
    """Return ``[N, seq_length, 2]`` token features aligned with ``prepared.encoded[split].ids`` (SOS at 0)."""
    enc = prepared.encoded[split]
    token_lists = prepared.text_pipeline.tokenize_many([str(t) for t in enc.texts])
    table = np.zeros((len(token_lists), prepared.seq_length, 2), dtype=np.float32)
    for row, tokens in enumerate(token_lists):
        body = tokens[: prepared.seq_length - 2]
        assert len(body) + 2 == int(enc.lengths[row]), "tokens must line up with the encoded ids"
        if body:
            table[row, 1: len(body) + 1] = token_features(body)
    return table


# ----------------------------------------------------------------------------------------- peers
def peers(prepared: Any, seed: int) -> dict[str, dict[str, Any]]:
    """Return the word+char TF-IDF peer and the same with VADER's four scores; choices on validation."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    names = prepared.label_names
    y = {s: np.asarray(prepared.encoded[s].labels, dtype=np.int64) for s in SPLITS}
    start = time.perf_counter()
    vectorizer = wordchar_vectorizer()
    x = {"train": vectorizer.fit_transform(split_texts(prepared, "train"))}
    x.update({s: vectorizer.transform(split_texts(prepared, s)) for s in ("val", "test")})
    vec_seconds = time.perf_counter() - start

    def fit(features: dict[str, Any], C: float) -> tuple[Any, dict[str, Any], float]:
        t0 = time.perf_counter()
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=seed)
        clf.fit(features["train"], y["train"])
        return clf, classification_metrics(y["val"], clf.predict(features["val"]), names), time.perf_counter() - t0

    best, per_c, fit_seconds = None, {}, 0.0
    for C in WORDCHAR_CS:
        clf, val, sec = fit(x, C)
        fit_seconds += sec
        per_c[str(C)] = val["macro_f1"]
        if best is None or val["macro_f1"] > best[1]["macro_f1"]:
            best = (clf, val, C)
    clf, val, C = best
    plain = _row(classification_metrics(y["test"], clf.predict(x["test"]), names), val,
                 vec_seconds + fit_seconds, C=C, val_macro_f1_per_C=per_c)

    feats = tweet_features(prepared, standardise=False)  # standardised columns x10 made lbfgs crawl
    start = time.perf_counter()
    best, per_w = None, {}
    for w in VADER_WEIGHTS:
        stacked = {s: hstack([x[s], csr_matrix(w * feats[s])]).tocsr() for s in SPLITS}
        clf, val_w, _ = fit(stacked, C)
        per_w[str(w)] = val_w["macro_f1"]
        if best is None or val_w["macro_f1"] > best[1]["macro_f1"]:
            best = (clf, val_w, w, stacked)
    clf, val_w, w, stacked = best
    lex = _row(classification_metrics(y["test"], clf.predict(stacked["test"]), names), val_w,
               vec_seconds + time.perf_counter() - start, C=C, weight=w, val_macro_f1_per_weight=per_w)
    return {"tfidf_wordchar": plain, "tfidf_wordchar_vader": lex}


def _row(test: dict[str, Any], val: dict[str, Any], seconds: float, **extra: Any) -> dict[str, Any]:
    return {"accuracy": test["accuracy"], "macro_f1": test["macro_f1"], "val_accuracy": val["accuracy"],
            "val_macro_f1": val["macro_f1"], "train_seconds": seconds, **extra}


# ------------------------------------------------------------------------------------------ LSTMs
class LexiconLSTM(LSTMClassifier):
    """LSTMClassifier reading lexicon side features: tweet-level scores and/or per-token (valence, negation).

    ``forward(ids_plus [B, T + 1], lengths)``: the last column of ``ids_plus`` is each tweet's row in the side
    tables ``tweet_table [N, 4]`` / ``token_table [N, seq_length, 2]`` (non-persistent buffers).
    """

    def __init__(self, *args: Any, tweet_table: np.ndarray | None, tok_table: np.ndarray | None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.use_tweet, self.use_token = tweet_table is not None, tok_table is not None
        if self.use_token:
            self.register_buffer("token_table", torch.from_numpy(tok_table), persistent=False)
            e, lstm = self.embedding.embedding_dim, self.lstm
            self.lstm = nn.LSTM(e + tok_table.shape[-1], lstm.hidden_size, num_layers=lstm.num_layers,
                                batch_first=True, bidirectional=lstm.bidirectional, dropout=lstm.dropout)
        if self.use_tweet:
            self.register_buffer("tweet_table", torch.from_numpy(tweet_table), persistent=False)
            self.fc = nn.Linear(self.fc.in_features + tweet_table.shape[1], self.fc.out_features)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        rows, ids = ids[:, -1], ids[:, :-1]
        emb = self.embedding_dropout(self.embedding(ids))  # [B, T, E]
        if self.use_token:
            emb = torch.cat([emb, self.token_table[rows, : ids.shape[1]]], dim=2)  # [B, T, E + 2]
        lengths = lengths.detach().to("cpu", torch.long)
        packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)
        packed_out, (h_n, _) = self.lstm(packed)
        parts = [final_states(h_n, self.lstm.bidirectional)]
        if self.pooling != "last":
            out, _ = pad_packed_sequence(packed_out, batch_first=True, total_length=ids.shape[1])
            parts += masked_pooling(out, lengths, self.pooling)
        features = self.output_dropout(torch.cat(parts, dim=1))
        if self.use_tweet:
            features = torch.cat([features, self.tweet_table[rows]], dim=1)  # [B, pooled + 4]
        return self.fc(features)


class IndexedDataset(TweetDataset):
    """TweetDataset whose batches also carry each tweet's row in the side tables (``offset + index``)."""

    def __init__(self, encoded: Any, offset: int) -> None:
        super().__init__(encoded)
        self.rows = torch.arange(offset, offset + len(self.labels), dtype=torch.long)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, ...]:
        return self.ids[index], self.lengths[index], self.labels[index], self.rows[index]

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, ...]:
        index = torch.as_tensor(indices, dtype=torch.long)
        return self.ids[index], self.lengths[index], self.labels[index], self.rows[index]


def indexed_collate(batch: Any) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return ``(ids [B, T + 1] with rows as last column, lengths, labels)``."""
    if not (isinstance(batch, tuple) and len(batch) == 4):
        batch = tuple(torch.stack([torch.as_tensor(b[i]) for b in batch]) for i in range(4))
    ids, lengths, labels = collate_batch(batch[:3])
    return torch.cat([ids, batch[3][:, None]], dim=1), lengths, labels


def lexicon_lstm(seed: int, cfg: Config, prepared: Any, matrix: np.ndarray, use_tweet: bool,
                 use_token: bool) -> dict[str, Any]:
    """Train a LexiconLSTM as ``train_from_config`` trains the default one; return val/test metrics + time."""
    from torch.utils.data import DataLoader

    cfg = cfg.replace(seed=seed)
    torch.set_num_threads(cfg.num_threads)
    offsets = np.cumsum([0] + [len(prepared.encoded[s].labels) for s in SPLITS])
    tweet = np.concatenate([tweet_features(prepared)[s] for s in SPLITS]) if use_tweet else None
    tok = np.concatenate([token_table(prepared, s) for s in SPLITS]) if use_token else None

    def loader(i: int, shuffle: bool) -> DataLoader:
        gen = torch.Generator().manual_seed(seed) if shuffle else None
        size = cfg.batch_size if shuffle else max(cfg.batch_size, 256)
        return DataLoader(IndexedDataset(prepared.encoded[SPLITS[i]], int(offsets[i])), batch_size=size,
                          shuffle=shuffle, generator=gen, collate_fn=indexed_collate, num_workers=0)

    train_loader, val_loader, test_loader = loader(0, True), loader(1, False), loader(2, False)
    start = time.perf_counter()
    set_seed(seed)
    model = LexiconLSTM(len(prepared.vocab), cfg.embedding_dim, cfg.hidden_size,
                        num_classes=len(prepared.label_names), num_layers=cfg.num_layers,
                        bidirectional=cfg.bidirectional, dropout=cfg.dropout, pad_index=prepared.vocab.pad_index,
                        pretrained=matrix, freeze=cfg.freeze_embeddings, pooling=cfg.pooling,
                        tweet_table=tweet, tok_table=tok)
    history = train_model(model, train_loader, val_loader, epochs=cfg.epochs, lr=cfg.learning_rate,
                          weight_decay=cfg.weight_decay, grad_clip=cfg.grad_clip,
                          class_weights=class_weights_for(cfg, prepared), patience=cfg.patience,
                          device="cpu", progress=False)
    seconds = time.perf_counter() - start
    return _lstm_row(model, val_loader, test_loader, prepared, seconds, history)


def _lstm_row(model: nn.Module, val_loader: Any, test_loader: Any, prepared: Any, seconds: float,
              history: Any) -> dict[str, Any]:
    scores = {}
    for name, ld in (("val", val_loader), ("test", test_loader)):
        logits, labels = predict_logits(model, ld)
        scores[name] = classification_metrics(labels, logits.argmax(1), prepared.label_names)
    return _row(scores["test"], scores["val"], seconds, epochs=history.epochs_run, best_epoch=history.best_epoch)


def default_lstm(seed: int, cfg: Config, prepared: Any, matrix: np.ndarray) -> dict[str, Any]:
    """The benchmark's ``lstm_default`` (``train_from_config``), with validation and test metrics."""
    from tutorial_lib.batching import make_loader

    cfg = cfg.replace(seed=seed)
    start = time.perf_counter()
    model, history = train_from_config(cfg, prepared, matrix, progress=False)
    seconds = time.perf_counter() - start
    val_loader = make_loader(prepared.encoded["val"], batch_size=256, shuffle=False)
    test_loader = make_loader(prepared.encoded["test"], batch_size=256, shuffle=False)
    return _lstm_row(model, val_loader, test_loader, prepared, seconds, history)


# ----------------------------------------------------------------------------------------- report
def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return mean/std of the score and time keys over seeds."""
    keys = ("val_accuracy", "val_macro_f1", "accuracy", "macro_f1", "train_seconds", "epochs")
    return {k: benchmark.summarize([float(r[k]) for r in rows]) for k in keys if all(k in r for r in rows)}


def report(results: dict[str, Any]) -> dict[str, Any]:
    """Add summaries, the validation choices, the seed-paired comparisons and time ratios to ``results``."""
    systems = results["systems"]
    for entry in systems.values():
        entry.update(summarize(entry["per_seed"]))
    lex = [n for n in LSTM_VARIANTS if n in systems]
    out: dict[str, Any] = {}
    if lex:
        out["chosen_lexicon_lstm_by_val"] = max(lex, key=lambda n: systems[n]["val_macro_f1"]["mean"])
    peer_names = [n for n in ("tfidf_wordchar", "tfidf_wordchar_vader") if n in systems]
    if peer_names:
        out["best_peer_by_val"] = max(peer_names, key=lambda n: systems[n]["val_macro_f1"]["mean"])
        out["best_peer_by_test"] = max(peer_names, key=lambda n: systems[n]["macro_f1"]["mean"])
    diffs: dict[str, Any] = {}
    pairs = [(a, b) for a in ("lstm_default", *lex) for b in peer_names if a in systems]
    pairs += [(n, "lstm_default") for n in lex if "lstm_default" in systems]
    if set(peer_names) == {"tfidf_wordchar", "tfidf_wordchar_vader"}:
        pairs.append(("tfidf_wordchar_vader", "tfidf_wordchar"))
    for split, key in (("test", "macro_f1"), ("val", "val_macro_f1")):
        for a, b in pairs:
            va = [r[key] for r in systems[a]["per_seed"]]
            vb = [r[key] for r in systems[b]["per_seed"]]
            diffs.setdefault(split, {})[f"{a} - {b}"] = benchmark.paired_difference(va, vb)
    out["macro_f1_differences"] = diffs
    if "lstm_default" in systems:
        base = systems["lstm_default"]["train_seconds"]["mean"]
        out["train_time_vs_lstm_default"] = {n: systems[n]["train_seconds"]["mean"] / base
                                             for n in ("lstm_default", *lex)}
    results["comparisons"] = out
    return results


def print_report(results: dict[str, Any]) -> None:
    """Print the table and the comparisons."""
    def cell(e: dict[str, Any], k: str) -> str:
        return f"{e[k]['mean']:.3f} ± {e[k]['std']:.3f}" if k in e else "-"

    print("\n| system | val acc | val macro-F1 | test acc | test macro-F1 | train s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, e in results["systems"].items():
        print(f"| {name} | {cell(e, 'val_accuracy')} | {cell(e, 'val_macro_f1')} | {cell(e, 'accuracy')} | "
              f"{cell(e, 'macro_f1')} | {e['train_seconds']['mean']:.1f} |")
    c = results["comparisons"]
    for split, diffs in c["macro_f1_differences"].items():
        print(f"\nseed-paired {split} macro-F1 differences (points):")
        for label, d in diffs.items():
            seeds = " ".join(f"{100 * x:+.1f}" for x in d["per_seed"])
            print(f"  {label:<44} {100 * d['mean']:+.1f} ± {100 * d['spread']:.1f} ({seeds})  {d['verdict']}")
    print("\n" + json.dumps({k: v for k, v in c.items() if k != "macro_f1_differences"}, indent=1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 LSTM epochs")
    parser.add_argument("--no-lstm", action="store_true", help="peers only")
    args = parser.parse_args(argv)
    from tutorial_lib.embeddings import embedding_matrix_for

    cfg = Config(device="cpu")
    if args.quick:
        cfg = cfg.replace(epochs=2)
    torch.set_num_threads(cfg.num_threads)
    names = ["tfidf_wordchar", "tfidf_wordchar_vader"]
    if not args.no_lstm:
        names += ["lstm_default", *LSTM_VARIANTS]
    results: dict[str, Any] = {"seeds": args.seeds, "systems": {n: {"per_seed": []} for n in names}}
    reference = json.loads((ROOT / "benchmarks" / "results" / "benchmark.json").read_text())
    start = time.perf_counter()
    for seed in args.seeds:
        run_cfg = cfg.replace(seed=seed)
        prepared = benchmark.prepared_for(run_cfg)
        rows = peers(prepared, seed)
        ref = [r for r in reference["systems"]["tfidf_wordchar"]["per_seed"] if r["seed"] == seed]
        rows["tfidf_wordchar"]["matches_benchmark_json"] = bool(ref) and abs(
            ref[0]["macro_f1"] - rows["tfidf_wordchar"]["macro_f1"]) < 1e-9
        if not args.no_lstm:
            matrix, _ = embedding_matrix_for(run_cfg, prepared)
            rows["lstm_default"] = default_lstm(seed, cfg, prepared, matrix)
            for name, (tw, tk) in LSTM_VARIANTS.items():
                rows[name] = lexicon_lstm(seed, cfg, prepared, matrix, tw, tk)
        for name, row in rows.items():
            row["seed"] = seed
            results["systems"][name]["per_seed"].append(row)
            print(f"seed {seed} {name:<22} val F1 {row['val_macro_f1']:.3f}  test F1 {row['macro_f1']:.3f}  "
                  f"acc {row['accuracy']:.3f}  {row['train_seconds']:.1f} s", flush=True)
        atomic_write_text(Path(args.output), json.dumps(results, indent=2) + "\n")  # partial results survive
    results.update(config=cfg.to_dict() | {"data_dir": None}, environment=benchmark.environment(),
                   quick=args.quick, total_seconds=time.perf_counter() - start, vader_weights=list(VADER_WEIGHTS))
    report(results)
    print_report(results)
    atomic_write_text(Path(args.output), json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
