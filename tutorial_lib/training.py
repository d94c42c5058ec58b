"""Seeding, device choice, and training in three readable parts (notebook 07).

- :func:`train_epoch`: one pass over the training batches (forward, loss, backward, clip, step);
- :func:`evaluate_epoch`: one pass over the validation batches (loss, accuracy, macro-F1);
- :func:`train_model`: the loop over epochs with early stopping (:class:`EarlyStopping`).

One ``seed`` drives every random choice (Python, NumPy, torch); on the same CPU the same seed gives
the same numbers. :func:`train_from_config` builds loaders and the model from a ``Config``.
"""

from __future__ import annotations

import copy
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from sklearn.metrics import f1_score
from torch import nn
from tqdm.auto import tqdm

from .config import DEVICES, is_device
from .errors import ConfigError
from .lexicons import SCORE_NAMES, scores_for
from .model import LSTMClassifier

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from torch.utils.data import DataLoader

    from .config import Config
    from .pipeline import PreparedData


def set_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and torch (CPU and all GPUs) with ``seed``.

    Returns nothing. Introduced in notebook 07.
    """
    if seed < 0:
        raise ConfigError(f"seed={seed} must be >= 0")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def resolve_device(name: str | torch.device = "auto") -> torch.device:
    """Return the :class:`torch.device` for ``name`` (``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``).

    ``auto`` picks CUDA, then Apple MPS, then the CPU. A device that is requested by name but is
    not available raises :class:`ConfigError` instead of silently running somewhere else.
    Introduced in notebook 07.
    """
    name = str(name)  # a torch.device too
    if not is_device(name):
        raise ConfigError(f"unknown device {name!r}; use one of {DEVICES} or 'cuda:N'")
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "mps" if _mps_available() else "cpu")
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if name.startswith("cuda") and int(name[5:] or 0) >= gpus:
        raise ConfigError(f"device {name!r} was requested but CUDA is not available here (torch {torch.__version__} "
                          f"sees {gpus} GPU(s)); use device='cpu' or 'auto', or install a CUDA build of torch")
    if name == "mps" and not _mps_available():
        raise ConfigError("device 'mps' was requested but Apple MPS is not available here; use device='cpu' or 'auto'")
    return torch.device(name)


@dataclass
class History:
    """Per-epoch record of a training run, with the epoch whose weights were kept.

    Lists hold one value per epoch run: ``train_loss`` (batch losses averaged with the batch sizes
    as weights), ``val_loss`` (the loss over all validation examples at once), ``val_accuracy``,
    ``val_macro_f1``, ``epoch_seconds``. ``best_epoch`` is 1-based; ``stopped_early`` says whether
    patience ran out.
    Introduced in notebook 07.
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    val_macro_f1: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False

    def add_epoch(self, train_loss: float, val_loss: float, val_accuracy: float, val_macro_f1: float,
                  seconds: float) -> None:
        """Append one epoch's numbers to the lists."""
        self.train_loss.append(train_loss)
        self.val_loss.append(val_loss)
        self.val_accuracy.append(val_accuracy)
        self.val_macro_f1.append(val_macro_f1)
        self.epoch_seconds.append(seconds)

    @property
    def epochs_run(self) -> int:
        """Return the number of epochs that ran."""
        return len(self.train_loss)

    @property
    def best_val_macro_f1(self) -> float:
        """Return the validation macro-F1 of the kept (best) epoch, or NaN before any epoch."""
        return self.val_macro_f1[self.best_epoch - 1] if self.best_epoch else float("nan")

    @property
    def total_seconds(self) -> float:
        """Return the summed wall time of all epochs (training + validation)."""
        return float(sum(self.epoch_seconds))

    def to_dict(self) -> dict[str, Any]:
        """Return the history as a plain, JSON-serialisable dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> History:
        """Rebuild a :class:`History` from :meth:`to_dict` output (e.g. out of a checkpoint)."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def to_frame(self) -> pd.DataFrame:
        """Return one row per epoch (index ``epoch`` from 1) with the per-epoch columns and ``best``."""
        import pandas as pd

        frame = pd.DataFrame({
            "train_loss": self.train_loss, "val_loss": self.val_loss,
            "val_accuracy": self.val_accuracy, "val_macro_f1": self.val_macro_f1,
            "epoch_seconds": self.epoch_seconds,
        }, index=pd.RangeIndex(1, self.epochs_run + 1, name="epoch"))
        frame["best"] = frame.index == self.best_epoch
        return frame

    def plot(self, ax: Any = None) -> Any:
        """Plot the loss curves and the validation macro-F1; return the matplotlib Figure.

        ``ax`` may be None (a new figure with two panels), a pair of Axes (losses, scores), or one
        Axes (losses on it, scores on a twin y-axis). The best epoch is marked by a dotted line.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            fig, (ax_loss, ax_score) = plt.subplots(1, 2, figsize=(10, 3.5))
        elif isinstance(ax, (list, tuple, np.ndarray)):
            ax_loss, ax_score = ax[0], ax[1]
            fig = ax_loss.figure
        else:
            ax_loss, ax_score = ax, ax.twinx()
            fig = ax.figure
        epochs = np.arange(1, self.epochs_run + 1)
        ax_loss.plot(epochs, self.train_loss, marker="o", label="train loss")
        ax_loss.plot(epochs, self.val_loss, marker="o", label="validation loss")
        ax_loss.set_xlabel("epoch")
        ax_loss.set_ylabel("cross-entropy")
        ax_loss.legend(loc="upper left")
        ax_score.plot(epochs, self.val_macro_f1, marker="s", color="tab:green", label="validation macro-F1")
        ax_score.plot(epochs, self.val_accuracy, marker=".", color="tab:olive", label="validation accuracy")
        ax_score.set_ylabel("score")
        ax_score.legend(loc="lower right")
        if self.best_epoch:
            for a in {ax_loss, ax_score}:
                a.axvline(self.best_epoch, color="grey", linestyle=":")
        if ax is None:
            ax_loss.set_title("loss")
            ax_score.set_title(f"validation (best epoch {self.best_epoch})")
            fig.tight_layout()
        return fig


@torch.no_grad()  # inference only: no gradients are recorded
def predict_logits(model: nn.Module, loader: DataLoader,
                   device: str | torch.device = "cpu") -> tuple[np.ndarray, np.ndarray]:
    """Return ``(logits [N, C] float32, labels [N] int64)`` for every example of ``loader``.

    The model runs in eval mode (dropout off); its previous mode is put back afterwards. Every batch
    counts, the last partial one included. Introduced in notebook 07.
    """
    was_training = model.training
    model.eval()
    all_logits, all_labels = [], []
    for ids, lengths, labels, *lexicon in loader:  # ids [B, T], lengths [B] (stay on the CPU), labels [B]
        # lexicon: [] or [scores [B, F]] when the loader has a sentiment lexicon's scores (notebook 09)
        all_logits.append(model(ids.to(device), lengths, *(s.to(device) for s in lexicon)).float().cpu())  # [B, C]
        all_labels.append(labels.cpu())
    model.train(was_training)
    assert all_labels, "the loader yielded no batches (make_loader refuses an empty split)"
    return torch.cat(all_logits).numpy(), torch.cat(all_labels).numpy().astype(np.int64)


def _progress_bar(total: int, desc: str, unit: str, *, leave: bool, progress: bool) -> tqdm:
    """Return a tqdm bar over ``total`` steps, silent unless ``progress``; close it with :func:`_close_bar`.

    In Jupyter the bar is a widget, and a saved notebook keeps the text the widget had when it was
    first shown ("0/20"): a static copy (GitHub, an HTML page) would show a stalled run. So the
    widget is shown here under a display id, which :func:`_close_bar` uses to replace that text.
    """
    widgets = sys.modules.get("tqdm.notebook")  # imported by tqdm.auto only inside Jupyter
    if not (progress and widgets is not None and issubclass(tqdm, widgets.tqdm)):
        return tqdm(total=total, desc=desc, unit=unit, leave=leave, disable=not progress)
    from IPython.display import display

    bar = tqdm(total=total, desc=desc, unit=unit, leave=leave, display=False)
    bar.display_handle = display(bar.container, display_id=True)
    return bar


def _close_bar(bar: tqdm) -> None:
    """Close ``bar``; in Jupyter, its saved output becomes its final text (nothing when ``leave`` is False)."""
    bar.close()
    handle = getattr(bar, "display_handle", None)
    if handle is not None:
        handle.update(bar.container if bar.leave else {"text/plain": ""}, raw=not bar.leave)


STOPPED_EARLY = "{desc}: {n_fmt}/{total_fmt} epochs, stopped early [{elapsed}{postfix}]"
"""The epoch bar's last text after early stopping: no percentage or time left, the run is over."""


