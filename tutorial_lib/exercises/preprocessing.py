"""Checks for the "Your turn" exercises of notebook 02 (preprocessing).

Notebook 02 asks the learner to write two things the course's own cleaning does:

* ``normalize_links(text)``: lowercase a tweet, replace every link (``http://`` or ``https://`` up to
  the next space) and every @mention (but not the ``@`` of an e-mail address) with a space, and
  collapse runs of whitespace; checked by :func:`check_normalizer`;
* ``drop_conflicts(df)``: keep one copy of a tweet repeated with the same label, and drop every
  copy of a tweet whose copies carry different labels; checked by :func:`check_drop_conflicts`.

Each check calls the learner's function on small inputs built here and prints one line (see
:mod:`tutorial_lib.exercises`). This module does not import torch.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from tutorial_lib.exercises import Hint, checker, expect, not_filled_in

# (tweet, expected result of normalize_links): the first is the tweet the published original breaks.
NORMALIZER_CASES: tuple[tuple[str, str], ...] = (
    ("see http://t.co/fmtcfUAdgj", "see"),
    ("Loving the new update https://t.co/Ab12Cd34 !", "loving the new update !"),
    ("@Microsoft why does my Surface crash??", "why does my surface crash??"),
    ("mail me at jo@example.com", "mail me at jo@example.com"),
    ("Great APP", "great app"),
    ("http://t.co/onlyalink", ""),
    ("@just @mentions", ""),
    ("read this http://t.co/ab… later", "read this later"),
    ("thanks @amy_23 and @bob, see http://bit.ly/x1?a=b&c=d now", "thanks and , see now"),
    ("great show!@amy:)", "great show! :)"),  # a removed mention leaves a space: "!" and ":)" stay apart
)


def _diagnose_normalizer(text: str, got: str, expected: str) -> str:
    """Return the most specific hint for a wrong result of normalize_links on ``text``."""
    call = f"normalize_links({text!r}) returned {got!r}, expected {expected!r}"
    if ".co/" in got or "bit.ly" in got or "/x1" in got:
        return (f"{call}: part of the link stays behind. A pattern such as https?://\\w+ stops at the "
                "first dot (the published original's bug); match everything up to the next space: "
                "https?://\\S+")
    if "@" in text and "@" not in got and "@" in expected:
        return (f"{call}: your mention pattern also eats the @ inside an e-mail address. A mention "
                "starts where no letter or digit comes right before the @: (?<!\\w)@\\w+")
    if "@" in got and "@" not in expected:
        return f"{call}: an @mention is still there; remove @ followed by word characters (\\w+)"
    if "http" in got.lower():
        return f"{call}: the link is still there; remove https?://\\S+"
    if got != got.lower():
        return f"{call}: the result still has capital letters; lowercase the text (.lower())"
    if "  " in got or got != got.strip():
        return (f"{call}: removing a link or mention leaves extra spaces; collapse runs of whitespace "
                "into one (re.sub(r'\\s+', ' ', text)) and strip the ends")
    if got.replace(" ", "") == expected.replace(" ", "") and got.count(" ") < expected.count(" "):
        return (f"{call}: a link or mention replaced by nothing glues together what stood on its two sides; "
                "replace each match with a space, re.sub(pattern, ' ', text), then collapse the spaces")
    if len(got) < len(expected):
        return f"{call}: your patterns remove more than links and mentions"
    return call


@checker("link-and-mention normalizer")
def check_normalizer(normalize_links: Callable[[str], str]) -> str:
    """Check the learner's ``normalize_links`` on :data:`NORMALIZER_CASES` (notebook 02)."""
    for text, expected in NORMALIZER_CASES:
        got = normalize_links(text)
        not_filled_in(got, f"normalize_links({text!r})")
        expect(isinstance(got, str), f"normalize_links({text!r}) returned a {type(got).__name__}, "
                                     "not a string: return the normalized text")
        if got != expected:
            raise Hint(_diagnose_normalizer(text, got, expected))
    return (f"all {len(NORMALIZER_CASES)} small tweets come out right, "
            "'see http://t.co/fmtcfUAdgj' -> 'see' and e-mail addresses intact")


def conflict_example() -> pd.DataFrame:
    """Return the small frame :func:`check_drop_conflicts` cleans (also handy to try by hand)."""
    return pd.DataFrame(
        {
            "text": ["good app", "good app", "meh", "meh", "nice", "ok then", "meh", "bad day"],
            "label": ["positive", "positive", "negative", "neutral", "positive", "neutral", "negative",
                      "negative"],
        }
    )


@checker("drop conflicting duplicates")
def check_drop_conflicts(drop_conflicts: Callable[[pd.DataFrame], pd.DataFrame]) -> str:
    """Check the learner's ``drop_conflicts`` on :func:`conflict_example` (notebook 02)."""
    df = conflict_example()
    before = df.copy()
    result = drop_conflicts(df)
    not_filled_in(result, "drop_conflicts(df)")
    expect(isinstance(result, pd.DataFrame), f"drop_conflicts returned a {type(result).__name__}; "
                                             "return a DataFrame with the columns text and label")
    expect(df.equals(before), "drop_conflicts changed the frame it was given; work on a copy "
                              "(pandas methods such as drop_duplicates already return a new frame)")
    missing = [c for c in ("text", "label") if c not in result.columns]
    expect(not missing, f"the result lacks the column(s) {missing}; keep the columns text and label")
    rows = sorted(zip(result["text"].tolist(), result["label"].tolist(), strict=True))
    shown = ", ".join(f"({t!r}, {lab})" for t, lab in zip(df["text"], df["label"], strict=True))
    on = f"on the rows {shown} your result holds {rows}"
    kept_meh = [r for r in rows if r[0] == "meh"]
    expect(not kept_meh, f"{on}: 'meh' is labelled both negative and neutral, so we cannot know which is "
                         "right: drop every copy of a text that has more than one label "
                         "(df.groupby('text')['label'].transform('nunique') > 1 marks them)")
    good = [r for r in rows if r[0] == "good app"]
    expect(len(good) > 0, f"{on}: 'good app' appears twice with the same label: keep one copy, "
                          "do not drop it (drop_duplicates(keep='first'), not keep=False)")
    expect(len(good) == 1, f"{on}: 'good app' is kept {len(good)} times: keep one copy of a tweet "
                           "repeated with the same label (drop_duplicates(subset=['text', 'label']))")
    expected = [("bad day", "negative"), ("good app", "positive"), ("nice", "positive"), ("ok then", "neutral")]
    expect(rows == expected, f"{on}, expected {expected}")
    return "8 rows in, 4 out: one copy of 'good app' kept, every copy of the conflicting 'meh' dropped"
