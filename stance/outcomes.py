"""How claims resolved: the outcomes file, and fact-checkers' ClaimReview.

An outcomes file is a small CSV users keep beside a ledger::

    claim_id,article_id,sentence,outcome,date,evidence
    C4a9f827398,,,refuted,2026-06-02,https://example.org/inspection-report
    ,harbour,1,refuted,2026-06-02,inspectors' report

Each row names a claim by ``claim_id``, or by a report mention (``article_id`` and
``sentence``, which never change when claims regroup), and gives its ``outcome``:
``confirmed`` (the report was borne out), ``refuted`` or ``unresolved``; ``date`` and
``evidence`` (a URL or a note) are optional. :func:`check` names every problem with its
line; :func:`read` refuses a file with any.

ClaimReview (https://schema.org/ClaimReview) is the JSON-LD fact-checkers publish:
:func:`from_claimreview` matches reviews to ledger claims by text similarity and turns
their ratings into outcomes (with the match score, for review); :func:`to_claimreview`
writes resolved claims back out.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from stance._csv import records
from stance.dataset import Problem
from stance.dates import parse_date
from stance.errors import DataError, StanceError
from stance.track import Ledger, cosine, terms

OUTCOMES = ("confirmed", "refuted", "unresolved")
COLUMNS = ("claim_id", "article_id", "sentence", "outcome", "date", "evidence")
#: ClaimReview matches below this similarity are left for the user to assign.
DEFAULT_MIN_MATCH = 0.3
_TRUE = {"true", "correct", "accurate", "mostly true", "confirmed", "verified"}
_FALSE = {"false", "pants on fire", "pants on fire!", "fake", "incorrect", "mostly false",
          "fabricated", "hoax", "wrong", "debunked", "refuted", "not true"}


@dataclass(frozen=True)
class Outcome:
    """How one claim resolved, and where the user said so."""

    claim_id: str
    outcome: str
    date: str | None
    evidence: str | None
    line: int


# --------------------------------------------------------------------------- the CSV


def check(path: str | os.PathLike, ledger: Ledger) -> tuple[dict[str, Outcome], list[Problem]]:
    """Validate an outcomes file against *ledger*: the outcomes by claim id, and every
    problem with its line (unknown ids, bad outcome values, bad dates, duplicates)."""
    name = str(path)
    problems: list[Problem] = []
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return {}, [Problem(name, None, f"cannot read: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, [Problem(name, None, "not valid UTF-8")]
    if not text.strip():
        return {}, [Problem(name, None, "empty file")]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    if "outcome" not in header or not ("claim_id" in header or
                                       {"article_id", "sentence"} <= set(header)):
        return {}, [Problem(name, 1, "needs an 'outcome' column and 'claim_id' (or "
                                     f"'article_id' and 'sentence'); found: {', '.join(header)}")]
    claims = set(ledger.claims["claim_id"])
    by_mention = {(str(a), int(s)): c for a, s, c in
                  ledger.reports[["article_id", "sentence", "claim_id"]].itertuples(index=False)}
    found: dict[str, Outcome] = {}
    for line, fields, error in records(reader):
        if error is not None or len(fields) != len(header):
            problems.append(Problem(name, line, error or
                                    f"{len(fields)} fields, expected {len(header)}"))
            continue
        row = {k: v.strip() for k, v in zip(header, fields, strict=True)}
        outcome = row.get("outcome", "").lower()
        if outcome not in OUTCOMES:
            close = difflib.get_close_matches(outcome, OUTCOMES, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(name, line, f"outcome {row.get('outcome')!r} is not one of "
                                                f"{', '.join(OUTCOMES)}{hint}"))
            continue
        claim_id = row.get("claim_id") or None
        if claim_id is None:
            article, sentence = row.get("article_id", ""), row.get("sentence", "")
            if not article or not sentence.isdigit():
                problems.append(Problem(name, line, "no claim_id, and no article_id and "
                                                    "sentence of a report"))
                continue
            claim_id = by_mention.get((article, int(sentence)))
            if claim_id is None:
                problems.append(Problem(name, line, f"{article}#{sentence} is not a report "
                                                    "mention in the ledger"))
                continue
        elif claim_id not in claims:
            close = difflib.get_close_matches(claim_id, sorted(claims), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(Problem(name, line, f"unknown claim id {claim_id}{hint}"))
            continue
        date = row.get("date") or None
        if date is not None and parse_date(date) is None:
            problems.append(Problem(name, line, f"date {date!r} is not a date"))
            continue
        if claim_id in found:
            problems.append(Problem(name, line, f"claim {claim_id} already resolved on line "
                                                f"{found[claim_id].line}"))
            continue
        found[claim_id] = Outcome(claim_id, outcome,
                                  parse_date(date).isoformat() if date else None,
                                  row.get("evidence") or None, line)
    return found, problems


def read(path: str | os.PathLike | None, ledger: Ledger) -> dict[str, Outcome]:
    """The outcomes of *path* by claim id (none when *path* is None); raises
    :class:`~stance.errors.DataError` listing every problem if there is any."""
    if path is None:
        return {}
    found, problems = check(path, ledger)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = "; ".join(str(p) for p in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise DataError(f"{len(errors)} problem(s) in the outcomes file: {first}{more}",
                        errors)
    return found


def unresolved(ledger: Ledger, outcomes: dict[str, Outcome]) -> list[dict]:
    """Reported claims with no outcome yet (or ``unresolved``): a template to fill in."""
    rows = []
    claims = ledger.claims[ledger.claims["reports"].astype(int) > 0]
    first_mention = {}
    mentions = ledger.reports.assign(_d=ledger.reports["date"].fillna("~"))
    for a, s, c in mentions.sort_values(["_d", "article_id", "sentence"])[
            ["article_id", "sentence", "claim_id"]].itertuples(index=False):
        first_mention.setdefault(c, (a, s))
    for row in claims.sort_values(["first_reported", "claim_id"], na_position="last").itertuples():
        done = outcomes.get(row.claim_id)
        if done is not None and done.outcome != "unresolved":
            continue
        article, sentence = first_mention.get(row.claim_id, (None, None))
        rows.append({"claim_id": row.claim_id, "article_id": article, "sentence": sentence,
                     "outcome": "unresolved", "date": None, "evidence": None,
                     "status": row.status, "outlets": row.outlets, "summary": row.summary})
    return rows


# --------------------------------------------------------------------------- ClaimReview


def _reviews(obj) -> Iterable[dict]:
    """Every ClaimReview object in a JSON-LD document (lists and @graph included)."""
    if isinstance(obj, list):
        for item in obj:
            yield from _reviews(item)
    elif isinstance(obj, dict):
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "ClaimReview" in kinds:
            yield obj
        for key in ("@graph", "itemListElement", "item"):
            if key in obj:
                yield from _reviews(obj[key])


def rating_outcome(rating: dict | None) -> str:
    """A ClaimReview ``reviewRating`` as an outcome: by its name ("False", "Mostly
    true"), else by where ``ratingValue`` lies between ``worstRating`` and ``bestRating``
    (top quarter confirmed, bottom quarter refuted)."""
    if not isinstance(rating, dict):
        return "unresolved"
    name = str(rating.get("alternateName") or rating.get("name") or "").strip().lower()
    if name in _TRUE:
        return "confirmed"
    if name in _FALSE:
        return "refuted"
    try:
        value = float(rating["ratingValue"])
        best = float(rating.get("bestRating", 5))
        worst = float(rating.get("worstRating", 1))
        share = (value - worst) / (best - worst)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return "unresolved"
    if math.isnan(share):
        return "unresolved"
    return "confirmed" if share >= 0.75 else "refuted" if share <= 0.25 else "unresolved"


def _claim_texts(ledger: Ledger) -> dict[str, str]:
    texts: dict[str, list[str]] = {}
    for c, claim in ledger.reports[["claim_id", "claim"]].itertuples(index=False):
        texts.setdefault(c, []).append(str(claim or ""))
    for c, summary in ledger.claims[["claim_id", "summary"]].itertuples(index=False):
        texts.setdefault(c, []).append(str(summary or ""))
    return {c: " ".join(t) for c, t in texts.items()}


def from_claimreview(paths: Iterable[str | os.PathLike], ledger: Ledger,
                     min_match: float = DEFAULT_MIN_MATCH) -> list[dict]:
    """Outcome rows for the ClaimReviews in *paths*, each matched to the most similar
    ledger claim (``match_score``: tf-idf cosine of the texts). A review matching no
    claim at *min_match* or more gets no ``claim_id`` (its best guess is kept in
    ``best_match``), so the file will not validate until someone decides."""
    from stance.track import Idf

    reviews = []
    for path in paths:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StanceError(f"{path}: not readable JSON-LD ({exc})") from None
        found = list(_reviews(doc))
        if not found:
            raise StanceError(f"{path}: no ClaimReview in it")
        reviews += found
    texts = _claim_texts(ledger)
    idf = Idf()
    for text in list(texts.values()) + [str(r.get("claimReviewed", "")) for r in reviews]:
        idf.add(text)
    vectors = {c: idf.vector(t) for c, t in texts.items()}
    rows = []
    for review in reviews:
        claimed = str(review.get("claimReviewed") or "")
        vec = idf.vector(claimed)
        scored = sorted(((cosine(vec, v), c) for c, v in vectors.items()), reverse=True)
        score, best = scored[0] if scored and terms(claimed) else (0.0, None)
        date = review.get("datePublished")
        rows.append({
            "claim_id": best if score >= min_match else None,
            "article_id": None, "sentence": None,
            "outcome": rating_outcome(review.get("reviewRating")),
            "date": parse_date(date).isoformat() if parse_date(date) else None,
            "evidence": review.get("url") or None,
            "match_score": round(score, 3),
            "best_match": best,
            "claim_reviewed": claimed,
        })
    return rows


def to_claimreview(ledger: Ledger, outcomes: dict[str, Outcome],
                   author: str = "stance") -> list[dict]:
    """Resolved claims (confirmed or refuted) as schema.org ClaimReview objects."""
    claims = ledger.claims.set_index("claim_id")
    out = []
    for claim_id in sorted(outcomes):
        outcome = outcomes[claim_id]
        if outcome.outcome == "unresolved":
            continue
        claim = claims.loc[claim_id]
        true = outcome.outcome == "confirmed"
        item = {"@type": "Claim", "identifier": claim_id}
        if claim["first_outlet"]:
            item["author"] = {"@type": "Organization", "name": claim["first_outlet"]}
        if claim["first_reported"]:
            item["datePublished"] = claim["first_reported"]
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": claim["summary"],
            "itemReviewed": item,
            "author": {"@type": "Organization", "name": author},
            "reviewRating": {"@type": "Rating", "ratingValue": 5 if true else 1,
                             "bestRating": 5, "worstRating": 1,
                             "alternateName": "True" if true else "False"},
        }
        if outcome.date:
            review["datePublished"] = outcome.date
        if outcome.evidence and outcome.evidence.startswith(("http://", "https://")):
            review["url"] = outcome.evidence
        elif outcome.evidence:
            review["reviewBody"] = outcome.evidence
        out.append(review)
    return out
