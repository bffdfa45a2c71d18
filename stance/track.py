"""Track claims: link responses to the reports they answer, group claims across articles.

Input: scored sentences (the rows of :mod:`stance.score`), one article at a time.
Output: a :class:`Ledger` of three tables:

- ``reports``: one row per report mention. A ``report-citation`` sentence is one (unless
  its only source is an official speaker: an official's statement is not a third-party
  report); so is a report a response names ("declined to comment on reports that ...",
  "dismissed the Bloomberg report"), marked ``implied``.
- ``responses``: one row per denial, confirmation, no-comment, warning or reassurance,
  with the report mention(s) it answers in the same article, the link score and the
  reasons. A response that answers no report (an allegation, a question at a briefing)
  is kept, unlinked, with its claim.
- ``claims``: one row per claim, with its status.

**Inside an article** report mentions form *reports*: mentions of one named outlet are
one report; an unnamed mention ("media reports") joins an earlier report whose content
it shares. Each response scores every report of its article (:func:`link_score`):

=========================  =====================================================
names the report's outlet  +0.6 ("the Reuters report", "told AFP the Bloomberg ...")
refers to a report         +0.25 ("the report", "such claims"); +0.15 for "the
                           allegations", "the accusation" (often a person's charge)
shares content             +cosine of their tf-idf vectors (see below) if >= 0.1,
                           at most +0.5
report is about speaker    +0.1 (the speaker's surname is in the report's claim),
                           with shared content only
shares no content          -0.1 (a response of six content words or more, none shared)
main report                +0.2 when it is the article's only report, +0.1 when it has
                           the most mentions of several
position                   +0.25 / distance in sentences, for the nearest report
                           before the response
=========================  =====================================================

and links to the best report when it scores at least :data:`LINK_THRESHOLD` (and to
any other within 75% of the best). A sentence right after a report mention that is
itself no stance ("He also authorized ...") counts as part of that report's content.

**Across articles** each report (with its linked responses' claims), and each unlinked
denial, confirmation or no-comment, is a *claim unit*. Units are compared by the
cosine of their tf-idf vectors (Porter-stemmed content words; the idf comes from every
sentence tracked, so the words that every article of a corpus shares, its country or
its president, weigh little), plus up to 0.15 for shared named entities and 0.1 for the
same named outlet. Units join, in date order, the claim of their most similar earlier
unit when that similarity reaches ``threshold`` (:data:`DEFAULT_THRESHOLD`) and their
dates lie within ``window_days`` of each other.

The ledger depends only on the set of sentences: claim ids are derived from each
claim's earliest mention, and units are processed in a canonical order, so tracking the
same sentences in one batch or several, in any order, gives the same ledger. Claim ids
can change when a new batch brings an earlier mention of a claim; a report's
``article_id`` and ``sentence`` never do (use them to refer to reports durably).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import math
import multiprocessing as mp
import os
import pickle
import re
import sqlite3
import tempfile
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

import numpy as np
import pandas as pd
from nltk.stem.porter import PorterStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from stance import lexicons
from stance.attribute import outlets_named
from stance.errors import StanceError
from stance.labels import RESPONSE_LABELS

#: Default similarity cut-off for grouping claim units across articles (0..1+).
DEFAULT_THRESHOLD = 0.25
#: Units further apart in time than this many days are never the same claim.
DEFAULT_WINDOW_DAYS = 60
#: Inside one article (one story), an unnamed mention joins a report at this similarity.
IN_ARTICLE_THRESHOLD = 0.15
#: Words in more than this share of the sentences tracked (and CANDIDATE_MIN_DF) do not
#: make two claims candidates for grouping (they still count in their similarity).
CANDIDATE_MAX_SHARE = 0.02
CANDIDATE_MIN_DF = 20
#: A claim meets candidates through its CANDIDATE_TERMS rarest words, and through each
#: word only the CANDIDATE_POSTINGS latest reports within the window: the work per
#: claim is bounded however dense the corpus (a story told the same way a hundred times
#: in the window is met through its latest tellings, which have already joined it).
CANDIDATE_TERMS = 8
CANDIDATE_POSTINGS = 64
#: Of a claim's candidates, at most this many of the most similar are weighed with
#: their bonus (shared names, outlet) for the best match.
CANDIDATE_EVALUATIONS = 32
#: The most :func:`_bonus` can add to a cosine.
MAX_BONUS = 0.25
#: A response links to a report of its article when the link score reaches this.
LINK_THRESHOLD = 0.35
#: Unlinked responses of these stances are claims of their own (an allegation answered);
#: unlinked warnings and reassurances stay in the responses table without a claim.
CLAIM_STANCES = frozenset({"denial", "confirmation", "no-comment"})
#: Stances that count towards a claim's status, and the status rules' order.
STATUSES = ("disputed", "denied", "confirmed", "responded without denial", "no comment",
            "unanswered")

UNNAMED = ("media reports", "unattributed")

REPORT_COLUMNS = ["claim_id", "outlet", "article_id", "sentence", "date", "implied",
                  "claim", "text"]
RESPONSE_COLUMNS = ["claim_id", "speaker", "speaker_official", "stance", "article_id",
                    "sentence", "date", "links", "link_score", "link_reason", "claim", "text"]
CLAIM_COLUMNS = ["claim_id", "summary", "status", "first_reported", "first_outlet",
                 "outlets", "articles", "reports", "n_denial", "n_confirmation",
                 "n_no_comment", "n_warning", "n_reassurance", "responders",
                 "first_response", "lag_days"]

_GENERIC_REF = lexicons.compile_searcher(
    r"\b(?:the|that|this|such|these|those|any|all|media|press|news|recent)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:reports?|articles?|story|stories|allegations?|claims?|"
    r"rumou?rs?|publications?|speculation|accusations?|information)\b", re.I)
_PERSONAL_CHARGE = re.compile(r"\b(?:allegations?|accusations?)$", re.I)
_IMPLIED = lexicons.compile_searcher(
    r"\b(?:(?:media|press|news|unconfirmed|recent)\s+)?(?:reports?|claims?|allegations?|"
    r"rumou?rs?|accusations?|speculation)\s+(?:that|claiming(?:\s+that)?|saying(?:\s+that)?|"
    r"suggesting(?:\s+that)?|about|of|on)\s+(.+?)"
    r"(?=,\s*(?:[\w'’.-]+\s+){0,6}(?:said|told|added|stressed|says)\b|\s+(?:are|is|were|was)\s+"
    r"(?:untrue|false|baseless|fake|a hoax|wrong|incorrect)\b|[.;:”\"]*$)", re.I)
_REPORT_NOUN_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:[\w-]+\s+)?(?:report|reports|article|story|investigation|claims?|"
    r"allegations?|reporting)\b", re.I)
_REPORT_NOUN_BEFORE = re.compile(
    r"\b(?:report|reports|article|story|investigation|reporting)\s+(?:by|in|from|of)\s+"
    r"(?:the\s+)?$", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|\d{2,}")
_CAPITAL = lexicons.compile_searcher(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:[A-Z][a-z]+)?\b")
_STOP = ENGLISH_STOP_WORDS | frozenset(lexicons.words("claim_stopwords.txt"))
_PORTER = PorterStemmer()


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """Porter stem; a capitalised word is cut to five letters instead, so a country and
    its people ("Russia", "Russian") or a name and its possessive agree."""
    word = word.replace("’", "'").removesuffix("'s")
    if word[:1].isupper():
        return word[:5].lower()
    return _PORTER.stem(word.lower())


@lru_cache(maxsize=200_000)
def _term(word: str) -> str | None:
    """The stem of a content word, None for a stop word."""
    return None if word.lower() in _STOP else _stem(word)


def terms(text: str | None) -> list[str]:
    """Porter-stemmed content words of *text*: what claim similarity compares."""
    if not text:
        return []
    return [t for t in map(_term, _WORD.findall(text)) if t is not None]


def _entities(text: str | None) -> set[str]:
    """Stems of capitalised words not opening a sentence: a cheap stand-in for names."""
    return {_stem(m.group()) for m in _CAPITAL.finditer(text or "")
            if m.group().lower() not in _STOP}


def _surname(speaker: str | None) -> str | None:
    if not speaker:
        return None
    names = [w for w in speaker.split() if w[:1].isupper() and w.lower() not in _STOP]
    return names[-1] if names else None


# --------------------------------------------------------------------------- idf


@dataclass
class Idf:
    """Document frequencies over every sentence tracked (each sentence a document)."""

    df: Counter = field(default_factory=Counter)
    n: int = 0
    _vectors: dict = field(default_factory=dict, repr=False)  # recent vectors, by text
    _weight_of: dict = field(default_factory=dict, repr=False)  # term weights, once known

    def add(self, text: str) -> None:
        self.n += 1
        self.df.update(set(terms(text)))
        if self._vectors or self._weight_of:
            self._vectors.clear()  # the weights changed
            self._weight_of.clear()

    def weight(self, term: str) -> float:
        found = self._weight_of.get(term)
        if found is None:
            found = self._weight_of[term] = \
                math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0
        return found

    def vector(self, text: str | None) -> dict[str, float]:
        """L2-normalised sublinear tf-idf vector of *text* (do not modify it)."""
        key = text or ""
        found = self._vectors.get(key)
        if found is not None:
            return found
        counts = Counter(terms(text))
        vec = {t: (1.0 + math.log(c)) * self.weight(t) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {t: v / norm for t, v in vec.items()}
        if len(self._vectors) >= 4096:  # bounded: memory stays flat
            self._vectors.clear()
        self._vectors[key] = vec
        return vec


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


# --------------------------------------------------------------------------- in article


def _value(row: dict, key: str):
    value = row.get(key)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


_UNKNOWN_SOURCE = lexicons.compile_searcher(
    r"(?:\b(?:report|reports|article|story|investigation|reporting|piece)\s+(?:by|in|from|of)\s+"
    r"(?:the\s+)?(?P<a>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3}))|"
    r"(?:(?P<b>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:report|story|article|investigation|reporting|piece|claims?)\b)")


def _when(row: dict) -> str | None:
    """When a report was made or a response given: the sentence's event date ("on
    Monday"), never after the article that tells of it (a date in the future is what
    the claim is about, not when it was said), else the article's date."""
    event, published = _value(row, "date"), _value(row, "article_date")
    if event and published and str(event) > str(published):
        return published
    return event or published


