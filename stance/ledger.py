"""The ledger directory: what ``stance track`` writes, and how a new batch joins it.

::

    DIR/sentences.csv   every sentence tracked so far, as ``stance score`` writes it
                        (.csv, .jsonl or .parquet, chosen when the ledger is created)
    DIR/reports.csv     one row per report mention        (track.REPORT_COLUMNS)
    DIR/responses.csv   one row per response              (track.RESPONSE_COLUMNS)
    DIR/claims.csv      one row per claim                 (track.CLAIM_COLUMNS)
    DIR/ledger.json     the parameters and counts of the last run

Tracking into a directory that already holds a ledger adds the new articles to the
sentences kept there (an article tracked again replaces its earlier copy) and rebuilds
the tables from all of them, so new mentions join existing claims and re-running on
the same articles changes nothing. Every file is written beside its target and renamed
into place once all of them are complete.

Inputs are what ``stance score`` reads (articles are scored on the way) or what it
writes (a .csv, .jsonl or .parquet file of scored sentences, recognised by its
``article_id``, ``sentence`` and ``stance`` columns), so a large corpus is scored once
and tracked many times.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from stance import __version__
from stance._csv import records
from stance.errors import StanceError
from stance.ingest import Rejected, expand, read_articles
from stance.labels import LABELS
from stance.output import write_rows
from stance.score import COLUMN_TYPES, COLUMNS, Summary, score_articles
from stance.track import (
    CLAIM_COLUMNS,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    REPORT_COLUMNS,
    RESPONSE_COLUMNS,
    Ledger,
    Tracker,
)

SCORED_REQUIRED = ("article_id", "sentence", "text", "stance")
META = "ledger.json"


@dataclass
class TrackSummary:
    """Counts of a tracking run: what was read, kept from the ledger, and rejected."""

    articles: int = 0
    sentences: int = 0
    kept_articles: int = 0
    replaced_articles: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    scoring: Summary = field(default_factory=Summary)

    def lines(self) -> list[str]:
        out = [f"{self.articles} article(s) ({self.sentences} sentences) read, "
               f"{len(self.rejected) + len(self.scoring.rejected)} record(s) rejected"]
        if self.kept_articles or self.replaced_articles:
            out.append(f"  {self.kept_articles} article(s) kept from the ledger, "
                       f"{self.replaced_articles} replaced by their new copy")
        out += [f"  rejected {r}" for r in self.scoring.rejected + self.rejected]
        return out


# --------------------------------------------------------------------------- scored input


def _scored_header(path: Path) -> list[str] | None:
    """The columns of *path* if it is a file of scored sentences, else None."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
                header = next(csv.reader(fh), [])
        elif suffix == ".jsonl":
            with open(path, encoding="utf-8-sig", errors="replace") as fh:
                first = next((line for line in fh if line.strip()), "")
            obj = json.loads(first) if first else {}
            header = list(obj) if isinstance(obj, dict) else []
        elif suffix == ".parquet":
            import pyarrow.parquet as pq

            header = list(pq.ParquetFile(path).schema_arrow.names)
        else:
            return None
    except Exception:  # an unreadable file of any kind: the article reader says why
        return None
    return header if all(c in header for c in SCORED_REQUIRED) else None


def _row(fields: dict, source: str) -> dict | Rejected:
    """One scored row with its types restored (CSV gives strings), or why not."""
    row = {c: fields.get(c) for c in COLUMNS}
    for c in COLUMNS:
        value = row[c]
        if value == "" or (isinstance(value, float) and value != value):  # empty or NaN
            row[c] = None
    if not row["article_id"] or not row["text"]:
        return Rejected(source, "no article_id or no text")
    if row["stance"] not in LABELS:
        return Rejected(source, f"unknown stance {row['stance']!r}")
    try:
        row["sentence"] = int(row["sentence"])
        for c in ("start", "end"):
            row[c] = None if row[c] is None else int(row[c])
        row["confidence"] = None if row["confidence"] is None else float(row["confidence"])
    except (TypeError, ValueError):
        return Rejected(source, "sentence, start, end or confidence is not a number")
    official = row["speaker_official"]
    if isinstance(official, str):
        row["speaker_official"] = {"true": True, "false": False}.get(official.lower())
    row["article_id"] = str(row["article_id"])
    return row


