"""Benchmark `stance score` and `stance track` against the floor of their parts.

One run measures, on the same corpus, side by side:

- **floor**: the bare cost of the parts on all cores: reading the JSONL input, nltk
  Punkt segmentation (the shipped parameters) and the model's ``predict_proba`` on the
  same sentences, in one worker process per core that loads the model once and
  classifies large batches. Nothing else: no boilerplate rules, attribution, dates or
  output;
- **score**: ``stance score CORPUS -o out.csv --jobs N`` end to end;
- **track**: ``stance track CORPUS -o ledger --jobs N`` end to end (it scores too);

each in a fresh process, at two corpus sizes ten times apart, reporting sentences per
second, the ratio to the floor and the peak resident set size of the process tree (the
main process plus its largest worker). Each is run ``--repeat`` times, interleaved, and
the fastest run is kept: on a shared machine the slower runs measure the neighbours.
Last, a table of CPU seconds per stage of ``score``'s work (one process) shows where
the time beyond the floor goes; its "(all)" row runs the stages together, batch by
batch, as a worker does, so the gap to the sum of the stages shows what interleaving
them and building the rows cost.

The corpus is built from the project's own labelled articles (each group of
labelled/sentences.csv becomes an article with a headline, a dateline and paragraphs;
the corpus cycles through them with dates spread over a year), or taken from
``--corpus`` (a JSONL file of articles; the small size is its first tenth).

    python benchmarks/bench.py                          # 300 and 3,000 articles, all cores
    python benchmarks/bench.py --sizes 1000 10000 --jobs 2
    python benchmarks/bench.py --corpus my-articles.jsonl

Writes the table to benchmarks/results.md with the machine's core count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_MAXRSS = ("import resource, sys; sys.stderr.write('MAXRSS %d\\n' % (resource.getrusage("
           "resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN)"
           ".ru_maxrss))")


def build_corpus(path: Path, n_articles: int) -> None:
    """Write *n_articles* JSONL articles made from the team's labelled articles."""
    import pandas as pd

    data = pd.read_csv(REPO / "labelled" / "sentences.csv")
    bodies = []
    for group, g in data.groupby("group", sort=True):
        sentences = g["text"].tolist()
        paragraphs = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
        bodies.append((str(group), paragraphs))
    start = dt.date(2026, 1, 1)
    with open(path, "w", encoding="utf-8") as fh:
        for i, (group, paragraphs) in zip(range(n_articles), itertools.cycle(bodies)):
            day = start + dt.timedelta(days=i % 365)
            dateline = f"PORT ARDELL, {day:%B} {day.day}, {day.year} (Examplewire) - "
            text = "\n\n".join([dateline + paragraphs[0], *paragraphs[1:]])
            fh.write(json.dumps({"id": f"a{i}", "title": f"Story {group}", "date":
                                 day.isoformat(), "text": text}) + "\n")


def take(source: Path, path: Path, n_articles: int) -> None:
    """The first *n_articles* records of a JSONL corpus."""
    with open(source, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
        for line in itertools.islice(src, n_articles):
            out.write(line)


def _floor_worker(lines: list[str]) -> int:
    import json as _json

    from stance.segment import tokenizer

    punkt = tokenizer()
    sentences = []
    for line in lines:
        text = _json.loads(line)["text"]
        sentences += [text[a:b] for a, b in punkt.span_tokenize(text)]
    if sentences:
        _MODEL.predict_proba(sentences)
    return len(sentences)


_MODEL = None


def _floor_init() -> None:
    global _MODEL
    from stance import load_model

    _MODEL = load_model()


def floor(corpus: str, jobs: int) -> int:
    """The parts alone, on *jobs* processes: read, segment, predict_proba. Returns the
    number of sentences."""
    import multiprocessing as mp

    def chunks():
        with open(corpus, encoding="utf-8") as fh:
            while batch := list(itertools.islice(fh, 64)):
                yield batch

    with mp.get_context("fork").Pool(jobs, initializer=_floor_init) as pool:
        return sum(pool.imap(_floor_worker, chunks()))


def stages(corpus: Path) -> list[tuple[str, float]]:
    """CPU seconds of each stage of ``stance score``'s work on *corpus*, in one process
    (no workers, no output): where the time beyond the floor goes."""
    import datetime as _dt

    from stance import dates, load_model
    from stance.attribute import attribute_article
    from stance.ingest import read_articles
    from stance.score import BATCH, _dateline_date, _score, _segment
    from stance.segment import tokenizer

    model, punkt = load_model(), tokenizer()
    clock = time.process_time
    t = clock()
    articles = [a for a in read_articles([str(corpus)], english=False)]
    out = [("read JSONL into articles", clock() - t)]
    t = clock()
    for a in articles:
        list(punkt.span_tokenize(a.text))
    out.append(("(floor) Punkt on whole texts", clock() - t))
    t = clock()
    segmented = [_segment(a, True)[0] for a in articles]
    out.append(("segment: line checks, datelines, Punkt, quotes", clock() - t))
    t = clock()
    labels = []
    for i in range(0, len(segmented), BATCH):
        texts = [s.text for ss in segmented[i:i + BATCH] for s in ss]
        if texts:
            proba = model.predict_proba(texts)
            labels += [model.classes_[k] for k in proba.argmax(axis=1)]
    out.append(("classify: predict_proba", clock() - t))
    t = clock()
    k = 0
    for ss in segmented:
        attribute_article([s.text for s in ss], labels[k:k + len(ss)])
        k += len(ss)
    out.append(("attribute: speakers, outlets, claims", clock() - t))
    t = clock()
    for a, ss in zip(articles, segmented, strict=True):
        anchor = dates.article_date(a.date, _dateline_date(a.text)) or _dt.date(2026, 1, 1)
        for sentence in ss:
            dates.event_date(sentence.text, anchor)
    out.append(("dates", clock() - t))
    t = clock()
    for i in range(0, len(articles), BATCH):
        _score(articles[i:i + BATCH], model, True)
    out.append(("(all) the same work batch by batch, rows built, as a worker does it",
                clock() - t))
    return out


def _run(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False, cwd=REPO)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(args[:4])} failed: {done.stderr[-2000:]}")
    return seconds, done.stderr