def _norm(source: str) -> str:
    """A source name for comparison: case, a leading "the" and a possessive dropped."""
    source = source.strip().lower().removeprefix("the ")
    return re.sub(r"(?:'s|’s)$", "", source)


@lru_cache(maxsize=65_536)
def named_sources(text: str) -> tuple[str, ...]:
    """Sources whose report *text* names: gazetteer outlets followed or preceded by a
    report noun ("the Bloomberg report", "reports by AFP"), and unknown names in
    the same places ("the Ledger's original report", "reports in the Courier")."""
    from stance.attribute import _lexicons  # the outlet gazetteer, compiled once

    _, alias_to_name, outlet_re, _, _ = _lexicons()
    found = []
    for m in outlet_re.finditer(text):
        if _REPORT_NOUN_AFTER.match(text[m.end():]) or _REPORT_NOUN_BEFORE.search(text[:m.start()]):
            found.append(alias_to_name[m.group()])
    for m in _UNKNOWN_SOURCE.finditer(text):
        name = (m.group("a") or m.group("b")).strip()
        first = name.split()[0].lower()
        if first in _STOP or first in {"it", "its", "his", "her", "their", "our"}:
            continue
        if not any(_norm(name) in _norm(f) or _norm(f) in _norm(name) for f in found):
            found.append(alias_to_name.get(name, name))
    return tuple(dict.fromkeys(found))


def report_mentions(rows: Sequence[dict]) -> list[dict]:
    """Report mentions of one article's rows: report-citations, and reports responses name.

    A mention's ``outlet`` is its source: the cited outlet, else "media reports" for
    "reports that ...", else the sentence's speaker ("Sandvine said in a study ..."),
    else "unattributed".
    """
    out = []
    for row in rows:
        stance, text = row["stance"], row["text"]
        base = {"article_id": row["article_id"], "sentence": int(row["sentence"]),
                "date": _when(row), "text": text}
        implied = _IMPLIED.search(text)
        implied_claim = implied.group(1) if implied and len(implied.group(1).split()) >= 3 \
            else None
        if stance == "report-citation":
            source = (_value(row, "outlet") or (implied_claim and "media reports")
                      or _value(row, "speaker") or "unattributed")
            out.append({**base, "outlet": source, "implied": False,
                        "claim": _claim_text(implied_claim or _value(row, "claim"), text)})
        elif stance in RESPONSE_LABELS:
            named = named_sources(text)
            if named or implied_claim:
                out.append({**base, "outlet": named[0] if named else "media reports",
                            "implied": True,
                            "claim": _claim_text(implied_claim or _value(row, "claim"), text)})
    return out


