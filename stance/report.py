"""One self-contained HTML report of a ledger: open it, share it, print it.

:func:`render` returns the page: a summary, a timeline of claims (first report, each
response by stance, the outcome), the reliability of outlets and officials with their
credible intervals drawn, a drill-down per claim with the sentences and links that
justify each entry, and the model card's summary. Charts are inline SVG and the styles
inline CSS: the file needs no network and no other file to be viewed. It reads on a
narrow screen (tables scroll sideways, the timeline scales) and prints with every
drill-down opened.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict

import pandas as pd

from stance import __version__
from stance.outcomes import Outcome
from stance.reliability import Reliability
from stance.track import Ledger

STANCE_STYLE = {  # colour, SVG marker
    "denial": ("#c0392b", "cross"),
    "confirmation": ("#1e8449", "check"),
    "no-comment": ("#7f8c8d", "circle"),
    "warning": ("#d68910", "triangle"),
    "reassurance": ("#2471a3", "diamond"),
}
STATUS_COLOUR = {"denied": "#c0392b", "confirmed": "#1e8449", "disputed": "#8e44ad",
                 "no comment": "#7f8c8d", "responded without denial": "#2471a3",
                 "unanswered": "#aab7b8"}
OUTCOME_COLOUR = {"confirmed": "#1e8449", "refuted": "#c0392b", "unresolved": "#7f8c8d"}

_CSS = """
:root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c2833;
line-height:1.45}
body{margin:0 auto;max-width:1100px;padding:1rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;border-bottom:2px solid #d5d8dc;
padding-bottom:.2rem;margin-top:2rem}h3{font-size:1rem;margin:.2rem 0}
.muted{color:#5d6d7e}.small{font-size:.85rem}
.cards{display:flex;flex-wrap:wrap;gap:.6rem}.card{border:1px solid #d5d8dc;
border-radius:6px;padding:.5rem .8rem;min-width:8rem}.card b{display:block;font-size:1.4rem}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #e5e8e8;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#f4f6f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;border-radius:3px;padding:0 .35rem;color:#fff;font-size:.8rem;
white-space:nowrap}
details{border:1px solid #d5d8dc;border-radius:6px;margin:.5rem 0;padding:.3rem .6rem}
summary{cursor:pointer}summary h3{display:inline}
.legend span{margin-right:1rem;white-space:nowrap}svg{max-width:100%;height:auto}
.scroll>svg{min-width:680px}
@media (max-width:640px){body{padding:.5rem}td,th{padding:.2rem}}
@media print{body{max-width:none}details{break-inside:avoid}.noprint{display:none}
a{color:inherit}}
"""
_PRINT_JS = ("window.addEventListener('beforeprint',function(){document.querySelectorAll"
             "('details').forEach(function(d){d.open=true})});")


def _e(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value))


def _date(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        return None


def _marker(kind: str, x: float, y: float, colour: str, title: str) -> str:
    t = f"<title>{_e(title)}</title>"
    if kind == "cross":
        return (f'<g stroke="{colour}" stroke-width="2.5">{t}<line x1="{x-5}" y1="{y-5}" '
                f'x2="{x+5}" y2="{y+5}"/><line x1="{x-5}" y1="{y+5}" x2="{x+5}" y2="{y-5}"/></g>')
    if kind == "check":
        return (f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                f'points="{x-5},{y} {x-1},{y+5} {x+6},{y-6}">{t}</polyline>')
    if kind == "triangle":
        return (f'<polygon fill="{colour}" points="{x},{y-6} {x+6},{y+5} {x-6},{y+5}">'
                f'{t}</polygon>')
    if kind == "diamond":
        return (f'<polygon fill="{colour}" points="{x},{y-6} {x+6},{y} {x},{y+6} {x-6},{y}">'
                f'{t}</polygon>')
    if kind == "star":
        return (f'<text x="{x}" y="{y+5}" text-anchor="middle" font-size="16" '
                f'fill="{colour}">★{t}</text>')
    if kind == "report":
        return f'<rect x="{x-4}" y="{y-4}" width="8" height="8" fill="#34495e">{t}</rect>'
    return (f'<circle cx="{x}" cy="{y}" r="5" fill="none" stroke="{colour}" '
            f'stroke-width="2">{t}</circle>')


def timeline(ledger: Ledger, outcomes: dict[str, Outcome], limit: int = 40) -> str:
    """An SVG timeline: one row per dated reported claim, its reports (squares), its
    responses (by stance) and its outcome (a star)."""
    claims = ledger.claims[(ledger.claims["reports"].astype(int) > 0)
                           & ledger.claims["first_reported"].notna()]
    claims = claims.sort_values(["first_reported", "claim_id"]).head(limit)
    if claims.empty:
        return '<p class="muted">No dated reported claims to draw.</p>'
    events: dict[str, list[tuple[dt.date, str, str, str]]] = defaultdict(list)
    for r in ledger.reports.itertuples(index=False):
        d = _date(r.date)
        if d and r.claim_id in set(claims["claim_id"]):
            events[r.claim_id].append((d, "report", "#34495e", f"{r.outlet} report, {d}"))
    for r in ledger.responses.itertuples(index=False):
        d = _date(r.date)
        if d and r.claim_id in set(claims["claim_id"]):
            colour, kind = STANCE_STYLE[r.stance]
            events[r.claim_id].append((d, kind, colour, f"{r.speaker or 'unattributed'}: "
                                                        f"{r.stance}, {d}"))
    for cid, o in outcomes.items():
        d = _date(o.date)
        if d and cid in set(claims["claim_id"]):
            events[cid].append((d, "star", OUTCOME_COLOUR[o.outcome], f"outcome: {o.outcome}, {d}"))
    days = [e[0] for evs in events.values() for e in evs]
    start, end = min(days), max(days)
    span = max(1, (end - start).days)
    left, width, row_h, top = 290, 640, 26, 30
    height = top + row_h * len(claims) + 10
    x = lambda d: left + (d - start).days / span * width  # noqa: E731
    parts = [f'<svg viewBox="0 0 {left + width + 50} {height}" role="img" '
             f'aria-label="Timeline of claims" xmlns="http://www.w3.org/2000/svg" '
             f'font-size="12">']
    ticks = pd.date_range(start, end, periods=min(6, span + 1))
    for t in ticks:
        tx = x(t.date())
        parts.append(f'<line x1="{tx:.1f}" y1="{top-8}" x2="{tx:.1f}" y2="{height-6}" '
                     f'stroke="#e5e8e8"/><text x="{tx:.1f}" y="{top-12}" text-anchor="middle" '
                     f'fill="#5d6d7e">{t.date().isoformat()}</text>')
    for i, row in enumerate(claims.itertuples(index=False)):
        y = top + row_h * i + row_h / 2
        label = str(row.summary or row.claim_id)
        label = label if len(label) <= 42 else label[:41] + "…"
        colour = STATUS_COLOUR.get(row.status, "#7f8c8d")
        parts.append(f'<a href="#{_e(row.claim_id)}"><text x="4" y="{y+4}" fill="{colour}">'
                     f'{_e(label)}<title>{_e(row.summary)} ({_e(row.status)})</title></text></a>')
        evs = sorted(events[row.claim_id])
        if evs:
            parts.append(f'<line x1="{x(evs[0][0]):.1f}" y1="{y}" x2="{x(evs[-1][0]):.1f}" '
                         f'y2="{y}" stroke="#aab7b8" stroke-width="2"/>')
        for d, kind, col, title in evs:
            parts.append(_marker(kind, round(x(d), 1), y, col, title))
    parts.append("</svg>")
    return "".join(parts)


def intervals(frame: pd.DataFrame, name_col: str, count_col: str, limit: int = 25) -> str:
    """An SVG of posterior means (dots) and credible intervals (bars) per row."""
    if frame.empty:
        return '<p class="muted">Nothing to show.</p>'
    rows = frame.head(limit)
    left, width, row_h, top = 260, 520, 22, 24
    height = top + row_h * len(rows) + 8
    parts = [f'<svg viewBox="0 0 {left + width + 120} {height}" role="img" '
             f'aria-label="Reliability with credible intervals" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="12">']
    for v in (0, 0.25, 0.5, 0.75, 1):
        tx = left + v * width
        parts.append(f'<line x1="{tx}" y1="{top-6}" x2="{tx}" y2="{height-4}" '
                     f'stroke="#e5e8e8"/><text x="{tx}" y="{top-10}" text-anchor="middle" '
                     f'fill="#5d6d7e">{v:g}</text>')
    for i, row in enumerate(rows.to_dict("records")):
        y = top + row_h * i + row_h / 2
        name = str(row[name_col]) + (" (org)" if row.get("level") == "organisation" else "")
        name = name if len(name) <= 36 else name[:35] + "…"
        lo, hi, mean = (left + row["low"] * width, left + row["high"] * width,
                        left + row["reliability"] * width)
        title = (f"{row[name_col]}: {row['reliability']:.2f} "
                 f"({row['low']:.2f}-{row['high']:.2f}), {row['resolved']} resolved")
        parts.append(f'<text x="4" y="{y+4}">{_e(name)}</text>'
                     f'<line x1="{lo:.1f}" y1="{y}" x2="{hi:.1f}" y2="{y}" stroke="#5dade2" '
                     f'stroke-width="6" stroke-linecap="round"><title>{_e(title)}</title></line>'
                     f'<circle cx="{mean:.1f}" cy="{y}" r="4" fill="#1b4f72"/>'
                     f'<text x="{left + width + 8}" y="{y+4}" fill="#5d6d7e">'
                     f'{row["resolved"]} resolved / {row[count_col]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _badge(text: str, colour: str) -> str:
    return f'<span class="badge" style="background:{colour}">{_e(text)}</span>'


def _table(frame: pd.DataFrame, columns: list[tuple[str, str]], numeric: set[str]) -> str:
    if frame.empty:
        return '<p class="muted">None.</p>'
    head = "".join(f"<th>{_e(label)}</th>" for _, label in columns)
    body = []
    for row in frame.to_dict("records"):
        cells = []
        for col, _ in columns:
            value = row.get(col)
            if isinstance(value, float) and col in ("reliability", "low", "high"):
                value = f"{value:.2f}"
            cls = ' class="num"' if col in numeric else ""
            cells.append(f"<td{cls}>{_e(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>'
            + "".join(body) + "</tbody></table></div>")


def _drilldown(ledger: Ledger, outcomes: dict[str, Outcome]) -> str:
    reports = ledger.reports.groupby("claim_id")
    responses = ledger.responses.groupby("claim_id")
    report_groups = dict(list(reports))
    response_groups = dict(list(responses))
    order = ledger.claims.assign(_r=ledger.claims["reports"].astype(int) > 0,
                                 _f=ledger.claims["first_reported"].fillna("~"))
    order = order.sort_values(["_r", "_f", "claim_id"], ascending=[False, True, True])
    out = []
    for claim in order.to_dict("records"):
        cid = claim["claim_id"]
        outcome = outcomes.get(cid)
        badges = _badge(claim["status"], STATUS_COLOUR.get(claim["status"], "#7f8c8d"))
        if outcome:
            badges += " " + _badge(f"outcome: {outcome.outcome}", OUTCOME_COLOUR[outcome.outcome])
        first = " ".join(_e(x) for x in (claim["first_reported"], claim["first_outlet"]) if x)
        parts = [f'<details id="{_e(cid)}"><summary><h3>{_e(claim["summary"])}</h3> {badges}'
                 f'<div class="small muted">{_e(cid)} · first reported {first or "?"} · '
                 f'{_e(claim["outlets"] or "no outlet")} · {claim["articles"]} article(s)'
                 f'</div></summary>']
        if outcome:
            evidence = _e(outcome.evidence)
            if outcome.evidence and outcome.evidence.startswith(("http://", "https://")):
                evidence = f'<a href="{evidence}">{evidence}</a>'
            parts.append(f'<p>Outcome <b>{_e(outcome.outcome)}</b>'
                         f'{" on " + _e(outcome.date) if outcome.date else ""}'
                         f'{": " + evidence if evidence else ""}</p>')
        reps = report_groups.get(cid)
        if reps is not None and len(reps):
            reps = reps.assign(_d=reps["date"].fillna("~")).sort_values(
                ["_d", "article_id", "sentence"])
            parts.append("<p><b>Reports</b></p>" + _table(
                reps, [("outlet", "outlet"), ("date", "date"), ("article_id", "article"),
                       ("sentence", "#"), ("text", "sentence")], {"sentence"}))
        resps = response_groups.get(cid)
        if resps is not None and len(resps):
            resps = resps.assign(_d=resps["date"].fillna("~")).sort_values(
                ["_d", "article_id", "sentence"])
            rows = []
            for r in resps.to_dict("records"):
                colour = STANCE_STYLE[r["stance"]][0]
                why = (f"links to {_e(r['links'])} ({_e(r['link_score'])}): "
                       f"{_e(r['link_reason'])}" if r["links"]
                       else "answers no report in its article")
                rows.append(f'<tr><td>{_e(r["speaker"] or "unattributed")}'
                            f'{" (official)" if r["speaker_official"] in (True, "True") else ""}'
                            f'</td><td>{_badge(r["stance"], colour)}</td><td>{_e(r["date"])}</td>'
                            f'<td>{_e(r["article_id"])}#{_e(r["sentence"])}</td>'
                            f'<td>{_e(r["text"])}<div class="small muted">'
                            f'{why}'
                            f'</div></td></tr>')
            parts.append('<p><b>Responses</b></p><div class="scroll"><table><thead><tr>'
                         '<th>speaker</th><th>stance</th><th>date</th><th>where</th>'
                         '<th>sentence, and why it is linked</th></tr></thead><tbody>'
                         + "".join(rows) + "</tbody></table></div>")
        parts.append("</details>")
        out.append("".join(parts))
    return "".join(out)


def _model_section(card: dict | None) -> str:
    if not card:
        return '<p class="muted">No model card found.</p>'
    cv = card.get("cross_validation") or {}
    per = cv.get("per_class") or {}
    rows = "".join(f"<tr><td>{_e(lab)}</td><td class='num'>{per[lab]['f1']:.2f}</td></tr>"
                   for lab in card.get("labels", []) if lab in per)
    data = card.get("training_data", {})
    return (f"<p><b>{_e(card.get('name'))}</b>: {_e(card.get('pipeline'))}. Trained on "
            f"{_e(data.get('sentences'))} team-written sentences "
            f"({_e(data.get('groups'))} groups), seed {_e(card.get('seed'))}, created "
            f"{_e(card.get('created'))}; model file SHA-256 "
            f"<code>{_e(str(card.get('model_sha256', ''))[:16])}…</code>.</p>"
            f"<p>Grouped cross-validation macro-F1 <b>{cv.get('macro_f1', 0):.3f}</b> "
            f"(accuracy {cv.get('accuracy', 0):.3f}). These are scores on text like the "
            "training data; on real news text the model scores markedly lower (see the "
            "README): check low-confidence sentences by hand.</p>"
            f'<div class="scroll"><table><thead><tr><th>label</th><th>CV F1</th></tr>'
            f"</thead><tbody>{rows}</tbody></table></div>")


def render(ledger: Ledger, rel: Reliability, outcomes: dict[str, Outcome],
           card: dict | None = None, title: str = "stance ledger report") -> str:
    """The whole report as one HTML string."""
    claims = ledger.claims
    reported = int((claims["reports"].astype(int) > 0).sum())
    status_counts = claims["status"].value_counts()
    cards = [("claims", len(claims)), ("reported by a third party", reported),
             ("report mentions", len(ledger.reports)), ("responses", len(ledger.responses)),
             ("outcomes recorded", len(outcomes))]
    cards_html = "".join(f'<div class="card"><b>{n}</b>{_e(label)}</div>' for label, n in cards)
    statuses = " ".join(_badge(f"{s}: {status_counts[s]}", STATUS_COLOUR.get(s, "#7f8c8d"))
                        for s in status_counts.index)
    legend = " ".join(
        f'<span><svg width="16" height="16" viewBox="-8 -8 16 16">'
        f'{_marker(kind, 0, 0, colour, stance)}</svg> {stance}</span>'
        for stance, (colour, kind) in STANCE_STYLE.items())
    legend += ('<span><svg width="16" height="16" viewBox="-8 -8 16 16">'
               f'{_marker("report", 0, 0, "", "report")}</svg> report</span>'
               '<span><svg width="16" height="16" viewBox="-8 -8 16 16">'
               f'{_marker("star", 0, -2, "#1e8449", "outcome")}</svg> outcome</span>')
    outlet_cols = [("outlet", "outlet"), ("claims", "claims"), ("denied", "denied"),
                   ("confirmed", "confirmed"), ("disputed", "disputed"),
                   ("responded_without_denial", "answered, no denial"),
                   ("unanswered", "unanswered"), ("borne_out", "borne out"),
                   ("refuted", "refuted"), ("reliability", "estimate"), ("low", "low"),
                   ("high", "high")]
    official_cols = [("source", "source"), ("level", "level"), ("organisation", "organisation"),
                     ("responses", "responses"), ("denials", "denials"),
                     ("denials_held", "denials held"),
                     ("denials_contradicted", "denials contradicted"),
                     ("confirmations_refuted", "confirmations refuted"),
                     ("reliability", "estimate"), ("low", "low"), ("high", "high")]
    numeric = {c for c, _ in outlet_cols + official_cols} - {"outlet", "source", "level",
                                                              "organisation"}
    generated = dt.date.today().isoformat()
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{_CSS}</style><script>{_PRINT_JS}</script></head>
<body>
<header><h1>{_e(title)}</h1>
<p class="muted small">Generated by stance {__version__} on {generated}. Every entry below
links back to the sentences it rests on; open a claim to see them.</p></header>
<section><div class="cards">{cards_html}</div><p>{statuses}</p></section>
<section><h2>Timeline of claims</h2>
<p class="muted small">Each row is a reported claim, from its first report to its last
response; hover a mark for details, click a claim for its evidence.</p>
<p class="legend small">{legend}</p>
<div class="scroll">{timeline(ledger, outcomes)}</div></section>
<section><h2>Reliability of outlets</h2>
<p class="muted small">Estimate: the chance an outlet's report is borne out, as the mean of
a Beta posterior over the recorded outcomes, with its credible interval (bar). Outlets
with little evidence have wide bars; sorted by evidence.</p>
<div class="scroll">{intervals(rel.outlets, "outlet", "claims")}</div>
{_table(rel.outlets, outlet_cols, numeric)}</section>
<section><h2>Reliability of official sources</h2>
<p class="muted small">Estimate: the chance a source's denial holds up (the claim was
refuted), with its credible interval.</p>
<div class="scroll">{intervals(rel.officials, "source", "responses")}</div>
{_table(rel.officials, official_cols, numeric)}</section>
<section><h2>Claims</h2>{_drilldown(ledger, outcomes)}</section>
<section><h2>The model</h2>{_model_section(card)}</section>
</body></html>
"""
