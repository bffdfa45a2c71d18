"""Score articles: segment, classify and attribute every sentence, as a stream of rows.

:func:`score_articles` takes the records of :func:`stance.ingest.read_articles` and
yields one row (a dict with :data:`COLUMNS`) per sentence, plus the rejects, in input
order, so memory stays flat however many articles come in. With ``jobs > 1`` articles
are scored in worker processes that each load the model once; the order of the output
does not depend on the number of jobs.

Row columns:

==================  =============================================================
article_id          the article's id (metadata, or the file name / record number)
sentence            index of the sentence in the article (0-based)
start, end          character offsets of the sentence in the article text
text                the sentence
stance              the predicted label; ``confidence`` its calibrated probability
speaker             who asserts it, as written, resolved through the article
speaker_official    True when the speaker speaks for an institution
outlet              the third-party report the sentence conveys (canonical name)
claim               the reported, denied or confirmed content, where found (stance
                    sentences only: a sentence labelled none claims nothing)
date                the date of the event the sentence reports ("on Friday" resolved
                    against the article date), ISO; None without an article date
article_date        the article's date (metadata, else a dateline with a year), ISO
==================  =============================================================
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from stance import dates
from stance.attribute import attribute_article
from stance.classify import load_model
from stance.errors import StanceError
from stance.ingest import LANGUAGE_SAMPLE, Article, Rejected, boilerplate_reason, not_english
from stance.segment import find_dateline, segment

COLUMNS = ("article_id", "sentence", "start", "end", "text", "stance", "confidence",
           "speaker", "speaker_official", "outlet", "claim", "date", "article_date")
#: Parquet types of :data:`COLUMNS` (the rest are strings).
COLUMN_TYPES = {"sentence": "int64", "start": "int64", "end": "int64", "confidence": "double",
                "speaker_official": "bool"}  # dates stay ISO strings, as in CSV and JSONL


def _id_hash(article_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(article_id.encode(), digest_size=8).digest(), "big")


class Encoded(NamedTuple):
    """One article's rows already turned into output bytes in the worker (see
    :func:`score_encoded`): the main process only has to write them."""

    rows: int
    data: bytes


@dataclass
class Summary:
    """What a scoring run did: counts that reconcile (read = scored + rejected)."""

    articles: int = 0
    sentences: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    #: article id -> lines skipped inside it because they are not English
    foreign_lines: dict[str, int] = field(default_factory=dict)
    #: hashes of the article ids scored so far (a duplicate id would make rows ambiguous)
    _seen: set[int] = field(default_factory=set, repr=False)
    #: called with each record's source once its rows are out (checkpoints use it)
    on_result: Callable[[str], None] | None = field(default=None, repr=False)

    def remember(self, article_id: str) -> None:
        """Note an article id as used (a resumed run's earlier articles)."""
        self._seen.add(_id_hash(article_id))

    def account(self, result: tuple) -> list[dict] | Encoded | None:
        """Count one article's result; return its rows, as the worker sent them (None
        for a reject or a repeated article id, which is rejected: rows are told apart by
        article id)."""
        article_id, source, rows, foreign, rejected = result
        if rejected is not None:
            self.rejected.append(rejected)
            return None
        key = _id_hash(article_id)
        if key in self._seen:
            self.rejected.append(Rejected(source, f"article id {article_id!r} already used "
                                                  "by an earlier record; ids must be unique"))
            return None
        self._seen.add(key)
        self.articles += 1
        self.sentences += rows.rows if isinstance(rows, Encoded) else len(rows)
        if foreign:
            self.foreign_lines[article_id] = foreign
        return rows

    @property
    def read(self) -> int:
        return self.articles + len(self.rejected)

    def lines(self) -> list[str]:
        out = [f"{self.read} record(s) read: {self.articles} article(s) scored "
               f"({self.sentences} sentences), {len(self.rejected)} rejected"]
        out += [f"  rejected {r}" for r in self.rejected]
        if self.foreign_lines:
            total = sum(self.foreign_lines.values())
            shown = ", ".join(f"{k} ({v})" for k, v in list(self.foreign_lines.items())[:10])
            more = " ..." if len(self.foreign_lines) > 10 else ""
            out.append(f"  skipped {total} line(s) not in English inside {shown}{more}")
        return out


#: Articles classified together in one ``predict_proba`` call (and sent to a worker
#: together): large enough that per-call overhead vanishes, small enough to stream.
BATCH = 64


def _score(articles: list[Article], model, check_english: bool = False,
           encode: Callable[[list[dict]], bytes] | None = None
           ) -> list[tuple[str, str, list[dict] | Encoded, int, Rejected | None]]:
    """(article id, source, rows, lines skipped as not English, reject) for each of
    *articles*, with one classifier call for all their sentences. With *check_english*,
    an article that is not English is rejected here (in the worker) instead of scored;
    with *encode*, each article's rows come as :class:`Encoded` bytes."""
    segmented = []
    rejected: dict[int, Rejected] = {}
    for k, article in enumerate(articles):
        sentences, foreign, reason = _segment(article, check_english)
        if reason:
            rejected[k] = Rejected(article.source, reason)
        segmented.append((article, sentences, foreign))
    texts = [s.text for _, sentences, _ in segmented for s in sentences]
    if texts:
        proba = model.predict_proba(texts)
        best = proba.argmax(axis=1)
        confidence = proba[np.arange(len(texts)), best]
        classes = list(model.classes_)
    out = []
    offset = 0
    for k, (article, sentences, foreign) in enumerate(segmented):
        n = len(sentences)
        stances = [classes[i] for i in best[offset:offset + n]] if n else []
        conf = confidence[offset:offset + n] if n else []
        offset += n
        rows = _rows(article, sentences, stances, conf)
        if encode is not None:
            rows = Encoded(len(rows), encode(rows))
        out.append((article.id, article.source, rows, foreign, rejected.get(k)))
    return out


def _segment(article: Article, check_english: bool) -> tuple[list, int, str | None]:
    """(sentences, lines skipped as not English, why the article is rejected or None).

    A declared language is checked first; otherwise the words the line checks read
    while segmenting are the language sample, so the text is not read twice."""
    if check_english and article.language:
        reason = not_english(article)
        if reason:
            return [], 0, reason
    foreign = 0
    sample: list[str] = []

    def skip(line: str) -> bool:
        nonlocal foreign
        reason = boilerplate_reason(line, sample if len(sample) < LANGUAGE_SAMPLE else None)
        foreign += reason == "not English"
        return reason is not None

    sentences = segment(article.text, skip_line=skip)
    if check_english and not article.language:
        reason = not_english(article, sample)
        if reason:
            return [], 0, reason
    if not sentences:
        return [], foreign, ("no prose: every line is page furniture, too short or not "
                             "English")
    return sentences, foreign, None


def _rows(article: Article, sentences: list, stances: list[str], confidence) -> list[dict]:
    """The rows of one classified article: attribution and dates added."""
    if not sentences:
        return []
    texts = [s.text for s in sentences]
    attributions = attribute_article(texts, stances)
    anchor = dates.article_date(article.date, _dateline_date(article.text))
    published = anchor.isoformat() if anchor else None
    return [
        {
            "article_id": article.id,
            "sentence": s.index,
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "stance": stance,
            "confidence": round(float(c), 4),
            "speaker": a.speaker,
            "speaker_official": a.speaker_official,
            "outlet": a.outlet,
            "claim": a.claim,
            "date": _iso(dates.event_date(s.text, anchor)),
            "article_date": published,
        }
        for s, stance, c, a in zip(sentences, stances, confidence, attributions, strict=True)
    ]


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _dateline_date(text: str) -> str | None:
    """The date written in the article's first dateline, if any (first 20 lines)."""
    for line in text.splitlines()[:20]:
        found = find_dateline(line)
        if found is not None:
            return found.date
    return None


_WORKER_MODEL = None


def _init_worker(model_path: str | None, trust: bool = False) -> None:
    global _WORKER_MODEL
    if _WORKER_MODEL is None:  # forked workers inherit the parent's model
        _WORKER_MODEL = load_model(model_path, trust=trust)


def _score_in_worker(job: tuple[list[Article], bool, Callable | None]) -> list[tuple]:
    return _score(job[0], _WORKER_MODEL, *job[1:])


def _batches(articles: Iterable[Article], size: int = BATCH) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def score_articles(
    records: Iterable[Article | Rejected],
    model=None,
    model_path: str | os.PathLike | None = None,
    jobs: int = 1,
    summary: Summary | None = None,
    check_english: bool = False,
    trust_model: bool = False,
) -> Iterator[dict]:
    """Stream rows for *records*; rejects are counted in *summary*, never dropped.

    With *check_english*, articles that are not English are rejected here (in the
    workers) rather than by the reader: pass records read with
    ``read_articles(..., english=False)``.

    Articles are classified in batches of :data:`BATCH`; with ``jobs > 1`` the batches
    go to worker processes, which (where processes fork) share the model loaded once
    here instead of each loading its own.
    """
    for rows in _accounted(records, model, model_path, jobs, summary, check_english,
                           trust_model, None):
        yield from rows


def score_encoded(
    records: Iterable[Article | Rejected],
    encode: Callable[[list[dict]], bytes],
    model=None,
    model_path: str | os.PathLike | None = None,
    jobs: int = 1,
    summary: Summary | None = None,
    check_english: bool = False,
    trust_model: bool = False,
) -> Iterator[bytes]:
    """:func:`score_articles` for a writer: each article's rows come as the bytes
    *encode* makes of them (e.g. CSV lines), made in the workers, so the main process
    neither receives nor converts row objects. *encode* must pickle (a module-level
    function, or a :func:`functools.partial` of one) where workers are spawned."""
    for rows in _accounted(records, model, model_path, jobs, summary, check_english,
                           trust_model, encode):
        yield rows.data


def _accounted(records: Iterable[Article | Rejected], model, model_path, jobs: int,
               summary: Summary | None, check_english: bool, trust_model: bool,
               encode: Callable[[list[dict]], bytes] | None) -> Iterator:
    """Each scored article's rows (a list, or :class:`Encoded` with *encode*), in input
    order, counted in *summary*; ``summary.on_result`` is called once they are taken."""
    global _WORKER_MODEL
    summary = summary if summary is not None else Summary()

    def articles() -> Iterator[Article]:
        for record in records:
            if isinstance(record, Rejected):
                summary.rejected.append(record)
            else:
                yield record

    def account(results: list[tuple]) -> Iterator:
        for result in results:
            rows = summary.account(result)
            if rows is not None:
                yield rows
            if summary.on_result is not None:  # its rows have been taken
                summary.on_result(result[1])

    if jobs <= 1:
        model = model if model is not None else load_model(model_path, trust=trust_model)
        for batch in _batches(articles()):
            yield from account(_score(batch, model, check_english, encode))
        return
    path = str(model_path) if model_path is not None else None
    fork = os.name != "nt"
    if fork:
        _WORKER_MODEL = model if model is not None else load_model(model_path, trust=trust_model)
    ctx = mp.get_context("fork" if fork else "spawn")
    try:
        with ctx.Pool(jobs, initializer=_init_worker, initargs=(path, trust_model)) as pool:
            jobs_ = ((batch, check_english, encode) for batch in _batches(articles()))
            for results in pool.imap(_score_in_worker, jobs_):
                yield from account(results)
    finally:
        _WORKER_MODEL = None


def score_frame(records: Iterable[Article | Rejected], model=None) -> pd.DataFrame:
    """Score articles into a DataFrame with :data:`COLUMNS` (Python API convenience)."""
    return pd.DataFrame(list(score_articles(records, model=model)), columns=list(COLUMNS))


def output_format(path: str | None, explicit: str | None) -> str:
    """The table format: ``--format`` if given, else OUT's extension, else JSONL."""
    if explicit:
        return explicit
    if path is None:
        return "jsonl"
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("csv", "jsonl", "parquet"):
        raise StanceError(f"{path}: cannot tell the format from the extension "
                          f"{('.' + suffix) if suffix else '(none)'}; use .csv, .jsonl, "
                          ".parquet or --format")
    return suffix
