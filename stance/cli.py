"""The ``stance`` command line: parse arguments, call the API, write results.

Data goes to standard output, messages to standard error. A :class:`StanceError`
becomes one ``Error: ...`` line and exit status 1; usage errors exit 2; a traceback
is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import textwrap
import warnings
from collections.abc import Sequence
from pathlib import Path

from stance import __version__
from stance.errors import StanceError

EXAMPLES = {
    "data check": "stance data check labelled/sentences.csv",
    "data punkt": "stance data punkt labelled/sentences.csv -o stance/data/punkt.json",
    "train": "stance train labelled/sentences.csv -o models/stance-linear.joblib",
    "evaluate": "stance evaluate --data my-labelled.csv --json",
    "predict": 'stance predict "Peskov called the report a hoax."',
    "score": "stance score examples/articles -o scored.csv",
    "track": "stance track examples/articles -o ledger",
}

#: Exit status of a run that finished but rejected some input records.
EXIT_REJECTED = 3


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    _err(f"Warning: {message}")


def _epilog(command: str) -> str:
    return f"example:\n  {EXAMPLES[command]}"


# --------------------------------------------------------------------------- commands


def cmd_data_check(args: argparse.Namespace) -> int:
    from stance.dataset import EVALUATION_COLUMNS, TRAINING_COLUMNS, check_labelled

    required = EVALUATION_COLUMNS if args.no_group else TRAINING_COLUMNS
    frame, problems = check_labelled(args.path, required=required)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warns = len(problems) - errors
    summary = f"{args.path}: {len(frame)} valid row(s), {errors} error(s), {warns} warning(s)"
    if not errors and len(frame):
        counts = frame["label"].value_counts()
        summary += "; " + ", ".join(f"{lab} {n}" for lab, n in counts.items())
    _err(summary)
    return 1 if errors else 0


def cmd_data_punkt(args: argparse.Namespace) -> int:
    from stance import segment
    from stance._atomic import atomic_write
    from stance.dataset import read_labelled

    data = read_labelled(args.labelled)
    texts = segment.articles_from_labelled(data)
    params = segment.train_parameters(texts, segment.abbreviations())
    with atomic_write(args.output, "w", encoding="utf-8") as fh:
        json.dump(segment.parameters_to_json(params), fh, indent=0, sort_keys=True)
        fh.write("\n")
    _err(f"trained Punkt on {len(texts)} articles: {len(params.abbrev_types)} abbreviations, "
         f"{len(params.collocations)} collocations, {len(params.sent_starters)} sentence "
         f"starters; wrote {args.output}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from stance import classify as clf
    from stance.dataset import read_labelled

    data = read_labelled(args.labelled)
    _err(f"training on {len(data)} sentences in {data['group'].nunique()} groups "
         f"from {args.labelled} (seed {args.seed})")
    texts, labels, groups = data["text"].tolist(), data["label"].tolist(), data["group"].tolist()
    cv = None
    if args.folds > 1:
        cv = clf.cross_validate(texts, labels, groups, seed=args.seed, folds=args.folds)
        print(clf.format_metrics(cv, title=f"grouped stratified {args.folds}-fold "
                                 "cross-validation (whole groups held out)"))
    _err("fitting the final model on all sentences ...")
    model = clf.fit(texts, labels, seed=args.seed)
    card = clf.make_card(data, args.labelled, args.seed, cv)
    card_file = clf.save_model(model, args.output, card)
    _err(f"wrote {args.output} and {card_file}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from stance import classify as clf
    from stance.dataset import EVALUATION_COLUMNS, read_labelled

    data = read_labelled(args.data, required=EVALUATION_COLUMNS, duplicates="warning")
    model = clf.load_model(args.model)
    scored = clf.classify_sentences(data["text"].tolist(), model)
    m = clf.metrics(data["label"].tolist(), scored["stance"].tolist(), scored["confidence"])
    m["data"] = str(args.data)
    m["model"] = str(args.model or clf.default_model_path())
    if args.json:
        print(json.dumps(m, indent=2))
    else:
        print(clf.format_metrics(m, title=f"{args.data} ({len(data)} sentences), "
                                 f"model {Path(m['model']).name}"))
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from stance import classify as clf
    from stance.labels import LABELS

    texts = list(args.text)
    if not texts:
        if sys.stdin is None or sys.stdin.isatty():
            raise StanceError("no sentences given: pass them as arguments or one per line "
                              "on standard input")
        texts = [line.rstrip("\r\n") for line in sys.stdin]
        texts = [t for t in texts if t.strip()]
    model = clf.load_model(args.model)
    frame = clf.classify_sentences(texts, model)
    order = {lab: i for i, lab in enumerate(LABELS)}  # priority order reads best
    labels = sorted(model.classes_, key=lambda c: order.get(c, len(order)))
    explanations = clf.explain(texts, model) if args.explain else None
    out = sys.stdout
    if args.format == "jsonl":
        for i, row in enumerate(frame.itertuples(index=False)):
            rec = {"text": row.text, "stance": row.stance, "confidence": row.confidence,
                   "probabilities": {lab: float(frame.at[i, f"p_{lab}"]) for lab in labels}}
            if explanations is not None:
                rec["explanation"] = [{"feature": f, "weight": w} for f, w in explanations[i]]
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        head = ["text", "stance", "confidence", *[f"p_{lab}" for lab in labels]]
        writer.writerow([*head, "explanation"] if explanations is not None else head)
        for i, row in enumerate(frame[head].itertuples(index=False)):
            extra = ["; ".join(f for f, _ in explanations[i])] if explanations is not None else []
            writer.writerow([*row, *extra])
    else:
        width = shutil.get_terminal_size((100, 20)).columns
        text_width = max(30, width - 32)
        out.write(f"{'stance':<16} {'conf':>5}  text\n")
        for i, row in enumerate(frame.itertuples(index=False)):
            shown = textwrap.shorten(row.text, text_width, placeholder=" ...")
            out.write(f"{row.stance:<16} {row.confidence:>5.2f}  {shown}\n")
            if explanations is not None and explanations[i]:
                feats = ", ".join(f"{f!r} {w:+.2f}" for f, w in explanations[i])
                out.write(f"{'':<23}because: {feats}\n")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    import os

    from tqdm.auto import tqdm

    from stance.ingest import read_articles
    from stance.output import write_rows
    from stance.score import COLUMN_TYPES, COLUMNS, Summary, output_format, score_articles

    fmt = output_format(args.output, args.format)
    jobs = args.jobs if args.jobs and args.jobs > 0 else (os.cpu_count() or 1)
    records = tqdm(read_articles(args.inputs), desc="scoring", unit=" records",
                   file=sys.stderr, disable=None, leave=False)
    summary = Summary()
    rows = score_articles(records, model_path=args.model, jobs=jobs, summary=summary)
    write_rows(rows, args.output, fmt, COLUMNS, COLUMN_TYPES)
    for line in summary.lines():
        _err(line)
    if args.output:
        _err(f"wrote {args.output}")
    return EXIT_REJECTED if summary.rejected else 0


def cmd_track(args: argparse.Namespace) -> int:
    import os

    from stance.ledger import TrackSummary, claims_table, update

    jobs = args.jobs if args.jobs and args.jobs > 0 else (os.cpu_count() or 1)
    summary = TrackSummary()
    ledger = update(args.inputs, args.output, model_path=args.model, jobs=jobs,
                    threshold=args.threshold, window_days=args.window_days, fmt=args.format,
                    summary=summary)
    for line in summary.lines():
        _err(line)
    width = shutil.get_terminal_size((110, 24)).columns
    for line in claims_table(ledger.claims, width=width, limit=args.show):
        print(line)
    sys.stdout.flush()
    claims = ledger.claims
    linked = ledger.responses["links"].notna().sum()
    _err(f"wrote {args.output}: {len(claims)} claim(s), {len(ledger.reports)} report "
         f"mention(s), {len(ledger.responses)} response(s) ({linked} linked to a report)")
    return EXIT_REJECTED if summary.rejected or summary.scoring.rejected else 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``stance`` command."""
    parser = argparse.ArgumentParser(
        prog="stance",
        description="Track how official denials line up with what third parties report.",
    )
    parser.add_argument("--version", action="version", version=f"stance {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    fmt = argparse.RawDescriptionHelpFormatter

    data = sub.add_parser("data", help="work with labelled data")
    data_sub = data.add_subparsers(dest="data_command", metavar="SUBCOMMAND")
    check = data_sub.add_parser(
        "check", help="validate a labelled CSV", formatter_class=fmt,
        description="Validate a labelled CSV (text,label,group): unknown labels, empty text, "
                    "missing columns, duplicates, conflicting labels, encoding problems. "
                    "Each problem is printed with its line number; exit 1 on errors.",
        epilog=_epilog("data check"))
    check.add_argument("path", help="the labelled CSV")
    check.add_argument("--no-group", action="store_true",
                       help="do not require a group column (evaluation data)")
    check.set_defaults(func=cmd_data_check)
    punkt = data_sub.add_parser(
        "punkt", help="retrain the sentence splitter's parameters", formatter_class=fmt,
        description="Train nltk Punkt on the labelled articles (plus the abbreviation "
                    "lexicon) and write its parameters as JSON: the file the sentence "
                    "splitter ships with.", epilog=_epilog("data punkt"))
    punkt.add_argument("labelled", nargs="?", default="labelled/sentences.csv",
                       help="labelled CSV (default: %(default)s)")
    punkt.add_argument("-o", "--output", required=True, help="where to write the JSON")
    punkt.set_defaults(func=cmd_data_punkt)

    train = sub.add_parser(
        "train", help="train a classifier with grouped cross-validation", formatter_class=fmt,
        description="Cross-validate (whole groups held out), print per-class metrics and the "
                    "confusion matrix, then fit on all data and write MODEL and its card "
                    "(MODEL with .card.json).", epilog=_epilog("train"))
    train.add_argument("labelled", nargs="?", default="labelled/sentences.csv",
                       help="labelled CSV (default: %(default)s)")
    train.add_argument("-o", "--output", required=True, help="where to write the model")
    train.add_argument("--seed", type=int, default=13, help="random seed (default: %(default)s)")
    train.add_argument("--folds", type=int, default=5,
                       help="cross-validation folds; 0 or 1 skips it (default: %(default)s)")
    train.set_defaults(func=cmd_train)

    ev = sub.add_parser(
        "evaluate", help="score a model on a labelled CSV", formatter_class=fmt,
        description="Per-class precision/recall/F1, macro-F1 and the confusion matrix of a "
                    "model on any CSV with text and label columns (others are ignored).",
        epilog=_epilog("evaluate"))
    ev.add_argument("--data", required=True, help="labelled CSV (columns text,label)")
    ev.add_argument("--model", help="model file (default: the shipped model)")
    ev.add_argument("--json", action="store_true", help="print the metrics as JSON")
    ev.set_defaults(func=cmd_evaluate)

    pr = sub.add_parser(
        "predict", help="classify sentences", formatter_class=fmt,
        description="Classify the given sentences, or one sentence per line from standard "
                    "input when none are given.", epilog=_epilog("predict"))
    pr.add_argument("text", nargs="*", help="sentences to classify")
    pr.add_argument("--model", help="model file (default: the shipped model)")
    pr.add_argument("--format", choices=("table", "jsonl", "csv"), default="table",
                    help="output format (default: %(default)s)")
    pr.add_argument("--explain", action="store_true",
                    help="show the features that pushed each decision most")
    pr.set_defaults(func=cmd_predict)

    sc = sub.add_parser(
        "score", help="score articles sentence by sentence", formatter_class=fmt,
        description="Read articles (.txt, .jsonl, .csv files, directories, globs, or - for "
                    "standard input), split them into sentences and write one row per "
                    "sentence: stance, confidence, speaker, official flag, cited outlet, "
                    "claim, offsets. Exit status 3 when some records were rejected (each is "
                    "named in the closing summary).", epilog=_epilog("score"))
    sc.add_argument("inputs", nargs="+", metavar="PATH", help="files, directories, globs or -")
    sc.add_argument("-o", "--output", help="output file (.csv, .jsonl, .parquet); default: "
                    "JSONL on standard output")
    sc.add_argument("--format", choices=("csv", "jsonl", "parquet"),
                    help="output format (default: from the extension of -o)")
    sc.add_argument("--jobs", type=int, default=0,
                    help="worker processes (default: all cores)")
    sc.add_argument("--model", help="model file (default: the shipped model)")
    sc.set_defaults(func=cmd_score)

    from stance.track import DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS

    tr = sub.add_parser(
        "track", help="link responses to reports and group claims into a ledger",
        formatter_class=fmt,
        description="Score articles (or read `stance score` output: .csv/.jsonl/.parquet "
                    "files with article_id, sentence, text and stance columns), link each "
                    "denial, confirmation, no-comment, warning and reassurance to the report "
                    "it answers, group reports and responses about the same claim across "
                    "articles, and write the ledger to DIR: sentences, reports.csv, "
                    "responses.csv, claims.csv, ledger.json. Tracking into an existing ledger "
                    "adds the new articles to it; tracking the same articles again changes "
                    "nothing. Prints the claims. Exit status 3 when some records were "
                    "rejected.", epilog=_epilog("track"))
    tr.add_argument("inputs", nargs="+", metavar="PATH",
                    help="articles or scored sentences: files, directories, globs or -")
    tr.add_argument("-o", "--output", required=True, metavar="DIR",
                    help="ledger directory (created, or added to)")
    tr.add_argument("--format", choices=("csv", "jsonl", "parquet"),
                    help="format of DIR/sentences.* when the ledger is created "
                         "(default: csv)")
    tr.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                    help="claim similarity needed to group mentions across articles; "
                         "higher splits more (default: %(default)s)")
    tr.add_argument("--window-days", type=int, default=DEFAULT_WINDOW_DAYS,
                    help="mentions further apart in time are never one claim "
                         "(default: %(default)s)")
    tr.add_argument("--show", type=int, default=20,
                    help="claims to print (default: %(default)s)")
    tr.add_argument("--jobs", type=int, default=0, help="worker processes for scoring "
                    "(default: all cores)")
    tr.add_argument("--model", help="model file (default: the shipped model)")
    tr.set_defaults(func=cmd_track)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``stance`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        target = {"data": "data"}.get(args.command)
        parser.parse_args([target, "--help"] if target else ["--help"])
        return 2
    try:
        with warnings.catch_warnings():
            # one "Warning: ..." line on stderr, not Python's file:line dump
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            return int(args.func(args) or 0)
    except StanceError as exc:
        if args.debug:
            raise
        _err(f"Error: {exc}")
        return 1
    except KeyboardInterrupt:
        _err("Interrupted.")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