def train_epoch(model: nn.Module, loader: DataLoader, criterion: nn.Module, optimizer: torch.optim.Optimizer,
                *, device: str | torch.device, grad_clip: float, progress: bool = False) -> float:
    """Train ``model`` for one pass over ``loader``; return the epoch's training loss.

    Per batch: scores, loss, gradients, clipping of their overall size to ``grad_clip`` (0: off),
    one optimizer step. The returned loss is the mean of the batch losses weighted by batch size.
    ``progress`` shows a bar over the batches (``train_model`` does for long epochs); the bar is
    updated by hand because wrapping the loader in tqdm advances its shuffling generator.
    Introduced in notebook 07.
    """
    model.train()  # dropout on
    total_loss, total_n = 0.0, 0
    bar = _progress_bar(len(loader), "epoch", "batch", leave=False, progress=progress)
    for ids, lengths, labels, *lexicon in loader:  # ids [B, T], lengths [B] (stay on the CPU), labels [B]
        ids, labels = ids.to(device), labels.to(device)
        lexicon = [s.to(device) for s in lexicon]  # [] or [scores [B, F]] of a sentiment lexicon (notebook 09)
        optimizer.zero_grad(set_to_none=True)  # forget the previous batch's gradients
        logits = model(ids, lengths, *lexicon)  # [B, C] scores
        loss = criterion(logits, labels)  # mean (class-weighted) cross-entropy of the batch
        loss.backward()  # gradient of the loss for every trainable weight
        if grad_clip > 0:  # shrink all gradients together if their overall length exceeds grad_clip
            nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
        optimizer.step()  # the optimizer (Adam) moves every weight a little against its gradient
        total_loss += loss.item() * len(labels)  # batch mean x batch size = batch sum
        total_n += len(labels)
        bar.update(1)
    _close_bar(bar)
    assert total_n, "the loader yielded no batches (make_loader refuses an empty split)"
    return total_loss / total_n


