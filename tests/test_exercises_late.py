"""The self-checks of notebooks 05-08 (tutorial_lib.exercises.{embeddings,model,training,evaluation}).

For every checker: the notebook's worked answer passes (True, one ✅ line), the empty stub fails with
its hint, and the typical wrong answers fail with their specific hints. Tiny models, CPU, one thread.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from torch.utils.data import DataLoader

from tutorial_lib.exercises import embeddings as ex05
from tutorial_lib.exercises import evaluation as ex08
from tutorial_lib.exercises import model as ex06
from tutorial_lib.exercises import training as ex07


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def run(check, answer, capsys) -> tuple[bool, str]:
    ok = check(answer)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, f"a check prints exactly one line, got {out!r}"
    return ok, out


def passes(check, answer, capsys) -> str:
    ok, out = run(check, answer, capsys)
    assert ok is True and out.startswith("✅"), out
    return out


def fails(check, answer, capsys, *phrases: str) -> str:
    ok, out = run(check, answer, capsys)
    assert ok is False and out.startswith("❌"), out
    for phrase in phrases:
        assert phrase in out, out
    return out


# ---------------------------------------------------------------- 05: nearest neighbours, embedding matrix


def nearest(vectors, word, k):  # the notebook's worked answer
    query = vectors[word]
    scores = {other: float(v @ query / (np.linalg.norm(v) * np.linalg.norm(query)))
              for other, v in vectors.items() if other != word}
    return sorted(scores, key=scores.get, reverse=True)[:k]


def test_nearest_solution_passes(capsys):
    assert "same neighbours" in passes(ex05.check_nearest, nearest, capsys)


def test_nearest_accepts_word_score_pairs(capsys):
    def with_scores(vectors, word, k):
        return [(w, 0.0) for w in nearest(vectors, word, k)]

    passes(ex05.check_nearest, with_scores, capsys)


def test_nearest_accepts_a_series_of_scores_and_a_generator(capsys):
    import pandas as pd

    def series(vectors, word, k):
        query = vectors[word]
        scores = {o: float(v @ query / (np.linalg.norm(v) * np.linalg.norm(query))) for o, v in vectors.items()
                  if o != word}
        return pd.Series(scores).nlargest(k)  # the words are the index

    passes(ex05.check_nearest, series, capsys)
    passes(ex05.check_nearest, lambda vectors, word, k: (w for w in nearest(vectors, word, k)), capsys)


def test_nearest_stub_fails(capsys):
    fails(ex05.check_nearest, lambda vectors, word, k: None, capsys, "returned None", "placeholder")


def test_nearest_dot_product_fails(capsys):
    def dot(vectors, word, k):
        scores = {o: float(v @ vectors[word]) for o, v in vectors.items() if o != word}
        return sorted(scores, key=scores.get, reverse=True)[:k]

    fails(ex05.check_nearest, dot, capsys, "plain dot product", "np.linalg.norm")


def test_nearest_including_the_word_itself_fails(capsys):
    def with_self(vectors, word, k):
        scores = {o: float(v @ vectors[word] / (np.linalg.norm(v) * np.linalg.norm(vectors[word])))
                  for o, v in vectors.items()}
        return sorted(scores, key=scores.get, reverse=True)[:k]

    fails(ex05.check_nearest, with_self, capsys, "the word itself")


def test_nearest_wrong_order_fails(capsys):
    def ascending(vectors, word, k):
        query = vectors[word]
        scores = {o: float(v @ query / (np.linalg.norm(v) * np.linalg.norm(query)))
                  for o, v in vectors.items() if o != word}
        return sorted(scores, key=scores.get)[:k]

    fails(ex05.check_nearest, ascending, capsys, "least")

    def reversed_top(vectors, word, k):
        return nearest(vectors, word, k)[::-1]

    fails(ex05.check_nearest, reversed_top, capsys, "wrong order")


def embedding_matrix(words, vectors, dim, rng):  # the notebook's worked answer
    found = np.array([vectors[w] for w in words if w in vectors])
    matrix = rng.normal(0.0, found.std(), size=(len(words), dim))
    for i, word in enumerate(words):
        if word in vectors:
            matrix[i] = vectors[word]
    matrix[0] = 0.0
    return matrix


def test_embedding_matrix_solution_passes(capsys):
    passes(ex05.check_embedding_matrix, embedding_matrix, capsys)


def test_embedding_matrix_stub_fails(capsys):
    fails(ex05.check_embedding_matrix, lambda words, vectors, dim, rng: None, capsys, "returned None")


def test_embedding_matrix_typical_mistakes_fail(capsys):
    def random_pad(words, vectors, dim, rng):
        m = embedding_matrix(words, vectors, dim, rng)
        m[0] = 0.1
        return m

    fails(ex05.check_embedding_matrix, random_pad, capsys, "<PAD> row")

    def zeros_for_missing(words, vectors, dim, rng):
        return np.array([vectors.get(w, np.zeros(dim)) for w in words])

    fails(ex05.check_embedding_matrix, zeros_for_missing, capsys, "all-zero rows")

    def one_per_vector(words, vectors, dim, rng):
        return np.array(list(vectors.values()))

    fails(ex05.check_embedding_matrix, one_per_vector, capsys, "one row per vocabulary word")

    def sorted_rows(words, vectors, dim, rng):
        m = embedding_matrix(sorted(words), vectors, dim, rng)
        return m

    fails(ex05.check_embedding_matrix, sorted_rows, capsys, "must belong to words[i]")


def test_torch_free_modules_do_not_import_torch():
    import subprocess
    import sys

    code = ("import sys; import tutorial_lib.exercises.embeddings, tutorial_lib.exercises.evaluation; "
            "print('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# ---------------------------------------------------------------- 06: forward with packing, masked mean


def forward(model, ids, lengths):  # the notebook's worked answer
    emb = model.embedding(ids)  # [B, T, E]
    packed = pack_padded_sequence(emb, lengths.cpu(), batch_first=True, enforce_sorted=False)
    _, (h_n, _) = model.lstm(packed)  # h_n: [directions, B, H]
    features = torch.cat([h_n[-2], h_n[-1]], dim=1)  # [B, 2H]
    return model.fc(features)  # [B, C]


def test_forward_solution_passes(capsys):
    assert "padded to 6 or 10" in passes(ex06.check_forward, forward, capsys)


def test_forward_stub_fails(capsys):
    fails(ex06.check_forward, lambda model, ids, lengths: None, capsys, "returned None")


def test_forward_reading_the_last_padded_position_fails(capsys):
    def last_column(model, ids, lengths):
        packed = pack_padded_sequence(model.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        out, _ = pad_packed_sequence(model.lstm(packed)[0], batch_first=True, total_length=ids.shape[1])
        return model.fc(out[:, -1])

    fails(ex06.check_forward, last_column, capsys, "padded to width 6 and to width 10", "out[:, -1]")

    def no_packing(model, ids, lengths):
        out, _ = model.lstm(model.embedding(ids))
        return model.fc(out[:, -1])

    fails(ex06.check_forward, no_packing, capsys, "out[:, -1]")


def test_forward_without_packing_is_told_so_not_blamed_for_out_last(capsys):
    def final_states_without_packing(model, ids, lengths):
        _, (h_n, _) = model.lstm(model.embedding(ids))  # every column read, padding included
        return model.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))

    out = fails(ex06.check_forward, final_states_without_packing, capsys, "depends on the padding",
                "Without pack_padded_sequence the LSTM runs over the <PAD> positions")
    assert "out[:, -1]" not in out


def test_forward_returning_probabilities_gets_its_hint(capsys):
    out = fails(ex06.check_forward, lambda model, ids, lengths: forward(model, ids, lengths).softmax(dim=1), capsys,
                "you returned probabilities", "nn.CrossEntropyLoss")
    assert not re.search(r"\d\.\d{6}", out), out  # no float32 noise digits
    fails(ex06.check_forward, lambda model, ids, lengths: forward(model, ids, lengths).log_softmax(dim=1), capsys,
          "log-probabilities")


def test_forward_other_mistakes_show_rounded_numbers(capsys):
    def forward_twice(model, ids, lengths):
        packed = pack_padded_sequence(model.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        _, (h_n, _) = model.lstm(packed)
        return model.fc(torch.cat([h_n[-2], h_n[-2]], dim=1))

    out = fails(ex06.check_forward, forward_twice, capsys, "the course's model gives [[")
    assert not re.search(r"\d\.\d{6}", out), out


def test_forward_accepts_other_correct_ways_to_join_the_states(capsys):
    def reshaped(model, ids, lengths):
        packed = pack_padded_sequence(model.embedding(ids), lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, (h_n, _) = model.lstm(packed)  # [2, B, H] -> [B, 2H], forward first
        return model.fc(h_n.transpose(0, 1).reshape(ids.shape[0], -1))

    passes(ex06.check_forward, reshaped, capsys)

    def from_the_outputs(model, ids, lengths):
        packed = pack_padded_sequence(model.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        out, _ = pad_packed_sequence(model.lstm(packed)[0], batch_first=True)
        hidden = model.lstm.hidden_size
        last = out[torch.arange(len(lengths)), lengths - 1, :hidden]  # forward: at each tweet's own end
        first = out[:, 0, hidden:]  # backward: it ends at position 0
        return model.fc(torch.cat([last, first], dim=1))

    passes(ex06.check_forward, from_the_outputs, capsys)


def test_forward_typical_mistakes_fail(capsys):
    def sorted_only(model, ids, lengths):
        packed = pack_padded_sequence(model.embedding(ids), lengths, batch_first=True)
        _, (h_n, _) = model.lstm(packed)
        return model.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))

    fails(ex06.check_forward, sorted_only, capsys, "enforce_sorted=False")

    def one_direction(model, ids, lengths):
        packed = pack_padded_sequence(model.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        _, (h_n, _) = model.lstm(packed)
        return model.fc(h_n[-1])

    fails(ex06.check_forward, one_direction, capsys, "torch.cat([h_n[-2], h_n[-1]], dim=1)")

    def swapped(model, ids, lengths):
        packed = pack_padded_sequence(model.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        _, (h_n, _) = model.lstm(packed)
        return model.fc(torch.cat([h_n[-1], h_n[-2]], dim=1))

    fails(ex06.check_forward, swapped, capsys, "backward state comes first")

    def every_position(model, ids, lengths):
        out, _ = model.lstm(model.embedding(ids))
        return model.fc(out)

    fails(ex06.check_forward, every_position, capsys, "every position", "[3, 3]")


def test_forward_check_keeps_the_global_random_state():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    ex06.check_forward(forward)
    assert torch.equal(torch.rand(3), expected)


def masked_mean(out, lengths):  # the notebook's worked answer
    steps = torch.arange(out.shape[1])  # [T]
    mask = (steps[None, :] < lengths[:, None]).unsqueeze(-1)  # [B, T, 1]
    return (out * mask).sum(dim=1) / lengths[:, None]  # [B, D]


def test_masked_mean_solution_passes(capsys):
    passes(ex06.check_masked_mean, masked_mean, capsys)


def test_masked_mean_stub_and_mistakes_fail(capsys):
    fails(ex06.check_masked_mean, lambda out, lengths: None, capsys, "returned None")
    fails(ex06.check_masked_mean, lambda out, lengths: out.mean(dim=1), capsys, "padding included")
    fails(ex06.check_masked_mean, lambda out, lengths: out.sum(dim=1) / lengths[:, None], capsys,
          "adds the padding positions")

    def by_width(out, lengths):
        mask = (torch.arange(out.shape[1])[None, :] < lengths[:, None]).unsqueeze(-1)
        return (out * mask).sum(dim=1) / out.shape[1]

    fails(ex06.check_masked_mean, by_width, capsys, "padded width 5")
    fails(ex06.check_masked_mean, lambda out, lengths: out.mean(dim=2), capsys, "time axis")

    def in_place(out, lengths):
        out[:, 0] = 0
        return masked_mean(out, lengths)

    fails(ex06.check_masked_mean, in_place, capsys, "in place")


# ---------------------------------------------------------------- 07: one training epoch, one evaluation pass


def train_one_epoch(model, loader, criterion, optimizer):  # the notebook's worked answer
    model.train()
    total_loss, total_n = 0.0, 0
    for ids, lengths, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(ids, lengths), labels)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(labels)
        total_n += len(labels)
    return total_loss / total_n


def test_train_epoch_solution_passes(capsys):
    assert "loss falls" in passes(ex07.check_train_epoch, train_one_epoch, capsys)


def test_the_training_checks_hand_a_real_dataloader(capsys):
    seen = []

    def spy(model, loader, *rest):
        seen.append(loader)
        return None

    ex07.check_train_epoch(spy)
    ex07.check_evaluate(spy)
    capsys.readouterr()
    assert len(seen) == 2
    for loader in seen:
        assert isinstance(loader, DataLoader)
        assert [len(loader.dataset), loader.batch_size, len(loader)] == [40, 16, 3]


def _divided_by_the_dataset(batch_weight):
    """Return a training epoch that adds up loss * batch_weight(labels, loader) and divides by len(loader.dataset)."""
    def train_one_epoch(model, loader, criterion, optimizer):
        model.train()
        total = 0.0
        for ids, lengths, labels in loader:
            optimizer.zero_grad()
            loss = criterion(model(ids, lengths), labels)
            loss.backward()
            optimizer.step()
            total += loss.item() * batch_weight(labels, loader)
        return total / len(loader.dataset)

    return train_one_epoch


_dataset_mean = _divided_by_the_dataset(lambda labels, loader: labels.size(0))


def _zero_grad_after_step(model, loader, criterion, optimizer):
    total, n = 0.0, 0
    for ids, lengths, labels in loader:
        model.train()  # inside the loop: still train mode at every forward pass
        loss = criterion(model(ids, lengths), labels)
        loss.backward()
        optimizer.step()
        model.zero_grad()  # after the step: the next batch starts from zero too
        total, n = total + loss.item() * len(ids), n + len(ids)
    return total / n


def _clipped_detached_tensor(model, loader, criterion, optimizer):
    model.train()
    total = torch.tensor(0.0)
    for ids, lengths, labels in loader:
        optimizer.zero_grad(set_to_none=True)
        loss = criterion(model(ids, lengths), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # as the course's train_epoch does
        optimizer.step()
        total += loss.detach() * len(labels)
    return total / len(loader.dataset)  # a tensor without a graph


@pytest.mark.parametrize("variant", [_dataset_mean, _zero_grad_after_step, _clipped_detached_tensor],
                         ids=["len-dataset", "zero-grad-after-step", "clipped-detached-tensor"])
def test_train_epoch_accepts_other_correct_loops(capsys, variant):
    passes(ex07.check_train_epoch, variant, capsys)


def test_train_epoch_weighting_by_loader_batch_size_gets_its_hint(capsys):
    by_batch_size = _divided_by_the_dataset(lambda labels, loader: loader.batch_size)  # 16 for the last 8 too
    fails(ex07.check_train_epoch, by_batch_size, capsys, "loader.batch_size (16)", "only 8 tweets", "len(labels)")


def test_train_epoch_stub_fails(capsys):
    fails(ex07.check_train_epoch, lambda model, loader, criterion, optimizer: None, capsys, "returned None")


def test_train_epoch_forgetting_zero_grad_fails(capsys):
    def no_zero_grad(model, loader, criterion, optimizer):
        model.train()
        total, n = 0.0, 0
        for ids, lengths, labels in loader:
            loss = criterion(model(ids, lengths), labels)
            loss.backward()
            optimizer.step()
            total, n = total + loss.item() * len(labels), n + len(labels)
        return total / n

    fails(ex07.check_train_epoch, no_zero_grad, capsys, "optimizer.zero_grad()", "added")


def test_train_epoch_other_mistakes_fail(capsys):
    def no_train_mode(model, loader, criterion, optimizer):
        model.eval()
        total, n = 0.0, 0
        for ids, lengths, labels in loader:
            optimizer.zero_grad()
            loss = criterion(model(ids, lengths), labels)
            loss.backward()
            optimizer.step()
            total, n = total + loss.item() * len(labels), n + len(labels)
        return total / n

    fails(ex07.check_train_epoch, no_train_mode, capsys, "model.train()")

    def no_step(model, loader, criterion, optimizer):
        model.train()
        losses = []
        for ids, lengths, labels in loader:
            optimizer.zero_grad()
            loss = criterion(model(ids, lengths), labels)
            loss.backward()
            losses.append(loss.item())
        return sum(losses) / len(losses)

    fails(ex07.check_train_epoch, no_step, capsys, "unchanged", "optimizer.step()")

    def plain_mean(model, loader, criterion, optimizer):
        model.train()
        losses = []
        for ids, lengths, labels in loader:
            optimizer.zero_grad()
            loss = criterion(model(ids, lengths), labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return sum(losses) / len(losses)

    fails(ex07.check_train_epoch, plain_mean, capsys, "weight each batch")

    def returns_tensor(model, loader, criterion, optimizer):
        train_one_epoch(model, loader, criterion, optimizer)
        return torch.tensor(1.0, requires_grad=True)

    fails(ex07.check_train_epoch, returns_tensor, capsys, "loss.item()")


@torch.no_grad()
def evaluate(model, loader, criterion):  # the notebook's worked answer
    model.eval()
    all_logits, all_labels = [], []
    for ids, lengths, labels in loader:
        all_logits.append(model(ids, lengths))
        all_labels.append(labels)
    logits, labels = torch.cat(all_logits), torch.cat(all_labels)
    loss = criterion(logits, labels).item()
    accuracy = (logits.argmax(dim=1) == labels).float().mean().item()
    return loss, accuracy


def test_evaluate_solution_passes(capsys):
    passes(ex07.check_evaluate, evaluate, capsys)


@torch.inference_mode()
def _inference_mode_sums(model, loader, criterion):
    model.eval()
    loss_sum, right = 0.0, 0
    for ids, lengths, labels in loader:
        logits = model(ids, lengths)
        loss_sum += criterion(logits, labels).item() * len(labels)
        right += (logits.argmax(dim=1) == labels).sum().item()
    return loss_sum / len(loader.dataset), right / len(loader.dataset)


def _filled_by_batch_size(model, loader, criterion):
    model.eval()
    n = len(loader.dataset)
    logits, labels = torch.empty(n, 3), torch.empty(n, dtype=torch.long)
    with torch.no_grad():
        for b, (ids, lengths, y) in enumerate(loader):
            start = b * loader.batch_size
            logits[start:start + len(y)], labels[start:start + len(y)] = model(ids, lengths), y
    return criterion(logits, labels).item(), (logits.argmax(1) == labels).float().mean()  # accuracy: a tensor


def _two_passes(model, loader, criterion):
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(i, n) for i, n, _ in loader])
        labels = torch.cat([y for _, _, y in loader])
        predictions = torch.cat([model(i, n).argmax(1) for i, n, _ in loader])  # the model once more
    model.train()  # back to training mode afterwards: fine
    return criterion(logits, labels).item(), (predictions == labels).float().mean().item()


@pytest.mark.parametrize("variant", [_inference_mode_sums, _filled_by_batch_size, _two_passes],
                         ids=["inference-mode-len-dataset", "batch-size-slices-tensor-accuracy", "two-passes"])
def test_evaluate_accepts_other_correct_passes(capsys, variant):
    passes(ex07.check_evaluate, variant, capsys)


def test_evaluate_weighting_by_loader_batch_size_gets_its_hint(capsys):
    @torch.no_grad()
    def by_batch_size(model, loader, criterion):
        model.eval()
        loss = sum(criterion(model(i, n), y).item() * loader.batch_size for i, n, y in loader) / len(loader.dataset)
        return loss, evaluate(model, loader, criterion)[1]

    fails(ex07.check_evaluate, by_batch_size, capsys, "loader.batch_size (16)", "len(labels)")


def test_evaluate_stub_fails(capsys):
    fails(ex07.check_evaluate, lambda model, loader, criterion: None, capsys, "returned None")


def test_evaluate_forgetting_eval_mode_fails(capsys):
    def no_eval(model, loader, criterion):
        with torch.no_grad():
            logits = torch.cat([model(i, n) for i, n, _ in loader])
        labels = torch.cat([y for _, _, y in loader])
        return criterion(logits, labels).item(), (logits.argmax(1) == labels).float().mean().item()

    fails(ex07.check_evaluate, no_eval, capsys, "model.eval()")


def test_evaluate_forgetting_no_grad_fails(capsys):
    def with_grad(model, loader, criterion):
        model.eval()
        logits = torch.cat([model(i, n) for i, n, _ in loader])
        labels = torch.cat([y for _, _, y in loader])
        return criterion(logits, labels).item(), (logits.argmax(1) == labels).float().mean().item()

    fails(ex07.check_evaluate, with_grad, capsys, "torch.no_grad()")


def test_evaluate_averaging_mistakes_fail(capsys):
    @torch.no_grad()
    def batch_means(model, loader, criterion):
        model.eval()
        logits = [(model(i, n), y) for i, n, y in loader]
        losses = [criterion(out, y).item() for out, y in logits]
        right = sum(int((out.argmax(1) == y).sum()) for out, y in logits)
        return sum(losses) / len(losses), right / 40

    fails(ex07.check_evaluate, batch_means, capsys, "plain mean of the 3 batch losses")

    @torch.no_grad()
    def count(model, loader, criterion):
        loss, accuracy = evaluate(model, loader, criterion)
        return loss, round(accuracy * 40)

    fails(ex07.check_evaluate, count, capsys, "number of right answers")


# ---------------------------------------------------------------- 08: precision/recall, macro-F1


def precision_recall(matrix):  # the notebook's worked answer
    tp = np.diag(matrix).astype(float)
    predicted, true = matrix.sum(axis=0), matrix.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros(len(tp)), where=predicted > 0)
    recall = np.divide(tp, true, out=np.zeros(len(tp)), where=true > 0)
    return precision, recall


def macro_f1(matrix):  # the notebook's worked answer
    precision, recall = precision_recall(matrix)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.zeros(len(total)), where=total > 0)
    return float(f1.mean())


def test_precision_recall_solution_passes(capsys):
    passes(ex08.check_precision_recall, precision_recall, capsys)


def test_precision_recall_stub_and_mistakes_fail(capsys):
    fails(ex08.check_precision_recall, lambda matrix: None, capsys, "returned None")

    def swapped(matrix):
        p, r = precision_recall(matrix)
        return r, p

    fails(ex08.check_precision_recall, swapped, capsys, "swapped", "column sums")

    def divides_by_zero(matrix):
        tp = np.diag(matrix)
        return tp / matrix.sum(axis=0), tp / matrix.sum(axis=1)

    fails(ex08.check_precision_recall, divides_by_zero, capsys, "0 by 0", "zero_division")


def test_precision_recall_accepts_an_array_of_two_rows(capsys):
    passes(ex08.check_precision_recall, lambda matrix: np.stack(precision_recall(matrix)), capsys)


def test_macro_f1_solution_passes(capsys):
    passes(ex08.check_macro_f1, macro_f1, capsys)


def test_macro_f1_stub_and_mistakes_fail(capsys):
    fails(ex08.check_macro_f1, lambda matrix: None, capsys, "returned None")
    fails(ex08.check_macro_f1, lambda matrix: np.trace(matrix) / matrix.sum(), capsys, "accuracy", "micro")

    def weighted(matrix):
        p, r = precision_recall(matrix)
        f = np.divide(2 * p * r, p + r, out=np.zeros(len(p)), where=(p + r) > 0)
        return float(np.sum(f * matrix.sum(axis=1)) / matrix.sum())

    fails(ex08.check_macro_f1, weighted, capsys, "weighted by class size")

    def f1_of_means(matrix):
        p, r = precision_recall(matrix)
        return 2 * p.mean() * r.mean() / (p.mean() + r.mean())

    fails(ex08.check_macro_f1, f1_of_means, capsys, "mean precision and the mean recall")

    def nan_on_empty(matrix):
        tp = np.diag(matrix)
        p, r = tp / matrix.sum(axis=0), tp / matrix.sum(axis=1)
        return float(np.mean(2 * p * r / (p + r)))

    fails(ex08.check_macro_f1, nan_on_empty, capsys, "nan", "zero_division=0")

    def nanmean(matrix):
        tp = np.diag(matrix)
        p, r = tp / matrix.sum(axis=0), tp / matrix.sum(axis=1)
        return float(np.nanmean(2 * p * r / (p + r)))

    fails(ex08.check_macro_f1, nanmean, capsys, "defined only")


def test_forward_with_lengths_left_on_a_gpu_gets_the_cpu_hint(capsys):
    # where a GPU exists the check also runs on it; PyTorch's message for lengths left there becomes the hint
    def lengths_on_gpu(model, ids, lengths):
        raise RuntimeError("'lengths' argument should be a 1D CPU int64 tensor, but got 1D cuda:0 Long tensor")

    fails(ex06.check_forward, lengths_on_gpu, capsys, "lengths.cpu()")


def test_a_learner_error_becomes_a_hint_not_a_traceback(capsys):
    def broken(model, loader, criterion, optimizer):
        raise KeyError("oops")

    fails(ex07.check_train_epoch, broken, capsys, "your code raised KeyError")
