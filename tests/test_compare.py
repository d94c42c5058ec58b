"""``python -m tutorial_lib compare``: several seeds, mean ± spread, and the course's one standard for a verdict."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tutorial_lib.compare import judge
from tutorial_lib.config import Config, ConfigError
from tutorial_lib.errors import TutorialError
from tutorial_tools.compare import CompareError, settings

ROOT = Path(__file__).resolve().parents[1]
TINY = ["-p", "epochs", "1", "-p", "hidden_size", "4", "--seeds", "0", "1"]


# ------------------------------------------------------------------------------------------ the verdict
@pytest.mark.parametrize(
    ("diffs", "outcome"),
    [
        ([0.010, 0.020, 0.030], "better"),  # all higher, mean 2.0 > spread 0.8
        ([-0.020, -0.030, -0.025], "worse"),  # all lower, mean -2.5, spread 0.4
        ([0.050, -0.010, 0.020], "within the noise"),  # the seeds disagree, however large the mean
        ([0.001, 0.050, 0.002], "within the noise"),  # all higher, but mean 1.8 <= spread 2.3
        ([0.020, 0.020, 0.0], "within the noise"),  # one seed shows no difference at all
        ([0.0, 0.0], "within the noise"),
        ([0.300], "within the noise"),  # one seed has no spread to compare with
    ],
)
def test_verdict_needs_every_seed_to_agree_and_the_mean_to_exceed_its_spread(diffs, outcome):
    verdict = judge(diffs)
    assert verdict.outcome == outcome
    assert verdict.real == (outcome != "within the noise")


def test_verdict_reports_population_spread_and_counts():
    v = judge([0.01, 0.03])
    assert v.mean == pytest.approx(0.02) and v.spread == pytest.approx(0.01)  # population std, not sample
    assert (v.better_on, v.worse_on, v.seeds) == (2, 0, 2)
    assert "exceeds its spread 1.0" in v.reason
    assert "disagree: higher on 1, lower on 1" in judge([0.01, -0.01]).reason
    with pytest.raises(TutorialError, match="no seeds"):
        judge([])


def test_mean_equal_to_its_spread_is_noise():
    assert judge([0.0, 0.02]).outcome == "within the noise"  # has a zero
    assert judge([0.01, 0.03, 0.02, 0.0001]).outcome == "better"


# ------------------------------------------------------------------------------------------ the settings
def test_settings_validate_and_share_the_run_settings():
    default, changed = settings({"hidden_size": 64, "num_threads": 2}, seed=3)
    assert default == Config(seed=3, num_threads=2) and changed == Config(seed=3, num_threads=2, hidden_size=64)
    for changes, fragment in (({"seed": 1}, "--seeds"), ({}, "at least one parameter"),
                              ({"output_dir": "x"}, "--output-dir"), ({"epochs": 20}, "is the default")):
        with pytest.raises(CompareError, match=fragment):
            settings(changes, seed=0)
    with pytest.raises(ConfigError, match="unknown parameter"):
        settings({"hiden_size": 64}, seed=0)
    with pytest.raises(ConfigError, match="epochs=-1"):
        settings({"epochs": -1}, seed=0)


def _compare(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutorial_lib", "compare", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["-p", "epoch", "1"], "unknown parameter(s) ['epoch']"), (["-p", "epochs", "-1"], "epochs=-1"),
     (["-p", "seed", "2"], "--seeds"), ([], "at least one parameter"), (["-p", "dropout", "0.5"], "default"),
     (["-p", "epochs", "2", "--seeds", "-1"], "seeds must be integers >= 0")],
)
def test_cli_mistakes_are_one_error_line(args, fragment, tmp_path):
    result = _compare(*args, "--output-dir", str(tmp_path), timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ") and fragment in result.stderr
    assert not list(tmp_path.iterdir()), "nothing trains when the parameters are wrong"


# ------------------------------------------------------------------------------------------ on the real data
@pytest.fixture(scope="module")
def first_run(tmp_path_factory, real_data_dir):
    cache = tmp_path_factory.mktemp("compare")
    result = _compare(*TINY, "--output-dir", str(cache))
    assert result.returncode == 0, result.stdout + result.stderr
    return cache, result.stdout


def test_compare_prints_seeds_mean_spread_and_verdict_on_validation(first_run):
    cache, out = first_run
    assert "on the validation split (812 tweets), seeds 0 1" in out and "TEST" not in out
    rows = re.findall(r"^\s+(\d)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([+-][\d.]+)\s+([+-][\d.]+)$", out, re.M)
    assert [r[0] for r in rows] == ["0", "1"]
    for _, d_f1, _, c_f1, _, diff, _ in rows:
        assert abs(float(c_f1) - float(d_f1) - float(diff)) <= 0.11  # shown rounded to 0.1 point
    assert re.search(r"default\s+macro-F1\s+[\d.]+ ± [\d.]+\s+accuracy\s+[\d.]+ ± [\d.]+", out)
    assert re.search(r"epochs=1 hidden_size=4\s+macro-F1", out)
    assert re.search(r"difference, macro-F1\s+[+-][\d.]+ ± [\d.]+ \(higher on \d of 2 seeds\)", out)
    assert re.search(r"^verdict \(macro-F1, the course's main score\): (BETTER|WORSE|WITHIN THE NOISE): ", out, re.M)
    assert "4 runs, 4 trained now" in out
    saved = [json.loads(p.read_text()) for p in cache.glob("*.json")]
    assert len(saved) == 4
    defaults = [s for s in saved if s["params"]["epochs"] == 20]
    expected = {k: v for k, v in Config().to_dict().items() if k not in ("data_dir", "output_dir", "seed")}
    assert sorted(s["params"]["seed"] for s in defaults) == [0, 1]
    assert all({k: v for k, v in s["params"].items() if k != "seed"} == expected for s in defaults)


def test_compare_reuses_the_cache_and_scores_test_only_when_asked(first_run):
    cache, first = first_run
    result = _compare(*TINY, "--test", "--json", "--output-dir", str(cache))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["split"] == "test" and data["seeds"] == [0, 1] and data["changes"] == {"epochs": 1, "hidden_size": 4}
    f1 = data["macro_f1"]
    diffs = [c - d for c, d in zip(f1["changed"], f1["default"], strict=True)]
    assert f1["difference_mean"] == pytest.approx(sum(diffs) / 2)
    assert f1["verdict"] == judge(diffs).outcome
    text = _compare(*TINY, "--test", "--output-dir", str(cache))
    assert "on the TEST split (812 tweets)" in text.stdout and "note: these are TEST scores" in text.stdout
    assert "4 runs, 0 trained now" in text.stdout
    again = _compare(*TINY, "--output-dir", str(cache))
    assert again.stdout.split("\n\n")[1] == first.split("\n\n")[1], "the cached per-seed rows are the same"


def test_seed_scores_pairs_the_benchmarks_systems_by_seed():
    from tutorial_lib.compare import seed_scores

    results = {"systems": {"a": {"per_seed": [{"seed": 0, "macro_f1": 0.5}, {"seed": 1, "macro_f1": 0.6}]},
                           "b": {"per_seed": [{"seed": 0, "macro_f1": 0.4}, {"seed": 1, "macro_f1": 0.7}]}}}
    f1 = seed_scores(results, {"a": "A", "b": "B"})
    assert list(f1.columns) == ["A", "B"] and list(f1.index) == [0, 1] and f1.index.name == "seed"
    assert judge(f1["A"] - f1["B"]).describe() == "+0.0 ± 10.0 points, higher on 1 of 2 seeds: within the noise"
    results["systems"]["b"]["per_seed"].reverse()
    with pytest.raises(AssertionError, match="same seeds"):
        seed_scores(results, {"a": "A", "b": "B"})


def test_describe_says_the_outcome_in_one_line():
    assert judge([0.02, 0.03, 0.01]).describe() == "+2.0 ± 0.8 points, higher on 3 of 3 seeds: better"
