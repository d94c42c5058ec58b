"""Alt text for every figure of the course: what a reader who cannot see the image needs to know.

Keyed by notebook file name and the id of the cell that draws the figure (nbformat cell ids stay
with a cell when the cells around it change). The kit writes each text into the image output's
metadata (``alt``), which nbconvert turns into the ``<img alt="...">`` of the HTML pages. Numbers
quoted are those of the course's tweets at the default parameters. A figure not listed here keeps
nbconvert's "No description has been provided for this image"; the kit's tests fail on it.
"""

from __future__ import annotations

from typing import Any

ALT_TEXT: dict[tuple[str, str], str] = {
    ("01_loading.ipynb", "cell-20"):
        "Bar chart of train.csv's tweets per label before cleaning: positive is the tallest bar (about 2,900 "
        "tweets), neutral next (about 2,100), negative the shortest (about 950): the classes are imbalanced.",
    ("03_balancing.ipynb", "8a001f1d"):
        "Two rows of coloured squares for ten made-up tweets (five positive, three neutral, two negative). Top, "
        "balance then split: oversampling adds hatched copies, and after the split some test tweets (red edges) "
        "are copies of training tweets. Bottom, split then balance: the test tweets stay untouched and only the "
        "training split is oversampled.",
    ("03_balancing.ipynb", "cell-17"):
        "Grouped bar chart of tweets per class in the training, validation and test splits: every split has the "
        "same mix, positive the largest class and negative the smallest, and the training split is about 4.5 "
        "times the size of each of the other two.",
    ("04_tokenization.ipynb", "bb3352bf"):
        "Histogram of tokens per training tweet, counting <SOS> and <EOS>: a hump between about 8 and 40 tokens "
        "peaking near 25. A red dashed line marks seq_length, the 95th percentile (32), beyond which the few "
        "longer tweets are cut.",
    ("05_embeddings.ipynb", "a5a9b71a"):
        "Diagram of an embedding lookup: the tokens <SOS>, love, it, <EOS>, <PAD> become the ids 1, 5, 6, 2, 0; "
        "each id picks its row of a 9 × 5 embedding matrix, and the five rows stacked are the tweet as a 5 × 5 "
        "matrix of vectors, the <PAD> row all zeros.",
    ("05_embeddings.ipynb", "e4d75dfb"):
        "Scatter plot of example words placed by a 2-D projection of the own-tweets word2vec vectors, coloured "
        "positive, negative and neutral: negative words such as bad, hate and sad gather in one region, positive "
        "words such as good, great and love lie near them, and neutral words such as monday and news mix in: "
        "the groups overlap.",
    ("06_model.ipynb", "4007c8ca"):
        "Diagram of a bidirectional LSTM unrolled over the tweet <SOS> love my new phone <EOS>: each token's "
        "embedding feeds a forward LSTM reading left to right and a backward LSTM reading right to left; the "
        "forward state after the last token and the backward state after the first token are joined (2·H "
        "numbers) and a linear layer turns them into 3 scores.",
    ("06_model.ipynb", "5a31b9ca"):
        "Two grids of a padded batch of three tweets of lengths 6, 4 and 3. Left, read at out[:, -1]: the last "
        "column is read for every row, a <PAD> position for the two shorter tweets (marked red). Right, packed "
        "with the true lengths: each tweet is read at its own <EOS> (marked green).",
    ("07_training.ipynb", "cell-15"):
        "Two line charts over the training epochs. Left: the training loss falls steadily while the validation "
        "loss falls at first and then rises. Right: validation macro-F1 and accuracy per epoch; a dotted line "
        "marks the best epoch by validation macro-F1, whose weights are kept.",
    ("08_evaluation.ipynb", "cell-16"):
        "Confusion matrix of the test split as shares of each true label (rows negative, neutral, positive; "
        "columns the predicted label): the diagonal is darkest for positive, and most mistakes go to or come "
        "from neutral.",
    ("09_lexicons.ipynb", "cell-14"):
        "Diagram of two ways to give a sentiment lexicon to the model, for the tweet \"I don't like it, but the "
        "camera is great :)\". Bottom, per token: its eleven tokens in a row, each with its VADER lexicon score "
        "as a bar below it: like +1.5, great +3.1 and :) +2.0, every other token 0 (no bar); like and it are "
        "hatched red, inside the scope of don't, which the comma closes. Top, per tweet: an arrow from the tokens "
        "to a box with VADER's four scores of the whole tweet (neg 0.09, neu 0.38, pos 0.53, compound +0.88), and "
        "an arrow from it into a box \"[ pooled LSTM summary | 4 standardised scores ] → Linear → class scores\".",
}


def figure_cells(name: str) -> dict[str, str]:
    """Return {cell id: alt text} of the figures of notebook ``name``."""
    return {cell_id: text for (notebook, cell_id), text in ALT_TEXT.items() if notebook == name}


def with_alt_text(nb: Any, name: str) -> Any:
    """Write each figure's alt text into its image outputs' metadata (``metadata["image/png"]["alt"]``)."""
    texts = figure_cells(name)
    for cell in nb.cells:
        if cell.get("id") not in texts:
            continue
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = texts[cell.id]
    return nb
