"""Measure tracking on real articles annotated with their reports, responses and links.

Reads ../shared/realdev/articles_gold.jsonl (third-party text: read here, never copied
into the project; see its README). Each article is scored with the shipped model and
tracked on its own, as `stance track` does; then, separately, tracked with the gold
stances (every gold report sentence a report-citation, every gold response sentence its
gold stance, the rest none), which measures the linking rules apart from the classifier.

    python benchmarks/eval_tracking.py [--gold PATH] [--json]
    python benchmarks/eval_tracking.py --claims tests/data/tracking/gold.json \
        --articles tests/data/tracking/articles

The second form measures grouping across articles on the team's own annotated sets
(tests/data/tracking: gold_examples.json for examples/articles, the design set;
gold.json for tests/data/tracking/articles, held out): pairwise precision/recall of
report mentions put in the same claim, the share of gold responses that land in their
claim, the claims whose status comes out right, and channels wrongly read as reports.

Sentences are matched by the gold ``quote`` (the start of the sentence, verbatim, on
whitespace-collapsed text). Reported, per article pooled over the set:

- reports: precision/recall of report-mention sentences;
- responses: precision/recall of response sentences (any response stance), and the
  stance accuracy of the matched ones; speaker: right when one of the predicted speaker
  and the gold actor contains the other's last name;
- links: precision/recall of (response sentence, report sentence) pairs;
- linked responses: a response linked to at least one of the report sentences the
  gold links it to is right (precision over responses we link, recall over responses
  the gold links): whether a response finds its report, however the report's mentions
  are grouped.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from stance import load_model
from stance.ingest import Article
from stance.score import score_articles
from stance.track import track

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "realdev" / "articles_gold.jsonl"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _sentence_of(rows: list[dict], quote: str) -> int | None:
    """Index of the scored sentence that the gold quote opens (or lies in)."""
    q = _squash(quote)[:60]
    for row in rows:
        if _squash(row["text"]).startswith(q[:40]):
            return row["sentence"]
    for row in rows:
        if q[:40] in _squash(row["text"]):
            return row["sentence"]
    return None


def _pr(predicted: set, gold: set) -> dict:
    right = len(predicted & gold)
    p = right / len(predicted) if predicted else 0.0
    r = right / len(gold) if gold else 0.0
    return {"gold": len(gold), "predicted": len(predicted), "right": right,
            "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def _same_actor(pred: str | None, gold: str) -> bool:
    if not pred:
        return False
    names = [w for w in re.findall(r"[A-Z][\w'-]+", gold) if len(w) > 2]
    pl, gl = pred.lower(), gold.lower()
    return pl in gl or gl in pl or any(n.lower() in pl for n in names)


def evaluate(gold_path: Path) -> dict:
    model = load_model()
    articles = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    results = {}
    for mode in ("pipeline", "gold stances"):
        pred_reports, gold_reports = set(), set()
        pred_resp, gold_resp = set(), set()
        pred_links, gold_links = set(), set()
        stance_right = speaker_right = matched = unmapped = 0
        linked_right = linked_pred = linked_gold = 0
        for art in articles:
            aid = str(art["body_id"])
            rows = list(score_articles([Article(aid, art["text"], aid)], model=model))
            g_report = {}
            for rep in art["reports"]:
                k = _sentence_of(rows, rep["quote"])
                unmapped += k is None
                if k is not None:
                    g_report[rep["i"]] = k
                    gold_reports.add((aid, k))
            g_resp = {}
            for resp in art["responses"]:
                k = _sentence_of(rows, resp["quote"])
                unmapped += k is None
                if k is None:
                    continue
                g_resp[k] = resp
                gold_resp.add((aid, k))
                gold_links.update((aid, k, g_report[i]) for i in resp["answers"] if i in g_report)
            if mode == "gold stances":
                reports_at = set(g_report.values())
                for row in rows:
                    k = row["sentence"]
                    row["stance"] = (g_resp[k]["stance"] if k in g_resp else
                                     "report-citation" if k in reports_at else "none")
            ledger = track(rows)
            pred_reports.update((aid, int(s)) for s in ledger.reports["sentence"])
            for r in ledger.responses.to_dict("records"):
                k = int(r["sentence"])
                pred_resp.add((aid, k))
                if k in g_resp:
                    matched += 1
                    stance_right += r["stance"] == g_resp[k]["stance"]
                    speaker_right += _same_actor(r["speaker"], g_resp[k]["actor"])
                refs = {int(ref.rsplit("#", 1)[1]) for ref in (r["links"] or "").split(";")
                        if ref}
                pred_links.update((aid, k, j) for j in refs)
                answers = {g_report[i] for i in g_resp[k]["answers"] if i in g_report} \
                    if k in g_resp else set()
                linked_pred += bool(refs)
                linked_gold += bool(answers)
                linked_right += bool(refs & answers)
        results[mode] = {
            "reports": _pr(pred_reports, gold_reports),
            "responses": _pr(pred_resp, gold_resp),
            "response_stance_accuracy": round(stance_right / matched, 3) if matched else 0.0,
            "response_speaker_accuracy": round(speaker_right / matched, 3) if matched else 0.0,
            "links": _pr(pred_links, gold_links),
            "linked_responses": {
                "gold": linked_gold, "predicted": linked_pred, "right": linked_right,
                "precision": round(linked_right / linked_pred, 3) if linked_pred else 0.0,
                "recall": round(linked_right / linked_gold, 3) if linked_gold else 0.0},
            "gold_quotes_not_found": unmapped,
        }
    return results


def _rows_by_file(articles_dir: Path, model) -> dict[str, list[dict]]:
    from stance.ingest import read_articles

    rows: dict[str, list[dict]] = {}
    for row in score_articles(read_articles([str(articles_dir)]), model=model):
        rows.setdefault(row["article_id"], []).append(row)
    return rows


def evaluate_claims(gold_path: Path, articles_dir: Path) -> dict:
    """Grouping across articles against a team-annotated claims file."""
    from itertools import combinations

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    model = load_model()
    base = _rows_by_file(articles_dir, model)

    def where(item) -> tuple[str, int] | None:
        aid = item["file"].rsplit(".", 1)[0]
        k = _sentence_of(base.get(aid, []), item["starts"])
        return None if k is None else (aid, k)

    results = {}
    for mode in ("pipeline", "gold stances"):
        by_article = {aid: [dict(r) for r in rows] for aid, rows in base.items()}
        if mode == "gold stances":
            stance_at = {}
            for claim in gold["claims"]:
                for rep in claim["reports"]:
                    stance_at[where(rep)] = "report-citation"
                for resp in claim["responses"]:
                    stance_at[where(resp)] = resp["stance"]
            for resp in gold.get("unlinked_responses", []):
                stance_at[where(resp)] = resp["stance"]
            for aid, rows in by_article.items():
                for row in rows:
                    row["stance"] = stance_at.get((aid, row["sentence"]), "none")
        ledger = track([r for rows in by_article.values() for r in rows])
        keys = ["article_id", "sentence", "claim_id"]
        report_claim = {(a, int(s)): c
                        for a, s, c in ledger.reports[keys].itertuples(index=False)}
        response_claim = {(a, int(s)): c
                          for a, s, c in ledger.responses[keys].itertuples(index=False)}
        status_of = dict(zip(ledger.claims["claim_id"], ledger.claims["status"], strict=True))
        mentions = []  # (gold claim index, predicted claim id)
        responses_right = responses_total = status_right = 0
        for g, claim in enumerate(gold["claims"]):
            predicted = [report_claim.get(where(rep)) for rep in claim["reports"]]
            mentions += [(g, p) for p in predicted if p is not None]
            found = [p for p in predicted if p is not None]
            main_claim = max(set(found), key=found.count) if found else None
            for resp in claim["responses"]:
                responses_total += 1
                responses_right += main_claim is not None and \
                    response_claim.get(where(resp)) == main_claim
            status_right += status_of.get(main_claim) == claim["status"]
        same_gold = same_pred = same_both = 0
        for (g1, p1), (g2, p2) in combinations(mentions, 2):
            same_gold += g1 == g2
            same_pred += p1 == p2
            same_both += g1 == g2 and p1 == p2
        channels = [c for c in gold.get("channels", []) if where(c) in report_claim]
        results[mode] = {
            "mention_pairs": {"gold": same_gold, "predicted": same_pred, "right": same_both,
                              "precision": round(same_both / same_pred, 3) if same_pred else 0.0,
                              "recall": round(same_both / same_gold, 3) if same_gold else 0.0},
            "gold_report_mentions_found": f"{len(mentions)}/"
                                          f"{sum(len(c['reports']) for c in gold['claims'])}",
            "responses_in_their_claim": f"{responses_right}/{responses_total}",
            "claims_with_right_status": f"{status_right}/{len(gold['claims'])}",
            "channels_read_as_reports": len(channels),
            "claims_in_ledger": len(ledger.claims),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--claims", type=Path, help="a team-annotated claims file")
    parser.add_argument("--articles", type=Path, help="the articles of --claims")
    args = parser.parse_args()
    if args.claims:
        results = evaluate_claims(args.claims, args.articles)
        print(json.dumps(results, indent=2))
        return
    if not args.gold.is_file():
        raise SystemExit(f"{args.gold} not found (it lives in ../shared/realdev)")
    results = evaluate(args.gold)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'mode':<14} {'what':<16} {'gold':>5} {'pred':>5} {'right':>5} {'P':>6} {'R':>6} "
          f"{'F1':>6}")
    for mode, res in results.items():
        for what in ("reports", "responses", "links", "linked_responses"):
            m = res[what]
            f1 = (2 * m["precision"] * m["recall"] / (m["precision"] + m["recall"])
                  if m["precision"] + m["recall"] else 0.0)
            m = {**m, "f1": f1}
            print(f"{mode:<14} {what:<16} {m['gold']:>5} {m['predicted']:>5} {m['right']:>5} "
                  f"{m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f}")
        print(f"{mode:<14} response stance accuracy {res['response_stance_accuracy']:.3f}, "
              f"speaker accuracy {res['response_speaker_accuracy']:.3f}; "
              f"gold quotes not found: {res['gold_quotes_not_found']}")


if __name__ == "__main__":
    main()