def measure(kind: str, corpus: Path, out: Path, jobs: int) -> tuple[float, int, float]:
    """(seconds, sentences, peak RSS MiB) of one run of *kind* in a fresh process."""
    if kind == "floor":
        code = ("import sys; sys.path.insert(0, 'benchmarks'); import bench; "
                f"n = bench.floor({str(corpus)!r}, {jobs}); "
                "sys.stderr.write('SENTENCES %d\\n' % n); " + _MAXRSS)
        seconds, err = _run([sys.executable, "-c", code])
        sentences = int(re.search(r"SENTENCES (\d+)", err).group(1))
    else:
        target = ["-o", str(out)] + (["--show", "0"] if kind == "track" else [])
        code = ("import sys; from stance import cli; rc = cli.main(sys.argv[1:]); "
                + _MAXRSS + "; cli.finish(rc)")  # as the `stance` command ends
        seconds, err = _run([sys.executable, "-c", code, kind, str(corpus), *target,
                             "--jobs", str(jobs)])
        sentences = int(re.search(r"\((\d+) sentences\)", err).group(1))
    peak = int(err.rsplit("MAXRSS ", 1)[1].split()[0]) / 1024
    return seconds, sentences, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs=2, default=[300, 3000],
                    help="corpus sizes in articles (default: 300 3000)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="processes (default: all cores)")
    ap.add_argument("--corpus", type=Path, help="a JSONL corpus to use instead")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each measurement, the fastest kept (default: 3)")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            corpus = Path(tmp) / f"corpus-{size}.jsonl"
            (take(args.corpus, corpus, size) if args.corpus else build_corpus(corpus, size))
            # runs interleave (floor, score, track, floor, ...) so drift in the machine's
            # speed touches all three alike; each keeps its fastest run (the others only
            # saw more noise) and its largest peak memory
            kinds = ("floor", "score", "track")
            runs: dict[str, list] = {kind: [] for kind in kinds}
            for _, kind in itertools.product(range(args.repeat), kinds):
                out = Path(tmp) / (f"out-{size}.csv" if kind == "score" else f"ledger-{size}")
                runs[kind].append(measure(kind, corpus, out, args.jobs))
            floor_rate = None
            for kind in kinds:
                seconds = min(r[0] for r in runs[kind])
                sentences, peak = runs[kind][0][1], max(r[2] for r in runs[kind])
                rate = sentences / seconds
                floor_rate = floor_rate or rate
                results.append((size, kind, sentences, seconds, rate, rate / floor_rate, peak))
                print(f"{size:>7} articles {kind:<6} {sentences:>8} sentences {seconds:7.1f} s "
                      f"{rate:8.0f} sentences/s ({rate / floor_rate:4.0%} of floor)  "
                      f"peak RSS {peak:7.1f} MiB", flush=True)
        breakdown = stages(corpus)
    by = {(size, kind): r for size, kind, *r in results}
    small, large = args.sizes
    command = f"python benchmarks/bench.py --sizes {small} {large} --jobs {args.jobs}"
    command += f" --repeat {args.repeat}" if args.repeat != 3 else ""
    command += f" --corpus {args.corpus}" if args.corpus else ""
    lines = [
        "# `stance` benchmark: score and track against the floor of their parts",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.machine()}; `--jobs {args.jobs}`. Reproduce: `{command}`.",
        "",
        "The floor is reading the input, Punkt segmentation and `predict_proba` alone, on "
        "the same cores (see the script's docstring). Times are wall clock of a fresh "
        f"process, model loading included, the fastest of {args.repeat} interleaved runs.",
        "",
        "| articles | run | sentences | seconds | sentences/s | of floor | peak RSS (MiB) |",
        "|---:|---|---:|---:|---:|---:|---:|",
        *[f"| {size:,} | {kind} | {n:,} | {s:.1f} | {rate:,.0f} | {ratio:.0%} | {peak:.1f} |"
          for size, kind, n, s, rate, ratio, peak in results],
        "",
    ]
    for kind in ("score", "track"):
        growth = (by[(large, kind)][4] / by[(small, kind)][4] - 1) * 100
        lines.append(f"- `stance {kind}`: {by[(large, kind)][3]:.0%} of the floor's rate at "
                     f"{large:,} articles; peak memory {growth:+.1f}% for a "
                     f"{large / small:.0f}x larger corpus.")
    lines.append(f"- `stance track` takes {by[(large, 'track')][1] / by[(large, 'score')][1]:.2f}x "
                 f"the time of `stance score` on the same {large:,} articles.")
    total = sum(sec for name, sec in breakdown if not name.startswith("("))
    lines += [
        "",
        f"Where `stance score`'s work goes: CPU seconds of each stage on the {large:,} "
        "articles in one process (no workers, no output):",
        "",
        "| stage | CPU s | share |",
        "|---|---:|---:|",
        *[f"| {name} | {sec:.2f} | {'' if name.startswith('(') else f'{sec / total:.0%}'} |"
          for name, sec in breakdown],
        "",
    ]
    (REPO / "benchmarks" / "results.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[-(len(breakdown) + 12):]))


if __name__ == "__main__":
    main()
