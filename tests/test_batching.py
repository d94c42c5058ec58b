"""Tests of the torch data helpers (tutorial_lib.batching, notebook 06)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tutorial_lib.batching import TweetDataset, collate_batch, make_loader
from tutorial_lib.errors import TutorialError
from tutorial_lib.tokenization import EncodedSplit, Vocabulary, encode


def make_split(n: int, seq_length: int = 8) -> EncodedSplit:
    """``n`` encoded tweets of 0..5 tokens with labels 0, 1, 2, 0, ..."""
    vocab = Vocabulary.build([["a", "b", "c"]])
    token_lists = [["a", "b", "c", "a", "b"][: i % 6] for i in range(n)]
    ids, lengths = encode(token_lists, vocab, seq_length)
    labels = np.arange(n, dtype=np.int64) % 3
    return EncodedSplit(ids=ids, lengths=lengths, labels=labels, texts=[f"t{i}" for i in range(n)])


def test_dataset_items():
    split = make_split(5)
    ds = TweetDataset(split)
    assert len(ds) == 5
    ids, length, label = ds[3]
    assert ids.dtype == torch.long and ids.shape == (8,)
    assert int(length) == 5 and int(label) == 0
    with pytest.raises(TutorialError, match="EncodedSplit"):
        TweetDataset(split.ids)


def test_evaluation_loader_keeps_last_partial_batch():
    loader = make_loader(make_split(10), batch_size=4, shuffle=False)
    batches = list(loader)
    assert [len(b[2]) for b in batches] == [4, 4, 2]
    seen = torch.cat([b[2] for b in batches])
    assert seen.tolist() == (np.arange(10) % 3).tolist()


def test_batches_are_trimmed_to_longest_row_with_padding_at_end():
    split = make_split(12)
    for ids, lengths, labels in make_loader(split, batch_size=4, shuffle=False):
        assert ids.dtype == lengths.dtype == labels.dtype == torch.long
        assert lengths.device.type == "cpu"
        assert ids.shape[1] == int(lengths.max())
        for row, length in zip(ids, lengths, strict=True):
            assert (row[:length] != 0).all() and (row[length:] == 0).all()
    first_ids, first_lengths, _ = next(iter(make_loader(split, batch_size=4, shuffle=False)))
    assert torch.equal(first_ids, torch.from_numpy(split.ids[:4, : int(first_lengths.max())]))


def test_shuffle_needs_a_seed_and_is_reproducible():
    split = make_split(30)
    with pytest.raises(TutorialError, match="needs a seed"):
        make_loader(split, batch_size=4, shuffle=True)

    def order(seed):
        return torch.cat([b[2] for b in make_loader(split, batch_size=4, shuffle=True, seed=seed)]).tolist()

    def texts_order(seed):
        loader = make_loader(split, batch_size=30, shuffle=True, seed=seed)
        ids, _, _ = next(iter(loader))
        return ids.tolist()

    assert order(0) == order(0)
    assert texts_order(0) == texts_order(0) and texts_order(0) != texts_order(1)
    assert sorted(order(5)) == sorted((np.arange(30) % 3).tolist())


def test_drop_last_is_opt_in():
    assert len(make_loader(make_split(10), batch_size=4, shuffle=True, seed=0, drop_last=True)) == 2


def test_bad_arguments_are_asserts_and_a_missing_seed_a_plain_check():
    """Config checks batch_size and the pipeline builds the splits: make_loader only asserts them."""
    with pytest.raises(AssertionError, match="batch_size"):
        make_loader(make_split(3), batch_size=0, shuffle=False)
    empty = EncodedSplit(ids=np.zeros((0, 4), dtype=np.int64), lengths=np.zeros(0, dtype=np.int64),
                         labels=np.zeros(0, dtype=np.int64), texts=[])
    with pytest.raises(AssertionError, match="non-empty EncodedSplit"):
        make_loader(empty, batch_size=2, shuffle=False)
    with pytest.raises(AssertionError, match="EncodedSplit"):
        make_loader(make_split(4).ids, batch_size=2, shuffle=False)


def test_collate_accepts_a_list_of_samples():
    ds = TweetDataset(make_split(3))
    ids, lengths, labels = collate_batch([ds[0], ds[1], ds[2]])
    assert ids.shape == (3, int(lengths.max())) and labels.tolist() == [0, 1, 2]
