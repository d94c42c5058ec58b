"""Concept figures of the course, drawn with matplotlib alone (notebooks 03, 05, 06 and 09).

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot (a
:class:`ConceptFigure`, which also knows how to show itself as a PNG), so a notebook cell that ends
with ``figures.plot_lstm_unrolled()`` shows it exactly once, whether or not pyplot was imported, and
a script can save it with ``fig.savefig(...)``. ``plt.show()`` does not show it (pyplot does not know
the figure): end the cell with the figure itself. The drawings are schematic: nothing is trained, nothing random is drawn, no
file or network is read, and this module does not import torch (notebooks 01-05 stay torch-free).

- :func:`plot_split_then_balance`: why the split comes before balancing (notebook 03);
- :func:`plot_embedding_lookup`: ids pick rows of the embedding matrix (notebook 05);
- :func:`plot_lstm_unrolled`: a bidirectional LSTM over a short tweet and where the classifier
  reads its two final states (notebook 06);
- :func:`plot_padding_vs_packing`: where ``out[:, -1]`` reads in a padded batch, and where packing
  reads (notebook 06);
- :func:`plot_lexicon_inputs`: a sentiment lexicon per token and per tweet, and where the tweet's
  scores join the model (notebook 09).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

PAD = "<PAD>"
COLORS = {
    "token": "#f2f2f2", "embedding": "#dbe9f6", "forward": "#cfe8cf", "backward": "#fde2c4",
    "final": "#2ca02c", "classifier": "#e5d8f0", "pad": "#d9d9d9", "wrong": "#d62728",
    "right": "#2ca02c", "negative": "#e377c2", "neutral": "#bcbd22", "positive": "#17becf",
}
DEFAULT_TWEET: tuple[str, ...] = ("<SOS>", "love", "my", "new", "phone", "<EOS>")


class ConceptFigure(Figure):
    """A matplotlib Figure that Jupyter shows as a PNG even where pyplot's inline display is not set up."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
        return buffer.getvalue()


def _box(ax, x: float, y: float, text: str, *, w: float = 0.8, h: float = 0.5, color: str = "white",
         edge: str = "black", lw: float = 1.0, fontsize: float = 9, gid: str | None = None) -> FancyBboxPatch:
    """Draw a rounded box centred at (x, y) with ``text`` in it; return the patch."""
    patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.08",
                           facecolor=color, edgecolor=edge, linewidth=lw, gid=gid, zorder=4)  # above arrows
    ax.add_patch(patch)
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=5)
    return patch


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], *, color: str = "black",
           lw: float = 1.0, style: str = "-|>", rad: float = 0.0) -> None:
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle=style, color=color, lw=lw, shrinkA=0, shrinkB=0,
                                connectionstyle=f"arc3,rad={rad}"))


def _blank_axes(fig: Figure, xlim: tuple[float, float], ylim: tuple[float, float],
                position: tuple[int, int, int] = (1, 1, 1)):
    ax = fig.add_subplot(*position)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("auto")
    ax.axis("off")
    return ax


def _check_tokens(tokens: Sequence[str], low: int, high: int) -> list[str]:
    if isinstance(tokens, str):
        raise TypeError("tokens must be a list of strings (one per token), not one string; "
                        "e.g. tokens=['<SOS>', 'love', 'it', '<EOS>']")
    tokens = [str(t) for t in tokens]
    if not low <= len(tokens) <= high:
        raise ValueError(f"give between {low} and {high} tokens so the drawing stays readable; got {len(tokens)}")
    return tokens


