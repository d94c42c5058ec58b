"""Is a change better than the noise? ``python -m tutorial_lib compare -p NAME VALUE [--seeds 0 1 2]``.

For every seed, the model is trained and scored twice, without running any notebook: once with the
default parameters and once with the given ones (``prepare_data``, ``embedding_matrix_for``,
``train_from_config``, ``evaluate_model``: the same calls notebooks 04-08 make). The validation split
is scored; the test split only when asked (``--test``), since choosing settings by their test score
spends the one unbiased measurement the course keeps.

The verdict is the lesson's :func:`tutorial_lib.compare.judge`, the course's one standard for
comparisons (notebooks 05 and 08): a difference counts only when it has the same sign on every seed
AND its mean over the seeds exceeds its spread; anything else is "within the noise". The command
line (its options, its errors) is :mod:`tutorial_tools.cli`.

Each (parameters, seed) result is cached as JSON in an output folder (default ``build/compare``),
keyed by the full parameter set, the library and torch versions, so the default setting trains once
per seed and a repeated comparison is instant (``--no-cache`` retrains).
"""

from __future__ import annotations

import hashlib
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutorial_lib import __version__
from tutorial_lib.compare import Verdict, judge, points
from tutorial_lib.config import Config
from tutorial_lib.paths import atomic_write_text, project_root

from .cli import UsageError


class CompareError(UsageError):
    """The comparison cannot run as asked (exit status 2); the message says why and what to do."""


DEFAULT_SEEDS = (0, 1, 2)
DEFAULT_CACHE = "build/compare"
METRICS = ("macro_f1", "accuracy")
METRIC_NAMES = {"macro_f1": "macro-F1", "accuracy": "accuracy"}
#: Parameters that say where and how to run, not what to train: they apply to both settings.
RUN_SETTINGS = ("data_dir", "train_csv", "text_column", "label_column", "unlabeled_csv", "unlabeled_text_column",
                "device", "num_threads")
#: Parameters that never change a result (left out of the cache key).
NOT_IN_KEY = ("data_dir", "output_dir")
#: Parameters :func:`prepare_data` reads: settings that agree on these share one prepared data set.
DATA_PARAMETERS = ("seed", "test_size", "val_size", "balance", "balance_target", "class_weighted_loss",
                   "keep_hashtags", "tokenizer", "min_freq", "max_vocab_size", "seq_length")


