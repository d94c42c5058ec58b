"""Tests of cleaning and normalization (tutorial_lib.preprocessing, notebook 02)."""

from __future__ import annotations

import string

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutorial_lib.errors import DataError
from tutorial_lib.preprocessing import (
    HASHTAG_PATTERN,
    LABELS,
    MENTION_PATTERN,
    ORIGINAL_URL_PATTERN,
    URL_PATTERN,
    clean_labeled,
    clean_unlabeled,
    normalize_tweet,
    original_clean,
)


def defect_frame() -> pd.DataFrame:
    """A tiny raw train.csv with one of each defect the real file has (plus an extra column)."""
    rows = [
        ("1", "positive", "I love my new phone"),
        ("2", "negative", "Not Available"),  # unavailable tweet
        ("3", "neutral", ""),  # empty text
        ("4", "", "a tweet without a label"),  # empty label
        ("Id", "Tweet", "Category"),  # stray repeated header row
        ("5", "neutral", "Apple &amp; Google meet today"),  # HTML entity
        ("6", "neutral", "Apple & Google meet today"),  # same tweet once decoded: exact duplicate
        ("7", "negative", "worst update ever &lt;3"),  # entity, unique
        ("8", "positive", "same text, two labels"),  # conflicting duplicate ...
        ("8", "negative", "same text, two labels"),  # ... both copies must go
        ("9", "positive", "I love my new phone"),  # exact duplicate of row 1
        ("10", "neutral", "   "),  # blank text
        ("11", "negative", "battery dies by noon"),
    ]
    frame = pd.DataFrame(rows, columns=["Id", "Category", "Tweet"])
    frame["extra"] = "ignored"
    return frame


# ------------------------------------------------------------------------------------- cleaning
def test_cleaning_counts_each_defect():
    raw = defect_frame()
    before = raw.copy()
    result = clean_labeled(raw, labels=LABELS)
    pd.testing.assert_frame_equal(raw, before)  # pure: the input is untouched
    report = result.report.set_index("step")
    assert report.loc["raw rows", "remaining"] == 13
    assert report.loc["drop missing or empty", "removed"] == 3
    assert report.loc["drop 'Not Available'", "removed"] == 1
    assert report.loc["drop repeated header rows", "removed"] == 1
    assert report.loc["decode HTML entities", "removed"] == 0
    assert report.loc["decode HTML entities", "note"] == "2 tweets changed"
    assert report.loc["drop exact duplicates", "removed"] == 2
    assert report.loc["drop conflicting duplicates", "removed"] == 2
    assert result.report["removed"].sum() + len(result.data) == len(raw)
    assert list(result.data.columns) == ["text", "label"]
    assert list(result.data.index) == list(range(len(result.data)))
    assert sorted(result.data["text"]) == sorted([
        "I love my new phone", "Apple & Google meet today", "worst update ever <3", "battery dies by noon",
    ])
    assert set(result.conflicts["text"]) == {"same text, two labels"}
    assert sorted(result.conflicts["label"]) == ["negative", "positive"]
    assert result.counts().to_dict() == {"negative": 2, "neutral": 1, "positive": 1}


def test_cleaning_missing_columns_names_them():
    with pytest.raises(DataError, match=r"lacks the column.*Category"):
        clean_labeled(pd.DataFrame({"Id": ["1"], "Tweet": ["hi"]}), labels=LABELS)


def test_cleaning_without_id_column_works():
    raw = pd.DataFrame({"Category": ["positive", "negative"], "Tweet": ["good", "bad"]})
    assert len(clean_labeled(raw, labels=LABELS).data) == 2


@pytest.mark.parametrize("bad", [pd.DataFrame(columns=["Id", "Category", "Tweet"]), "train.csv", None])
def test_cleaning_rejects_empty_or_non_frames(bad):
    with pytest.raises(DataError):
        clean_labeled(bad, labels=LABELS)


def test_cleaning_unknown_label_is_named():
    raw = pd.DataFrame({"Category": ["positive", "happy", "happy"], "Tweet": ["a", "b", "c"]})
    with pytest.raises(DataError, match="'happy' \\(2 rows\\)"):
        clean_labeled(raw, labels=LABELS)


def test_cleaning_non_string_cells_are_defined():
    raw = pd.DataFrame({
        "Id": [1, 2, 3, 4, 5],
        "Category": ["positive", " Negative ", None, "neutral", "neutral"],
        "Tweet": [12345, b"caf\xc3\xa9 time", "no label", float("nan"), "bad half \ud83d surrogate"],
    })
    result = clean_labeled(raw, labels=LABELS)
    assert result.data["text"].tolist() == ["12345", "café time", "bad half \ufffd surrogate"]
    assert result.data["label"].tolist() == ["positive", "negative", "neutral"]
    result.data["text"].map(lambda t: t.encode("utf-8"))  # every text can be saved as UTF-8


def test_clean_unlabeled_reads_misnamed_column():
    raw = pd.DataFrame({
        "Id": ["1", "2", "", "4", "5"],
        "Category": ["great phone &amp; case", "Not Available", "", "meh", None],
    })
    result = clean_unlabeled(raw)
    assert result.data["text"].tolist() == ["great phone & case", "meh"]
    report = result.report.set_index("step")
    assert report.loc["drop missing or empty", "removed"] == 2
    assert report.loc["drop 'Not Available'", "removed"] == 1


def test_clean_unlabeled_missing_column():
    with pytest.raises(DataError, match="Category"):
        clean_unlabeled(pd.DataFrame({"Id": ["1"], "Tweet": ["hi"]}))