def _claim_text(claim: str | None, text: str) -> str:
    """The claim span, or the whole sentence when the span says too little ("the report")."""
    claim = (claim or "").strip(" ,.”\"")
    return claim if len(terms(claim)) >= 2 else text


def _group_mentions(mentions: list[dict], idf: Idf, threshold: float) -> list[list[dict]]:
    """Reports of one article: mentions of one named source together; an unnamed mention
    ("media reports", "unattributed") right after another mention continues its report,
    else joins the earlier report it shares most content with, if enough."""
    reports: list[list[dict]] = []
    by_source: dict[str, list[dict]] = {}
    for mention in mentions:
        source = _norm(mention["outlet"])
        named = mention["outlet"] not in UNNAMED
        if named and source in by_source:
            by_source[source].append(mention)
            continue
        best = None
        if not named and reports:
            last = max(reports, key=lambda rep: rep[-1]["sentence"])
            if mention["sentence"] - last[-1]["sentence"] <= 1:
                best = last
        if best is None:
            vec = idf.vector(mention["claim"])
            best_sim = threshold
            for report in reports:
                if named and any(m["outlet"] not in UNNAMED for m in report):
                    continue  # two named sources in one article: two reports
                sim = max(cosine(vec, idf.vector(m["claim"])) for m in report)
                if sim >= best_sim:
                    best, best_sim = report, sim
        if best is None:
            best = []
            reports.append(best)
        best.append(mention)
        if named:
            by_source[source] = best
    return reports


@lru_cache(maxsize=4096)
def _word_re(word: str) -> re.Pattern:
    """*word* as a whole word (compiled once: names recur)."""
    return re.compile(rf"\b{re.escape(word)}\b")


def link_score(response: dict, report: list[dict], context: dict[int, str], idf: Idf,
               position: str | None = None, gap: int = 0, main: str | None = None
               ) -> tuple[float, str]:
    """How well *response* (a row) answers *report* (its mentions), and why.

    *context* maps a mention's sentence to the no-stance sentence right after it, read
    as part of the report. *position* is "before" when the report is the nearest one
    before the response (*gap* sentences back), "after" when it is the nearest one after
    it (a lede that states the denial first); *main* is "only" when it is the article's
    only report, "main" when it is the main one of several (most mentions, then earliest).
    """
    index = int(response["sentence"])
    text = response["text"]
    own = [m for m in report if m["implied"] and m["sentence"] == index]
    if own:
        return 1.0, f"names the report it answers ({own[0]['outlet']})"
    score, reasons = 0.0, []
    sources = {_norm(m["outlet"]) for m in report if m["outlet"] not in UNNAMED}
    said = {_norm(s) for s in [*outlets_named(text), *named_sources(text)]}
    if sources & said:
        score += 0.6
        reasons.append("names " + ", ".join(sorted(sources & said)))
    else:
        generic = _GENERIC_REF.search(text)
        if generic:
            # "the report" points at a report; "the accusation" as often at a person's
            # charge made in the article, so it counts for less
            personal = _PERSONAL_CHARGE.search(generic.group(0))
            score += 0.15 if personal else 0.25
            reasons.append(f"refers to '{generic.group(0)}'")
    report_text = " ".join([m["claim"] for m in report]
                           + [context[m["sentence"]] for m in report if m["sentence"] in context])
    sim = cosine(idf.vector(f"{_value(response, 'claim') or ''} {text}"), idf.vector(report_text))
    if sim >= 0.1:
        score += min(0.5, sim)
        reasons.append(f"shares content ({sim:.2f})")
    elif sim < 0.05 and len(set(terms(text))) >= 6:
        score -= 0.1  # a response with content of its own, none of it the report's
        reasons.append("shares no content")
    surname = _surname(_value(response, "speaker"))
    if sim >= 0.1 and surname and _word_re(surname).search(report_text):
        score += 0.1
        reasons.append(f"the report is about {surname}")
    if position == "before":
        score += 0.25 / gap
        reasons.append(f"follows it ({gap} sentence{'s' if gap > 1 else ''} after)")
    elif position == "after":
        score += 0.15 / gap
        reasons.append(f"precedes it ({gap} sentence{'s' if gap > 1 else ''} before)")
    if main == "only":
        score += 0.2
        reasons.append("the article's only report")
    elif main:
        score += 0.1
        reasons.append("the article's main report")
    return round(max(0.0, min(score, 1.0)), 3), "; ".join(reasons)


def link_article(rows: Sequence[dict], idf: Idf, threshold: float = DEFAULT_THRESHOLD
                 ) -> tuple[list[list[dict]], list[dict]]:
    """The reports of one article (each a list of mentions) and its responses, each
    response with ``links`` (indexes into the reports), ``link_score``, ``link_reason``."""
    rows = sorted(rows, key=lambda r: int(r["sentence"]))
    mentions = report_mentions(rows)
    reports = _group_mentions(mentions, idf, IN_ARTICLE_THRESHOLD)
    by_index = {int(r["sentence"]): r for r in rows}
    context = {m["sentence"]: by_index[m["sentence"] + 1]["text"] for m in mentions
               if by_index.get(m["sentence"] + 1, {}).get("stance") == "none"}
    main = max(range(len(reports)), key=lambda k: (len(reports[k]), -reports[k][0]["sentence"]),
               default=None)
    responses = []
    for row in rows:
        if row["stance"] not in RESPONSE_LABELS:
            continue
        index = int(row["sentence"])
        before = [max((m["sentence"] for m in rep if m["sentence"] < index), default=None)
                  for rep in reports]
        after = [min((m["sentence"] for m in rep if m["sentence"] > index), default=None)
                 for rep in reports]
        last = max((b for b in before if b is not None), default=None)
        next_ = min((a for a in after if a is not None), default=None)
        scored = []
        for k, rep in enumerate(reports):
            if last is not None and before[k] == last:
                position, gap = "before", index - last
            elif last is None and next_ is not None and after[k] == next_:
                position, gap = "after", next_ - index
            else:
                position, gap = None, 0
            scored.append((k, *link_score(row, rep, context, idf, position, gap,
                                          main=None if k != main else
                                          "only" if len(reports) == 1 else "main")))
        good = [s for s in scored if s[1] >= LINK_THRESHOLD]
        best = max((s[1] for s in good), default=0.0)
        good = [s for s in good if s[1] >= 0.75 * best]
        responses.append({
            "article_id": row["article_id"], "sentence": index,
            "speaker": _value(row, "speaker"), "speaker_official": _value(row, "speaker_official"),
            "stance": row["stance"], "date": _when(row),
            "claim": _claim_text(_value(row, "claim"), row["text"]), "text": row["text"],
            "links": [k for k, _, _ in good],
            "link_score": max((s for _, s, _ in good), default=None),
            "link_reason": " | ".join(r for _, _, r in good) or None,
        })
    return reports, responses