# ------------------------------------------------------------------------------------------ one run
def cache_key(cfg: Config) -> str:
    """Return the cache key of ``cfg``'s result: a hash of every parameter that can change it and the versions."""
    import torch

    params = {k: v for k, v in cfg.to_dict().items() if k not in NOT_IN_KEY}
    blob = json.dumps({"params": params, "tutorial_lib": __version__, "torch": torch.__version__}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


@dataclass
class Runner:
    """Trains and scores one config per call, reusing data, embeddings and cached results."""

    cache_dir: Path | None
    raw: Any = None
    _prepared: dict[tuple, Any] = field(default_factory=dict)
    _matrices: dict[tuple, Any] = field(default_factory=dict)

    def result(self, cfg: Config) -> dict[str, Any]:
        """Return ``cfg``'s scores on validation and test (``cached`` says whether it was trained now)."""
        path = self.cache_dir / f"{cache_key(cfg)}.json" if self.cache_dir else None
        if path is not None and path.is_file():
            try:
                stored = json.loads(path.read_text())
                if stored.get("params", {}).get("seed") == cfg.seed:
                    return {**stored, "cached": True}
            except (OSError, ValueError):
                pass  # a damaged cache file is simply trained again and replaced
        result = self._train(cfg)
        if path is not None:
            atomic_write_text(path, json.dumps(result, indent=2) + "\n")
        return {**result, "cached": False}

    def _train(self, cfg: Config) -> dict[str, Any]:
        from tutorial_lib.embeddings import embedding_matrix_for
        from tutorial_lib.evaluation import evaluate_model
        from tutorial_lib.pipeline import prepare_data
        from tutorial_lib.training import train_from_config

        if self.raw is None:
            from tutorial_lib.loading import load_for_config

            self.raw = load_for_config(cfg)
        data_key = tuple(getattr(cfg, name) for name in DATA_PARAMETERS)
        if data_key not in self._prepared:
            self._prepared = {data_key: prepare_data(cfg, raw=self.raw)}  # keep one: they are large
            self._matrices = {}
        prepared = self._prepared[data_key]
        matrix_key = (cfg.embedding, cfg.embedding_dim)
        if matrix_key not in self._matrices:
            self._matrices[matrix_key] = embedding_matrix_for(cfg, prepared)[0]
        start = time.perf_counter()
        model, history = train_from_config(cfg, prepared, self._matrices[matrix_key], progress=False)
        seconds = time.perf_counter() - start
        scores = {}
        for split in ("val", "test"):
            metrics = evaluate_model(model, prepared, split=split, device=cfg.device)
            scores[split] = {m: float(metrics[m]) for m in METRICS} | {"n": len(metrics["labels"])}
        params = {k: v for k, v in cfg.to_dict().items() if k not in NOT_IN_KEY}
        return {"params": params, "tutorial_lib": __version__, "scores": scores, "epochs_run": history.epochs_run,
                "best_epoch": history.best_epoch, "train_seconds": round(seconds, 2)}


# ------------------------------------------------------------------------------------------ the comparison
@dataclass
class Comparison:
    """Per-seed scores of both settings on one split, and the verdict of each metric."""

    changes: dict[str, Any]
    seeds: list[int]
    split: str
    default: list[dict[str, Any]]  # one result per seed (see Runner.result)
    changed: list[dict[str, Any]]
    seconds: float

    def scores(self, which: str, metric: str) -> list[float]:
        runs = self.default if which == "default" else self.changed
        return [r["scores"][self.split][metric] for r in runs]

    def differences(self, metric: str) -> list[float]:
        return [c - d for c, d in zip(self.scores("changed", metric), self.scores("default", metric), strict=True)]

    def verdict(self, metric: str = "macro_f1") -> Verdict:
        return judge(self.differences(metric))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"changes": self.changes, "seeds": self.seeds, "split": self.split}
        for metric in METRICS:
            v = self.verdict(metric)
            out[metric] = {"default": self.scores("default", metric), "changed": self.scores("changed", metric),
                           "difference_mean": v.mean, "difference_spread": v.spread, "verdict": v.outcome}
        return out


def settings(changes: dict[str, Any], seed: int) -> tuple[Config, Config]:
    """Return the (default, changed) configs for ``seed``; both validated.

    :data:`RUN_SETTINGS` given in ``changes`` (where the data is, the device, threads) apply to both.
    """
    if "seed" in changes:
        raise CompareError("give the seeds with --seeds, not -p seed")
    if "output_dir" in changes:
        raise CompareError("output_dir does not change the model; give the cache folder with --output-dir")
    if not changes:
        raise CompareError("nothing to compare: give at least one parameter, e.g. -p hidden_size 64")
    shared = {k: v for k, v in changes.items() if k in RUN_SETTINGS}
    default = Config.from_mapping({**shared, "seed": seed}, strict=True)
    changed = Config.from_mapping({**changes, "seed": seed}, strict=True)
    if changed == default:
        named = ", ".join(f"{k}={v!r}" for k, v in changes.items())
        raise CompareError(f"{named} is the default setting; nothing to compare (change a model or data "
                           f"parameter, e.g. -p hidden_size 64)")
    return default, changed


