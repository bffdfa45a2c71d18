"""Source reliability: how each outlet's reports and each official's denials held up.

From a ledger (:mod:`stance.ledger`) and the outcomes users record
(:mod:`stance.outcomes`):

- **outlets** (every named source of report mentions): the claims it reported, how
  officials answered them (the claims' statuses), and, where outcomes exist, how many
  were borne out or refuted. Its reliability is the posterior of "its reports are borne
  out": Beta(a + borne out, b + refuted) for a Beta(a, b) prior;
- **officials** (each speaker flagged official, and, aggregated, their organisation):
  responses by stance, denials that held (the claim was refuted) or were contradicted
  (the claim was confirmed), confirmations that held or were refuted. Reliability is the
  posterior of "their denials hold up";
- **periods**: the same per month (or week, quarter, year), so a record's change over
  time shows.

The estimate is the posterior mean with a central credible interval (90% by default).
The prior, Beta(1, 1) by default, is uniform: with no outcomes an outlet scores 0.5
with an interval of 0.05-0.95, so one outlet with two reports borne out (0.75,
0.37-0.98) does not outrank one with 200 (0.995, 0.99-1.00). A prior of Beta(a, b)
weighs as a + b - 2 outcomes already seen: raise it to demand more evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd
from scipy.stats import beta

from stance import lexicons
from stance.outcomes import Outcome
from stance.track import UNNAMED, Ledger

DEFAULT_PRIOR = (1.0, 1.0)
DEFAULT_LEVEL = 0.90
PERIODS = {"week": "W", "month": "M", "quarter": "Q", "year": "Y"}
STATUSES = ("denied", "confirmed", "disputed", "responded without denial", "no comment",
            "unanswered")
#: Words that name a person's role, not an organisation ("Kremlin spokesman").
_TITLES = frozenset(lexicons.words("person_titles.txt"))
#: Nouns that make a phrase an organisation ("harbour authority", "the Kremlin").
_INSTITUTIONS = frozenset(lexicons.words("institutions.txt"))
_PARTICLES = {"al", "el", "bin", "ibn", "van", "von", "de", "da", "del", "della", "di", "du",
              "la", "le", "dos"}


@dataclass
class Reliability:
    """The three tables (columns documented in the README)."""

    outlets: pd.DataFrame
    officials: pd.DataFrame
    periods: pd.DataFrame


def posterior(successes: int, failures: int, prior: tuple[float, float] = DEFAULT_PRIOR,
              level: float = DEFAULT_LEVEL) -> tuple[float, float, float]:
    """Mean and central *level* credible interval of Beta(a + successes, b + failures)."""
    a, b = prior[0] + successes, prior[1] + failures
    tail = (1 - level) / 2
    return (round(a / (a + b), 4), round(float(beta.ppf(tail, a, b)), 4),
            round(float(beta.ppf(1 - tail, a, b)), 4))


def _official_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicons.words("official_terms.txt"))


def identity(speaker: str) -> tuple[str | None, str | None]:
    """(person, organisation) of a speaker phrase: "Kremlin spokesman Dmitry Peskov" ->
    ("Dmitry Peskov", "Kremlin"); "harbour authority spokeswoman Elena Vasquez" ->
    ("Elena Vasquez", "harbour authority"); "the environment ministry" -> (None,
    "environment ministry"); "Finance Minister Ana Kostova" -> ("Ana Kostova", None): a
    title names no organisation."""
    words = speaker.replace("’", "'").split()
    official = _official_words()
    k = len(words)
    while k > 0 and (words[k - 1][:1].isupper() or words[k - 1].lower() in _PARTICLES) \
            and words[k - 1].lower().strip(",.").removesuffix("'s") not in official:
        k -= 1
    if len(words) - k >= 3 and k > 0 and words[k - 1].islower():
        k = len(words) - 2  # "Ambassador in Brennick Piotr Halas": a place, then a name
    person = " ".join(words[k:]).strip(",") or None
    rest = [w for w in words[:k] if w.lower().strip(",.") not in _TITLES]
    while rest and rest[0].lower() in ("the", "a", "an", "for", "of", "at", "from", "in"):
        rest = rest[1:]
    org = " ".join(rest).strip(" ,") or None
    if org:
        names = org.split()
        institution = any(w.lower().strip(",.").removesuffix("'s") in _INSTITUTIONS
                          for w in names)
        capitalised = any(w[:1].isupper() for w in names)
        if not ((institution and (len(names) > 1 or capitalised))
                or (person is None and capitalised and not org.endswith("'s"))):
            org = None  # "Environment", "ministry", "Port Ardell's": no organisation
    return person, org


def _canonical_people(names: list[str]) -> dict[str, str]:
    """Map a bare surname to the fullest name ending in it ("Peskov" -> "Dmitry Peskov")."""
    full = Counter(n for n in names if len(n.split()) > 1)
    out = {}
    for name in set(names):
        if len(name.split()) == 1:
            longer = [f for f in full if f.split()[-1].lower() == name.lower()]
            if longer:
                out[name] = max(longer, key=lambda f: (full[f], f))
                continue
        out[name] = name
    return out


def _most_common(counts: Counter) -> str | None:
    """The most frequent key (ties: the alphabetically first), None when empty."""
    return min(counts, key=lambda k: (-counts[k], k)) if counts else None


def _period(date, period: str) -> str:
    if date is None or (isinstance(date, float) and date != date):
        return "undated"
    return str(pd.Timestamp(date).to_period(PERIODS[period]))


def _outlet_rows(ledger: Ledger, outcomes: dict[str, Outcome], prior, level,
                 period: str | None = None) -> list[dict]:
    status = dict(zip(ledger.claims["claim_id"], ledger.claims["status"], strict=True))
    first = dict(zip(ledger.claims["claim_id"], ledger.claims["first_reported"], strict=True))
    claims_of: dict[tuple, set] = defaultdict(set)
    mentions: Counter = Counter()
    dates: dict[tuple, list] = defaultdict(list)
    for row in ledger.reports.itertuples(index=False):
        if row.outlet in UNNAMED or row.outlet is None:
            continue
        key = (row.outlet, _period(first.get(row.claim_id), period) if period else None)
        claims_of[key].add(row.claim_id)
        mentions[key] += 1
        if row.date:
            dates[key].append(str(row.date))
    rows = []
    for (outlet, when), claims in claims_of.items():
        results = Counter(outcomes[c].outcome for c in claims if c in outcomes)
        statuses = Counter(status[c] for c in claims)
        mean, low, high = posterior(results["confirmed"], results["refuted"], prior, level)
        row = {"outlet": outlet}
        if period:
            row["period"] = when
        row.update({
            "claims": len(claims), "mentions": mentions[(outlet, when)],
            **{s.replace(" ", "_"): statuses[s] for s in STATUSES},
            "borne_out": results["confirmed"], "refuted": results["refuted"],
            "resolved": results["confirmed"] + results["refuted"],
            "reliability": mean, "low": low, "high": high,
            "first_report": min(dates[(outlet, when)], default=None),
            "last_report": max(dates[(outlet, when)], default=None),
        })
        rows.append(row)
    return rows


def _official_rows(ledger: Ledger, outcomes: dict[str, Outcome], prior, level,
                   period: str | None = None) -> list[dict]:
    responses = [r for r in ledger.responses.to_dict("records")
                 if r["speaker"] and r["speaker_official"] in (True, "True")]
    ids = [identity(str(r["speaker"])) for r in responses]
    shown: dict[str, Counter] = defaultdict(Counter)  # "Harbour authority" as most write it
    for _, org in ids:
        if org:
            shown[org.lower()][org] += 1
    ids = [(p, _most_common(shown[o.lower()]) if o else None) for p, o in ids]
    people = _canonical_people([p for p, _ in ids if p])
    org_of_person: dict[str, Counter] = defaultdict(Counter)
    for person, org in ids:
        if person and org:
            org_of_person[people[person]][org] += 1
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r, (person, org) in zip(responses, ids, strict=True):
        when = _period(r["date"], period) if period else None
        if person:
            person = people[person]
            usual = _most_common(org_of_person[person])
            groups[("person", person, usual, when)].append(r)
            org = org or usual
        elif not org:
            org = str(r["speaker"])  # a role alone ("Port Ardell's mayor"): its own source
            groups[("person", org, None, when)].append(r)
            continue
        if org:
            groups[("organisation", org, None, when)].append(r)
    rows = []
    for (level_, name, org, when), items in groups.items():
        stances = Counter(r["stance"] for r in items)

        def resolved(stance: str, outcome: str, items=items) -> int:
            return sum(1 for r in items if r["stance"] == stance and r["claim_id"] in outcomes
                       and outcomes[r["claim_id"]].outcome == outcome)

        held, contradicted = resolved("denial", "refuted"), resolved("denial", "confirmed")
        mean, low, high = posterior(held, contradicted, prior, level)
        row = {"level": level_, "source": name, "organisation": org}
        if period:
            row["period"] = when
        dated = sorted(str(r["date"]) for r in items if r["date"])
        row.update({
            "responses": len(items), "denials": stances["denial"],
            "confirmations": stances["confirmation"], "no_comments": stances["no-comment"],
            "warnings": stances["warning"], "reassurances": stances["reassurance"],
            "denials_held": held, "denials_contradicted": contradicted,
            "confirmations_held": resolved("confirmation", "confirmed"),
            "confirmations_refuted": resolved("confirmation", "refuted"),
            "reliability": mean, "low": low, "high": high,
            "first_response": dated[0] if dated else None,
            "last_response": dated[-1] if dated else None,
        })
        rows.append(row)
    return rows


def _by_evidence(rows: list[dict], resolved: str, volume: str, name: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    keys = [c for c in ("period",) if c in frame.columns]
    return frame.sort_values([*keys, resolved, volume, name],
                             ascending=[True] * len(keys) + [False, False, True],
                             ignore_index=True)


def reliability(ledger: Ledger, outcomes: dict[str, Outcome],
                prior: tuple[float, float] = DEFAULT_PRIOR, level: float = DEFAULT_LEVEL,
                period: str = "month") -> Reliability:
    """The outlet, official and per-period tables, sorted by evidence."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    outlets = _by_evidence(_outlet_rows(ledger, outcomes, prior, level), "resolved",
                           "claims", "outlet")
    officials_rows = _official_rows(ledger, outcomes, prior, level)
    for row in officials_rows:
        row["resolved"] = row["denials_held"] + row["denials_contradicted"]
    officials = _by_evidence(officials_rows, "resolved", "responses", "source")
    periods = []
    for row in _outlet_rows(ledger, outcomes, prior, level, period):
        periods.append({"kind": "outlet", "name": row["outlet"], "period": row["period"],
                        "items": row["claims"], "borne_out_or_held": row["borne_out"],
                        "refuted_or_contradicted": row["refuted"],
                        "reliability": row["reliability"], "low": row["low"],
                        "high": row["high"]})
    for row in _official_rows(ledger, outcomes, prior, level, period):
        if row["level"] != "person":
            continue
        periods.append({"kind": "official", "name": row["source"], "period": row["period"],
                        "items": row["responses"], "borne_out_or_held": row["denials_held"],
                        "refuted_or_contradicted": row["denials_contradicted"],
                        "reliability": row["reliability"], "low": row["low"],
                        "high": row["high"]})
    period_frame = pd.DataFrame(periods)
    if not period_frame.empty:
        period_frame = period_frame.sort_values(["kind", "name", "period"], ignore_index=True)
    return Reliability(outlets, officials, period_frame)


def table(frame: pd.DataFrame, name: str, volume: str, limit: int = 15,
          width: int = 100) -> list[str]:
    """A terminal table: name, volume, resolved, estimate and its interval as a bar."""
    if frame.empty:
        return [f"no {name}s"]
    bar = 20
    lines = [f"{name:<34} {volume:>9} {'resolved':>8}  estimate  interval"]
    for row in frame.head(limit).to_dict("records"):
        lo, hi = int(row["low"] * bar), max(int(row["low"] * bar) + 1, round(row["high"] * bar))
        mark = min(bar - 1, int(row["reliability"] * bar))
        cells = [" "] * bar
        for i in range(lo, min(hi, bar)):
            cells[i] = "-"
        cells[mark] = "|"
        label = str(row.get("outlet") or row.get("source"))
        if row.get("level") == "organisation":
            label += " (org)"
        label = label if len(label) <= 34 else label[:33] + "…"
        lines.append(f"{label:<34} {row[volume]:>9} {row['resolved']:>8}  "
                     f"{row['reliability']:>8.2f}  [{''.join(cells)}] "
                     f"{row['low']:.2f}-{row['high']:.2f}")
    if len(frame) > limit:
        lines.append(f"... and {len(frame) - limit} more")
    return lines
