"""Seeding, device choice, the training loop with early stopping, and its history (notebook 07).

One ``seed`` drives every random choice (Python, NumPy, torch); on the CPU the same seed gives the
same numbers. Validation runs after every epoch; training stops when the validation macro-F1 has
not improved for ``patience`` epochs, and the weights of the best epoch are restored.
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from sklearn.metrics import f1_score
from torch import nn
from tqdm.auto import tqdm

from .model import LSTMClassifier

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .config import Config
    from .pipeline import PreparedData


class DeviceError(ValueError):
    """The requested device is unknown or not available on this machine."""


def set_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and torch (CPU and all GPUs) with ``seed``.

    Returns nothing. Introduced in notebook 07.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0; got {seed!r}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def resolve_device(name: str | torch.device = "auto") -> torch.device:
    """Return the :class:`torch.device` for ``name`` (``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``).

    ``auto`` picks CUDA, then Apple MPS, then the CPU. A device that is requested by name but is
    not available raises :class:`DeviceError` instead of silently running somewhere else.
    Introduced in notebook 07.
    """
    if isinstance(name, torch.device):
        name = str(name)
    if not isinstance(name, str):
        raise DeviceError(f"device must be a string such as 'auto', 'cpu', 'cuda' or 'mps'; got {name!r}")
    key = name.strip().lower()
    if key == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if key == "cpu":
        return torch.device("cpu")
    if key == "cuda" or key.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise DeviceError(
                f"device {name!r} was requested but CUDA is not available here (torch {torch.__version__}); "
                "use device='cpu' or 'auto', or install a CUDA build of torch"
            )
        return torch.device(key)
    if key == "mps":
        if not _mps_available():
            raise DeviceError("device 'mps' was requested but Apple MPS is not available here; "
                              "use device='cpu' or 'auto'")
        return torch.device("mps")
    raise DeviceError(f"unknown device {name!r}; use one of 'auto', 'cpu', 'cuda', 'cuda:N', 'mps'")


@dataclass
class History:
    """Per-epoch record of a training run, with the epoch whose weights were kept.

    Lists hold one value per epoch run: ``train_loss`` (mean over training examples),
    ``val_loss`` (same loss on the validation split), ``val_accuracy``, ``val_macro_f1``,
    ``epoch_seconds``. ``best_epoch`` is 1-based; ``stopped_early`` says whether patience ran out.
    Introduced in notebook 07.
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    val_macro_f1: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False

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


def _to_device_batch(batch: Any, device: torch.device) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    try:
        ids, lengths, labels = batch
    except (TypeError, ValueError) as exc:
        raise ValueError("a loader batch must be (ids [B,T], lengths [B], labels [B]); "
                         "build loaders with tutorial_lib.batching.make_loader") from exc
    # lengths stay on the CPU (pack_padded_sequence needs them there)
    return ids.to(device), lengths.cpu(), labels.to(device)


@torch.no_grad()
def predict_logits(model: nn.Module, loader: Any, device: str | torch.device = "cpu") -> tuple[np.ndarray, np.ndarray]:
    """Return ``(logits [N, C] float32, labels [N] int64)`` for every example of ``loader``.

    The model runs in eval mode without gradients; its previous train/eval mode is restored.
    Every batch counts, the last partial one included. Introduced in notebook 07.
    """
    device = torch.device(device) if not isinstance(device, torch.device) else device
    was_training = model.training
    model.eval()
    all_logits, all_labels = [], []
    try:
        for batch in loader:
            ids, lengths, labels = _to_device_batch(batch, device)
            all_logits.append(model(ids, lengths).float().cpu())
            all_labels.append(labels.cpu())
    finally:
        model.train(was_training)
    if not all_logits:
        raise ValueError("the loader yielded no batches; is the split empty?")
    return torch.cat(all_logits).numpy(), torch.cat(all_labels).numpy().astype(np.int64)


