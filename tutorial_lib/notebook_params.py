"""Which parameters each notebook's ``parameters`` cell lists (all notebooks; no torch).

A notebook lists the parameters its own stage reads: the ``cfg.NAME`` its code reads, and those read
by the library functions it passes ``cfg`` to, except the steps of an earlier stage it only re-runs
(``load_for_config``, ``prepare_data``, ``embedding_matrix_for`` outside 05, ``load_or_train`` outside
07). ``tests/test_notebooks.py`` derives that set from the notebooks' code and checks this table
against it. Every other parameter keeps ``Config``'s default, and the series runner
(``python -m tutorial_lib run -p NAME VALUE``) still overrides any parameter in any notebook:
``Config.from_namespace(globals())`` reads every parameter name it finds, injected ones included.
``tools/sync_listings.py`` writes the cells from this table and ``Config``'s defaults.
"""

from __future__ import annotations

from tutorial_lib.config import Config

_FILES = ("data_dir", "train_csv", "text_column", "label_column", "unlabeled_csv", "unlabeled_text_column")
_MODEL = ("embedding_dim", "freeze_embeddings", "hidden_size", "num_layers", "bidirectional", "dropout", "pooling")

#: Notebook number -> the parameters its ``parameters`` cell lists (in ``Config``'s order when written).
NOTEBOOK_PARAMS: dict[str, tuple[str, ...]] = {
    "01": (*_FILES, "output_dir"),
    "02": ("seed", "train_csv", "keep_hashtags"),
    "03": ("seed", "train_csv", "test_size", "val_size", "balance", "balance_target"),
    "04": ("seed", "train_csv", "test_size", "val_size", "keep_hashtags", "tokenizer", "min_freq", "max_vocab_size",
           "seq_length"),
    "05": ("seed", "train_csv", "output_dir", "embedding", "embedding_dim", "freeze_embeddings"),
    "06": ("seed", "device", *_MODEL, "batch_size"),
    "07": ("seed", "output_dir", "device", "num_threads", "class_weighted_loss", *_MODEL, "epochs", "batch_size",
           "learning_rate", "weight_decay", "grad_clip", "patience"),
    "08": ("seed", "train_csv", "output_dir", "device"),
}

HEADER = ("# Parameters of this notebook's stage, with the defaults of Config (tutorial_lib/config.py), which\n"
          "# lists all of them. The series runner (`python -m tutorial_lib run -p NAME VALUE`) can set any of them.")


def parameters_cell(number: str) -> str:
    """Return the source of notebook ``number``'s ``parameters`` cell: its parameters at Config's defaults."""
    listed = set(NOTEBOOK_PARAMS[number])
    defaults = Config().to_dict()
    return "\n".join([HEADER, *(f"{name} = {defaults[name]!r}" for name in Config.names() if name in listed)])