def read_scored(path: Path) -> Iterator[dict | Rejected]:
    """Rows of a file of scored sentences, each bad record a :class:`Rejected`."""
    name, suffix = str(path), path.suffix.lower()
    if suffix == ".csv":
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            for start, fields, error in records(reader):
                source = f"{name}:{start}"
                if error is not None or len(fields) != len(header):
                    yield Rejected(source, f"malformed CSV ({error or 'wrong field count'})")
                    continue
                yield _row(dict(zip(header, fields, strict=True)), source)
    elif suffix == ".jsonl":
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    yield Rejected(f"{name}:{number}", f"invalid JSON ({exc})")
                    continue
                if not isinstance(obj, dict):
                    yield Rejected(f"{name}:{number}", "not a JSON object")
                    continue
                yield _row(obj, f"{name}:{number}")
    else:
        import pyarrow.parquet as pq

        number = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
            for fields in batch.to_pylist():
                number += 1
                yield _row(fields, f"{name}:row {number}")


def _articles(rows: Iterable[dict | Rejected], rejected: list[Rejected]) -> Iterator[list[dict]]:
    """Group consecutive rows into articles; rejects go to *rejected*."""
    current: list[dict] = []
    for row in rows:
        if isinstance(row, Rejected):
            rejected.append(row)
            continue
        if current and row["article_id"] != current[0]["article_id"]:
            yield current
            current = []
        current.append(row)
    if current:
        yield current


def scored_articles(inputs: Iterable[str], summary: TrackSummary, model_path: str | None = None,
                    jobs: int = 1, trust_model: bool = False) -> Iterator[list[dict]]:
    """Each input article's scored rows: files of scored sentences are read as they are,
    anything else is read and scored as ``stance score`` does."""
    raw: list[str] = []

    def flush() -> Iterator[list[dict]]:
        if raw:
            rows = score_articles(read_articles(list(raw), english=False),
                                  model_path=model_path, jobs=jobs, summary=summary.scoring,
                                  check_english=True, trust_model=trust_model)
            yield from _articles(rows, summary.rejected)
            raw.clear()

    for item in inputs:
        targets = [item] if item == "-" else list(expand([item]))
        for target in targets:
            if isinstance(target, Rejected):
                summary.rejected.append(target)
            elif target != "-" and _scored_header(target) is not None:
                yield from flush()
                yield from _articles(read_scored(target), summary.rejected)
            else:
                raw.append(str(target))
    yield from flush()


# --------------------------------------------------------------------------- ledger dir


@dataclass
class Tracked:
    """What a tracking run wrote: the ledger directory and the sizes of its tables."""

    directory: Path
    reports: int = 0
    responses: int = 0
    linked: int = 0  # responses linked to a report
    claims: int = 0


def _meta(directory: Path) -> dict | None:
    path = directory / META
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StanceError(f"{path}: not a readable ledger description ({exc})") from None


def update(inputs: Iterable[str], directory: str | os.PathLike, *, model_path: str | None = None,
           jobs: int = 1, threshold: float = DEFAULT_THRESHOLD,
           window_days: int = DEFAULT_WINDOW_DAYS, fmt: str | None = None,
           summary: TrackSummary | None = None, trust_model: bool = False) -> Tracked:
    """Track *inputs* into the ledger *directory* (created, or added to); return the
    counts of its tables (read them with :func:`read`, or :func:`claim_rows`)."""
    directory = Path(directory)
    summary = summary if summary is not None else TrackSummary()
    if directory.exists() and not directory.is_dir():
        raise StanceError(f"{directory}: exists and is not a directory")
    meta = _meta(directory) if directory.is_dir() else None
    if meta is not None:
        stored = meta.get("sentences_format", "csv")
        if fmt and fmt != stored:
            raise StanceError(f"{directory}: this ledger keeps its sentences as {stored}; "
                              f"omit --format or track into a new directory")
        fmt = stored
    fmt = fmt or "csv"
    sentences_name = f"sentences.{fmt}"
    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    try:
        tracked = _update(inputs, directory, meta, fmt, sentences_name, summary, model_path, jobs,
                         threshold, window_days, trust_model)
    except BaseException:
        if created:  # a failed first run leaves no empty ledger behind
            shutil.rmtree(directory, ignore_errors=True)
        raise
    return tracked


