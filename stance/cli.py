"""The ``stance`` command line: parse arguments, call the API, write results.

Data goes to standard output, messages to standard error. A :class:`StanceError`
becomes one ``Error: ...`` line and exit status 1; usage errors exit 2; a traceback
is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import logging
import os
import shutil
import sys
import textwrap
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

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
    "outcomes list": "stance outcomes list ledger -o ledger/outcomes.csv",
    "outcomes check": "stance outcomes check ledger examples/outcomes.csv",
    "outcomes import": "stance outcomes import ledger reviews.jsonld -o outcomes.csv",
    "reliability": "stance reliability ledger --outcomes examples/outcomes.csv",
    "report": "stance report ledger -o report.html --outcomes examples/outcomes.csv",
    "export": "stance export ledger --claimreview --outcomes examples/outcomes.csv "
              "-o claims.jsonld",
}

TRUST_HELP = ("load --model even if its SHA-256 does not match its card (a model file "
              "can run code when loaded: only for files you trust)")

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
    model = clf.load_model(args.model, trust=args.trust_model)
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
    model = clf.load_model(args.model, trust=args.trust_model)
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
    import functools
    import os

    from tqdm.auto import tqdm

    from stance.ingest import read_articles
    from stance.output import encode_rows, write_encoded, write_rows
    from stance.score import COLUMN_TYPES, COLUMNS, Summary, output_format, score_encoded

    fmt = output_format(args.output, args.format)
    if args.resume and (args.engine == "dask" or not args.output):
        raise StanceError("--resume needs -o FILE and the local engine")
    jobs = args.jobs if args.jobs and args.jobs > 0 else (os.cpu_count() or 1)
    records = tqdm(read_articles(args.inputs, english=False), desc="scoring", unit=" records",
                   file=sys.stderr, disable=None, leave=False)
    summary = Summary()
    if args.engine == "dask":
        from stance.dask_engine import score_articles_dask

        rows = score_articles_dask(args.inputs, model_path=args.model,
                                   scheduler=args.scheduler, summary=summary,
                                   workers=args.jobs or None, trust_model=args.trust_model)
        write_rows(rows, args.output, fmt, COLUMNS, COLUMN_TYPES)
    elif args.scheduler:
        raise StanceError("--scheduler needs --engine dask")
    elif args.output:  # checkpointed, so that --resume can finish a killed run
        from stance.resume import score_to_file

        notes: list[str] = []
        score_to_file(args.inputs, args.output, fmt, COLUMNS, COLUMN_TYPES,
                      resume=args.resume, jobs=jobs, model_path=args.model,
                      trust_model=args.trust_model, summary=summary, notes=notes)
        for note in notes:
            _err(note)
    else:  # the workers write the rows out: this process only prints them
        encode = functools.partial(encode_rows, fmt=fmt, columns=COLUMNS)
        write_encoded(score_encoded(records, encode, model_path=args.model, jobs=jobs,
                                    summary=summary, check_english=True,
                                    trust_model=args.trust_model), fmt, COLUMNS)
    for line in summary.lines():
        _err(line)
    if args.output:
        _err(f"wrote {args.output}")
    return EXIT_REJECTED if summary.rejected else 0


def cmd_track(args: argparse.Namespace) -> int:
    import os

    from stance.ledger import TrackSummary, claim_rows, claims_table, update

    jobs = args.jobs if args.jobs and args.jobs > 0 else (os.cpu_count() or 1)
    summary = TrackSummary()
    tracked = update(args.inputs, args.output, model_path=args.model, jobs=jobs,
                     threshold=args.threshold, window_days=args.window_days, fmt=args.format,
                     summary=summary, trust_model=args.trust_model)
    for line in summary.lines():
        _err(line)
    width = shutil.get_terminal_size((110, 24)).columns
    for line in claims_table(claim_rows(args.output), width=width, limit=args.show):
        print(line)
    sys.stdout.flush()
    _err(f"wrote {args.output}: {tracked.claims} claim(s), {tracked.reports} report "
         f"mention(s), {tracked.responses} response(s) ({tracked.linked} linked to a report)")
    return EXIT_REJECTED if summary.rejected or summary.scoring.rejected else 0


def _outcomes(args: argparse.Namespace, ledger) -> dict:
    """The outcomes of --outcomes, else of LEDGER/outcomes.csv when there is one; a file
    with problems is refused, each problem printed with its line."""
    from stance import outcomes as oc
    from stance.errors import DataError

    path = args.outcomes
    if path is None:
        default = Path(args.ledger) / "outcomes.csv"
        path = str(default) if default.is_file() else None
    try:
        return oc.read(path, ledger)
    except DataError as exc:
        for problem in exc.problems:
            _err(str(problem))
        raise StanceError(f"{path}: {len(exc.problems)} problem(s); nothing written "
                          f"(`stance outcomes check` lists them)") from None


def cmd_outcomes_list(args: argparse.Namespace) -> int:
    from stance import ledger as ledger_mod
    from stance import outcomes as oc
    from stance.output import write_rows

    ledger = ledger_mod.read(args.ledger)
    known = _outcomes(args, ledger)
    rows = oc.unresolved(ledger, known)
    columns = [*oc.COLUMNS, "status", "outlets", "summary"]
    if args.output and Path(args.output).exists() and not args.force:
        raise StanceError(f"{args.output} exists; pass --force to overwrite it")
    write_rows(rows, args.output, "csv", columns)
    _err(f"{len(rows)} reported claim(s) without an outcome"
         + (f"; wrote {args.output}: fill in 'outcome' (confirmed, refuted, unresolved), "
            "'date' and 'evidence'" if args.output else ""))
    return 0


def cmd_outcomes_check(args: argparse.Namespace) -> int:
    from stance import ledger as ledger_mod
    from stance import outcomes as oc

    ledger = ledger_mod.read(args.ledger)
    found, problems = oc.check(args.outcomes_file, ledger)
    for problem in problems:
        print(problem)
    counts = {o: sum(v.outcome == o for v in found.values()) for o in oc.OUTCOMES}
    _err(f"{args.outcomes_file}: {len(found)} valid outcome(s) "
         f"({', '.join(f'{n} {o}' for o, n in counts.items())}), {len(problems)} error(s)")
    return 1 if problems else 0


def cmd_outcomes_import(args: argparse.Namespace) -> int:
    from stance import ledger as ledger_mod
    from stance import outcomes as oc
    from stance.output import write_rows

    ledger = ledger_mod.read(args.ledger)
    rows = oc.from_claimreview(args.reviews, ledger, min_match=args.min_match)
    columns = [*oc.COLUMNS, "match_score", "best_match", "claim_reviewed"]
    write_rows(rows, args.output, "csv", columns)
    weak = [r for r in rows if r["claim_id"] is None]
    _err(f"{len(rows)} ClaimReview(s) read; {len(rows) - len(weak)} matched a claim at "
         f"{args.min_match} or more (check match_score), {len(weak)} left without a "
         "claim_id for you to decide" + (f"; wrote {args.output}" if args.output else ""))
    return 0


def cmd_reliability(args: argparse.Namespace) -> int:
    from stance import ledger as ledger_mod
    from stance import reliability as rl
    from stance.output import write_rows

    ledger = ledger_mod.read(args.ledger)
    known = _outcomes(args, ledger)
    result = rl.reliability(ledger, known, prior=tuple(args.prior), level=args.level,
                            period=args.period)
    out_dir = Path(args.output or args.ledger)
    suffix = args.format
    written = []
    for name, frame in (("outlets", result.outlets), ("officials", result.officials),
                        ("periods", result.periods)):
        path = out_dir / f"reliability_{name}.{suffix}"
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        types = {c: ("int64" if pd_kind == "i" else "double" if pd_kind == "f" else "string")
                 for c, pd_kind in ((c, frame[c].dtype.kind) for c in frame.columns)}
        write_rows(records, str(path), suffix, list(frame.columns), types)
        written.append(str(path))
    width = shutil.get_terminal_size((110, 24)).columns
    print(f"Outlets: chance a report is borne out ({len(known)} outcome(s) recorded; "
          f"prior Beta({args.prior[0]:g}, {args.prior[1]:g}), {args.level:.0%} interval)")
    for line in rl.table(result.outlets, "outlet", "claims", width=width):
        print(line)
    print()
    print("Official sources: chance a denial holds up")
    for line in rl.table(result.officials, "source", "responses", width=width):
        print(line)
    sys.stdout.flush()
    _err("wrote " + ", ".join(written))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from stance import classify as clf
    from stance import ledger as ledger_mod
    from stance import reliability as rl
    from stance._atomic import atomic_write
    from stance.report import render

    ledger = ledger_mod.read(args.ledger)
    known = _outcomes(args, ledger)
    result = rl.reliability(ledger, known, prior=tuple(args.prior))
    card = clf.load_card(args.model or clf.default_model_path())
    page = render(ledger, result, known, card, title=args.title)
    with atomic_write(args.output, "w", encoding="utf-8") as fh:
        fh.write(page)
    _err(f"wrote {args.output} ({len(page) // 1024} KiB, {len(ledger.claims)} claim(s))")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from stance import ledger as ledger_mod
    from stance import outcomes as oc
    from stance._atomic import atomic_write

    if not args.claimreview:
        raise StanceError("choose an export format: --claimreview")
    ledger = ledger_mod.read(args.ledger)
    known = _outcomes(args, ledger)
    reviews = oc.to_claimreview(ledger, known, author=args.author)
    text = json.dumps(reviews, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        with atomic_write(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
        _err(f"wrote {len(reviews)} ClaimReview(s) to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


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
    ev.add_argument("--trust-model", action="store_true", help=TRUST_HELP)
    ev.add_argument("--json", action="store_true", help="print the metrics as JSON")
    ev.set_defaults(func=cmd_evaluate)

    pr = sub.add_parser(
        "predict", help="classify sentences", formatter_class=fmt,
        description="Classify the given sentences, or one sentence per line from standard "
                    "input when none are given.", epilog=_epilog("predict"))
    pr.add_argument("text", nargs="*", help="sentences to classify")
    pr.add_argument("--model", help="model file (default: the shipped model)")
    pr.add_argument("--trust-model", action="store_true", help=TRUST_HELP)
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
    sc.add_argument("--trust-model", action="store_true", help=TRUST_HELP)
    sc.add_argument("--resume", action="store_true",
                    help="finish a run of the same command that was killed (the output is "
                         "checkpointed as it is written)")
    sc.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="local processes, or a Dask cluster (needs the [dask] extra); "
                         "default: %(default)s")
    sc.add_argument("--scheduler", metavar="ADDRESS",
                    help="with --engine dask: the scheduler to connect to (tcp://host:8786); "
                         "default: start a local cluster with --jobs workers")
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
    tr.add_argument("--jobs", type=int, default=0, help="worker processes for scoring, "
                    "linking and grouping (default: all cores; the ledger is the same)")
    tr.add_argument("--model", help="model file (default: the shipped model)")
    tr.add_argument("--trust-model", action="store_true", help=TRUST_HELP)
    tr.set_defaults(func=cmd_track)

    def ledger_args(p: argparse.ArgumentParser, outcomes: bool = True) -> None:
        p.add_argument("ledger", metavar="LEDGER_DIR", help="a ledger written by stance track")
        if outcomes:
            p.add_argument("--outcomes", metavar="CSV",
                           help="how claims resolved (default: LEDGER_DIR/outcomes.csv if "
                                "present)")

    def prior_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--prior", nargs=2, type=float, default=[1.0, 1.0], metavar=("A", "B"),
                       help="Beta prior of every estimate (default: 1 1, uniform)")

    oc_p = sub.add_parser("outcomes", help="record how claims resolved")
    oc_sub = oc_p.add_subparsers(dest="outcomes_command", metavar="SUBCOMMAND")
    ol = oc_sub.add_parser(
        "list", help="list reported claims without an outcome", formatter_class=fmt,
        description="Write the reported claims that have no outcome yet as an outcomes "
                    "CSV to fill in (claim_id, article_id, sentence, outcome, date, "
                    "evidence; plus status, outlets and summary to read).",
        epilog=_epilog("outcomes list"))
    ledger_args(ol)
    ol.add_argument("-o", "--output", help="CSV to write (default: standard output)")
    ol.add_argument("--force", action="store_true", help="overwrite -o if it exists")
    ol.set_defaults(func=cmd_outcomes_list)
    ocheck = oc_sub.add_parser(
        "check", help="validate an outcomes file", formatter_class=fmt,
        description="Check an outcomes CSV against a ledger: unknown claim ids or report "
                    "mentions, outcomes other than confirmed/refuted/unresolved, bad dates, "
                    "claims resolved twice. Each problem is printed as FILE:LINE: error: "
                    "...; exit 1 when there is any.", epilog=_epilog("outcomes check"))
    ledger_args(ocheck, outcomes=False)
    ocheck.add_argument("outcomes_file", metavar="OUTCOMES_CSV")
    ocheck.set_defaults(func=cmd_outcomes_check)
    oi = oc_sub.add_parser(
        "import", help="turn fact-checkers' ClaimReview JSON-LD into outcomes",
        formatter_class=fmt,
        description="Read schema.org ClaimReview JSON-LD (claimReviewed, itemReviewed, "
                    "reviewRating), match each review to the most similar ledger claim and "
                    "write outcome rows with the match score, for review. Reviews matching "
                    "no claim well enough get no claim_id (best_match holds the guess).",
        epilog=_epilog("outcomes import"))
    ledger_args(oi, outcomes=False)
    oi.add_argument("reviews", nargs="+", metavar="JSONLD", help="ClaimReview files")
    oi.add_argument("-o", "--output", help="CSV to write (default: standard output)")
    oi.add_argument("--min-match", type=float, default=0.3,
                    help="similarity needed to assign a claim (default: %(default)s)")
    oi.set_defaults(func=cmd_outcomes_import)

    rel = sub.add_parser(
        "reliability", help="how reliable each outlet and official has proved",
        formatter_class=fmt,
        description="Per outlet: claims reported, how officials answered them, how many "
                    "were borne out or refuted, and the chance a report is borne out (Beta "
                    "posterior mean and credible interval). Per official source (and "
                    "organisation): responses, denials that held or were contradicted, and "
                    "the chance a denial holds up. Per period: the same over time. Writes "
                    "reliability_{outlets,officials,periods}.csv (or .parquet) and prints "
                    "the tables sorted by evidence.", epilog=_epilog("reliability"))
    ledger_args(rel)
    rel.add_argument("-o", "--output", metavar="DIR", help="where to write the tables "
                     "(default: LEDGER_DIR)")
    rel.add_argument("--format", choices=("csv", "parquet"), default="csv",
                     help="table format (default: %(default)s)")
    rel.add_argument("--period", choices=("week", "month", "quarter", "year"), default="month",
                     help="period of the over-time table (default: %(default)s)")
    prior_arg(rel)
    rel.add_argument("--level", type=float, default=0.9,
                     help="credible interval (default: %(default)s)")
    rel.set_defaults(func=cmd_reliability)

    rep = sub.add_parser(
        "report", help="write a self-contained HTML report of a ledger", formatter_class=fmt,
        description="One HTML file (no network needed to view it): a timeline of claims, "
                    "the reliability of outlets and officials with intervals, a drill-down "
                    "per claim with the sentences and links behind it, and the model card.",
        epilog=_epilog("report"))
    ledger_args(rep)
    rep.add_argument("-o", "--output", required=True, help="the HTML file to write")
    rep.add_argument("--title", default="stance ledger report", help="the page title")
    rep.add_argument("--model", help="model whose card to describe (default: the shipped one)")
    prior_arg(rep)
    rep.set_defaults(func=cmd_report)

    ex = sub.add_parser(
        "export", help="export resolved claims (ClaimReview JSON-LD)", formatter_class=fmt,
        description="Write the claims with a confirmed or refuted outcome as schema.org "
                    "ClaimReview JSON-LD, the format fact-checkers publish.",
        epilog=_epilog("export"))
    ledger_args(ex)
    ex.add_argument("--claimreview", action="store_true", help="ClaimReview JSON-LD")
    ex.add_argument("-o", "--output", help="file to write (default: standard output)")
    ex.add_argument("--author", default="stance", help="the reviewing organisation's name")
    ex.set_defaults(func=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``stance`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        target = {"data": "data", "outcomes": "outcomes"}.get(args.command)
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


def finish(code: int) -> NoReturn:
    """End the process with *code* once everything is flushed, without tearing the
    interpreter down: freeing the model and the scientific stack object by object takes
    a quarter of a second that nobody waits for. Every output is already closed and in
    place when :func:`main` returns (files are written atomically, worker pools and
    Dask clusters are shut down by their ``with`` blocks)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to say
            stream.flush()
    os._exit(code)


def run() -> NoReturn:
    """The ``stance`` console command: :func:`main`, then :func:`finish`."""
    finish(main())


if __name__ == "__main__":  # pragma: no cover
    run()