def train_model(
    model: nn.Module,
    train_loader: Any,
    val_loader: Any,
    *,
    epochs: int,
    lr: float,
    weight_decay: float = 0.0,
    grad_clip: float = 1.0,
    class_weights: np.ndarray | torch.Tensor | None = None,
    patience: int | None = 3,
    device: str | torch.device = "cpu",
    progress: bool = True,
) -> History:
    """Train ``model`` with Adam and cross-entropy; return its :class:`History`.

    After every epoch the model is evaluated on ``val_loader``; the weights of the epoch with the
    best validation macro-F1 are restored at the end (the model is left in eval mode on
    ``device``). Training stops early when the macro-F1 has not improved for ``patience`` epochs
    (``None`` never stops early). ``grad_clip`` > 0 clips the global gradient norm.
    ``class_weights`` (one per class) weight the loss, for training and validation loss alike.
    ``progress`` shows one tqdm bar over epochs with the latest loss and macro-F1;
    ``progress=False`` prints nothing at all. Introduced in notebook 07.
    """
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be an integer >= 1; got {epochs!r}")
    if patience is not None and (not isinstance(patience, int) or patience < 1):
        raise ValueError(f"patience must be None or an integer >= 1; got {patience!r}")
    if lr <= 0:
        raise ValueError(f"lr must be > 0; got {lr!r}")
    device = resolve_device(device)
    model.to(device)
    weight = None
    if class_weights is not None:
        weight = torch.as_tensor(np.asarray(class_weights, dtype=np.float32), device=device)
    criterion = nn.CrossEntropyLoss(weight=weight)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    history = History()
    best_f1, best_state, since_best = -1.0, None, 0

    bar = tqdm(range(1, epochs + 1), desc="training", unit="epoch", disable=not progress, leave=True)
    for epoch in bar:
        start = time.perf_counter()
        model.train()
        total_loss, total_n = 0.0, 0
        for batch in train_loader:
            ids, lengths, labels = _to_device_batch(batch, device)
            optimizer.zero_grad(set_to_none=True)
            loss = criterion(model(ids, lengths), labels)
            loss.backward()
            if grad_clip and grad_clip > 0:
                nn.utils.clip_grad_norm_(params, grad_clip)
            optimizer.step()
            total_loss += float(loss.detach()) * labels.shape[0]
            total_n += labels.shape[0]
        if total_n == 0:
            raise ValueError("the training loader yielded no batches; is the training split empty?")
        logits, y_val = predict_logits(model, val_loader, device)
        with torch.no_grad():
            val_loss = float(criterion(torch.from_numpy(logits).to(device), torch.from_numpy(y_val).to(device)))
        y_pred = logits.argmax(axis=1)
        val_acc = float(np.mean(y_pred == y_val))
        val_f1 = float(f1_score(y_val, y_pred, average="macro", zero_division=0))
        history.train_loss.append(total_loss / total_n)
        history.val_loss.append(val_loss)
        history.val_accuracy.append(val_acc)
        history.val_macro_f1.append(val_f1)
        history.epoch_seconds.append(time.perf_counter() - start)
        if val_f1 > best_f1:
            best_f1, since_best, history.best_epoch = val_f1, 0, epoch
            best_state = copy.deepcopy(model.state_dict())
        else:
            since_best += 1
        bar.set_postfix(loss=f"{history.train_loss[-1]:.3f}", val_f1=f"{val_f1:.3f}",
                        best=f"{best_f1:.3f}@{history.best_epoch}")
        if patience is not None and since_best >= patience and epoch < epochs:
            history.stopped_early = True
            break
    bar.close()
    if best_state is not None:
        model.load_state_dict(best_state)
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
    return class_weights(prepared.encoded["train"].labels)


def model_from_config(cfg: Config, vocab_size: int, pad_index: int = 0,
                      embedding_matrix: np.ndarray | None = None) -> LSTMClassifier:
    """Return a fresh :class:`LSTMClassifier` with the sizes in ``cfg`` (not seeded here).

    Introduced in notebook 06.
    """
    if embedding_matrix is not None and np.asarray(embedding_matrix).shape[1] != cfg.embedding_dim:
        raise ValueError(
            f"the embedding matrix has {np.asarray(embedding_matrix).shape[1]} columns but "
            f"embedding_dim={cfg.embedding_dim}; set embedding_dim to the vectors' size"
        )
    return LSTMClassifier(
        vocab_size=vocab_size, embedding_dim=cfg.embedding_dim, hidden_size=cfg.hidden_size,
        num_classes=3, num_layers=cfg.num_layers, bidirectional=cfg.bidirectional, dropout=cfg.dropout,
        pad_index=pad_index, pretrained=embedding_matrix, freeze=cfg.freeze_embeddings,
        pooling=cfg.pooling,
    )


def _pad_index(vocab: Any) -> int:
    for name in ("pad_index", "pad_id", "pad_idx"):
        if hasattr(vocab, name):
            return int(getattr(vocab, name))
    return 0


def train_from_config(cfg: Config, prepared: Any, embedding_matrix: np.ndarray | None = None, *,
                      progress: bool = True) -> tuple[LSTMClassifier, History]:
    """Build loaders and a model from ``cfg`` and train it on ``prepared``; return ``(model, history)``.

    Sets ``torch.set_num_threads(cfg.num_threads)``, shuffles the training loader with
    ``cfg.seed`` and seeds everything with :func:`set_seed` before the model is built, so the same
    config on the same CPU gives the same numbers. ``embedding_matrix`` (from
    ``embeddings.embedding_matrix_for``) initialises the embeddings. Introduced in notebook 07.
    """
    from .batching import make_loader

    torch.set_num_threads(cfg.num_threads)
    device = resolve_device(cfg.device)
    train_loader = make_loader(prepared.encoded["train"], batch_size=cfg.batch_size, shuffle=True, seed=cfg.seed)
    val_loader = make_loader(prepared.encoded["val"], batch_size=max(cfg.batch_size, 256), shuffle=False)
    set_seed(cfg.seed)
    model = model_from_config(cfg, len(prepared.vocab), _pad_index(prepared.vocab), embedding_matrix)
    history = train_model(
        model, train_loader, val_loader, epochs=cfg.epochs, lr=cfg.learning_rate,
        weight_decay=cfg.weight_decay, grad_clip=cfg.grad_clip, class_weights=class_weights_for(cfg, prepared),
        patience=cfg.patience, device=device, progress=progress,
    )
    return model, history