def plot_lstm_unrolled(tokens: Sequence[str] = DEFAULT_TWEET, *, hidden_label: str = "H") -> Figure:
    """Draw a bidirectional LSTM unrolled over ``tokens`` (2 to 10 of them); return the Figure.

    Bottom to top: the tokens, their embedding vectors, the forward LSTM (reading left to right),
    the backward LSTM (reading right to left), and the classifier. The forward direction's final
    state sits after the last token, the backward one's after the first token; both are highlighted
    and joined (``h_n[-2]`` and ``h_n[-1]``, see :func:`tutorial_lib.model.final_states`) into the
    vector of ``2 x hidden_label`` numbers that the linear layer turns into three scores.
    """
    tokens = _check_tokens(tokens, 2, 10)
    n = len(tokens)
    fig = ConceptFigure(figsize=(1.25 * n + 3.2, 5.6))
    ax = _blank_axes(fig, (-2.4, n + 1.2), (-0.6, 6.3))
    ax.set_title("A bidirectional LSTM unrolled over one tweet", fontsize=11)
    y_tok, y_emb, y_fwd, y_bwd, y_cls = 0.0, 1.1, 2.3, 3.5, 5.2
    for label, y in (("tokens", y_tok), ("embeddings", y_emb), ("forward LSTM\n(left to right)", y_fwd),
                     ("backward LSTM\n(right to left)", y_bwd)):
        ax.text(-1.9, y, label, ha="left", va="center", fontsize=9, style="italic")
    for i, tok in enumerate(tokens):
        _box(ax, i, y_tok, tok, w=0.9, color=COLORS["token"], fontsize=8)
        _box(ax, i, y_emb, f"x{i + 1}", w=0.6, h=0.4, color=COLORS["embedding"], fontsize=8)
        _arrow(ax, (i, y_tok + 0.25), (i, y_emb - 0.2))
        last, first = i == n - 1, i == 0
        _box(ax, i, y_fwd, f"→{i + 1}", w=0.6, color=COLORS["forward"], fontsize=8,
             edge=COLORS["final"] if last else "black", lw=2.5 if last else 1.0,
             gid="forward-final" if last else None)
        _box(ax, i, y_bwd, f"←{i + 1}", w=0.6, color=COLORS["backward"], fontsize=8,
             edge=COLORS["final"] if first else "black", lw=2.5 if first else 1.0,
             gid="backward-final" if first else None)
        _arrow(ax, (i, y_emb + 0.2), (i, y_fwd - 0.25))
        _arrow(ax, (i + 0.22, y_emb + 0.2), (i + 0.22, y_bwd - 0.25), color="grey")  # passes behind →i
        if i < n - 1:
            _arrow(ax, (i + 0.3, y_fwd), (i + 0.7, y_fwd), color="darkgreen", lw=1.4)
            _arrow(ax, (i + 0.7, y_bwd), (i + 0.3, y_bwd), color="darkorange", lw=1.4)
    x_cls, w_cls = (n - 1) / 2, n - 0.5
    _box(ax, x_cls, y_cls, f"join both final states (2·{hidden_label} numbers) → Linear → 3 scores",
         w=w_cls, h=0.55, color=COLORS["classifier"], fontsize=9, gid="classifier")
    # the forward final state goes up beside the backward row, into the classifier's right end
    ax.plot([n - 0.7, n - 0.4, n - 0.4], [y_fwd, y_fwd, y_cls], color=COLORS["final"], lw=2)
    _arrow(ax, (n - 0.4, y_cls), (x_cls + w_cls / 2, y_cls), color=COLORS["final"], lw=2)
    _arrow(ax, (0, y_bwd + 0.25), (x_cls - 0.6, y_cls - 0.28), color=COLORS["final"], lw=2, rad=-0.2)
    ax.text(n - 0.3, y_fwd - 0.3, "forward final state\n(after the last token; h_n[-2])",
            ha="left", va="top", fontsize=8, color=COLORS["final"])
    ax.text(-0.5, y_bwd + 0.45, "backward final state\n(after the first token; h_n[-1])",
            ha="right", va="bottom", fontsize=8, color=COLORS["final"])
    fig.tight_layout()
    return fig