def evaluate_epoch(model: nn.Module, loader: DataLoader, criterion: nn.Module, *,
                   device: str | torch.device) -> tuple[float, float, float]:
    """Return ``(loss, accuracy, macro-F1)`` of ``model`` over every example of ``loader``.

    The loss is ``criterion`` applied to all examples at once (with class weights: their weighted
    mean). Used on the validation split after each epoch; notebook 08 scores the test split with
    :func:`tutorial_lib.evaluation.evaluate_model`. Introduced in notebook 07.
    """
    logits, labels = predict_logits(model, loader, device)  # [N, C], [N]; eval mode, no gradients
    loss = criterion(torch.from_numpy(logits).to(device), torch.from_numpy(labels).to(device))
    predictions = logits.argmax(axis=1)  # the class with the highest score
    accuracy = float(np.mean(predictions == labels))
    macro_f1 = float(f1_score(labels, predictions, average="macro", zero_division=0))
    return float(loss), accuracy, macro_f1


class EarlyStopping:
    """Remember the best epoch and say when to stop (notebook 07).

    An epoch is better when its score (validation macro-F1) is higher, or equal with a lower loss
    (validation loss): a later epoch that only ties the score but fits the validation labels
    better wins over barely trained early weights. :meth:`step` keeps a copy of the weights of each
    better epoch and returns True once none was better for ``patience`` epochs in a row (never with
    ``patience=None``).
    """

    def __init__(self, patience: int | None) -> None:
        self.patience = patience
        self.best_score, self.best_loss, self.best_epoch, self.epochs_without_gain = -1.0, float("inf"), 0, 0
        self.best_state: dict[str, torch.Tensor] | None = None

    def step(self, score: float, epoch: int, model: nn.Module, loss: float = float("inf")) -> bool:
        """Record ``epoch``'s ``score`` and ``loss``; return True when training should stop."""
        if score > self.best_score or (score == self.best_score and loss < self.best_loss):
            self.best_score, self.best_loss, self.best_epoch, self.epochs_without_gain = score, loss, epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.epochs_without_gain += 1
        return self.patience is not None and self.epochs_without_gain >= self.patience

    def restore_best(self, model: nn.Module) -> int:
        """Load the best epoch's weights back into ``model``; return that epoch (0 before any step)."""
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
        return self.best_epoch


