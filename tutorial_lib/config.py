"""Every parameter of the notebook series in one validated place (all notebooks).

Each notebook has a cell tagged ``parameters`` that lists the parameters its own stage reads
(:data:`NOTEBOOK_PARAMS`) with their defaults; the others keep :class:`Config`'s defaults.
papermill (and ``python -m tutorial_lib run -p NAME VALUE``) can set any parameter in any notebook.
The notebook then calls :meth:`Config.from_namespace` so that a bad value (``epochs=-1``, an
unknown device, an unknown balance strategy) stops the run at once with a message saying what is
allowed, instead of failing later deep inside pandas or torch.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from tutorial_lib.balancing import MAX_HELD_OUT, MAX_SPLIT_FRACTION
from tutorial_lib.balancing import STRATEGIES as BALANCE_STRATEGIES  # owned by notebook 03's module
from tutorial_lib.errors import ConfigError
from tutorial_lib.lexicons import LEXICON_CHOICES  # owned by the appendix's module (notebook 09)
from tutorial_lib.tokenization import MIN_SEQ_LENGTH, MIN_VOCAB_SIZE, TOKENIZERS  # notebook 04's module

# Defined here because the modules that use them import torch (training, model) or this module
# (embeddings.choose, embeddings.glove), and they import these constants from here.
DEVICES = ("auto", "cpu", "cuda", "mps")  # and "cuda:N", the N-th GPU (see is_device)
POOLINGS = ("last", "last+max", "last+mean", "last+mean+max")  # LSTMClassifier tweet summaries
#: The named values of the ``embedding`` parameter; any other value is the path of a vector file.
EMBEDDING_CHOICES: tuple[str, ...] = ("random", "word2vec", "glove")
#: The dimension of the pip GloVe vectors (GloVe 6B 50d): ``embedding="glove"`` needs ``embedding_dim`` = this.
GLOVE_DIM = 50


def is_device(name: Any) -> bool:
    """Return whether ``name`` is a device the series knows: one of :data:`DEVICES`, or ``cuda:N``."""
    return isinstance(name, str) and (name in DEVICES or re.fullmatch(r"cuda:\d+", name) is not None)


#: Parameters holding a path that the command line resolves from the current folder (notebooks: the project root).
PATH_PARAMS = ("data_dir", "train_csv", "unlabeled_csv")
#: Parameters naming a column of the data files.
COLUMN_PARAMS = ("text_column", "label_column", "unlabeled_text_column")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def absolute_paths(params: dict[str, Any]) -> dict[str, Any]:
    """Return ``params`` with each relative path parameter (:data:`PATH_PARAMS`) made absolute from the current folder.

    The command-line runners call it, so ``-p train_csv reviews.csv`` means the file in the folder
    the command was typed in (the notebooks themselves run in ``notebooks/``).
    """
    out = dict(params)
    for name in PATH_PARAMS:
        if isinstance(out.get(name), str) and (name == "data_dir" or out[name].strip()):
            out[name] = str(Path(out[name]).expanduser().resolve())
    return out


_FILES = ("data_dir", "train_csv", "text_column", "label_column", "unlabeled_csv", "unlabeled_text_column")
_MODEL = ("embedding_dim", "freeze_embeddings", "hidden_size", "num_layers", "bidirectional", "dropout", "pooling")
#: Notebook number -> the parameters its ``parameters`` cell lists: the ``cfg.NAME`` its code reads and those read by
#: the library functions it passes ``cfg`` to, except the earlier stages it only re-runs (``load_for_config``,
#: ``prepare_data``, ``embedding_matrix_for`` outside 05, ``load_or_train`` outside 07). ``tests/test_notebooks.py``
#: derives that set from the notebooks' code; ``tools/sync_listings.py`` writes the cells (:meth:`Config.parameters_cell`).
NOTEBOOK_PARAMS: dict[str, tuple[str, ...]] = {
    "01": (*_FILES, "output_dir"),
    "02": ("seed", "train_csv", "keep_hashtags"),
    "03": ("seed", "train_csv", "test_size", "val_size", "balance", "balance_target"),
    "04": ("seed", "train_csv", "test_size", "val_size", "keep_hashtags", "tokenizer", "min_freq", "max_vocab_size",
           "seq_length"),
    "05": ("seed", "train_csv", "output_dir", "embedding", "embedding_dim", "freeze_embeddings"),
    "06": ("seed", "device", *_MODEL, "batch_size"),
    "07": ("seed", "output_dir", "device", "num_threads", "class_weighted_loss", *_MODEL, "lexicon", "epochs",
           "batch_size", "learning_rate", "weight_decay", "grad_clip", "patience"),
    "08": ("seed", "train_csv", "output_dir", "device"),
    "09": ("train_csv", "device", "lexicon"),
}
#: The comment above a notebook's parameters.
NOTEBOOK_PARAMS_HEADER = (
    "# Parameters of this notebook's stage, with the defaults of Config (tutorial_lib/config.py), which\n"
    "# lists all of them. The series runner (`python -m tutorial_lib run -p NAME VALUE`) can set any of them.")

#: The first line of the cell papermill injects after the ``parameters`` cell (its ``-p`` values).
PAPERMILL_COMMENT = "# Parameters"


def injected_names(namespace: Mapping[str, Any]) -> list[str]:
    """Return the names assigned by the cells papermill injected, read from IPython's input history ``In``.

    Papermill writes its ``-p`` values into a new cell that starts with the line ``# Parameters``;
    the kernel keeps the source of every cell it ran in ``In``. Outside IPython (no ``In``): none.
    """
    names: list[str] = []
    history = namespace.get("In")
    for source in history if isinstance(history, list) else []:
        if isinstance(source, str) and source.split("\n", 1)[0].strip() == PAPERMILL_COMMENT:
            with contextlib.suppress(SyntaxError):
                names += [target.id for node in ast.parse(source).body if isinstance(node, ast.Assign)
                          for target in node.targets if isinstance(target, ast.Name)]
    return names


def _unknown_message(unknown: list[str], what: str) -> str:
    """Return the error for parameter names the series does not know, with the likely intended names."""
    names = [f.name for f in fields(Config)]
    guesses = {name: difflib.get_close_matches(name, names, n=1) for name in unknown}
    meant = "; ".join(f"{name!r}: did you mean {guess[0]!r}?" for name, guess in guesses.items() if guess)
    return (f"{what} {unknown}{' (' + meant + ')' if meant else ''}; the series accepts: {', '.join(names)}")


@dataclass(frozen=True)
class Config:
    """The parameters shared by all notebooks, with their defaults.

    Introduced in notebook 01; every notebook builds one from its ``parameters`` cell.
    """

    # where and how
    seed: int = 0
    data_dir: str | None = None
    train_csv: str | None = None  # your own labelled CSV; None: the course's tweets (train.csv, verified)
    text_column: str | None = None  # None: "Tweet" for the course's file, "text" for yours
    label_column: str | None = None  # None: "Category" for the course's file, "label" for yours
    unlabeled_csv: str | None = None  # unlabelled texts for word2vec; None: the course's test.csv, or none
    unlabeled_text_column: str | None = None  # None: "Category" of test.csv, "text" for yours
    output_dir: str = "build/run"
    device: str = "auto"
    num_threads: int = 1
    # splitting and balancing (notebook 03)
    test_size: float = 0.15
    val_size: float = 0.15
    balance: str = "none"
    balance_target: int | None = None
    class_weighted_loss: bool = True
    # normalization and tokenization (notebooks 02 and 04)
    keep_hashtags: bool = True
    tokenizer: str = "tweet"
    min_freq: int = 2
    max_vocab_size: int | None = None
    seq_length: int | None = None  # None: the 95th percentile of training token counts
    # embeddings (notebook 05)
    embedding: str = "glove"  # GloVe 6B 50d from the pip extra, fine-tuned (chosen on validation)
    embedding_dim: int = 50
    freeze_embeddings: bool = False
    # model (notebook 06)
    hidden_size: int = 32
    num_layers: int = 1
    bidirectional: bool = True
    dropout: float = 0.5
    pooling: str = "last+max"  # final states of both directions + masked max over the real tokens
    lexicon: str = "none"  # "vader": VADER's four scores of each tweet beside the pooled summary (notebook 09)
    # training (notebook 07)
    epochs: int = 20
    batch_size: int = 64
    learning_rate: float = 5e-3
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    patience: int = 4

    def __post_init__(self) -> None:
        self._validate()

    # ------------------------------------------------------------------ construction
    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Return the names of all parameters, in declaration order."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], *, strict: bool = True) -> Config:
        """Build a validated :class:`Config` from a mapping of parameter names to values.

        With ``strict=True`` an unknown name raises :class:`ConfigError` (papermill only warns
        about unknown parameters, so the series runner checks them here). With ``strict=False``
        unknown names are ignored, which lets a notebook pass ``globals()``.
        """
        known = set(cls.names())
        unknown = sorted(set(values) - known)
        if strict and unknown:
            raise ConfigError(_unknown_message(unknown, "unknown parameter(s)"))
        return cls(**{k: v for k, v in values.items() if k in known})

    @classmethod
    def from_namespace(cls, namespace: Mapping[str, Any]) -> Config:
        """Build a validated :class:`Config` from the parameter names found in ``namespace``.

        Notebooks call ``Config.from_namespace(globals())`` right after their ``parameters`` cell,
        so the values papermill injected are validated before anything runs. A name papermill
        injected that is not a parameter (``-p epochz 3``) raises :class:`ConfigError`: papermill
        itself only warns, and the run would go on with the default.
        """
        unknown = sorted(set(injected_names(namespace)) - set(cls.names()))
        if unknown:
            raise ConfigError(_unknown_message(unknown, "papermill passed the unknown parameter(s)"))
        return cls.from_mapping({k: v for k, v in namespace.items() if k in cls.names()}, strict=True)

    def parameters_cell(self, notebook: str | None = None) -> str:
        """Return the source of a ``parameters`` cell holding these values: all, or notebook NN's (with its header)."""
        if notebook is None:
            return "\n".join(f"{name} = {value!r}" for name, value in self.to_dict().items())
        listed = NOTEBOOK_PARAMS[notebook]
        return "\n".join([NOTEBOOK_PARAMS_HEADER, *(f"{name} = {value!r}" for name, value in self.to_dict().items()
                                                    if name in listed)])

    def to_dict(self) -> dict[str, Any]:
        """Return the parameters as a plain dict (JSON-serialisable)."""
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> Config:
        """Return a copy with some parameters changed (validated again)."""
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ validation
    def _validate(self) -> None:
        self._validate_data()
        self._validate_text()
        self._validate_model()

    def _need(self, cond: bool, name: str, allowed: str) -> None:
        """Raise :class:`ConfigError` naming ``name``, its value and what is ``allowed`` unless ``cond``."""
        if not cond:
            raise ConfigError(f"parameter {name}={getattr(self, name)!r} is not valid: expected {allowed}")

    def _validate_data(self) -> None:
        """Check the parameters of the data: seed, files, columns, output folder, device, split sizes."""
        self._need(_is_int(self.seed) and self.seed >= 0, "seed", "an integer >= 0")
        self._need(self.data_dir is None or isinstance(self.data_dir, str), "data_dir",
                   "None or a folder path (string)")
        for name in PATH_PARAMS[1:]:
            self._need(getattr(self, name) is None or _is_text(getattr(self, name)), name,
                 "None or the path of a CSV file (string)")
        for name in COLUMN_PARAMS:
            self._need(getattr(self, name) is None or _is_text(getattr(self, name)), name,
                 "None or the name of a column (string)")
        self._need(self.text_column is None or self.text_column != self.label_column, "label_column",
                   "a column other than text_column (the text and the label must be two columns)")
        self._need(self.unlabeled_text_column is None or self.unlabeled_csv is not None
                   or self.train_csv is None, "unlabeled_text_column",
                   "None when unlabeled_csv is None and train_csv is set "
                   "(there is no unlabelled file to read it from); set unlabeled_csv too")
        self._need(isinstance(self.output_dir, str) and self.output_dir.strip() != "", "output_dir",
                   "a folder path (string)")
        self._need(is_device(self.device), "device", f"one of {DEVICES} or 'cuda:N' (the N-th GPU)")
        self._need(_is_int(self.num_threads) and self.num_threads >= 1, "num_threads", "an integer >= 1")
        for name in ("test_size", "val_size"):
            self._need(_is_num(getattr(self, name)) and 0 < getattr(self, name) < MAX_SPLIT_FRACTION, name,
                       f"a fraction between 0 and {MAX_SPLIT_FRACTION}")
        self._need(self.test_size + self.val_size < MAX_HELD_OUT, "val_size",
                   f"test_size + val_size < {MAX_HELD_OUT} so that training keeps most of the data")

    def _validate_text(self) -> None:
        """Check the parameters of balancing, cleaning, tokenization, vocabulary and embeddings."""
        self._need(self.balance in BALANCE_STRATEGIES, "balance", f"one of {BALANCE_STRATEGIES}")
        self._need(self.balance_target is None or (_is_int(self.balance_target) and self.balance_target > 0),
                   "balance_target", "None or an integer > 0 (tweets per class for 'hybrid')")
        self._need(isinstance(self.class_weighted_loss, bool), "class_weighted_loss", "True or False")
        self._need(isinstance(self.keep_hashtags, bool), "keep_hashtags", "True or False")
        self._need(self.tokenizer in TOKENIZERS, "tokenizer", f"one of {TOKENIZERS}")
        self._need(_is_int(self.min_freq) and self.min_freq >= 1, "min_freq", "an integer >= 1")
        self._need(self.max_vocab_size is None or (_is_int(self.max_vocab_size)
                   and self.max_vocab_size >= MIN_VOCAB_SIZE), "max_vocab_size",
                   f"None or an integer >= {MIN_VOCAB_SIZE} (the 4 special tokens and a word)")
        self._need(self.seq_length is None or (_is_int(self.seq_length) and self.seq_length >= MIN_SEQ_LENGTH),
                   "seq_length", f"None (suggest from the data) or an integer >= {MIN_SEQ_LENGTH}")
        self._need(isinstance(self.embedding, str) and self.embedding.strip() != "", "embedding",
                   f"one of {EMBEDDING_CHOICES} or a path to a GloVe/word2vec text file")
        self._need(_is_int(self.embedding_dim) and self.embedding_dim >= 1, "embedding_dim",
                   "an integer >= 1")
        self._need(self.embedding != "glove" or self.embedding_dim == GLOVE_DIM, "embedding_dim",
                   f"{GLOVE_DIM} with embedding='glove' (GloVe 6B {GLOVE_DIM}d); or set embedding to 'random' "
                   "or 'word2vec' to keep this embedding_dim")
        self._need(isinstance(self.freeze_embeddings, bool), "freeze_embeddings", "True or False")

    def _validate_model(self) -> None:
        """Check the parameters of the model and its training."""
        self._need(_is_int(self.hidden_size) and self.hidden_size >= 1, "hidden_size", "an integer >= 1")
        self._need(_is_int(self.num_layers) and self.num_layers >= 1, "num_layers", "an integer >= 1")
        self._need(isinstance(self.bidirectional, bool), "bidirectional", "True or False")
        self._need(_is_num(self.dropout) and 0 <= self.dropout < 1, "dropout", "a number in [0, 1)")
        self._need(self.pooling in POOLINGS, "pooling", f"one of {POOLINGS}")
        self._need(self.lexicon in LEXICON_CHOICES, "lexicon", f"one of {LEXICON_CHOICES}")
        self._need(_is_int(self.epochs) and self.epochs >= 1, "epochs", "an integer >= 1")
        self._need(_is_int(self.batch_size) and self.batch_size >= 1, "batch_size", "an integer >= 1")
        self._need(_is_num(self.learning_rate) and self.learning_rate > 0, "learning_rate",
                   "a number > 0")
        self._need(_is_num(self.weight_decay) and self.weight_decay >= 0, "weight_decay",
                   "a number >= 0")
        self._need(_is_num(self.grad_clip) and self.grad_clip >= 0, "grad_clip",
                   "a number >= 0 (0 turns clipping off)")
        self._need(_is_int(self.patience) and self.patience >= 1, "patience", "an integer >= 1")