# --------------------------------------------------------------------------- claims


def _claim_id(article_id: str, sentence: int) -> str:
    return "C" + hashlib.sha1(f"{article_id}#{sentence}".encode()).hexdigest()[:10]


def _ordinal(day: str | None) -> int | None:
    """Day number of an ISO date ("~" or junk: None)."""
    try:
        return dt.date.fromisoformat(str(day)[:10]).toordinal()
    except ValueError:
        return None


def status(stances: Iterable[str]) -> str:
    """A claim's status from the stances of its responses."""
    s = set(stances)
    if "denial" in s and "confirmation" in s:
        return "disputed"
    if "denial" in s:
        return "denied"
    if "confirmation" in s:
        return "confirmed"
    if s & {"warning", "reassurance"}:
        return "responded without denial"
    if "no-comment" in s:
        return "no comment"
    return "unanswered"


@dataclass
class Ledger:
    """The tracking tables (see the module docstring; columns in ``*_COLUMNS``)."""

    reports: pd.DataFrame
    responses: pd.DataFrame
    claims: pd.DataFrame


#: What the tracker keeps of a scored row.
_KEPT = ("article_id", "sentence", "text", "stance", "speaker", "speaker_official", "outlet",
         "claim", "date", "article_date")


class Tracker:
    """Accumulate articles' scored rows, then build the ledger's tables.

    The working state lives in a temporary SQLite database (in *workdir*, else the
    system's temporary directory), so memory stays flat however many articles are
    tracked: only the sentences with a stance are stored (plus word counts of all of
    them, for the idf, in memory: they grow with the vocabulary, not the corpus), and
    the tables come out of the database sorted, one row at a time
    (:meth:`reports`, :meth:`responses`, :meth:`claims`). Close the tracker (or use it
    as a context manager) to delete its database. With ``jobs > 1`` articles are linked,
    and claims grouped, by that many worker processes; the tables are the same.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD,
                 window_days: int = DEFAULT_WINDOW_DAYS,
                 workdir: str | os.PathLike | None = None, jobs: int = 1) -> None:
        self.threshold = threshold
        self.jobs = jobs
        self.window_days = window_days
        self.idf = Idf()
        self._tmp = tempfile.TemporaryDirectory(prefix=".stance-tracker-", dir=workdir)
        self._path = os.path.join(self._tmp.name, "state.sqlite")
        self._db = sqlite3.connect(self._path)
        # the claim ids go to a database of their own, written while worker processes
        # read the first (see _group)
        self._db.execute("ATTACH DATABASE ? AS grouping",
                         (os.path.join(self._tmp.name, "claims.sqlite"),))
        # a scratch database: nothing to recover after a crash, so no journal and no syncs
        self._db.executescript(_SCHEMA)
        self._built = False

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Delete the working database."""
        self._db.close()
        self._tmp.cleanup()

    def add_article(self, rows: Sequence[dict]) -> None:
        """Add one article's rows (all its sentences; a later copy replaces an earlier)."""
        if not rows:
            return
        for row in rows:
            self.idf.add(row["text"])
        # the sentence after a report mention is read as part of it: keep it too
        after = {int(r["sentence"]) + 1 for r in rows if r["stance"] == "report-citation"}
        kept = [{k: r.get(k) for k in _KEPT} for r in rows
                if r["stance"] != "none" or int(r["sentence"]) in after]
        self._db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?)",
                         (str(rows[0]["article_id"]), _pack(kept)))
        self._built = False

    def build(self) -> None:
        """Link inside each article, then group claims across articles (once per change)."""
        if self._built:
            return
        self._db.executescript("DELETE FROM units; DELETE FROM reports; "
                               "DELETE FROM responses; DELETE FROM claim_of;")
        self._link()
        self._group()
        self._db.commit()
        self._built = True

    def ledger(self) -> Ledger:
        """The three tables as data frames (in memory: for a corpus of any size, write
        :meth:`reports`, :meth:`responses` and :meth:`claims` as they stream)."""
        return Ledger(*(_table([tuple(row.values()) for row in rows], columns)
                        for rows, columns in ((self.reports(), REPORT_COLUMNS),
                                              (self.responses(), RESPONSE_COLUMNS),
                                              (self.claims(), CLAIM_COLUMNS))))

    def reports(self) -> Iterator[dict]:
        """Rows of the reports table (``REPORT_COLUMNS``), by claim, article, sentence."""
        self.build()
        for claim_id, row in self._db.execute(
                "SELECT c.claim_id, r.row FROM reports r JOIN claim_of c ON c.unit = r.unit "
                "ORDER BY c.claim_id, r.article_id, r.sentence"):
            yield dict(zip(REPORT_COLUMNS, (claim_id, *pickle.loads(row)), strict=True))

    def responses(self) -> Iterator[dict]:
        """Rows of the responses table (``RESPONSE_COLUMNS``): by claim (responses of
        none last), article, sentence."""
        self.build()
        for claim_id, row in self._db.execute(
                "SELECT c.claim_id, r.row FROM responses r LEFT JOIN claim_of c "
                "ON c.unit = r.unit ORDER BY coalesce(c.claim_id, '~'), r.article_id, "
                "r.sentence"):
            yield dict(zip(RESPONSE_COLUMNS, (claim_id, *pickle.loads(row)), strict=True))

    def claims(self) -> Iterator[dict]:
        """Rows of the claims table (``CLAIM_COLUMNS``), by claim id: the reports and the
        responses of each claim are read together, one claim at a time."""
        reports = _runs(self.reports())
        responses = _runs(r for r in self.responses() if r["claim_id"] is not None)
        rep, resp = next(reports, None), next(responses, None)
        while rep or resp:
            claim_id = min(x[0] for x in (rep, resp) if x)
            reps = rep[1] if rep and rep[0] == claim_id else []
            resps = resp[1] if resp and resp[0] == claim_id else []
            yield _claim_row(claim_id, reps, resps)
            if reps:
                rep = next(reports, None)
            if resps:
                resp = next(responses, None)

    def _link(self) -> None:
        """Link each article's responses to its reports; store the claim units (each
        report with the claims of the responses it answers, and each unlinked denial,
        confirmation or no-comment) and the table rows that refer to them. Articles are
        linked in chunks, by ``jobs`` worker processes when there are several."""
        global _LINKING
        articles = self._db.execute("SELECT rows FROM articles ORDER BY article_id")
        chunks = iter(lambda: [blob for (blob,) in articles.fetchmany(LINK_CHUNK)], [])
        _LINKING = (self.idf, self.threshold)
        try:
            if self.jobs <= 1:
                self._store_links(map(_link_chunk, chunks))
                return
            fork = os.name != "nt"
            ctx = mp.get_context("fork" if fork else "spawn")
            with ctx.Pool(self.jobs, initializer=_init_linking,
                          initargs=(None if fork else _LINKING,)) as pool:
                self._store_links(_in_order(pool, _link_chunk, chunks, ahead=2 * self.jobs))
        finally:
            _LINKING = None

    def _store_links(self, results: Iterable[tuple[list, list, list]]) -> None:
        """Store linked chunks, numbering their units in order."""
        base = 0
        for units, reports, responses in results:
            self._db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?)",
                                 [(base + u, *rest) for u, *rest in units])
            self._db.executemany("INSERT INTO reports VALUES (?, ?, ?, ?)",
                                 [(base + u, *rest) for u, *rest in reports])
            self._db.executemany("INSERT INTO responses VALUES (?, ?, ?, ?)",
                                 [(None if u is None else base + u, *rest)
                                  for u, *rest in responses])
            base += len(units)

    def _group(self) -> None:
        """The claim id of each unit: greedy single-link grouping in canonical order.

        Each unit joins the claim of its best match among earlier units
        (:func:`_best_matches`). Which unit that is does not depend on the claims
        formed so far, so with ``jobs > 1`` worker processes find the best matches of
        every ``jobs``-th unit each, and this process follows them to claim ids.
        """
        common = max(CANDIDATE_MIN_DF, CANDIDATE_MAX_SHARE * self.idf.n)
        undated = self._db.execute(
            "SELECT count(*) FROM units WHERE date = '~'").fetchone()[0]
        args = (self.idf, self.threshold, self.window_days, common, bool(undated))
        self._db.commit()  # the workers read the units with connections of their own
        parts = max(1, self.jobs)
        workers = []
        if parts == 1:
            streams = [_best_matches(self._db, *args, 0, 1)]
        else:
            ctx = mp.get_context("fork" if os.name != "nt" else "spawn")
            streams = []
            for part in range(parts):
                receive, send = ctx.Pipe(duplex=False)
                worker = ctx.Process(target=_send_best_matches, daemon=True,
                                     args=(send, self._path, *args, part, parts))
                worker.start()
                send.close()
                workers.append(worker)
                streams.append(_received(receive))
        try:
            self._claims_of_units(streams)
        finally:
            for worker in workers:
                worker.kill()
                worker.join()

    def _claims_of_units(self, streams: list[Iterator[int | None]]) -> None:
        """Store each unit's claim id: its own (the claim's earliest unit) or that of
        its best match, the *k*-th unit's best match coming from stream *k* mod n."""
        claim_of: list[tuple[int, str]] = []
        recent: dict[int, str] = {}  # claim ids of report units still in a window
        days: deque[tuple[int, int]] = deque()
        units = self._db.execute("SELECT id, date, article_id, sentence, reported "
                                 "FROM units ORDER BY date, article_id, sentence, id")
        for position, (k, date, article_id, sentence, reported) in enumerate(units):
            best = next(streams[position % len(streams)], _ENDED)
            if best is _ENDED:
                raise StanceError("grouping claims: a worker process ended early (out of "
                                  "memory?); try again with --jobs 1")
            day = _ordinal(date)
            if day is not None:
                while days and days[0][0] < day - self.window_days:
                    recent.pop(days.popleft()[1], None)
            if best is None:
                claim_id = _claim_id(article_id, sentence)
            elif best in recent:
                claim_id = recent[best]
            else:  # an undated unit's match, out of any window: ask the database
                self._store_claims(claim_of)
                claim_id = self._db.execute("SELECT claim_id FROM claim_of WHERE unit = ?",
                                            (best,)).fetchone()[0]
            claim_of.append((k, claim_id))
            if reported and day is not None:  # (undated ones: from the database)
                recent[k] = claim_id
                days.append((day, k))
            if len(claim_of) >= 4096:
                self._store_claims(claim_of)
        self._store_claims(claim_of)

    def _store_claims(self, claim_of: list[tuple[int, str]]) -> None:
        self._db.executemany("INSERT INTO claim_of VALUES (?, ?)", claim_of)
        claim_of.clear()


