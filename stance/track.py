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
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from nltk.stem.porter import PorterStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from stance import lexicons
from stance.attribute import outlets_named
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
#: The most :meth:`Tracker.bonus` can add to a cosine.
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
    """Accumulate articles' scored rows, then build the :class:`Ledger`.

    Only the sentences with a stance are kept (plus word counts of all of them, for the
    idf), so memory grows with the reports and responses, not with the corpus.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD,
                 window_days: int = DEFAULT_WINDOW_DAYS) -> None:
        self.threshold = threshold
        self.window_days = window_days
        self.idf = Idf()
        self._articles: dict[str, list[dict]] = {}

    def add_article(self, rows: Sequence[dict]) -> None:
        """Add one article's rows (all its sentences; a later copy replaces an earlier)."""
        if not rows:
            return
        for row in rows:
            self.idf.add(row["text"])
        # the sentence after a report mention is read as part of it: keep it too
        after = {int(r["sentence"]) + 1 for r in rows if r["stance"] == "report-citation"}
        self._articles[str(rows[0]["article_id"])] = [
            {k: r.get(k) for k in _KEPT} for r in rows
            if r["stance"] != "none" or int(r["sentence"]) in after]

    def ledger(self) -> Ledger:
        """Link inside each article, group claims across articles, build the tables."""
        units: list[dict] = []
        reports_out: list[dict] = []
        responses_out: list[dict] = []
        for article_id in sorted(self._articles):
            reports, responses = link_article(self._articles[article_id], self.idf,
                                              self.threshold)
            unit_of_report = []
            for k, rep in enumerate(reports):
                answered = [r for r in responses if k in r["links"]]
                units.append({"mentions": rep, "responses": answered,
                              "key": _unit_key(rep),
                              "outlets": {m["outlet"] for m in rep} - set(UNNAMED),
                              "text": " ".join([m["claim"] for m in rep]
                                               + [r["claim"] for r in answered])})
                unit_of_report.append(len(units) - 1)
                reports_out.extend(rep)
            for r in responses:
                # the report mentions it answers; its own sentence only when the report
                # is named nowhere else ("declined to comment on reports that ...")
                answered = [m for k in r["links"] for m in reports[k]]
                r["link_mentions"] = [m for m in answered if m["sentence"] != r["sentence"]] \
                    or answered
                r["unit"] = unit_of_report[r["links"][0]] if r["links"] else None
                if not r["links"] and r["stance"] in CLAIM_STANCES:
                    units.append({"mentions": [], "responses": [r], "key": _unit_key([r]),
                                  "outlets": set(), "text": r["claim"]})
                    r["unit"] = len(units) - 1
                responses_out.append(r)
        claim_of_unit = self._group(units)
        for k, unit in enumerate(units):
            for m in unit["mentions"]:
                m["claim_id"] = claim_of_unit[k]
        for r in responses_out:
            r["claim_id"] = claim_of_unit[r["unit"]] if r["unit"] is not None else None
        return Ledger(_reports_frame(reports_out), _responses_frame(responses_out),
                      _claims_frame(reports_out, responses_out))

    def _group(self, units: list[dict]) -> list[str]:
        """Claim id of each unit: greedy single-link grouping in canonical order.

        Each unit is compared with the earlier report units that lie within the window
        and share one of its rarer words (an inverted index kept in date order; see
        :data:`CANDIDATE_MAX_SHARE` and :data:`CANDIDATE_TERMS`), so the work per unit is
        bounded and grows with neither the corpus nor its density.
        """
        order = sorted(range(len(units)), key=lambda k: units[k]["key"])
        vectors = [self.idf.vector(u["text"]) for u in units]
        entities = [_entities(u["text"]) for u in units]
        days = [_ordinal(u["key"][0]) for u in units]
        day_array = np.array([np.nan if d is None else d for d in days], dtype=float)
        names = [self._weights(e) for e in entities]  # idf weight of each unit's names
        matrix = _matrix(vectors)
        indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
        query = np.zeros(matrix.shape[1])  # the unit being placed, as a dense row
        undated = 10**9  # undated units sort last and meet every window
        common = max(CANDIDATE_MIN_DF, CANDIDATE_MAX_SHARE * self.idf.n)
        claim_of: dict[int, int] = {}  # unit -> first unit of its claim
        postings: dict[str, list[int]] = defaultdict(list)  # term -> report units, by date
        posting_days: dict[str, list[int]] = defaultdict(list)
        for k in order:
            rare = sorted((df, t) for t in vectors[k]
                          if (df := self.idf.df.get(t, 0)) <= common and t in postings)
            candidates: set[int] = set()
            for _, t in rare[:CANDIDATE_TERMS]:
                plist = postings[t]
                start = 0
                if days[k] is not None:
                    start = bisect.bisect_left(posting_days[t], days[k] - self.window_days)
                candidates.update(plist[max(start, len(plist) - CANDIDATE_POSTINGS):])
            best, best_sim = None, self.threshold
            if candidates:
                cand = np.fromiter(sorted(candidates), dtype=np.int64)
                if days[k] is not None:
                    near = np.abs(day_array[cand] - days[k]) <= self.window_days
                    cand = cand[near | np.isnan(day_array[cand])]
                cosines = _cosines(k, cand, indptr, indices, data, query)
                # most similar first; stop once no bonus could beat the best so far, or
                # after the CANDIDATE_EVALUATIONS most similar
                ranked = np.lexsort((-cand, -cosines))[:CANDIDATE_EVALUATIONS]
                for i in ranked.tolist():
                    if cosines[i] + MAX_BONUS < best_sim:
                        break
                    j = int(cand[i])
                    sim = cosines[i] + self.bonus(units[k], units[j], entities[k], entities[j],
                                                  names[k] + names[j])
                    if sim > best_sim or (sim == best_sim and (best is None or j > best)):
                        best, best_sim = j, sim
            claim_of[k] = claim_of[best] if best is not None else k
            if units[k]["mentions"]:  # only reports gather a claim
                for t in vectors[k]:
                    postings[t].append(k)
                    posting_days[t].append(days[k] if days[k] is not None else undated)
        first = {}
        for k in order:
            first.setdefault(claim_of[k], units[k]["key"])
        return [_claim_id(*first[claim_of[k]][1:3]) for k in range(len(units))]

    def bonus(self, a: dict, b: dict, ea: set, eb: set, both: float) -> float:
        """Up to 0.15 for shared names (idf-weighted share), 0.1 for a shared outlet.
        *both* is the summed weight of *ea* and *eb* (known per unit beforehand)."""
        sim = 0.0
        shared = ea & eb
        if shared:
            weight = self._weights(shared)
            sim += 0.15 * weight / (both - weight)  # of the names in either
        if a["outlets"] & b["outlets"]:
            sim += 0.1
        return sim

    def _weights(self, names: set[str]) -> float:
        return sum(self.idf.weight(e) for e in names)