def _update(inputs, directory: Path, meta, fmt: str, sentences_name: str,
            summary: TrackSummary, model_path, jobs: int, threshold: float, window_days: int,
            trust_model: bool) -> Tracked:
    with tempfile.TemporaryDirectory(prefix=".stance-track-", dir=directory) as tmp, \
            Tracker(threshold, window_days, workdir=tmp, jobs=jobs) as tracker:
        tmp = Path(tmp)
        new_ids: set[str] = set()

        def new_articles() -> Iterator[list[dict]]:
            """The batch's articles, scored where needed; a repeated id is rejected."""
            for article in scored_articles(inputs, summary, model_path, jobs, trust_model):
                article_id = article[0]["article_id"]
                if article_id in new_ids:
                    summary.rejected.append(Rejected(
                        article_id, "article id seen earlier in this batch; kept the first"))
                    continue
                new_ids.add(article_id)
                summary.articles += 1
                summary.sentences += len(article)
                yield article

        def tracked(articles: Iterable[list[dict]]) -> Iterator[dict]:
            for article in articles:
                tracker.add_article(article)
                yield from article

        old = directory / sentences_name
        if meta is None or not old.is_file():
            # a new ledger: the batch goes straight to the sentences file
            write_rows(tracked(new_articles()), str(tmp / sentences_name), fmt, COLUMNS,
                       COLUMN_TYPES)
        else:
            # 1. the new batch spooled to disk (flat memory), its article ids noted;
            spool = tmp / "new.jsonl"
            with open(spool, "w", encoding="utf-8") as fh:
                for article in new_articles():
                    for row in article:
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")

            # 2. the ledger's sentences (minus articles tracked again), then the new ones
            def all_articles() -> Iterator[list[dict]]:
                for article in _articles(read_scored(old), []):
                    if article[0]["article_id"] in new_ids:
                        summary.replaced_articles += 1
                    else:
                        summary.kept_articles += 1
                        yield article
                with open(spool, encoding="utf-8") as fh:
                    yield from _articles((json.loads(line) for line in fh), [])

            write_rows(tracked(all_articles()), str(tmp / sentences_name), fmt, COLUMNS,
                       COLUMN_TYPES)
        tracked_ = Tracked(directory)

        def responses() -> Iterator[dict]:
            for row in tracker.responses():
                tracked_.linked += row["links"] is not None
                yield row

        tables = {"reports.csv": (tracker.reports(), REPORT_COLUMNS),
                  "responses.csv": (responses(), RESPONSE_COLUMNS),
                  "claims.csv": (tracker.claims(), CLAIM_COLUMNS)}
        counts = {name: write_rows(rows, str(tmp / name), "csv", columns)
                  for name, (rows, columns) in tables.items()}
        tracked_.reports, tracked_.responses, tracked_.claims = counts.values()
        description = {
            "stance_version": __version__,
            "sentences_format": fmt,
            "threshold": threshold,
            "window_days": window_days,
            "articles": summary.kept_articles + summary.articles,
            "sentences": tracker.idf.n,
            "reports": tracked_.reports,
            "responses": tracked_.responses,
            "claims": tracked_.claims,
        }
        (tmp / META).write_text(json.dumps(description, indent=2) + "\n", encoding="utf-8")
        # 3. everything is complete: move it into place, the description last
        for name in [sentences_name, *tables, META]:
            os.chmod(tmp / name, 0o644)
            os.replace(tmp / name, directory / name)
    return tracked_