def compare(changes: dict[str, Any], seeds: Iterable[int] = DEFAULT_SEEDS, *, split: str = "val",
            cache_dir: str | Path | None = DEFAULT_CACHE, progress: bool = True,
            log: Callable[..., Any] | None = None) -> Comparison:
    """Train and score the default setting and ``changes`` for each seed; return a :class:`Comparison`.

    ``split`` is ``"val"`` (the default) or ``"test"``. ``cache_dir`` (relative paths are taken from
    the project root; None turns the cache off) keeps each (parameters, seed) result, so the
    defaults train once. Raises :class:`CompareError` or :class:`~tutorial_lib.config.ConfigError`
    before anything trains when the parameters are not valid.
    """
    seeds = list(dict.fromkeys(int(s) for s in seeds))
    if not seeds:
        raise CompareError("give at least one seed")
    if any(s < 0 for s in seeds):
        raise CompareError(f"seeds must be integers >= 0, got {seeds}")
    if split not in ("val", "test"):
        raise CompareError(f"split must be 'val' or 'test', got {split!r}")
    pairs = [settings(changes, seed) for seed in seeds]  # validates everything before any training
    folder = None
    if cache_dir is not None:
        folder = Path(cache_dir).expanduser()
        folder = folder if folder.is_absolute() else project_root() / folder
    runner = Runner(folder)
    start = time.perf_counter()
    jobs = [(i, which, cfg) for i, pair in enumerate(pairs) for which, cfg in zip(("default", "changed"), pair,
                                                                                  strict=True)]
    results: dict[tuple[int, str], dict[str, Any]] = {}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(jobs), desc="compare", unit="run", file=sys.stderr, leave=False)
    for i, which, cfg in jobs:
        if bar is not None:
            bar.set_postfix_str(f"seed {cfg.seed} {which}")
        results[(i, which)] = runner.result(cfg)
        if bar is not None:
            bar.update(1)
        if log is not None:
            r = results[(i, which)]
            how = "from the cache" if r["cached"] else f"trained in {r['train_seconds']:.0f} s"
            log(f"seed {cfg.seed} {which}: {how}")
    if bar is not None:
        bar.close()
    return Comparison(
        changes=dict(changes), seeds=seeds, split=split,
        default=[results[(i, "default")] for i in range(len(seeds))],
        changed=[results[(i, "changed")] for i in range(len(seeds))],
        seconds=time.perf_counter() - start,
    )


# ------------------------------------------------------------------------------------------ the report
def _mean_spread(values: Sequence[float]) -> str:
    return f"{100 * statistics.fmean(values):.1f} ± {100 * statistics.pstdev(values):.1f}"


def format_report(comparison: Comparison) -> str:
    """Return the printed report: per-seed scores, mean ± spread, seed-paired differences and the verdict."""
    c = comparison
    named = " ".join(f"{k}={v!r}" for k, v in c.changes.items())
    split_name = {"val": "validation", "test": "TEST"}[c.split]
    n = c.default[0]["scores"][c.split]["n"]
    trained = sum(not r["cached"] for r in c.default + c.changed)
    lines = [f"compare {named} against the defaults on the {split_name} split ({n} tweets), "
             f"seeds {' '.join(map(str, c.seeds))}; scores in points (hundredths)"]
    if c.split == "test":
        lines.append("note: these are TEST scores (--test): choose settings on validation, and read the test "
                     "split once, at the end")
    header = f"{'seed':>4}  {'default F1':>10} {'acc':>5}  {'changed F1':>10} {'acc':>5}  {'diff F1':>7} {'acc':>6}"
    lines += ["", header]
    for i, seed in enumerate(c.seeds):
        d = c.default[i]["scores"][c.split]
        ch = c.changed[i]["scores"][c.split]
        lines.append(f"{seed:>4}  {100 * d['macro_f1']:>10.1f} {100 * d['accuracy']:>5.1f}  "
                     f"{100 * ch['macro_f1']:>10.1f} {100 * ch['accuracy']:>5.1f}  "
                     f"{100 * (ch['macro_f1'] - d['macro_f1']):>+7.1f} {100 * (ch['accuracy'] - d['accuracy']):>+6.1f}")
    lines.append("")
    lines.append("mean ± spread over the seeds (spread = population standard deviation):")
    for which in ("default", "changed"):
        label = "default" if which == "default" else named
        lines.append(f"  {label:28s} macro-F1 {_mean_spread(c.scores(which, 'macro_f1')):>11}   "
                     f"accuracy {_mean_spread(c.scores(which, 'accuracy')):>11}")
    for metric in METRICS:
        v = c.verdict(metric)
        lines.append(f"  {'difference, ' + METRIC_NAMES[metric]:28s} {points(v.mean)} ± {points(v.spread, sign=False)}"
                     f" (higher on {v.better_on} of {v.seeds} seeds): {v.outcome}")
    v = c.verdict("macro_f1")
    lines.append("")
    lines.append(f"verdict (macro-F1, the course's main score): {v.outcome.upper()}: {v.reason}")
    lines.append("(the course's standard: a difference counts only when every seed agrees in sign and its mean "
                 "exceeds its spread)")
    lines.append(f"{len(c.default) + len(c.changed)} runs, {trained} trained now, the rest from the cache; "
                 f"{c.seconds:.0f} s")
    return "\n".join(lines)