def _cosines(k: int, cand: np.ndarray, indptr: np.ndarray, indices: np.ndarray,
             data: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Dot products of row *k* with rows *cand* of a CSR matrix given by its arrays
    (*query* is an all-zero scratch row, left all zero): the candidates' entries are
    gathered in one go, without building a sub-matrix per unit."""
    lo, hi = indptr[k], indptr[k + 1]
    query[indices[lo:hi]] = data[lo:hi]
    starts = indptr[cand]
    lengths = indptr[cand + 1] - starts
    row_of = np.repeat(np.arange(len(cand)), lengths)
    positions = np.arange(int(lengths.sum())) + np.repeat(
        starts - np.cumsum(lengths) + lengths, lengths)
    out = np.bincount(row_of, weights=data[positions] * query[indices[positions]],
                      minlength=len(cand))
    query[indices[lo:hi]] = 0.0
    return out


def _matrix(vectors: list[dict[str, float]]):
    """The vectors as rows of a sparse matrix (scipy CSR), for fast dot products."""
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for vec in vectors:
        for t, v in vec.items():
            indices.append(vocabulary.setdefault(t, len(vocabulary)))
            data.append(v)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(vectors), max(1, len(vocabulary))))


def _unit_key(members: list[dict]) -> tuple[str, str, int]:
    """Canonical order of units: earliest date (undated last), then article, sentence."""
    first = min(members, key=lambda m: (str(m["date"] or "~"), m["article_id"], m["sentence"]))
    return (str(first["date"] or "~"), str(first["article_id"]), int(first["sentence"]))


def track(rows: Iterable[dict] | pd.DataFrame, threshold: float = DEFAULT_THRESHOLD,
          window_days: int = DEFAULT_WINDOW_DAYS) -> Ledger:
    """Build the ledger from scored sentence rows of any number of articles."""
    if isinstance(rows, pd.DataFrame):
        frame = rows.astype(object).where(rows.notna(), None)
        rows = frame.to_dict("records")
    by_article: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_article[str(row["article_id"])].append(row)
    tracker = Tracker(threshold, window_days)
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


def _reports_frame(reports: list[dict]) -> pd.DataFrame:
    rows = sorted((tuple(r.get(c) for c in REPORT_COLUMNS) for r in reports),
                  key=lambda t: (t[0], t[2], t[3]))
    return _table(rows, REPORT_COLUMNS)


def _responses_frame(responses: list[dict]) -> pd.DataFrame:
    rows = []
    for r in responses:
        links = ";".join(_ref(m) for m in r["link_mentions"]) or None
        rows.append(tuple(links if c == "links" else r.get(c) for c in RESPONSE_COLUMNS))
    rows.sort(key=lambda t: (t[0] or "~", t[4], t[5]))
    return _table(rows, RESPONSE_COLUMNS)


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


def _claims_frame(reports: list[dict], responses: list[dict]) -> pd.DataFrame:
    by_claim: dict[str, dict] = defaultdict(lambda: {"reports": [], "responses": []})
    for r in reports:
        by_claim[r["claim_id"]]["reports"].append(r)
    for r in responses:
        if r["claim_id"] is not None:
            by_claim[r["claim_id"]]["responses"].append(r)
    rows = []
    for cid, members in sorted(by_claim.items()):
        reps, resps = members["reports"], members["responses"]
        texts = [m["claim"] for m in reps] or [r["claim"] for r in resps]
        dated = sorted(reps, key=lambda r: (str(r["date"] or "~"), r["article_id"], r["sentence"]))
        first = dated[0] if dated else None
        stances = [r["stance"] for r in resps]
        # the status is what officials said (an unknown speaker may be one; a
        # bystander's denial does not make a claim "denied")
        official = [r["stance"] for r in resps if r["speaker_official"] is not False]
        if not reps:  # a claim raised by a response: that response is its status
            official = stances
        first_response = min((str(r["date"]) for r in resps if r["date"]), default=None)
        lag = None
        if first and first["date"] and first_response:
            lag = (pd.Timestamp(first_response) - pd.Timestamp(first["date"])).days
        named = sorted({r["outlet"] for r in reps} - set(UNNAMED))
        outlets = named or sorted({r["outlet"] for r in reps})
        rows.append({
            "claim_id": cid, "summary": _central(texts) if texts else None,
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
        })
    return _table([tuple(r[c] for c in CLAIM_COLUMNS) for r in rows], CLAIM_COLUMNS)