# -------------------------------------------------------------------------------- normalization
def test_tco_link_leaves_nothing_behind():
    assert normalize_tweet("http://t.co/fmtcfUAdgj") == ""
    text = "IOS 9 App Transport Security. Mm need to check http://t.co/fmtcfUAdgj"
    assert normalize_tweet(text) == "ios 9 app transport security. mm need to check"


def test_original_pattern_reproduces_the_bug():
    # The original tutorial's regex: notebook 02 shows it next to ours.
    assert ORIGINAL_URL_PATTERN.sub("", "http://t.co/fmtcfUAdgj") == ".co/fmtcfUAdgj"
    # it is the published tutorial's pattern, character for character
    assert ORIGINAL_URL_PATTERN.pattern == r"https?:\/\/[\w]+"
    assert ORIGINAL_URL_PATTERN.sub("", "see https://t.co/AbC1 and http://bit.ly/x") == "see .co/AbC1 and .ly/x"
    # the original's whole cleaning: links, then mentions, then lowercase (the e-mail's @domain goes too)
    assert original_clean("Hi @Bob http://t.co/AbC1 mail me@x.org") == "hi  .co/abc1 mail me.org"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://t.co/AbC123 now", "see now"),
        ("truncated http://t.co/abc…", "truncated"),
        ("cut right after http…", "cut right after"),
        ("visit www.example.com/page?x=1 today", "visit today"),
        ("bare t.co/xyz123 link", "bare link"),
        ("HTTPS://EXAMPLE.COM/A shout", "shout"),
        ("awww. so cute", "awww. so cute"),
        ("@user1 @user_2 hi there", "hi there"),
        ("mail me at a@b.com", "mail me at a@b.com"),
        ("#iOS9 is #great", "ios9 is great"),
        ("  lots\tof \n  space  ", "lots of space"),
        ("😀🎉", "😀🎉"),
        ("", ""),
    ],
)
def test_normalize_cases(text, expected):
    assert normalize_tweet(text) == expected


def test_hashtags_removed_when_not_kept():
    assert normalize_tweet("#iOS9 is #great", keep_hashtags=False) == "is"
    assert normalize_tweet("Big NEWS", lowercase=False) == "Big NEWS"


def test_normalize_rejects_non_strings():
    with pytest.raises(TypeError, match="expects a string"):
        normalize_tweet(float("nan"))
    with pytest.raises(TypeError, match="expects a string"):
        normalize_tweet(None)


def test_patterns_are_exposed():
    assert URL_PATTERN.search("x http://t.co/a") and MENTION_PATTERN.search("@a") and HASHTAG_PATTERN.search("#a")
    assert [normalize_tweet(t) for t in ["A @b", "#C"]] == ["a", "c"]
    assert LABELS == ("negative", "neutral", "positive")


def test_the_labels_are_said_at_every_call():
    """No default: the course's call sites pass LABELS, a user's file None (pipeline, notebooks 02-04)."""
    raw = pd.DataFrame({"Category": ["positive"], "Tweet": ["a"]})
    with pytest.raises(TypeError, match="labels"):
        clean_labeled(raw)


words = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(words, min_size=0, max_size=8),
    st.sampled_from(["http://t.co/", "https://t.co/", "www.", "t.co/", "http://bit.ly/"]),
    st.text(alphabet=string.ascii_letters + string.digits + "/?=&.-_…", min_size=0, max_size=15),
    st.integers(min_value=0, max_value=8),
)
def test_property_urls_vanish_completely(ws, prefix, tail, position):
    position = min(position, len(ws))
    with_url = ws[:position] + [prefix + tail] + ws[position:]
    assert normalize_tweet(" ".join(with_url)) == normalize_tweet(" ".join(ws))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_property_normalized_text_is_tidy(text):
    out = normalize_tweet(text)
    assert out == out.strip()
    assert "  " not in out
    assert out == out.lower()
    assert not URL_PATTERN.search(out)
    out.encode("utf-8")  # lone surrogates were replaced


# ------------------------------------------------------------------------------------ real data
@pytest.mark.realdata
def test_real_data_cleaned_counts(real_raw):
    train_raw, test_raw = real_raw
    cleaned = clean_labeled(train_raw, labels=LABELS)
    # REFERENCE_RESULTS.md: 5422 rows after 'Not Available' (incl. the stray header), 5 conflicting
    # pairs dropped -> 5411 = 2596 positive / 1949 neutral / 866 negative.
    assert cleaned.counts().to_dict() == {"negative": 866, "neutral": 1949, "positive": 2596}
    report = cleaned.report.set_index("step")
    assert report.loc["raw rows", "remaining"] == 5970
    assert report.loc["drop 'Not Available'", "removed"] == 548
    assert report.loc["drop repeated header rows", "removed"] == 1
    assert report.loc["drop exact duplicates", "removed"] == 0
    assert report.loc["drop conflicting duplicates", "removed"] == 10
    assert cleaned.conflicts["text"].nunique() == 5
    assert not cleaned.data["text"].str.contains("&amp;").any()

    unlabeled = clean_unlabeled(test_raw)
    report = unlabeled.report.set_index("step")
    assert report.loc["raw rows", "remaining"] == 9968
    assert report.loc["drop missing or empty", "removed"] == 5968  # completely empty lines ","
    assert report.loc["drop 'Not Available'", "removed"] == 360
    assert len(unlabeled.data) == 3640


def test_cleaning_everything_away_gives_an_empty_result():
    raw = pd.DataFrame({"Id": ["1", "2"], "Category": ["positive", "Tweet"], "Tweet": ["Not Available", "Category"]})
    result = clean_labeled(raw, labels=LABELS)
    assert len(result.data) == 0 and list(result.data.columns) == ["text", "label"]
    assert result.report["remaining"].iloc[-1] == 0
    assert clean_unlabeled(pd.DataFrame({"Category": ["", "Not Available"]})).data.empty