def plot_padding_vs_packing(tweets: Sequence[Sequence[str]] | None = None) -> Figure:
    """Draw a padded batch twice: where ``out[:, -1]`` reads, and where packing reads; return the Figure.

    ``tweets`` are token lists of different lengths (default: three short tweets); each row is padded
    with ``<PAD>`` to the longest. Left panel: ``out[:, -1]`` reads the last column for every row,
    which for every tweet shorter than the batch is a ``<PAD>`` position (red cross). Right panel:
    with ``pack_padded_sequence`` and the true lengths, the LSTM stops at each tweet's real last
    token (green ring), whatever the padded width.
    """
    if tweets is None:
        tweets = (("<SOS>", "worst", "flight", "ever", "!", "<EOS>"), ("<SOS>", "love", "it", "<EOS>"),
                  ("<SOS>", "meh", "<EOS>"))
    rows = [_check_tokens(t, 1, 10) for t in tweets]
    if not 2 <= len(rows) <= 6:
        raise ValueError(f"give between 2 and 6 tweets; got {len(rows)}")
    width = max(len(r) for r in rows)
    fig = ConceptFigure(figsize=(2 * (1.0 * width + 1.6), 0.75 * len(rows) + 1.9))
    titles = ("padded batch, read at out[:, -1]", "packed with the true lengths")
    for panel, title in enumerate(titles):
        ax = _blank_axes(fig, (-1.9, width + 0.1), (-len(rows) - 0.3, 1.2), position=(1, 2, panel + 1))
        ax.set_title(title, fontsize=10, color=COLORS["wrong"] if panel == 0 else COLORS["right"])
        for c in range(width):
            ax.text(c + 0.5, 0.55, str(c), ha="center", va="center", fontsize=7, color="grey")
        ax.text(-0.1, 0.55, "position", ha="right", va="center", fontsize=7, color="grey")
        for r, row in enumerate(rows):
            y = -r - 0.5
            ax.text(-0.1, y, f"length {len(row)}", ha="right", va="center", fontsize=8)
            for c in range(width):
                token = row[c] if c < len(row) else PAD
                is_pad = c >= len(row)
                ax.add_patch(Rectangle((c + 0.03, y - 0.45), 0.94, 0.9, edgecolor="white",
                                       facecolor=COLORS["pad"] if is_pad else COLORS["token"]))
                ax.text(c + 0.5, y, token, ha="center", va="center", fontsize=7,
                        color="grey" if is_pad else "black")
            read = width - 1 if panel == 0 else len(row) - 1
            reads_pad = read >= len(row)
            color = COLORS["wrong"] if reads_pad else COLORS["right"]
            ax.add_patch(Rectangle((read + 0.05, y - 0.43), 0.9, 0.86, fill=False, edgecolor=color, linewidth=2.2,
                                   gid="reads-pad" if reads_pad else "reads-token"))
            if reads_pad:
                ax.text(read + 0.5, y - 0.3, "✗ reads a PAD", ha="center", va="center", fontsize=6,
                        color=COLORS["wrong"])
        if panel == 0:
            ax.annotate("out[:, -1]", xy=(width - 0.5, 0.25), xytext=(width - 0.5, 0.95), ha="center",
                        fontsize=8, color=COLORS["wrong"],
                        arrowprops=dict(arrowstyle="-|>", color=COLORS["wrong"]))
    fig.tight_layout()
    return fig


