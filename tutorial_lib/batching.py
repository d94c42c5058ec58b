"""Turning an encoded split into batches for PyTorch (notebook 06).

A batch is ``(ids, lengths, labels)``: ``ids`` a LongTensor ``[B, T]``, ``lengths`` a LongTensor
``[B]`` on the CPU (what ``pack_padded_sequence`` wants) and ``labels`` a LongTensor ``[B]``.
Each batch is trimmed to its longest tweet (``T = lengths.max()``), so no column is padding in every
row; padding stays at the end of each row. (With the default ``seq_length``, almost every batch of
64 tweets holds one tweet of full width, so trimming rarely changes ``T``; notebook 06 shows it.)
A loader given lexicon scores (``make_loader(..., lexicon=scores)``, appendix notebook 09) adds them as
a fourth item, ``(ids, lengths, labels, lexicon)`` with ``lexicon`` a FloatTensor ``[B, F]``.

Evaluation loaders keep the last, partial batch: the original tutorial used ``drop_last=True``
and silently skipped up to ``batch_size - 1`` test tweets.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from tutorial_lib.errors import TutorialError
from tutorial_lib.tokenization import EncodedSplit


class TweetDataset(Dataset):
    """A map-style Dataset over an :class:`EncodedSplit` (introduced in notebook 06).

    ``dataset[i]`` is ``(ids [seq_length], length, label)`` as LongTensors, followed by the tweet's
    lexicon scores ``[F]`` when ``lexicon`` (``[N, F]``, one row per tweet) is given.
    """

    def __init__(self, encoded: EncodedSplit, lexicon: np.ndarray | None = None) -> None:
        if not isinstance(encoded, EncodedSplit):
            raise TutorialError(f"TweetDataset expects an EncodedSplit, got {type(encoded).__name__}")
        self.ids = torch.from_numpy(np.ascontiguousarray(encoded.ids, dtype=np.int64))
        self.lengths = torch.from_numpy(np.ascontiguousarray(encoded.lengths, dtype=np.int64))
        self.labels = torch.from_numpy(np.ascontiguousarray(encoded.labels, dtype=np.int64))
        self.columns = [self.ids, self.lengths, self.labels]
        if lexicon is not None:
            assert len(lexicon) == len(self.labels), "one row of lexicon scores per tweet"
            self.columns.append(torch.as_tensor(np.asarray(lexicon), dtype=torch.float32))

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, ...]:
        return tuple(column[index] for column in self.columns)

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, ...]:
        # DataLoader calls this with a whole batch of indices: one fancy-indexing step per tensor
        # instead of B single-row lookups and a stack.
        index = torch.as_tensor(indices, dtype=torch.long)
        return tuple(column[index] for column in self.columns)


def _stack_samples(batch) -> tuple[torch.Tensor, ...]:
    if isinstance(batch, tuple) and len(batch) in (3, 4) and torch.is_tensor(batch[0]) and batch[0].dim() == 2:
        return batch  # already stacked by TweetDataset.__getitems__
    return tuple(torch.stack([torch.as_tensor(sample[i]) for sample in batch]) for i in range(len(batch[0])))


def collate_batch(batch) -> tuple[torch.Tensor, ...]:
    """Return ``(ids [B, T], lengths [B], labels [B])`` with ``T`` the longest length in the batch.

    ``batch`` holds B tweets, either as the three stacked tensors :meth:`TweetDataset.__getitems__`
    returns or as a list of ``(ids, length, label)`` samples. Introduced in notebook 06. Lexicon
    scores, when the dataset has them, pass through as a fourth item (notebook 09).
    """
    ids, lengths, labels, *lexicon = _stack_samples(batch)  # ids [B, seq_length]
    longest = int(lengths.max())
    return ids[:, :longest].contiguous(), lengths, labels, *lexicon  # drop the columns that are padding in every row


def _check_loader_args(encoded: EncodedSplit, batch_size: int, shuffle: bool, seed: int | None) -> None:
    # Config checks batch_size and the pipeline gives EncodedSplits; the asserts catch a direct call's slip.
    assert isinstance(encoded, EncodedSplit) and len(encoded.labels), "make_loader needs a non-empty EncodedSplit"
    assert isinstance(batch_size, int) and batch_size >= 1, f"batch_size={batch_size!r} must be an integer >= 1"
    if shuffle and seed is None:  # the learner's own call (notebook 06)
        raise TutorialError("shuffle=True needs a seed (make_loader(..., shuffle=True, seed=cfg.seed)) "
                            "so that the batch order is reproducible")


def make_loader(encoded: EncodedSplit, *, batch_size: int, shuffle: bool, seed: int | None = None,
                drop_last: bool = False, lexicon: np.ndarray | None = None) -> DataLoader:
    """Return a DataLoader of ``(ids, lengths, labels)`` batches over an encoded split.

    With ``shuffle=True`` the order comes from a ``torch.Generator`` seeded with ``seed`` (required),
    so the same seed gives the same batches. ``drop_last`` defaults to False: keep it False for
    validation and test so that every tweet is evaluated. Introduced in notebook 06. ``lexicon``
    (``[N, F]``, the split's :func:`tutorial_lib.lexicons.tweet_scores`) adds a fourth item to every
    batch (notebook 09).
    """
    _check_loader_args(encoded, batch_size, shuffle, seed)
    generator = torch.Generator().manual_seed(int(seed)) if shuffle else None  # the shuffling's own seed
    return DataLoader(TweetDataset(encoded, lexicon), batch_size=batch_size, shuffle=shuffle, generator=generator,
                      drop_last=drop_last, collate_fn=collate_batch, num_workers=0)