#: Epochs with at least this many batches (about 32,000 training texts at batch size 64) get a bar over the batches.
BATCH_BAR_MIN = 500


def train_model(model: nn.Module, train_loader: DataLoader, val_loader: DataLoader, *,
                epochs: int, lr: float, weight_decay: float = 0.0, grad_clip: float = 1.0,
                class_weights: np.ndarray | None = None, patience: int | None = 3,
                device: str | torch.device = "cpu", progress: bool = True) -> History:
    """Train ``model`` with Adam and (class-weighted) cross-entropy; return its :class:`History`.

    Every epoch is :func:`train_epoch` then :func:`evaluate_epoch`; training stops after ``patience``
    epochs without a better validation macro-F1 (a tie with a lower validation loss counts as better;
    ``None``: never), and the best epoch's weights are put back. Introduced in notebook 07.
    """
    assert epochs >= 1 and lr > 0 and grad_clip >= 0, "Config checks these (see its limits)"
    assert patience is None or patience >= 1, "Config checks patience (see its limits)"
    device = resolve_device(device)
    model.to(device)
    weight = None if class_weights is None else torch.as_tensor(class_weights, dtype=torch.float32, device=device)
    criterion = nn.CrossEntropyLoss(weight=weight)  # None: unweighted
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    history, stopper = History(), EarlyStopping(patience)
    bar = _progress_bar(epochs, "training", "epoch", leave=True, progress=progress)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        train_loss = train_epoch(model, train_loader, criterion, optimizer, device=device, grad_clip=grad_clip,
                                 progress=progress and len(train_loader) >= BATCH_BAR_MIN)
        val_loss, val_accuracy, val_f1 = evaluate_epoch(model, val_loader, criterion, device=device)
        history.add_epoch(train_loss, val_loss, val_accuracy, val_f1, time.perf_counter() - start)
        bar.update(1)
        bar.set_postfix(loss=f"{train_loss:.3f}", val_f1=f"{val_f1:.3f}")
        if stopper.step(val_f1, epoch, model, val_loss) and epoch < epochs:  # patience ran out
            history.stopped_early = True
            bar.bar_format = STOPPED_EARLY
            break
    _close_bar(bar)
    history.best_epoch = stopper.restore_best(model)  # the best epoch's weights, back in the model
    model.eval()
    return history


