"""Benchmark `stance score`: throughput and peak memory at two corpus sizes.

Builds JSONL corpora from the project's own labelled articles (each group of
labelled/sentences.csv becomes one article; the corpus cycles through them), runs
`stance score` on each in a fresh process and reports sentences per second and the peak
resident set size of that process tree. Memory should stay flat as the corpus grows
tenfold: scoring streams.

    python benchmarks/bench_score.py                 # 300 and 3,000 articles
    python benchmarks/bench_score.py --sizes 500 5000 --jobs 2

Writes the table to benchmarks/results.md (with the machine's core count).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent


def build_corpus(path: Path, n_articles: int) -> int:
    """Write *n_articles* JSONL articles; return the number of labelled sentences used."""
    data = pd.read_csv(REPO / "labelled" / "sentences.csv")
    articles = [" ".join(g["text"]) for _, g in data.groupby("group", sort=True)]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n_articles):
            text = articles[i % len(articles)]
            fh.write(json.dumps({"id": f"a{i}", "text": text, "date": "2026-11-20"}) + "\n")
    return n_articles


def run_score(corpus: Path, out: Path, jobs: int) -> tuple[float, int, int]:
    """Run `stance score` in a child process; return (seconds, rows, peak RSS in KiB).

    Peak RSS is the scoring process's own plus its largest worker's (with --jobs > 1).
    """
    code = ("import sys, resource; from stance.cli import main; rc = main(sys.argv[1:]); "
            "sys.stderr.write('MAXRSS %d\\n' % (resource.getrusage(resource.RUSAGE_SELF)"
            ".ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
            "sys.exit(rc)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "score", str(corpus), "-o", str(out),
                           "--jobs", str(jobs)], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"stance score failed: {done.stderr}")
    peak = int(done.stderr.rsplit("MAXRSS ", 1)[1].split()[0])
    rows = int(re.search(r"\((\d+) sentences\)", done.stderr).group(1))
    return seconds, rows, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs=2, default=[300, 3000])
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    rows_out = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            corpus = Path(tmp) / f"corpus-{size}.jsonl"
            build_corpus(corpus, size)
            seconds, rows, peak_kib = run_score(corpus, Path(tmp) / f"out-{size}.csv",
                                                args.jobs)
            rows_out.append((size, rows, seconds, rows / seconds, peak_kib / 1024))
            print(f"{size:>7} articles {rows:>8} sentences {seconds:7.1f} s "
                  f"{rows / seconds:8.0f} sentences/s  peak RSS {peak_kib / 1024:7.1f} MiB",
                  flush=True)
    small, large = rows_out[0], rows_out[-1]
    growth = (large[4] / small[4] - 1) * 100
    lines = [
        "# `stance score` benchmark",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.machine()}; `--jobs {args.jobs}`. "
        "Reproduce: `python benchmarks/bench_score.py"
        f" --sizes {' '.join(map(str, args.sizes))} --jobs {args.jobs}`.",
        "",
        "| articles | sentences | seconds | sentences/s | peak RSS (MiB) |",
        "|---:|---:|---:|---:|---:|",
        *[f"| {a:,} | {r:,} | {s:.1f} | {t:,.0f} | {m:.1f} |" for a, r, s, t, m in rows_out],
        "",
        f"Peak memory grows {growth:+.1f}% for a {large[0] / small[0]:.0f}x larger corpus.",
        "",
    ]
    (REPO / "benchmarks" / "results.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[-2:]))


if __name__ == "__main__":
    main()
