"""The concept figures (tutorial_lib.figures): each draws offline, holds what it promises, imports no torch."""

from __future__ import annotations

import io
import subprocess
import sys

import matplotlib.colors
import pytest
from matplotlib.figure import Figure

from tutorial_lib import figures


def _texts(fig: Figure) -> list[str]:
    found = [t.get_text() for ax in fig.axes for t in ax.texts]
    found += [ax.get_title() for ax in fig.axes] + [ax.get_title(loc="left") for ax in fig.axes]
    return found


def _gids(fig: Figure) -> list[str]:
    return [p.get_gid() for ax in fig.axes for p in ax.patches if p.get_gid()]


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_every_figure_draws_to_png(name: str) -> None:
    fig = figures.FIGURES[name]()
    assert isinstance(fig, Figure)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    assert buffer.getvalue()[:4] == b"\x89PNG"


def test_figures_are_deterministic() -> None:
    def png(fig: Figure) -> bytes:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=40, metadata={"Software": None})
        return buffer.getvalue()

    for make in figures.FIGURES.values():
        assert png(make()) == png(make())


def test_lstm_unrolled_shows_both_directions_and_both_final_states() -> None:
    tokens = ["<SOS>", "so", "good", "<EOS>"]
    fig = figures.plot_lstm_unrolled(tokens=tokens)
    texts = _texts(fig)
    for token in tokens:
        assert token in texts
    assert any("forward LSTM" in t for t in texts) and any("backward LSTM" in t for t in texts)
    assert any("forward final state" in t and "last token" in t for t in texts)
    assert any("backward final state" in t and "first token" in t for t in texts)
    assert sorted(_gids(fig)) == ["backward-final", "classifier", "forward-final"]
    # one forward and one backward cell per token
    assert sum(t.startswith("→") for t in texts) == len(tokens)
    assert sum(t.startswith("←") for t in texts) == len(tokens)


def test_lstm_unrolled_rejects_a_plain_string_and_too_many_tokens() -> None:
    with pytest.raises(TypeError, match="list of strings"):
        figures.plot_lstm_unrolled(tokens="love it")
    with pytest.raises(ValueError, match="between 2 and 10"):
        figures.plot_lstm_unrolled(tokens=["w"] * 11)


def test_padding_vs_packing_marks_pad_reads_only_for_short_tweets() -> None:
    tweets = [["<SOS>", "a", "b", "c", "<EOS>"], ["<SOS>", "a", "<EOS>"], ["<SOS>", "<EOS>"]]
    fig = figures.plot_padding_vs_packing(tweets)
    gids = _gids(fig)
    # left panel: out[:, -1] reads a PAD for the two short tweets; the right (packed) panel never does
    assert gids.count("reads-pad") == 2
    assert gids.count("reads-token") == 1 + len(tweets)
    texts = _texts(fig)
    assert "out[:, -1]" in texts
    assert texts.count("<PAD>") == 2 * (2 + 3)  # both panels show the same padded batch
    assert any("packed" in t for t in texts)


def test_embedding_lookup_outlines_the_rows_of_the_ids() -> None:
    fig = figures.plot_embedding_lookup(tokens=["<SOS>", "love", "zzz", "<EOS>"])
    texts = _texts(fig)
    assert "love → 5" in texts
    assert "zzz → 3" in texts  # unknown words get the <UNK> id
    assert _gids(fig).count("looked-up-row") == 4  # rows 1, 5, 3, 2
    assert any("embedding matrix [9 × 5]" in t for t in texts)


def test_split_then_balance_shows_copies_leaking_only_when_balancing_first() -> None:
    fig = figures.plot_split_then_balance()
    assert len(fig.axes) == 2
    top, bottom = fig.axes
    leaks = [[p for p in ax.patches if p.get_gid() == "leaked-copy"] for ax in (top, bottom)]
    assert len(leaks[0]) == 2 and not leaks[1]
    assert "Balance, then split" in top.get_title(loc="left")
    assert "Split, then balance" in bottom.get_title(loc="left")


def _test_split_classes(ax) -> list[str]:
    names = {matplotlib.colors.to_hex(color): name for name, color in figures.COLORS.items()
             if name in ("negative", "neutral", "positive")}
    return sorted(names[matplotlib.colors.to_hex(p.get_facecolor())] for p in ax.patches
                  if p.get_gid() in ("test-tweet", "leaked-copy"))


def test_split_then_balance_keeps_the_natural_unbalanced_mix_only_when_splitting_first() -> None:
    top, bottom = figures.plot_split_then_balance().axes
    # the data: 5 positive, 3 neutral, 2 negative; the honest test split keeps that order of sizes
    assert _test_split_classes(bottom) == ["negative", "neutral", "positive", "positive"]
    # balancing first gives the test split a mix no stream of tweets has: negative is no longer the rarest
    assert _test_split_classes(top) == ["negative", "negative", "neutral", "positive"]


def test_figures_module_does_not_import_torch() -> None:
    code = ("import sys; from tutorial_lib import figures; "
            "[make() for make in figures.FIGURES.values()]; print('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_figures_show_themselves_as_png_without_pyplot() -> None:
    fig = figures.plot_embedding_lookup()
    assert isinstance(fig, figures.ConceptFigure)
    assert fig._repr_png_()[:4] == b"\x89PNG"
