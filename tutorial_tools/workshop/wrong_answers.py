"""The typical wrong answers each exercise's check recognises, and the hint it prints for each.

Keyed by the check function the notebook's check cell calls (``ex.check_NAME``, see
:mod:`tutorial_lib.exercises`). Each entry is (the mistake, in words; a passage of the hint the check
prints for it, quoted from the checker's source, which the tests verify). ``INSTRUCTOR.md`` lists
them, so that a teacher knows the mistakes before the learners make them. Two hints are shared by
every check: an unfilled stub gets "returned None: replace the placeholder ...", and an exception
raised by the learner's code becomes "your code raised ..." instead of a traceback.
"""

from __future__ import annotations

WRONG_ANSWERS: dict[str, tuple[tuple[str, str], ...]] = {
    "check_sha256": (
        ("`digest()` instead of `hexdigest()`", "return the 64-character text of hexdigest(), not digest()"),
        ("hashing the path string instead of the file", "hashed the file's name, not its bytes"),
        ("reading in text mode (Windows line ends change the bytes)", "open the file in binary mode"),
        ("updating with the first chunk only", "hashed only the first MiB; call update() for every chunk"),
        ("another algorithm (md5, sha1)", "did you use another hash, such as md5 or sha1?"),
    ),
    "check_constant_scores": (
        ("macro-F1 computed like accuracy", "equal to the accuracy; compute precision, recall and F1 per class"),
        ("F1 weighted by class size", "a weighted average (by class size)"),
        ("dividing 0 by 0 for a class never predicted", "a class that is never predicted has precision 0/0"),
    ),
    "check_drop_conflicts": (
        ("`drop_duplicates(subset='text')`, which keeps one label of a conflict",
         "so we cannot know which is right: drop every copy of a text that has more than one label"),
        ("`keep=False`, which also drops tweets repeated with the same label",
         "keep one copy, do not drop it (drop_duplicates(keep='first'), not keep=False)"),
        ("dropping conflicts but not the same-label repeats", "keep one copy of a tweet repeated with the same label"),
        ("changing the frame in place", "changed the frame it was given; work on a copy"),
    ),
    "check_normalizer": (
        ("the published original's pattern `https?://\\w+`", "stops at the first dot (the published original's bug)"),
        ("`@\\w+` without a look-behind, which eats e-mail addresses", "your mention pattern also eats the @ inside an e-mail address"),
        ("forgetting to lowercase", "the result still has capital letters; lowercase the text"),
        ("leaving double spaces where a link was", "collapse runs of whitespace into one"),
    ),
    "check_split_then_undersample": (
        ("balancing before splitting", "Balancing before splitting (or balancing"),
        ("splitting without `stratify=`", "not the data's mix; split with train_test_split(..., stratify=df['label'])"),
        ("sampling with replacement (that is oversampling)", "undersampling takes a subset, without replacement"),
        ("no `random_state=seed`, so reruns differ", "called twice, gave different splits; pass random_state=seed"),
    ),
    "check_class_weights": (
        ("the class shares, count / n", "these are the class shares; a weight is the inverse"),
        ("n / count without the number of classes", "divide by the number of classes too"),
        ("the weights in `value_counts()` order", "right numbers, wrong order"),
    ),
    "check_vocabulary": (
        ("no `<UNK>` (the published original)", "has no '<UNK>': a word the vocabulary has not seen would then raise KeyError"),
        ("`<PAD>` not at id 0", "padding must be id 0"),
        ("`> min_freq` instead of `>= min_freq`", "seen at least min_freq="),
        ("ids with gaps", "with no gaps"),
    ),
    "check_encoder": (
        ("padding at the front", "the padding is at the start"),
        ("cutting a long tweet after adding `<EOS>`", "a cut tweet lost its '<EOS>'"),
        ("an unknown word looked up without a default", "must read as '<UNK>' (id 3): vocab.get(token, vocab['<UNK>'])"),
        ("forgetting `<SOS>`", "a row starts with the id of '<SOS>'"),
    ),
    "check_nearest": (
        ("a plain dot product instead of the cosine", "plain dot product"),
        ("sorting from the lowest similarity up", "these are the *least* similar words"),
        ("the right words, not nearest first", "the right words in the wrong order"),
    ),
    "check_embedding_matrix": (
        ("a random `<PAD>` row", "keep it all zero, so padding adds nothing to what the model reads"),
        ("zeros for words without a vector", "give each a random vector (rng.normal)"),
        ("rows in another order than the vocabulary's", "row i must belong to words[i]"),
    ),
    "check_forward": (
        ("reading `out[:, -1]`, the last (often padding) position", "your answer depends on the padding"),
        ("packing without `enforce_sorted=False`", "Pass enforce_sorted=False to pack_padded_sequence"),
        ("one direction's final state only", "the forward and the backward final states side by side"),
        ("the backward state first", "the backward state comes first"),
        ("scores at every position", "scores at every position. Classify once per tweet"),
    ),
    "check_masked_mean": (
        ("`out.mean(dim=1)`, padding included", "padding included: mask the positions at or after each length"),
        ("dividing by the padded width", "divide each tweet's sum by its own length"),
        ("averaging over the features instead of the positions", "Average over the positions, the time axis"),
        ("masking `out` in place", "changed `out` in place"),
    ),
    "check_train_epoch": (
        ("no `optimizer.zero_grad()`", "PyTorch adds each backward() to the stored gradients"),
        ("no `model.train()`", "call model.train() at the start, so that dropout is on while training"),
        ("no `optimizer.step()`", "left every weight unchanged"),
        ("the plain mean of the batch losses", "weight each batch's loss by its size"),
    ),
    "check_evaluate": (
        ("no `model.eval()`", "call model.eval() first"),
        ("no `torch.no_grad()`", "recorded gradients (torch.is_grad_enabled() was True during model(...))"),
        ("the plain mean of the batch losses", "the plain mean of the batch losses"),
        ("accuracy as a count of right answers", "the number of right answers; divide by the number of tweets"),
    ),
    "check_precision_recall": (
        ("rows and columns swapped", "the two are swapped"),
        ("dividing 0 by 0 for a class never predicted", "Count it as 0, as scikit-learn does with zero_division=0"),
    ),
    "check_macro_f1": (
        ("accuracy (what micro averaging gives)", "the accuracy (micro averaging gives the same number here)"),
        ("F1 weighted by class size", "the F1 scores weighted by class size"),
        ("the F1 of the mean precision and mean recall", "the F1 of the mean precision and the mean recall"),
        ("leaving out a class whose F1 is 0/0", "the mean over the classes whose F1 is defined only"),
    ),
    "check_negation_scope": (
        ("switching the flag on before appending it, so the negator is flagged itself",
         "is flagged itself; its scope starts at the next token"),
        ("switching the flag off after appending it, so the comma that closes the scope is flagged",
         "ends the scope and is not negated itself; switch the flag off before appending it"),
        ("never switching the flag off: the scope runs on to the end of the tweet",
         "the scope goes on past the punctuation; a token that ends a clause"),
        ("a negator list of one's own (`token in (\"not\", \"no\", \"never\")`), which misses don't, NOT and "
         "isn’t with a curly apostrophe",
         "was not recognised; use lexicons.is_negator(token), which knows VADER's list, capitals and every word "
         "ending in n't"),
        ("flagging only the token right after a negator",
         "before the clause ends; it runs to the end of the clause, so keep the flag on until punctuation switches it "
         "off"),
    ),
}