def class_weights_for(cfg: Config, prepared: PreparedData) -> np.ndarray | None:
    """Return the loss class weights the config asks for (``None`` when ``class_weighted_loss`` is off).

    These are ``prepared.class_weights``, computed by the pipeline on the training split with
    :func:`tutorial_lib.balancing.class_weights` (the one place the formula lives); when the
    pipeline left them out they are computed the same way from the encoded training labels.
    Introduced in notebook 07.
    """
    from .balancing import class_weights

    if not cfg.class_weighted_loss:
        return None
    if prepared.class_weights is not None:
        return np.asarray(prepared.class_weights, dtype=np.float32)
    return class_weights(prepared.encoded["train"].labels, prepared.label_names)


def model_from_config(cfg: Config, vocab_size: int, pad_index: int = 0,
                      embedding_matrix: np.ndarray | None = None, num_classes: int = 3,
                      lexicon_features: int = 0) -> LSTMClassifier:
    """Return a fresh :class:`LSTMClassifier` with the sizes in ``cfg`` (not seeded here).

    ``num_classes`` is the number of the run's classes, ``len(prepared.label_names)`` (3 for the
    course's tweets). ``lexicon_features``: how many lexicon scores per tweet the model also reads
    (4 for VADER's, notebook 09; :func:`train_from_config` sets it from ``cfg.lexicon``). Introduced in
    notebook 06.
    """
    return LSTMClassifier(  # a pretrained matrix of another shape is refused by the model
        vocab_size=vocab_size, embedding_dim=cfg.embedding_dim, hidden_size=cfg.hidden_size,
        num_classes=num_classes, num_layers=cfg.num_layers, bidirectional=cfg.bidirectional, dropout=cfg.dropout,
        pad_index=pad_index, pretrained=embedding_matrix, freeze=cfg.freeze_embeddings,
        pooling=cfg.pooling, lexicon_features=lexicon_features,
    )


def train_from_config(cfg: Config, prepared: PreparedData, embedding_matrix: np.ndarray | None = None, *,
                      progress: bool = True) -> tuple[LSTMClassifier, History]:
    """Build loaders and a model from ``cfg`` and train it on ``prepared``; return ``(model, history)``.

    Sets ``torch.set_num_threads(cfg.num_threads)``, shuffles the training loader with
    ``cfg.seed`` and seeds everything with :func:`set_seed` before the model is built, so the same
    config on the same CPU gives the same numbers. ``embedding_matrix`` (from
    ``embeddings.embedding_matrix_for``) initialises the embeddings. With ``cfg.lexicon = "vader"``
    the loaders carry VADER's scores of each tweet, standardised with the training split's mean and
    spread (notebook 09). Introduced in notebook 07.
    """
    from .batching import make_loader

    torch.set_num_threads(cfg.num_threads)
    device = resolve_device(cfg.device)
    set_seed(cfg.seed)
    model = model_from_config(cfg, len(prepared.vocab), prepared.vocab.pad_index, embedding_matrix,
                              num_classes=len(prepared.label_names),
                              lexicon_features=len(SCORE_NAMES) if cfg.lexicon == "vader" else 0)
    train, val = prepared.encoded["train"], prepared.encoded["val"]
    train_scores, val_scores = scores_for(model, train.texts), scores_for(model, val.texts)
    if train_scores is not None:
        model.set_lexicon_scale(train_scores)  # from the training tweets only
    train_loader = make_loader(train, batch_size=cfg.batch_size, shuffle=True, seed=cfg.seed, lexicon=train_scores)
    val_loader = make_loader(val, batch_size=max(cfg.batch_size, 256), shuffle=False, lexicon=val_scores)
    history = train_model(
        model, train_loader, val_loader, epochs=cfg.epochs, lr=cfg.learning_rate,
        weight_decay=cfg.weight_decay, grad_clip=cfg.grad_clip, class_weights=class_weights_for(cfg, prepared),
        patience=cfg.patience, device=device, progress=progress,
    )
    return model, history