def plot_embedding_lookup(tokens: Sequence[str] = ("<SOS>", "love", "it", "<EOS>", PAD),
                          vocabulary: Sequence[str] = (PAD, "<SOS>", "<EOS>", "<UNK>", "i", "love", "it",
                                                       "hate", "phone"), dim: int = 5) -> Figure:
    """Draw the embedding lookup: token ids pick rows of the embedding matrix; return the Figure.

    Left: the tokens of one tweet and their ids (positions in ``vocabulary``; a token not in it gets
    the ``<UNK>`` id). Middle: the embedding matrix, one row of ``dim`` numbers per vocabulary entry
    (the ``<PAD>`` row is zero), with the looked-up rows outlined. Right: the tweet as a stack of
    vectors, ``[tokens, dim]``. The numbers are a fixed pattern, not learned values.
    """
    tokens = _check_tokens(tokens, 1, 8)
    vocabulary = _check_tokens(vocabulary, 2, 14)
    if not 2 <= dim <= 10:
        raise ValueError(f"dim must be between 2 and 10 so the numbers stay readable; got {dim}")
    index = {w: i for i, w in enumerate(vocabulary)}
    unk = index.get("<UNK>", 0)
    ids = [index.get(t, unk) for t in tokens]
    values = [[0.0 if w == PAD else round(((3 * r + 7 * c) % 11 - 5) / 10, 1) for c in range(dim)]
              for r, w in enumerate(vocabulary)]
    n_vocab, n_tok = len(vocabulary), len(tokens)
    cell = 0.42
    x_ids, x_mat, x_out = 0.0, 3.2, 3.2 + dim * cell + 2.6
    fig = ConceptFigure(figsize=(x_out + dim * cell + 0.8, 0.42 * max(n_vocab, n_tok) + 1.8))
    ax = _blank_axes(fig, (-1.4, x_out + dim * cell + 0.2), (-max(n_vocab, n_tok) * cell - 0.5, 1.0))
    ax.set_title("Embedding lookup: each id picks one row of the matrix", fontsize=11)
    ax.text(x_ids, 0.55, "token → id", ha="center", fontsize=9, style="italic")
    ax.text(x_mat + dim * cell / 2, 0.55, f"embedding matrix [{n_vocab} × {dim}]", ha="center", fontsize=9,
            style="italic")
    ax.text(x_out + dim * cell / 2, 0.55, f"the tweet as vectors [{n_tok} × {dim}]", ha="center", fontsize=9,
            style="italic")
    for r, word in enumerate(vocabulary):
        y = -r * cell - cell / 2
        ax.text(x_mat - 0.1, y, f"{r} {word}", ha="right", va="center", fontsize=7)
        for c in range(dim):
            ax.add_patch(Rectangle((x_mat + c * cell, y - cell / 2), cell, cell, facecolor=COLORS["embedding"],
                                   edgecolor="white"))
            ax.text(x_mat + c * cell + cell / 2, y, f"{values[r][c]:.1f}", ha="center", va="center", fontsize=6)
    for r in sorted(set(ids)):
        ax.add_patch(Rectangle((x_mat, -r * cell - cell), dim * cell, cell, fill=False,
                               edgecolor=COLORS["right"], linewidth=2, gid="looked-up-row"))
    for t, (tok, i) in enumerate(zip(tokens, ids, strict=True)):
        y = -t * cell - cell / 2
        ax.text(x_ids, y, f"{tok} → {i}", ha="center", va="center", fontsize=8)
        _arrow(ax, (x_ids + 0.75, y), (x_mat - 1.05, -i * cell - cell / 2), color="grey", lw=0.8)
        _arrow(ax, (x_mat + dim * cell + 0.1, -i * cell - cell / 2), (x_out - 0.1, y), color=COLORS["right"],
               lw=0.8)
        for c in range(dim):
            ax.add_patch(Rectangle((x_out + c * cell, y - cell / 2), cell, cell,
                                   facecolor=COLORS["pad"] if tok == PAD else COLORS["embedding"],
                                   edgecolor="white"))
            ax.text(x_out + c * cell + cell / 2, y, f"{values[i][c]:.1f}", ha="center", va="center", fontsize=6)
    fig.tight_layout()
    return fig


def _tweet_row(ax, y: float, labels: Sequence[str], *, x0: float = 0.0, copies: Sequence[bool] = (),
               leaked: Sequence[bool] = (), gid: str | None = None) -> None:
    """Draw one square per tweet coloured by class; hatched squares are copies, red-edged ones leaked.

    Each square gets ``gid`` (e.g. ``"test-tweet"``), a leaked one ``"leaked-copy"``.
    """
    for k, label in enumerate(labels):
        copy = k < len(copies) and copies[k]
        leak = k < len(leaked) and leaked[k]
        ax.add_patch(Rectangle((x0 + k * 0.5, y - 0.2), 0.42, 0.4, facecolor=COLORS[label],
                               hatch="///" if copy else None, edgecolor=COLORS["wrong"] if leak else "white",
                               linewidth=2.2 if leak else 0.5, gid="leaked-copy" if leak else gid))


