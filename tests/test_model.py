"""Tests of tutorial_lib.model: packed readout, padding invariance, the original's padding bug."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tutorial_lib.errors import TutorialError
from tutorial_lib.model import (
    POOLING_CHOICES,
    LSTMClassifier,
    OriginalTutorialLSTM,
    count_parameters,
    final_states,
    masked_pooling,
)


def _pad(tokens: list[int], width: int) -> torch.Tensor:
    return torch.tensor([tokens + [0] * (width - len(tokens))], dtype=torch.long)


@pytest.mark.parametrize("pooling", POOLING_CHOICES)
@pytest.mark.parametrize("bidirectional", [True, False])
def test_same_tweet_padded_to_two_widths_gives_identical_logits(pooling, bidirectional):
    torch.manual_seed(0)
    model = LSTMClassifier(50, 8, 6, num_layers=2, bidirectional=bidirectional, dropout=0.3,
                           pooling=pooling).eval()
    tweet = [1, 7, 9, 13, 2]
    short = model(_pad(tweet, 6), torch.tensor([5]))
    long = model(_pad(tweet, 30), torch.tensor([5]))
    assert torch.equal(short, long) or torch.allclose(short, long, atol=1e-6)


def test_original_model_reads_a_padding_position_so_padding_changes_logits():
    torch.manual_seed(0)
    model = OriginalTutorialLSTM(50, 8, 6, dropout=0.2).eval()
    tweet = [1, 7, 9, 13, 2]
    short = model(_pad(tweet, 6), torch.tensor([5]))
    long = model(_pad(tweet, 30), torch.tensor([5]))
    assert not torch.allclose(short, long, atol=1e-4)
    assert not model.lstm.bidirectional  # called "BiLSTM" by the original, but unidirectional


def test_batch_order_and_batch_mates_do_not_change_a_row():
    torch.manual_seed(1)
    model = LSTMClassifier(40, 8, 5, pooling="last+mean+max").eval()
    ids = torch.randint(3, 40, (4, 9))
    lengths = torch.tensor([9, 2, 5, 7])
    for i, n in enumerate(lengths.tolist()):
        ids[i, n:] = 0
    full = model(ids, lengths)
    perm = torch.tensor([2, 0, 3, 1])
    permuted = model(ids[perm], lengths[perm])
    assert torch.allclose(full[perm], permuted, atol=1e-6)
    alone = model(ids[1:2, :2], lengths[1:2])
    assert torch.allclose(full[1:2], alone, atol=1e-6)


def test_output_shape_and_lengths_may_live_anywhere():
    model = LSTMClassifier(30, 4, 3, num_classes=3)
    ids = torch.randint(1, 30, (5, 7))
    out = model(ids, torch.full((5,), 7))
    assert out.shape == (5, 3)


def test_pretrained_matrix_is_used_and_frozen():
    matrix = np.random.default_rng(0).normal(size=(20, 6)).astype(np.float32)
    model = LSTMClassifier(20, 6, 4, pretrained=matrix, freeze=True)
    weight = model.embedding.weight.detach().numpy()
    np.testing.assert_allclose(weight[1:], matrix[1:])
    assert np.all(weight[0] == 0)  # padding row
    assert not model.embedding.weight.requires_grad
    assert count_parameters(model) < count_parameters(model, trainable_only=False)
    tuned = LSTMClassifier(20, 6, 4, pretrained=torch.from_numpy(matrix), freeze=False)
    assert tuned.embedding.weight.requires_grad


def test_bad_inputs_give_clear_errors():
    with pytest.raises(ValueError, match="pretrained matrix has shape"):
        LSTMClassifier(20, 6, 4, pretrained=np.zeros((19, 6)))
    with pytest.raises(TutorialError, match="pooling must be one of"):  # the one plain check of the arguments
        LSTMClassifier(20, 6, 4, pooling="first")
    for bad in ({"hidden_size": 0}, {"num_classes": 1}, {"dropout": 1.0}, {"pad_index": 20}):  # Config's job: asserts
        with pytest.raises(AssertionError):
            LSTMClassifier(20, 6, **{"hidden_size": 4, **bad})
    model = LSTMClassifier(20, 6, 4)
    with pytest.raises(TutorialError, match="between 1 and"):
        model(torch.ones((2, 5), dtype=torch.long), torch.tensor([0, 5]))
    with pytest.raises(TutorialError, match="2-D"):
        model(torch.ones(5, dtype=torch.long), torch.tensor([5]))
    with pytest.raises(TutorialError, match="dtype"):
        model(torch.ones((1, 5)), torch.tensor([5]))


def test_count_parameters_matches_hand_count():
    model = LSTMClassifier(10, 4, 3, bidirectional=False)
    lstm = 4 * 3 * (4 + 3) + 2 * 4 * 3
    assert count_parameters(model) == 10 * 4 + lstm + 3 * 3 + 3


def test_init_kwargs_rebuild_the_same_architecture():
    model = LSTMClassifier(25, 6, 4, num_layers=2, pooling="last+max")
    clone = LSTMClassifier(**model.init_kwargs)
    clone.load_state_dict(model.state_dict())
    assert count_parameters(clone) == count_parameters(model)


def test_masked_pooling_ignores_padding_positions():
    out = torch.tensor([[[1.0], [5.0], [9.0]], [[2.0], [4.0], [-1.0]]])  # [B=2, T=3, D=1]
    lengths = torch.tensor([2, 3])  # row 0: the 9.0 is padding
    biggest, average = masked_pooling(out, lengths, "last+mean+max")
    assert biggest.flatten().tolist() == [5.0, 4.0]
    assert average.flatten().tolist() == pytest.approx([3.0, 5.0 / 3])
    assert masked_pooling(out, lengths, "last") == []


def test_final_states_takes_the_last_layer_of_both_directions():
    h_n = torch.arange(4 * 2 * 3, dtype=torch.float32).reshape(4, 2, 3)  # 2 layers x 2 directions
    assert torch.equal(final_states(h_n, bidirectional=True), torch.cat([h_n[2], h_n[3]], dim=1))
    assert torch.equal(final_states(h_n, bidirectional=False), h_n[3])