def claims_table(claims: Iterable[dict], width: int = 100, limit: int = 20) -> list[str]:
    """The claims as a newcomer reads them: reported claims first (by first report),
    each with its status, who reported it first, what was claimed and who responded
    how; then responses that answer no report, one line each.

    *claims* are rows of the claims table, as :func:`claim_rows` streams them: read
    once, keeping only the rows shown.
    """
    reported: list[tuple] = []
    alone: list[tuple] = []
    n_reported = n_alone = 0
    for row in claims:
        if row["reports"]:
            n_reported += 1
            _keep(reported, (row["first_reported"] or "~", row["claim_id"]), row, limit)
        else:
            n_alone += 1
            _keep(alone, (row["claim_id"],), row, limit)
    if not n_reported + n_alone:
        return ["no claims found"]
    out = [f"{n_reported + n_alone} claim(s): {n_reported} reported by a third party, "
           f"{n_alone} raised only by a response"]
    for _, row in sorted(reported, key=itemgetter(0))[:limit]:
        first = " ".join(str(x) for x in (row["first_reported"], row["first_outlet"]) if x)
        counts = ", ".join(f"{row[c]} {name}" for c, name in (
            ("n_denial", "denial"), ("n_confirmation", "confirmation"),
            ("n_no_comment", "no comment"), ("n_warning", "warning"),
            ("n_reassurance", "reassurance")) if row[c])
        out.append("")
        out.append(_cut(f"{row['claim_id']}  {row['status'].upper()}  first reported: "
                        f"{first or '?'}  ({row['reports']} mention(s) in {row['articles']} "
                        f"article(s))", width))
        out.append(_cut(f"  claim: {row['summary']}", width))
        out.append(_cut(f"  outlets: {row['outlets'] or '-'}", width))
        lag = f", first after {int(row['lag_days'])} day(s)" if row["lag_days"] is not None \
            else ""
        out.append(_cut(f"  responses: {counts or 'none'}{lag}", width))
        if row["responders"]:
            out.append(_cut(f"  by: {row['responders']}", width))
    if n_reported > limit:
        out.append(f"... and {n_reported - limit} more reported claim(s)")
    if n_alone:
        out.append("")
        out.append("Responses to no report in these articles:")
        for _, row in sorted(alone, key=itemgetter(0))[:limit]:
            who = re.sub(r" \([a-z-]+\)", "", str(row["responders"] or "unattributed"))
            out.append(_cut(f"  {row['status']:<11} {who}: {row['summary']}", width))
        if n_alone > limit:
            out.append(f"  ... and {n_alone - limit} more")
    return out


def _keep(kept: list[tuple], key: tuple, row: dict, limit: int) -> None:
    """Add (key, row) to *kept*, which holds at least the *limit* smallest keys seen."""
    kept.append((key, row))
    if len(kept) >= 2 * limit + 64:
        kept.sort(key=itemgetter(0))
        del kept[limit:]


#: Columns of the claims table that hold counts.
_COUNTS = ("articles", "reports", "n_denial", "n_confirmation", "n_no_comment", "n_warning",
           "n_reassurance")


def claim_rows(directory: str | os.PathLike) -> Iterator[dict]:
    """The rows of a ledger directory's claims table, one at a time (counts as numbers,
    missing values as None)."""
    path = Path(directory) / "claims.csv"
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                row = {c: v if v != "" else None for c, v in row.items()}
                for c in _COUNTS:
                    row[c] = int(row[c] or 0)
                if row["lag_days"] is not None:
                    row["lag_days"] = int(float(row["lag_days"]))
                yield row
    except (OSError, ValueError, KeyError) as exc:
        raise StanceError(f"{path}: cannot read ({exc})") from None


def _cut(text: str, width: int) -> str:
    text = re.sub(r"\s*\n\s*", " ", str(text))
    return text if len(text) <= width else text[:width - 1] + "…"


def read(directory: str | os.PathLike) -> Ledger:
    """The tables of a ledger directory written by ``stance track``."""
    import pandas as pd

    directory = Path(directory)
    if _meta(directory) is None:
        raise StanceError(f"{directory}: not a ledger (no {META}); create one with "
                          f"`stance track ARTICLES -o {directory}`")
    tables = {}
    for name, columns in (("reports", REPORT_COLUMNS), ("responses", RESPONSE_COLUMNS),
                          ("claims", CLAIM_COLUMNS)):
        path = directory / f"{name}.csv"
        try:
            frame = pd.read_csv(path, dtype={"claim_id": str, "article_id": str})
        except (OSError, ValueError) as exc:
            raise StanceError(f"{path}: cannot read ({exc})") from None
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise StanceError(f"{path}: missing column(s) {', '.join(missing)}")
        tables[name] = frame.astype(object).where(frame.notna(), None)
    return Ledger(**tables)