def plot_split_then_balance() -> Figure:
    """Draw balance-then-split (wrong) above split-then-balance (right); return the Figure.

    Ten tweets (five positive, three neutral, two negative) are balanced by oversampling (copying
    minority tweets). Balancing first and splitting afterwards sends copies of training tweets into
    the test split, where the model has already seen them (red edges), and gives the test split a
    class mix no real stream of tweets has. Splitting first keeps the test tweets untouched, in the
    data's unbalanced mix (two positive, one neutral, one negative), and balances only the training split. The same order matters for undersampling, which changes the
    test split's class mix.
    """
    fig = ConceptFigure(figsize=(10, 5.2))
    legend = [("positive", "positive"), ("neutral", "neutral"), ("negative", "negative")]
    data = ["positive"] * 5 + ["neutral"] * 3 + ["negative"] * 2
    for panel, (title, color) in enumerate((("Balance, then split: copies leak into the test split", "wrong"),
                                            ("Split, then balance the training split only", "right"))):
        ax = _blank_axes(fig, (-2.6, 11.5), (-2.3, 0.9), position=(2, 1, panel + 1))
        ax.set_title(title, fontsize=10, color=COLORS[color], loc="left")
        ax.text(-2.5, 0.0, "all tweets", va="center", fontsize=8)
        _tweet_row(ax, 0.0, data)
        if panel == 0:
            balanced = data + ["neutral"] * 2 + ["negative"] * 3
            copies = [False] * 10 + [True] * 5
            ax.text(-2.5, -1.0, "oversampled", va="center", fontsize=8)
            _tweet_row(ax, -1.0, balanced, copies=copies)
            _arrow(ax, (2.4, -0.25), (2.4, -0.75))
            # the split after balancing: a random 4 of the 15 go to test; two are copies of training tweets
            train = ["positive"] * 4 + ["neutral"] * 4 + ["negative"] * 3
            train_copies = [False] * 4 + [False, False, False, True] + [False, True, True]
            test = ["positive", "neutral", "negative", "negative"]
            ax.text(-2.5, -1.9, "train | test", va="center", fontsize=8)
            _tweet_row(ax, -1.9, train, copies=train_copies)
            ax.plot([5.75, 5.75], [-2.2, -1.6], color="black", lw=1.5)
            _tweet_row(ax, -1.9, test, x0=6.0, copies=[False, True, False, True], leaked=[False, True, False, True],
                       gid="test-tweet")
            ax.text(8.1, -1.9, "copies of training tweets\nin the test split", va="center", fontsize=8,
                    color=COLORS["wrong"])
            _arrow(ax, (2.4, -1.25), (2.4, -1.65))
        else:
            ax.text(-2.5, -1.0, "train | test", va="center", fontsize=8)
            # a stratified split: both sides keep about the data's 5 : 3 : 2 mix
            train = ["positive"] * 3 + ["neutral"] * 2 + ["negative"]
            test = ["positive", "positive", "neutral", "negative"]
            _tweet_row(ax, -1.0, train)
            ax.plot([3.25, 3.25], [-1.3, -0.7], color="black", lw=1.5)
            _tweet_row(ax, -1.0, test, x0=3.5, gid="test-tweet")
            ax.text(5.6, -1.0, "test keeps the natural mix (half positive),\nuntouched", va="center", fontsize=8,
                    color=COLORS["right"])
            ax.text(-2.5, -1.9, "balanced train", va="center", fontsize=8)
            balanced_train = train + ["neutral"] + ["negative"] * 2
            _tweet_row(ax, -1.9, balanced_train, copies=[False] * 6 + [True] * 3)
            _arrow(ax, (1.5, -1.25), (1.5, -1.65))
            ax.text(5.6, -1.9, "copies stay inside training", va="center", fontsize=8)
    handles = [Rectangle((0, 0), 1, 1, facecolor=COLORS[key]) for key, _ in legend]
    handles.append(Rectangle((0, 0), 1, 1, facecolor="white", hatch="///", edgecolor="black"))
    fig.legend(handles, [name for _, name in legend] + ["copy (oversampled)"], loc="lower center", ncol=4,
               fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


FIGURES = {
    "lstm_unrolled": plot_lstm_unrolled,
    "padding_vs_packing": plot_padding_vs_packing,
    "embedding_lookup": plot_embedding_lookup,
    "split_then_balance": plot_split_then_balance,
}
"""Every concept figure by a short name (used by the tests and handy for saving them all)."""


def plot_lexicon_inputs(tokens: Sequence[str], valences: Sequence[float], negated: Sequence[bool],
                        scores: Sequence[float]) -> Figure:
    """Draw where a sentiment lexicon can enter the model, for one tweet (notebook 09); return the Figure.

    Bottom: each token with its lexicon score (``valences``, -4 ... +4, from
    :func:`tutorial_lib.lexicons.token_valences`) as a bar, the tokens in a negation's scope
    (``negated``, :func:`tutorial_lib.lexicons.negation_scope`) hatched: what a model could read beside
    each word's embedding. Top: the tweet's four scores (``scores``: neg, neu, pos, compound, from
    :func:`tutorial_lib.lexicons.tweet_scores`), which ``lexicon="vader"`` joins to the LSTM's pooled
    summary before the output layer.
    """
    tokens = _check_tokens(tokens, 2, 12)
    assert len(valences) == len(negated) == len(tokens) and len(scores) == 4, "one valence and flag per token"
    n = len(tokens)
    fig = ConceptFigure(figsize=(1.1 * n + 2.6, 5.0))
    ax = _blank_axes(fig, (-2.2, n + 0.4), (-2.5, 4.3))
    ax.set_title("A lexicon per token (bottom) and per tweet (top)", fontsize=11)
    ax.text(-2.0, 0.0, "tokens", ha="left", va="center", fontsize=9, style="italic")
    ax.text(-2.0, -1.6, "lexicon score\n(-4 ... +4)", ha="left", va="center", fontsize=9, style="italic")
    ax.plot([-0.5, n - 0.5], [-1.6, -1.6], color="grey", lw=0.8)
    for i, (tok, val, neg) in enumerate(zip(tokens, valences, negated, strict=True)):
        patch = _box(ax, i, 0.0, tok, w=0.9, color=COLORS["token"], fontsize=8, gid="negated" if neg else None)
        if neg:
            patch.set_hatch("//")
            patch.set_edgecolor(COLORS["wrong"])
        if val:
            color = COLORS["positive"] if val > 0 else COLORS["negative"]
            ax.add_patch(Rectangle((i - 0.25, -1.6), 0.5, 0.17 * val, color=color, zorder=3))
            ax.text(i, -1.6 + 0.17 * val + (0.05 if val > 0 else -0.05), f"{val:+.1f}", ha="center",
                    va="bottom" if val > 0 else "top", fontsize=8)
    ax.text(n - 0.5, 0.45, "hatched: inside a negation's scope", ha="right", va="bottom", fontsize=8,
            color=COLORS["wrong"])
    names = ("neg", "neu", "pos", "compound")
    text = "VADER, whole tweet:  " + "   ".join(f"{k} {v:+.2f}" if k == "compound" else f"{k} {v:.2f}"
                                               for k, v in zip(names, scores, strict=True))
    _box(ax, (n - 1) / 2, 1.7, text, w=n - 0.2, h=0.5, color=COLORS["embedding"], fontsize=9, gid="tweet-scores")
    _box(ax, (n - 1) / 2, 3.3, "[ pooled LSTM summary  |  4 standardised scores ] → Linear → class scores",
         w=n - 0.2, h=0.55, color=COLORS["classifier"], fontsize=9, gid="classifier")
    _arrow(ax, ((n - 1) / 2, 1.95), ((n - 1) / 2, 3.02))
    _arrow(ax, ((n - 1) / 2, 0.3), ((n - 1) / 2, 1.45), color="grey")
    fig.tight_layout()
    return fig