#: What a stream of best matches gives when its worker stopped before the end.
_ENDED = object()


def _bonus(a: _Unit, b: _Unit, idf: Idf) -> float:
    """Up to 0.15 for shared names (idf-weighted share), 0.1 for a shared outlet."""
    sim = 0.0
    shared = a.entities & b.entities
    if shared:
        weight = _name_weight(shared, idf)
        sim += 0.15 * weight / (a.names + b.names - weight)  # of the names in either
    if a.outlets & b.outlets:
        sim += 0.1
    return sim


def _name_weight(names: set[str], idf: Idf) -> float:
    """Summed idf weight of *names* (the same in any order)."""
    return math.fsum(idf.weight(e) for e in names)


def _best_matches(db: sqlite3.Connection, idf: Idf, threshold: float, window_days: int,
                  common: float, keep_postings: bool, part: int, parts: int
                  ) -> Iterator[int | None]:
    """For every *parts*-th unit in canonical order (from the *part*-th), the earlier
    report unit it is most similar to, if similar enough; else None.

    A unit is compared with the earlier report units that lie within the window and
    share one of its rarer words (an inverted index in date order; see
    :data:`CANDIDATE_MAX_SHARE` and :data:`CANDIDATE_TERMS`), so the work per unit is
    bounded and grows with neither the corpus nor its density. Only the units that can
    still be met are held in memory (:class:`_Candidates`).
    """
    pool = _Candidates(db, idf, window_days, keep_postings)
    units = db.execute("SELECT id, date, reported, unit FROM units "
                       "ORDER BY date, article_id, sentence, id")
    for position, (k, date, reported, blob) in enumerate(units):
        mine = position % parts == part
        if not (mine or reported):
            pool.move_to(_ordinal(date))
            continue
        unit = pool.unit(blob, _ordinal(date))
        if mine:
            best, best_sim = None, threshold
            cand = pool.candidates(unit, common)
            if len(cand):
                if unit.day is None:  # may meet units no longer held: fetch them
                    pool.fetch(cand.tolist())
                cosines = pool.cosines(unit, cand)
                # most similar first; stop once no bonus could beat the best so far, or
                # after the CANDIDATE_EVALUATIONS most similar
                ranked = np.lexsort((-cand, -cosines))[:CANDIDATE_EVALUATIONS]
                for i in ranked.tolist():
                    if cosines[i] + MAX_BONUS < best_sim:
                        break
                    j = int(cand[i])
                    sim = cosines[i] + _bonus(unit, pool.live[j], idf)
                    if sim > best_sim or (sim == best_sim and (best is None or j > best)):
                        best, best_sim = j, sim
            yield best
        if reported:  # only reports gather a claim
            pool.add(k, unit)


