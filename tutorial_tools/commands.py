"""The commands of :data:`tutorial_tools.cli.COMMANDS`, one function each, named like it.

Each function holds the command's options, its call into the course and what it prints.

Each takes the arguments after the command's name and returns its exit status, or raises: the
command line (:func:`tutorial_tools.cli.main`) prints the one ``error:`` line and picks the exit
status from the one map. Parameters (``-p``/``-r``) are read by :func:`tutorial_tools.cli.parameters`
alone. Like the command line, this module imports only the standard library at start: each command
imports what it needs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cli import (
    EXIT_FAILED,
    EXIT_OK,
    Failure,
    Interrupted,
    UsageError,
    _folder_option,
    _output_folder,
    _parser,
    add_parameter_options,
    parameters,
)

if TYPE_CHECKING:
    from tutorial_lib.checkpoint import Bundle


def doctor(argv: list[str]) -> int:
    """``doctor``: print the checks; exit 0 without a FAIL, 1 with one."""
    from .doctor import header, run_checks, summary

    _parser("doctor", "Check the set-up before a workshop: one [OK]/[WARN]/[FAIL] line per check, with the fix. "
                      "Paste the whole output when asking for help. Exit status 0 only without a FAIL.").parse_args(argv)
    print(header(), flush=True)
    results = run_checks(echo=lambda result: print("\n".join(result.lines()), flush=True))
    print(summary(results))
    return EXIT_FAILED if any(r.status == "FAIL" for r in results) else EXIT_OK


def data(argv: list[str]) -> int:
    """``data``: find or download the data set and verify it, or ``--import-from DIR`` into the cache folder."""
    from tutorial_lib.loading import get_data_dir
    from tutorial_lib.paths import display_path

    parser = _parser("data", "Find or download the data set and verify its checksums.")
    parser.add_argument("--data-dir", default=None, help="folder holding train.csv and test.csv")
    parser.add_argument("--no-download", action="store_true", help="never download, only look")
    parser.add_argument("--import-from", default=None, metavar="DIR",
                        help="copy verified train.csv and test.csv from DIR (e.g. an offline bundle's data/) "
                             "into the cache folder data/, where the course finds them")
    args = parser.parse_args(argv)
    if args.import_from is not None:
        if args.data_dir is not None:
            raise UsageError("--import-from copies into the cache folder; it does not go with --data-dir")
        import_data(args.import_from)
        return EXIT_OK
    folder = get_data_dir(args.data_dir, download=not args.no_download)
    print(f"data set verified in {display_path(folder)} (train.csv, test.csv; sha256 checked)")
    return EXIT_OK


def import_data(source: str) -> None:
    """Copy ``train.csv``/``test.csv`` from ``source`` into the cache folder, verified before and after."""
    from tutorial_lib.loading import (
        ENV_VAR,
        REGISTRY,
        ChecksumMismatchError,
        cache_dir,
        sha256_file,
        verify_file,
    )
    from tutorial_lib.paths import atomic_write_bytes, display_path

    folder = Path(source).expanduser().resolve()
    missing = [name for name in REGISTRY if not (folder / name).is_file()]
    if missing:
        raise UsageError(f"{', '.join(missing)} not found in {folder}")
    target = cache_dir()
    for name, spec in REGISTRY.items():
        verify_file(folder / name, spec)  # raises ChecksumMismatchError: nothing is copied
        dest = target / name
        if dest.is_file():
            if sha256_file(dest) == spec.sha256:
                print(f"{name}: already in {display_path(target)}/ (verified)")
                continue
            raise ChecksumMismatchError(
                f"{display_path(dest)} exists and differs from the registered {name}; it was left as it is. "
                f"Delete it and rerun to replace it with the verified copy from {folder}")
        atomic_write_bytes(dest, (folder / name).read_bytes())
        verify_file(dest, spec)
        print(f"{name}: copied from {folder} into {display_path(target)}/ (sha256 verified)")
    if os.environ.get(ENV_VAR):
        print(f"note: ${ENV_VAR} is set ({os.environ[ENV_VAR]}), so the course reads that folder, not "
              f"{display_path(target)}/; unset it to use the imported copy")


def run(argv: list[str]) -> int:
    """``run [--output-dir DIR] [-p NAME VALUE]... [--only NN...] [--from NN] [--notebooks-dir DIR]``."""
    parser = _parser("run", "Execute the notebook series with papermill, passing the same parameters to each.")
    parser.add_argument("--output-dir", default=None,
                        help="folder for executed notebooks, metrics.json and model.pt (default: build/run "
                             "in the project; a relative path is taken from the current folder)")
    add_parameter_options(parser, "a parameter for every notebook")
    parser.add_argument("--only", nargs="+", default=None, metavar="NN", help="run only these notebooks")
    parser.add_argument("--from", dest="start", default=None, metavar="NN", help="start at this notebook")
    parser.add_argument("--notebooks-dir", default=None, metavar="DIR",
                        help="folder of the numbered notebooks (default: notebooks/ of this project)")
    args = parser.parse_args(argv)
    params = parameters(args)
    folder = _folder_option(args.notebooks_dir, "--notebooks-dir")
    from tutorial_lib.paths import message_path

    from .series import format_summary, run_series

    output_dir = _output_folder(args.output_dir, "build/run")
    metrics = run_series(output_dir, params, only=args.only, start=args.start, notebooks_folder=folder)
    print(format_summary(metrics, Path(message_path(output_dir))))
    return EXIT_OK


def compare(argv: list[str]) -> int:
    """``compare -p NAME VALUE [-p ...] [--seeds 0 1 2] [--test] [--output-dir DIR] [--no-cache] [--json]``."""
    import json
    import sys

    from tutorial_lib.paths import display_path

    from .compare import DEFAULT_CACHE, DEFAULT_SEEDS, compare, format_report

    parser = _parser("compare", "Train and score the default model and the model with the given parameters for "
                                "several seeds; print validation macro-F1 and accuracy, mean ± spread, and whether "
                                "the difference is larger than the noise.")
    add_parameter_options(parser, "a changed parameter")
    parser.add_argument("--seeds", nargs="+", type=int, default=list(DEFAULT_SEEDS), metavar="SEED",
                        help="seeds to train each setting with (default: 0 1 2)")
    parser.add_argument("--test", action="store_true",
                        help="score the test split instead of validation (only at the very end)")
    parser.add_argument("--output-dir", default=DEFAULT_CACHE, metavar="DIR",
                        help=f"cache folder of per-seed results (default: {DEFAULT_CACHE} in the project)")
    parser.add_argument("--no-cache", action="store_true", help="train every run again, and keep nothing")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    args = parser.parse_args(argv)
    changes = parameters(args)
    cache = None if args.no_cache else Path(args.output_dir).expanduser().resolve()
    comparison = compare(changes, args.seeds, split="test" if args.test else "val", cache_dir=cache,
                         progress=sys.stderr.isatty())
    if args.json:
        print(json.dumps(comparison.to_dict(), indent=2))
        return EXIT_OK
    print(format_report(comparison))
    if cache is not None:
        print(f"cached results: {display_path(cache)}/ (--no-cache to retrain)")
    return EXIT_OK


def workshop(argv: list[str]) -> int:
    """``workshop [--output-dir DIR] [-p NAME VALUE]... [--skip-student-run] [--keep-student-runs DIR]``."""
    from .workshop.kit import DEFAULT_OUTPUT, build_kit

    parser = _parser("workshop", "Build the workshop kit: student copies, executed solutions, static HTML and "
                                 "INSTRUCTOR.md.")
    parser.add_argument("--output-dir", default=None, metavar="DIR",
                        help=f"the kit's folder (default: {DEFAULT_OUTPUT} in the project; a relative path is "
                             "taken from the current folder)")
    add_parameter_options(parser, "a parameter for every notebook (the measured minutes then describe it)")
    parser.add_argument("--skip-student-run", action="store_true",
                        help="do not execute the student copies afterwards")
    parser.add_argument("--keep-student-runs", default=None, metavar="DIR",
                        help="keep the executed student copies in DIR (what learners see with every stub unfilled)")
    parser.add_argument("--notebooks-dir", default=None, metavar="DIR",
                        help="folder of the numbered notebooks (default: notebooks/ of this project)")
    args = parser.parse_args(argv)
    params = parameters(args)
    folder = _folder_option(args.notebooks_dir, "--notebooks-dir")
    keep = Path(args.keep_student_runs).resolve() if args.keep_student_runs else None
    try:
        report = build_kit(_output_folder(args.output_dir, DEFAULT_OUTPUT), params, notebooks_folder=folder,
                           student_run=not args.skip_student_run, student_run_dir=keep)
    except KeyboardInterrupt:
        raise Interrupted("interrupted (Ctrl-C); the notebook's kernel was stopped and the kit is incomplete; "
                          "run the command again") from None
    print("\n".join(report.summary_lines()))
    return EXIT_OK


def student(argv: list[str]) -> int:
    """``student [--output-dir DIR]``: write the student edition, keep what is there."""
    from tutorial_lib.paths import message_path

    from .workshop.edition import STUDENT_DIR, edition_message, write_student_edition

    parser = _parser("student", "Write the student edition (the notebooks with the answers left to write) into "
                                "student/ of the course folder; a notebook already there is kept (delete it to get "
                                "a fresh copy).")
    parser.add_argument("--output-dir", default=None, metavar="DIR",
                        help=f"another folder for the notebooks (default: {STUDENT_DIR}/ in the course folder)")
    args = parser.parse_args(argv)
    folder = _output_folder(args.output_dir, STUDENT_DIR)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{message_path(folder)} is a file; choose a folder with --output-dir")
    written, kept = write_student_edition(folder)
    if not written and not kept:
        raise Failure("no numbered notebooks (NN_name.ipynb) in the course's notebooks/ folder")
    print(edition_message(folder, written, kept))
    return EXIT_OK


def predict(argv: list[str]) -> int:
    """``predict --model FILE [--json] [--device DEVICE] TEXT...``: classify texts with a saved bundle (notebook 08).

    The lesson's :func:`tutorial_lib.prediction.predict_sentiment` answers; this command reads the texts
    and prints its answers.

    Plain output: a header line naming the columns, then one line per text, ``label  p_<label>...  text``
    (one probability per label of the bundle, in its order: negative neutral positive for the
    course's model); on stderr, which model answers (:func:`describe_model`) and a warning for
    each text without a word the model knows; ``--json`` prints a JSON list of ``{text, label,
    probabilities}``. A missing or incompatible model file or an unavailable device is the lesson's
    error: one ``error:`` line, exit status 2.
    """
    import json
    import sys

    from tutorial_lib.checkpoint import load_bundle
    from tutorial_lib.prediction import predict_sentiment

    parser = _parser("predict", "Classify texts with a saved model bundle (its own labels: negative / neutral / "
                                "positive for the course's model).")
    parser.add_argument("--model", required=True, help="path of a bundle written by save_bundle (model.pt)")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of lines")
    parser.add_argument("--device", default="cpu", help="auto, cpu, cuda or mps (default: cpu)")
    parser.add_argument("texts", nargs="+", metavar="TEXT", help="texts to classify; '-' reads lines from stdin")
    args = parser.parse_args(argv)
    texts: list[str] = []
    for text in args.texts:
        if text == "-":
            texts.extend(line.rstrip("\n") for line in sys.stdin)
        else:
            texts.append(text)
    bundle = load_bundle(args.model, map_location="cpu")
    results = predict_sentiment(texts, bundle, device=args.device)
    print(describe_model(bundle), file=sys.stderr)
    for number, r in enumerate(results, 1):
        if r["known_words"] == 0:
            print(f"warning: text {number} ({r['text'][:40]!r}) has no word the model knows (empty, only links or "
                  "mentions, or unknown words): its label is the model's answer to an empty text", file=sys.stderr)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print("\n".join(plain_lines(results, bundle.labels)))
    return EXIT_OK


def plain_lines(results: list[dict[str, Any]], labels: tuple[str, ...]) -> list[str]:
    """Return the plain output of ``predict``: a header naming the classes, then ``label  p...  text`` per text."""
    width = max(8, *(len(label) for label in labels))
    columns = [max(5, len(f"p_{label}")) for label in labels]
    header = "  ".join(f"{f'p_{label}':>{w}}" for label, w in zip(labels, columns, strict=True))
    lines = [f"{'label':<{width}}  {header}  text"]
    for r in results:
        probs = "  ".join(f"{r['probabilities'][label]:>{w}.3f}" for label, w in zip(labels, columns, strict=True))
        lines.append(f"{r['label']:<{width}}  {probs}  {r['text']}")
    return lines


def describe_model(bundle: Bundle) -> str:
    """Return one line saying which model answers: its file, when it was saved, its training and its test score.

    The test score comes from the ``metrics.json`` beside the file only when that file describes this
    very model (:func:`tutorial_lib.stages.results_for_model`); otherwise the line says why there is none.
    """
    from tutorial_lib.paths import message_path
    from tutorial_lib.stages import results_for_model

    parts = [f"saved {bundle.saved_at.replace('T', ' ').replace('+00:00', ' UTC')}"] if bundle.saved_at else []
    history = bundle.history or {}
    best = history.get("best_epoch")
    if best:
        parts.append(f"{len(history.get('val_macro_f1', []))} epochs, weights of epoch {best}, validation macro-F1 "
                     f"{history['val_macro_f1'][best - 1]:.3f}")
    metrics, why = results_for_model(bundle.path) if bundle.path is not None else (None, "")
    if metrics is not None and "macro_f1" in metrics:
        parts.append(f"test macro-F1 {metrics['macro_f1']:.3f} (metrics.json)")
    elif why:
        parts.append(why)
    where = message_path(bundle.path) if bundle.path is not None else "a bundle"
    return f"model: {where}" + (f" ({'; '.join(parts)})" if parts else "")
