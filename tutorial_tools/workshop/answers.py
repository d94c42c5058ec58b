"""The end-of-notebook exercises: where they are, how long they take, and the answer key with discussion notes.

Every notebook ends with a numbered list under ``## Exercises`` (read by
:func:`~tutorial_lib.workshop.notebook_parts.end_exercises`). :data:`ANSWERS` holds, for each, the
minutes it takes in a session, an answer and what to discuss. An entry names a phrase of the
exercise's text (``match``): when the notebook's wording changes, the entry no longer applies and
``INSTRUCTOR.md`` says the exercise has no answer yet (the tests fail until the key is updated).

Every number that comes from training was measured with ``MKL_CBWR=AVX2``, which ``tutorial_lib``
sets at import (see the package's docstring), so x86 CPUs with and without AVX-512 give the same
numbers; numbers measured before that switch differed (seed 0's best validation macro-F1 was 0.552,
it is 0.542). Numbers quoted are the course's tweets at the default parameters. The ``compare``
results are validation macro-F1 in points over seeds 0, 1, 2 (mean difference ± spread, the verdict
of :func:`tutorial_lib.compare.judge`), measured on the project's 2-core CPU (tutorial_lib 0.1.0,
torch 2.13.0, a fresh ``build/compare/``); a GPU or another torch may change the last digit, rarely
the verdict. The commands, run from the project root with ``.venv/bin/python -m tutorial_lib``:

- 02.E2: ``compare -p keep_hashtags False``, and with ``--seeds 0 1 2 3 4``
- 03.E1: ``compare -p balance undersample``, and with ``--seeds 0 1 2 3 4``
- 03.E2: ``compare -p balance hybrid -p balance_target 1000``
- 04.E1: ``compare -p min_freq 1``
- 04.E3: ``compare -p seq_length 20``
- 05.E3: ``compare -p embedding word2vec``; ``compare -p embedding word2vec -p freeze_embeddings True``
- 07.E1: ``run --only 07 -p seed 1 --output-dir build/seed1``; seed 0 is ``run`` at the defaults
  (notebook 07); seeds 0-4 are the default's runs of the 5-seed ``compare`` of 03.E1
- 07.E2: ``run --only 07 -p patience 100 -p epochs 30 --output-dir build/long``
- 07.E3: ``compare -p learning_rate 0.002``; ``compare -p dropout 0.2``
- 08.E2: ``run`` at the defaults (notebook 08's test report)
- 08.E3: ``compare -p class_weighted_loss False``
- 09.E2: ``compare -p lexicon vader``; the five test splits are ``benchmarks/results/benchmark.json``'s
  (``lstm_lexicon`` against ``lstm_default`` and the peers, seeds 0-4), the table notebook 09 prints

On a laptop the first ``compare`` takes 2-3 minutes (it also trains the default on the three seeds);
later ones reuse those runs from ``build/compare/`` and take 30-90 seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from .report import Page


@dataclass(frozen=True)
class Answer:
    """The key of one end-of-notebook exercise."""

    match: str  # a phrase of the exercise's text: the key belongs to that wording
    minutes: int  # in a session: reading, running (a compare runs while you talk), discussing
    answer: str
    discuss: str


@dataclass(frozen=True)
class EndExercise:
    """One numbered exercise at the end of a notebook, with its key when :data:`ANSWERS` has one."""

    notebook: str
    number: int
    text: str
    answer: Answer | None

    @property
    def label(self) -> str:
        return f"{self.notebook[:2]}.E{self.number}"

    @property
    def title(self) -> str:
        return self.text.split(". ")[0].split("? ")[0].rstrip(".?")

    @property
    def minutes(self) -> int:
        return self.answer.minutes if self.answer else 5


def end_exercises_of(page: Page) -> list[EndExercise]:
    """Return the page's end-of-notebook exercises, each with its key if the key's phrase is in its text."""
    found = []
    for number, text in enumerate(page.end_exercises, 1):
        key = ANSWERS.get((page.name, number))
        found.append(EndExercise(page.name, number, text, key if key and key.match in text else None))
    return found


ANSWERS: dict[tuple[str, int], Answer] = {
    ("01_loading.ipynb", 1): Answer(
        "change one character of the copied", 4,
        "The run stops at the parameters' check with a checksum error naming the file, the sha256 it expected and "
        "the one it found; nothing is read from the damaged file.",
        "A warning scrolls past and the numbers of every later notebook silently describe other data; refusing "
        "makes the mistake impossible to miss. Remind them to set data_dir = None again."),
    ("01_loading.ipynb", 2): Answer(
        "mention `@microsoft`", 3,
        "3 tweets contain @microsoft (any case); 30 mention microsoft with or without the @.",
        "What the question meant matters: a mention (@) or the word. The same ambiguity hides in every count "
        "a report quotes."),
    ("01_loading.ipynb", 3): Answer(
        "same tweet text", 3,
        "No: each of the 5 texts that occur twice carries two different labels.",
        "Such a tweet cannot be learned either way; notebook 02 drops every copy of it (10 rows)."),
    ("01_loading.ipynb", 4): Answer(
        "Which constant answer has the best macro-F1", 4,
        "Always positive: accuracy 0.484, macro-F1 0.217; always neutral 0.356 and 0.175; always negative 0.160 and "
        "0.092. The best accuracy and the best macro-F1 are the same answer here, and both are useless.",
        "A constant answer's F1 is 2s / (1 + s) for its class's share s and 0 for the others, so macro-F1 is at "
        "most a third of that: the floor any model must beat."),
    ("01_loading.ipynb", 5): Answer(
        "--no-download", 3,
        "It prints the folder it used (TWEETS_DATA_DIR, else data/) and that both files' sha256 matched; with "
        "--data-dir on the damaged copy it stops with the checksum error of exercise 1.",
        "The order of the places it looks (README, Data), and why the data are never committed."),
    ("01_loading.ipynb", 6): Answer(
        "Your own data", 15,
        "Depends on the file: the classes are the labels found in it, listed at the top of 08_evaluation.ipynb.",
        "Homework: a few hundred rows train in about a minute. On small files the TF-IDF baselines often win; "
        "ask why (few examples per parameter)."),
    ("02_preprocessing.ipynb", 1): Answer(
        "Run your `normalize_links` on the `examples` list", 4,
        "Three tweets differ: normalize_links keeps the # of hashtags (#ios9, #apple, #samsung) and the "
        "www.example.com/help link, which normalize_tweet removes; the others come out the same.",
        "The exercise's function is a subset of the course's: which of the differences would matter to the model "
        "(hashtag words are kept either way)?"),
    ("02_preprocessing.ipynb", 2): Answer(
        "-p keep_hashtags False", 6,
        "Better without them, by the standard: +0.9 ± 0.3 points of macro-F1, higher on all three seeds (+0.6, "
        "+0.8, +1.2); accuracy +1.7 ± 0.3, higher on all three seeds too.",
        "Three seeds call it real, five do not: with --seeds 0 1 2 3 4 the difference is +0.3 ± 1.1 (higher on 4 "
        "of 5 seeds; seed 4 loses 1.7 points), within the noise, so the course keeps the default. A real verdict "
        "on three seeds is worth checking on more before a default changes."),
    ("02_preprocessing.ipynb", 3): Answer(
        "Count the tweets with a smiley", 5,
        "87 tweets have a smiley (69 positive, 14 neutral, 4 negative) and 19 a frown (11 negative, 5 neutral, "
        "3 positive); normalize_tweet keeps both.",
        "Emoticons are strong signals, but rare here: about 2% of the tweets."),
    ("03_balancing.ipynb", 1): Answer(
        "-p balance undersample", 6,
        "Worse on every seed, but within the noise by the course's standard: macro-F1 −2.4 ± 2.7 (seed 0 loses "
        "6.1 points); accuracy −3.2 ± 1.5, a real loss.",
        "Accuracy falls more: undersampling trains on a third of the positive tweets, the largest class. "
        "Five seeds (--seeds 0 1 2 3 4) agree: lower on every seed, −1.8 ± 2.2, still within the noise: seed "
        "0's large loss makes the spread. On the test split the benchmark's five seeds agree: macro-F1 −2.3 ± "
        "2.6, lower on 4 of 5 seeds (seed 2: +0.1), within the noise; accuracy −2.5 ± 1.2, lower on every seed: "
        "real (README, notebook 03). A good moment to discuss why accuracy and macro-F1 can give two verdicts "
        "on one change, and how much evidence a verdict needs."),
    ("03_balancing.ipynb", 2): Answer(
        "-p balance hybrid", 6,
        "balance_target 1000: −0.1 ± 0.6 points of macro-F1, within the noise (higher on 2 of 3 seeds); accuracy "
        "−0.9 ± 0.6, lower on every seed. Other targets: let groups try one each and compare verdicts.",
        "Choosing a setting on the test split makes its score optimistic: the test split answers once, at the end; "
        "that is why compare needs --test to touch it."),
    ("03_balancing.ipynb", 3): Answer(
        "Change `seed`", 3,
        "The split sizes stay 3,787 / 812 / 812 and the counts per class barely move, because the split is "
        "stratified and its sizes are fixed shares; which tweets land in each split changes.",
        "Hence the seed moves the scores (other test tweets), not the class mix."),
    ("04_tokenization.ipynb", 1): Answer(
        "Set `min_freq = 1`", 6,
        "The vocabulary grows from 4,028 to 9,711 tokens and validation coverage from 89.9% to 93.1%, but macro-F1 "
        "moves +0.3 ± 1.1 points (higher on 1 of 3 seeds): within the noise.",
        "The extra words are seen once: too rare to learn anything; the tuning log found min_freq 1 worse on an "
        "earlier model (benchmarks/TUNING.md, rows 6 and 11, seeds 0-2)."),
    ("04_tokenization.ipynb", 2): Answer(
        "Compare the two tokenizers", 5,
        "With random_state=1: treebank splits we've and there's into we / 've and there / 's, turns quotes into "
        "`` and '', and keeps a full stop glued to the word before it (sunday., videos.); the tweet tokenizer "
        "keeps we've whole.",
        "For sentiment, contractions with n't carry negation; emoticons such as :) stay whole only with the "
        "tweet tokenizer."),
    ("04_tokenization.ipynb", 3): Answer(
        "`seq_length = 20`", 6,
        "70.6% of the training tweets are longer than 20 tokens; cutting them costs −2.1 ± 0.6 points of macro-F1, "
        "lower on every seed: a real loss.",
        "The end of a tweet often holds the opinion; the 95th percentile (32) cuts only 4%."),
    ("05_embeddings.ipynb", 1): Answer(
        "nearest neighbours surprise you", 5,
        "Open: rare words (seen a handful of times) get neighbours by chance.",
        "Word2vec needs many occurrences; sentiment opposites share contexts, so good and bad end up close."),
    ("05_embeddings.ipynb", 2): Answer(
        "`\"tsne\"`", 4,
        "t-SNE separates local clusters more sharply; the picture changes with its seed and perplexity.",
        "t-SNE keeps neighbourhoods, not distances: far-apart groups say nothing about how far apart they are."),
    ("05_embeddings.ipynb", 3): Answer(
        "-p embedding word2vec", 8,
        "Own-tweets word2vec, fine-tuned, is worse than GloVe: −2.1 ± 0.9 points of macro-F1, lower on every "
        "seed (real). Frozen word2vec loses −7.3 ± 1.0 points, lower on every seed (real): freezing hurts.",
        "Frozen vectors cannot move good and bad apart, which the classifier needs; word2vec learned from "
        "3,800 + 3,640 tweets only."),
    ("06_model.ipynb", 1): Answer(
        "Pad `row` to twice its width", 4,
        "Ours still gives the same scores with and without padding (True); the original still does not (False).",
        "Packing stops the LSTM at the real length, so any amount of padding changes nothing."),
    ("06_model.ipynb", 2): Answer(
        "bidirectional=False", 4,
        "212,347 parameters against net's 223,291: 10,944 fewer, the backward LSTM's 10,752 weights plus "
        "192 of the output layer, which now reads 64 numbers instead of 128.",
        "The embedding table (201,400) is most of the model either way."),
    ("06_model.ipynb", 3): Answer(
        "pooling=\"last\"", 4,
        "223,099: 192 fewer (the output layer reads 64 numbers instead of 128). Unmasked, the max would also "
        "read the padding positions' zeros: a unit whose real outputs are all negative would report 0.",
        "The same bug as reading out[:, -1]: an answer that depends on the padding."),
    ("07_training.ipynb", 1): Answer(
        "--output-dir build/seed1", 5,
        "Seed 1 stops after 15 epochs, best epoch 11 with validation macro-F1 0.555; seed 0 gives 0.542 (best "
        "epoch 7): a move of 1.3 points, and a different split of the tweets.",
        "Over seeds 0-4 the default's best validation macro-F1 is 0.546 ± 0.010 (0.542, 0.555, 0.537, 0.537, "
        "0.561 on seeds 0-4, the same as compare's default rows; TUNING.md's row 23, 0.549, is an earlier version of "
        "the code): a one-seed difference "
        "smaller than about a point says nothing."),
    ("07_training.ipynb", 2): Answer(
        "-p patience 100 -p epochs 30", 6,
        "30 epochs: the validation loss is lowest at epoch 3 and, with ups and downs, climbs after it while the "
        "training loss keeps falling; the validation macro-F1 peaks at epoch 7 (0.542) and no later epoch beats "
        "it (epoch 14 comes closest, 0.541). Stop at epoch 7: the default (patience 4) stops at epoch 11 and "
        "keeps epoch 7's weights.",
        "Early stopping keeps the epoch with the best validation macro-F1 and restores its weights."),
    ("07_training.ipynb", 3): Answer(
        "-p learning_rate 0.002", 8,
        "learning_rate 0.002: −0.4 ± 1.7 points of macro-F1, within the noise (higher on 2 of 3 seeds: +0.5, "
        "−2.8, +1.2). dropout 0.2: −0.5 ± 0.8, within the noise too (higher on 2 of 3 seeds: −1.6, +0.0, "
        "+0.1), though its accuracy, −0.7 ± 0.5, is lower on every seed.",
        "Tuning on the test split would make its score optimistic; compare scores validation unless --test."),
    ("08_evaluation.ipynb", 1): Answer(
        "sentences of your own", 4,
        "Open: sarcasm is usually read literally.",
        "The model learned words, not intent; a few thousand tweets hold little sarcasm."),
    ("08_evaluation.ipynb", 2): Answer(
        "lowest recall", 5,
        "Negative: recall 0.46 in the default run (notebook 08); 37% of the negative test tweets are read as "
        "neutral.",
        "The smallest class (16%), and negative tweets written as plain statements read as neutral."),
    ("08_evaluation.ipynb", 3): Answer(
        "-p class_weighted_loss False", 6,
        "Not beyond the noise on three seeds: without class weights macro-F1 moves −0.1 ± 0.9 points (higher on "
        "1 of 3 seeds) and accuracy +0.7 ± 1.0 (higher on 2 of 3): they point opposite ways, both within the "
        "noise. The tuning log's macro-F1 points the same way "
        "(benchmarks/TUNING.md, row 16, seeds 0-2: 0.524 without against 0.533 with, on an earlier model).",
        "Class weights trade accuracy on the large class for recall on the small ones: macro-F1 rewards that."),
    ("08_evaluation.ipynb", 4): Answer(
        "Change the TF-IDF settings", 6,
        "Seed 0, validation macro-F1: the unchanged function 0.545; single words (ngram_range=(1, 1)) 0.538; "
        "sublinear_tf=False 0.542; 1-3 grams 0.530; min_df=2 0.555. The unchanged function alone scores 0.520 "
        "and 0.536 on seeds 1 and 2, so a one-split difference of a point or two is within the noise.",
        "Every setting tried on the test split makes the test score a choice, and so optimistic: the test split "
        "answers once, at the end. To call a setting better, score it on several seeds, as compare does."),
    ("09_lexicons.ipynb", 1): Answer(
        "where the two models disagree", 6,
        "Open (it depends on the run). One way: result = {name: evaluation.evaluate_model(models[name], prepared, "
        "split=\"val\", device=cfg.device) for name in models}; a frame with the texts, the true label and each "
        "model's prediction (prepared.label_names[i] for the ids in result[name][\"preds\"]); keep the rows where "
        "the two differ, and add VADER's compound from lexicons.tweet_scores(list(frame.text))[:, 3].",
        "Is the lexicon model's answer the sign of VADER's compound, and was it right? Look for the tweets where "
        "VADER misreads: sarcasm, a word that is negative in the lexicon but not in the tweet, a negator VADER's "
        "three-word window misses. The model learned how far to trust VADER from the training tweets; a "
        "disagreement is where that trust decided."),
    ("09_lexicons.ipynb", 2): Answer(
        "-p lexicon vader", 6,
        "Better, by the standard: +3.2 ± 1.2 points of validation macro-F1, higher on all three seeds (+1.6, "
        "+4.1, +4.0; the default 54.2, 55.5, 53.7, with the lexicon 55.7, 59.6, 57.6); accuracy +2.2 ± 0.6, "
        "higher on all three seeds too. The benchmark's five test splits (notebook 09's table) point the same way "
        "but do not reach the standard: +1.7 ± 1.6, higher on 4 of 5 seeds (seed 0: −0.6), within the noise.",
        "Same direction, one verdict each side of the line. Not the number of seeds: on the five "
        "validation splits the benchmark also finds +2.6 ± 1.5, higher on all five (seeds 0-2 are this "
        "compare's). It is the split: the per-tweet way was chosen on validation, and the test split, kept for "
        "the end, is the one to quote; that is why the course keeps lexicon = \"none\" as its default. The fair peer: the LSTM+lexicon leads words+chars+lexicon by +0.9 ± 0.5, "
        "higher on all five test splits (real, but short of the +2.0 the course aimed for), and the lexicon "
        "lifts that peer too (+1.1 ± 1.3, higher on 4 of 5, within the noise)."),
    ("09_lexicons.ipynb", 3): Answer(
        "also ends after three tokens", 6,
        "The tokens are not, the, best, phone, i, ever, had. The clause scope negates all six after not; with "
        "three tokens at most, only the, best and phone are negated, and i, ever and had change to not negated. "
        "Neither reads this tweet better: best (+3.2) is the only token the lexicon scores, and both scopes "
        "negate it (so does VADER: compound −0.52, against +0.64 without the not); i, ever and had score 0, so "
        "their flags change nothing a lexicon feature adds.",
        "Neither rule is right everywhere: in \"i don't think this camera is any good\", good is six tokens "
        "after don't, so the three-token scope (and VADER, compound +0.44) misses the negation; in \"never had "
        "a phone this good\" the clause scope negates good, which is praised. Changing negation_scope makes its "
        "check print ❌ (it tests the clause rule): write the variant as a new function."),
}