def _send_best_matches(send, path: str, *args) -> None:
    """:func:`_best_matches` in a worker process, sent through the pipe *send* in
    batches (a failure is sent as its message)."""
    try:
        db = sqlite3.connect(path)
        batch: list[int | None] = []
        for best in _best_matches(db, *args):
            batch.append(best)
            if len(batch) >= 4096:
                send.send(batch)
                batch = []
        send.send(batch)
    except Exception as exc:  # reported in the parent
        send.send(f"{type(exc).__name__}: {exc}")
    finally:
        send.close()


def _received(receive) -> Iterator[int | None]:
    """The best matches a worker sends (see :func:`_send_best_matches`)."""
    while True:
        try:
            batch = receive.recv()
        except EOFError:
            return
        if isinstance(batch, str):
            raise StanceError(f"grouping claims failed in a worker process: {batch}")
        yield from batch


#: Articles per task of the linking step.
LINK_CHUNK = 64
#: (idf, threshold) while articles are being linked: what worker processes read.
_LINKING: tuple[Idf, float] | None = None


def _in_order(pool, func, items: Iterator, ahead: int) -> Iterator:
    """``pool.imap(func, items)``, but *items* is read in this thread (a database
    cursor belongs to the thread that made it), at most *ahead* in flight."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.apply_async(func, (item,)))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _init_linking(state: tuple[Idf, float] | None) -> None:
    global _LINKING
    if state is not None:  # spawned workers get it; forked ones inherit it
        _LINKING = state


def _link_chunk(blobs: list[bytes]) -> tuple[list, list, list]:
    """Link the articles of one chunk (see :meth:`Tracker._link`): rows of the units,
    reports and responses tables, with units numbered from 0 in this chunk. A unit
    carries what grouping weighs of it: its tf-idf vector (words, weights), its names
    and their idf weight, and its outlets."""
    idf, threshold = _LINKING
    units: list[tuple] = []
    reports_out: list[tuple] = []
    responses_out: list[tuple] = []

    def add_unit(key: tuple, reported: int, text: str, outlets: set[str]) -> int:
        vector = idf.vector(text)
        entities = _entities(text)
        units.append((len(units), *key, reported, _pack((
            list(vector), list(vector.values()), entities, _name_weight(entities, idf),
            outlets))))
        return len(units) - 1

    for blob in blobs:
        reports, responses = link_article(pickle.loads(blob), idf, threshold)
        unit_of_report = []
        for k, rep in enumerate(reports):
            answered = [r for r in responses if k in r["links"]]
            text = " ".join([m["claim"] for m in rep] + [r["claim"] for r in answered])
            unit = add_unit(_unit_key(rep), 1, text, {m["outlet"] for m in rep} - set(UNNAMED))
            reports_out.extend((unit, m["article_id"], m["sentence"],
                                _pack(tuple(m[c] for c in REPORT_COLUMNS[1:]))) for m in rep)
            unit_of_report.append(unit)
        for r in responses:
            # the report mentions it answers; its own sentence only when the report is
            # named nowhere else ("declined to comment on reports that ...")
            answered = [m for k in r["links"] for m in reports[k]]
            answered = [m for m in answered if m["sentence"] != r["sentence"]] or answered
            unit = unit_of_report[r["links"][0]] if r["links"] else None
            if not r["links"] and r["stance"] in CLAIM_STANCES:
                unit = add_unit(_unit_key([r]), 0, r["claim"], set())
            r["links"] = ";".join(_ref(m) for m in answered) or None
            responses_out.append((unit, r["article_id"], r["sentence"],
                                  _pack(tuple(r[c] for c in RESPONSE_COLUMNS[1:]))))
    return units, reports_out, responses_out


_SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA grouping.journal_mode = OFF;
PRAGMA grouping.synchronous = OFF;
PRAGMA temp_store = FILE;
CREATE TABLE grouping.claim_of (unit INTEGER PRIMARY KEY, claim_id TEXT);
CREATE TABLE articles (article_id TEXT PRIMARY KEY, rows BLOB);
CREATE TABLE units (id INTEGER PRIMARY KEY, date TEXT, article_id TEXT, sentence INTEGER,
                    reported INTEGER, unit BLOB);
CREATE TABLE reports (unit INTEGER, article_id TEXT, sentence INTEGER, row BLOB);
CREATE TABLE responses (unit INTEGER, article_id TEXT, sentence INTEGER, row BLOB);
"""


