"""Glue that lets a later notebook run alone, in a fresh kernel (notebooks 07 and 08).

Notebook 07 trains the model and saves it to ``<output_dir>/model.pt``; notebook 08 evaluates it.
When 08 is opened on its own, :func:`load_or_train` loads that bundle if it was trained with the
same parameters, and otherwise trains one exactly as notebook 07 does (same parameters, same seed,
so the same model on a CPU), saying so in its output.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config
from .paths import atomic_write_text, display_path, resolve_path

if TYPE_CHECKING:  # pragma: no cover
    from .checkpoint import Bundle
    from .model import LSTMClassifier
    from .pipeline import PreparedData
    from .training import History

MODEL_FILE = "model.pt"
EVALUATION_FILE = "evaluation.json"
METRICS_FILE = "metrics.json"  # written by the series runner from evaluation.json
# parameters that only say where files are: a model trained elsewhere with the same values is the same model
_LOCATION_PARAMS = ("data_dir", "output_dir")


def bundle_path(cfg: Config) -> Path:
    """Return the path of the run's model bundle, ``<output_dir>/model.pt``."""
    return resolve_path(cfg.output_dir) / MODEL_FILE


def same_training_parameters(saved: dict[str, Any], cfg: Config) -> bool:
    """Return True when a bundle's saved config equals ``cfg`` in everything but file locations."""
    current = {k: v for k, v in cfg.to_dict().items() if k not in _LOCATION_PARAMS}
    return {k: v for k, v in saved.items() if k not in _LOCATION_PARAMS} == current


def train_and_save(cfg: Config, prepared: PreparedData, *,
                   progress: bool = True) -> tuple[LSTMClassifier, History, Path]:
    """Train the run's model as notebook 07 does, save the bundle, and return ``(model, history, path)``."""
    from .checkpoint import save_bundle
    from .embeddings import embedding_matrix_for
    from .training import train_from_config

    matrix, _ = embedding_matrix_for(cfg, prepared)
    model, history = train_from_config(cfg, prepared, matrix, progress=progress)
    path = save_bundle(bundle_path(cfg), model, prepared, cfg, history)
    return model, history, path


def load_or_train(cfg: Config, prepared: PreparedData, *, progress: bool = True,
                  log: Callable[[str], Any] = print) -> Bundle:
    """Return the run's :class:`~tutorial_lib.checkpoint.Bundle`, loading or (re)training it.

    Loads ``<output_dir>/model.pt`` when its parameters match ``cfg``; otherwise trains one with
    ``cfg`` (printing why) and saves it. A bundle that cannot be read raises
    :class:`~tutorial_lib.checkpoint.DataError`: it is never silently overwritten.
    """
    from .checkpoint import load_bundle
    from .training import resolve_device

    path = bundle_path(cfg)
    device = resolve_device(cfg.device)
    if path.is_file():
        bundle = load_bundle(path, map_location=device)
        if same_training_parameters(bundle.config, cfg):
            log(f"loaded the model notebook 07 saved in {display_path(path)}")
            return bundle
        log(f"{display_path(path)} was trained with other parameters; training a model for these "
            "parameters now, exactly as notebook 07 does (it takes as long as notebook 07's training)")
    else:
        log(f"no saved model in {display_path(path)}; training one now, exactly as notebook 07 does "
            "(it takes as long as notebook 07's training; run notebook 07 first to skip this)")
    train_and_save(cfg, prepared, progress=progress)
    return load_bundle(path, map_location=device)


def model_record(path: Path) -> dict[str, str]:
    """Return what identifies a model file in ``evaluation.json`` / ``metrics.json``: its name and sha256."""
    from .loading import sha256_file

    return {"file": path.name, "sha256": sha256_file(path)}


def results_for_model(path: str | Path) -> tuple[dict[str, Any] | None, str]:
    """Return ``(metrics, why)``: the ``metrics.json`` beside the model file ``path`` if it describes that very file.

    ``metrics`` is None when there is no ``metrics.json`` there, or it describes another model (a
    notebook or papermill run replaced ``model.pt`` after the series wrote it), or it does not say
    which; ``why`` then says so in a few words ('' when ``metrics`` is returned).
    """
    path = Path(path)
    metrics_path = path.parent / METRICS_FILE
    if not metrics_path.is_file():
        return None, ""
    try:
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, f"{METRICS_FILE} beside it cannot be read ({exc})"
    described = metrics.get("model") if isinstance(metrics, dict) else None
    if not isinstance(described, dict) or described.get("file") != path.name:
        return None, f"{METRICS_FILE} beside it does not say it describes this model"
    if described.get("sha256") != model_record(path)["sha256"]:
        return None, (f"{METRICS_FILE} beside it describes another model: {path.name} was replaced after "
                      "that run (its test scores are not this model's)")
    return metrics, ""


def write_evaluation(cfg: Config, metrics: dict[str, Any], baselines: dict[str, Any],
                     extra: dict[str, Any] | None = None, *, prepared: PreparedData | None = None) -> Path:
    """Write the test metrics and baselines to ``<output_dir>/evaluation.json`` (atomically); return the path.

    The series runner merges this file into ``metrics.json``. Arrays (probabilities, predictions)
    are left out: only plain numbers and names are written. ``labels`` are the run's classes in
    order (``prepared.label_names``, else the order of ``metrics["per_class"]``); with ``prepared``,
    ``data`` records which data the result came from (files as shown, sha256, rows read and kept);
    ``model`` names the model file evaluated, ``<output_dir>/model.pt``, with its sha256, so a later
    replacement of that file is seen (:func:`results_for_model`).
    """
    keep = ("accuracy", "macro_f1", "per_class", "n")
    payload: dict[str, Any] = {"labels": list(prepared.label_names) if prepared is not None
                               else list(metrics.get("per_class", {}))}
    if prepared is not None:
        payload["data"] = prepared.data_source
    if bundle_path(cfg).is_file():
        payload["model"] = model_record(bundle_path(cfg))
    payload.update({k: metrics[k] for k in keep if k in metrics})
    payload["baselines"] = {name: {k: v for k, v in values.items() if k in keep}
                            for name, values in baselines.items()}
    payload.update(extra or {})
    path = resolve_path(cfg.output_dir) / EVALUATION_FILE
    atomic_write_text(path, json.dumps(payload, indent=2) + "\n")
    return path