def _pack(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _runs(rows: Iterable[dict]) -> Iterator[tuple[str, list[dict]]]:
    """Consecutive rows of one claim id, as (claim id, rows)."""
    for claim_id, group in itertools.groupby(rows, key=itemgetter("claim_id")):
        yield claim_id, list(group)


@dataclass(eq=False)
class _Unit:
    """What grouping weighs of a claim unit."""

    terms: np.ndarray  # term numbers of its tf-idf vector
    weights: np.ndarray  # and their weights
    words: list[str]  # the terms, as words (the same order)
    entities: set[str]
    names: float  # idf weight of its entities
    outlets: set[str]
    day: int | None


class _Candidates:
    """The report units a unit can still meet, and the index that finds them.

    ``postings`` keeps, per word, the :data:`CANDIDATE_POSTINGS` latest report units
    that use it (all a unit may meet through that word). A unit is held (``live``,
    its vector in two packed arrays) while it is in some word's postings and inside
    the window of the units to come; units are met in date order, so a unit that falls
    out of the window is dropped, and so are the postings no dated unit can meet. An
    undated unit meets every window: when there are undated units (*keep_postings*)
    the postings are kept whole, and the units they name are fetched again from the
    database when an undated unit needs them.
    """

    def __init__(self, db: sqlite3.Connection, idf: Idf, window_days: int,
                 keep_postings: bool) -> None:
        self.db = db
        self.idf = idf
        self.window = window_days
        self.keep_postings = keep_postings
        self.postings: dict[str, tuple[list[int], list[int]]] = {}  # word -> units, days
        self.indexed: set[str] = set()  # words that ever had postings
        self.live: dict[int, _Unit] = {}
        self.refs: dict[int, int] = {}  # live unit -> its places in postings
        self.recent: deque[tuple[int, int]] = deque()  # (day, unit) of live dated units
        self.term_number: dict[str, int] = {}
        self.query = np.zeros(1024)
        self.starts: dict[int, int] = {}  # live unit -> where its vector is packed
        self.lengths: dict[int, int] = {}  # and its length
        self.packed_terms = np.zeros(1 << 16, dtype=np.int64)
        self.packed_weights = np.zeros(1 << 16)
        self.used = 0  # of the packed arrays
        self.held = 0  # of which the live units' part
        self.today: int | None = None
        self.added = 0

    def unit(self, blob: bytes, day: int | None) -> _Unit:
        """The unit stored as *blob* (see :func:`_link_chunk`); *day* moves the window on
        (units come in date order)."""
        words, weights, entities, names, outlets = pickle.loads(blob)
        number = self.term_number
        terms = np.array([number.setdefault(t, len(number)) for t in words], dtype=np.int64)
        if len(number) > len(self.query):
            self.query = np.zeros(2 * len(number))
        self.move_to(day)
        return _Unit(terms, np.array(weights, dtype=float), words, entities, names, outlets, day)

    def move_to(self, day: int | None) -> None:
        """Move the window on to *day* (the day of the unit met now)."""
        if day is not None and (self.today is None or day > self.today):
            self.today = day
            self._forget(day - self.window)

    def candidates(self, unit: _Unit, common: float) -> np.ndarray:
        """Earlier report units sharing one of *unit*'s rarer words (in the window)."""
        df = self.idf.df
        rare = sorted((f, t) for t in unit.words
                      if (f := df.get(t, 0)) <= common and t in self.indexed)
        found: set[int] = set()
        start = -(10**9) if unit.day is None else unit.day - self.window
        for _, t in rare[:CANDIDATE_TERMS]:
            plist = self.postings.get(t)
            if plist:
                units, days = plist
                found.update(units[bisect.bisect_left(days, start):])
        return np.array(sorted(found), dtype=np.int64)

    def add(self, k: int, unit: _Unit) -> None:
        """Index report unit *k* under its words."""
        day = _UNDATED if unit.day is None else unit.day
        for t in unit.words:
            plist = self.postings.get(t)
            if plist is None:
                plist = self.postings[t] = ([], [])
                self.indexed.add(t)
            units, days = plist
            if len(units) >= CANDIDATE_POSTINGS:
                self._unref(units.pop(0))
                del days[0]
            units.append(k)
            days.append(day)
        self.refs[k] = len(unit.words)
        self._hold(k, unit)
        if unit.day is not None:
            self.recent.append((unit.day, k))
        self.added += 1
        if not self.keep_postings and self.added % 8192 == 0 and self.today is not None:
            self._prune(self.today - self.window)

    def fetch(self, ids: list[int]) -> None:
        """Hold again the units among *ids* that were dropped (for an undated unit)."""
        missing = [j for j in ids if j not in self.live]
        for j in missing:
            date, blob = self.db.execute("SELECT date, unit FROM units WHERE id = ?",
                                         (j,)).fetchone()
            unit = self.unit(blob, None)
            unit.day = _ordinal(date)
            self.refs[j] = 1
            self._hold(j, unit)

    def cosines(self, unit: _Unit, cand: np.ndarray) -> np.ndarray:
        """Dot products of *unit*'s vector with the candidates' (gathered in one go)."""
        query, terms, weights = self.query, self.packed_terms, self.packed_weights
        query[unit.terms] = unit.weights
        ids = cand.tolist()
        if len(ids) == 1:
            starts = np.array([self.starts[ids[0]]])
            lengths = np.array([self.lengths[ids[0]]])
        else:  # looked up in one call each
            starts = np.array(itemgetter(*ids)(self.starts))
            lengths = np.array(itemgetter(*ids)(self.lengths))
        row_of = np.repeat(np.arange(len(cand)), lengths)
        positions = np.arange(int(lengths.sum())) + np.repeat(
            starts - np.cumsum(lengths) + lengths, lengths)
        out = np.bincount(row_of, weights=weights[positions] * query[terms[positions]],
                          minlength=len(cand))
        query[unit.terms] = 0.0
        return out

    def _hold(self, k: int, unit: _Unit) -> None:
        n = len(unit.terms)
        if self.used + n > len(self.packed_terms):
            self._compact(n)
        self.packed_terms[self.used:self.used + n] = unit.terms
        self.packed_weights[self.used:self.used + n] = unit.weights
        self.starts[k] = self.used
        self.lengths[k] = n
        self.used += n
        self.held += n
        self.live[k] = unit

    def _drop(self, k: int) -> None:
        unit = self.live.pop(k, None)
        if unit is not None:
            del self.starts[k], self.lengths[k]
            self.refs.pop(k, None)
            self.held -= len(unit.terms)

    def _unref(self, k: int) -> None:
        if k in self.refs:
            self.refs[k] -= 1
            if self.refs[k] == 0:
                self._drop(k)

    def _forget(self, cutoff: int) -> None:
        """Drop the units before *cutoff*: no dated unit to come can meet them."""
        while self.recent and self.recent[0][0] < cutoff:
            self._drop(self.recent.popleft()[1])

    def _prune(self, cutoff: int) -> None:
        """Drop the postings before *cutoff* (when no undated unit will need them)."""
        for units, days in self.postings.values():
            old = bisect.bisect_left(days, cutoff)
            if old:
                del units[:old], days[:old]
        self.postings = {t: plist for t, plist in self.postings.items() if plist[0]}

    def _compact(self, need: int) -> None:
        """Pack the live units' vectors anew (in a larger space if they fill half)."""
        size = len(self.packed_terms)
        while 2 * (self.held + need) > size:
            size *= 2
        terms, weights = np.zeros(size, dtype=np.int64), np.zeros(size)
        used = 0
        for k, start in self.starts.items():
            n = self.lengths[k]
            terms[used:used + n] = self.packed_terms[start:start + n]
            weights[used:used + n] = self.packed_weights[start:start + n]
            self.starts[k] = used
            used += n
        self.packed_terms, self.packed_weights, self.used = terms, weights, used


#: The day of an undated unit in the postings: after every date, so any window holds it.
_UNDATED = 10**9


def _mention_order(m: dict) -> tuple[str, str, int]:
    """Mentions in time: date (undated last), then article, sentence."""
    return (str(m["date"] or "~"), m["article_id"], m["sentence"])


def _unit_key(members: list[dict]) -> tuple[str, str, int]:
    """Canonical order of units: their earliest member's place in time."""
    first = min(members, key=_mention_order)
    return (str(first["date"] or "~"), str(first["article_id"]), int(first["sentence"]))


def track(rows: Iterable[dict] | pd.DataFrame, threshold: float = DEFAULT_THRESHOLD,
          window_days: int = DEFAULT_WINDOW_DAYS, jobs: int = 1) -> Ledger:
    """Build the ledger from scored sentence rows of any number of articles (in memory;
    :class:`Tracker` streams a corpus of any size)."""
    if isinstance(rows, pd.DataFrame):
        frame = rows.astype(object).where(rows.notna(), None)
        rows = frame.to_dict("records")
    by_article: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_article[str(row["article_id"])].append(row)
    with Tracker(threshold, window_days, jobs=jobs) as tracker:
        for article_rows in by_article.values():
            tracker.add_article(article_rows)
        return tracker.ledger()


# --------------------------------------------------------------------------- tables


def _ref(m: dict) -> str:
    return f"{m['article_id']}#{m['sentence']}"


#: Columns of the ledger tables that hold numbers (the others hold text or flags).
_NUMERIC = {"sentence", "link_score", "articles", "reports", "n_denial", "n_confirmation",
            "n_no_comment", "n_warning", "n_reassurance", "lag_days"}


def _table(records: list[tuple], columns: list[str]) -> pd.DataFrame:
    """A frame from already sorted tuples: text as Python objects (None for missing),
    numbers as numbers, without the intermediate copies of pandas' own conversions."""
    values = list(zip(*records, strict=True)) if records else [()] * len(columns)
    return pd.DataFrame({c: (pd.to_numeric(pd.Series(v, dtype=object)) if c in _NUMERIC
                             else pd.Series(v, dtype=object))
                         for c, v in zip(columns, values, strict=True)}, columns=columns)


#: Up to this many texts, a claim's central text is chosen by pairwise similarity;
#: beyond it, by a measure linear in the number of texts.
CENTRAL_EXACT = 64


def _central(texts: list[str]) -> str:
    """The text sharing most words with the others (ties: the shortest)."""
    if len(texts) <= 2:
        return min(texts, key=lambda t: (len(t), t))
    words = [set(terms(t)) for t in texts]
    if len(texts) > CENTRAL_EXACT:  # many tellings: share of each text's words in the others
        df = Counter(t for w in words for t in w)
        scores = [sum(df[t] - 1 for t in w) / max(1, len(w)) for w in words]
    else:  # summed Jaccard similarity with the others
        scores = [sum(len(w & v) / max(1, len(w | v)) for v in words) for w in words]
    return min(zip(texts, scores, strict=True), key=lambda ts: (-ts[1], len(ts[0]), ts[0]))[0]


def _claim_row(claim_id: str, reps: list[dict], resps: list[dict]) -> dict:
    """The claims table's row of a claim, from its report mentions and responses."""
    texts = [m["claim"] for m in reps] or [r["claim"] for r in resps]
    first = min(reps, key=_mention_order, default=None)
    stances = [r["stance"] for r in resps]
    # the status is what officials said (an unknown speaker may be one; a bystander's
    # denial does not make a claim "denied")
    official = [r["stance"] for r in resps if r["speaker_official"] is not False]
    if not reps:  # a claim raised by a response: that response is its status
        official = stances
    first_response = min((str(r["date"]) for r in resps if r["date"]), default=None)
    lag = None
    if first and first["date"] and first_response:
        lag = (pd.Timestamp(first_response) - pd.Timestamp(first["date"])).days
    named = sorted({r["outlet"] for r in reps} - set(UNNAMED))
    outlets = named or sorted({r["outlet"] for r in reps})
    return {
        "claim_id": claim_id, "summary": _central(texts) if texts else None,
        "status": status(official),
        "first_reported": first["date"] if first else None,
        "first_outlet": first["outlet"] if first else None,
        "outlets": "; ".join(outlets) or None,
        "articles": len({m["article_id"] for m in reps + resps}),
        "reports": len(reps),
        **{f"n_{s.replace('-', '_')}": stances.count(s)
           for s in ("denial", "confirmation", "no-comment", "warning", "reassurance")},
        "responders": "; ".join(sorted({f"{r['speaker'] or 'unattributed'} ({r['stance']})"
                                        for r in resps})) or None,
        "first_response": first_response, "lag_days": lag,
    }
