"""Outcomes, reliability, the HTML report and ClaimReview: what an analyst reads."""

from __future__ import annotations

import html
import io
import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from conftest import REPO

from stance.cli import main
from stance.outcomes import Outcome, from_claimreview, rating_outcome, to_claimreview
from stance.reliability import identity, posterior, reliability
from stance.track import CLAIM_COLUMNS, REPORT_COLUMNS, RESPONSE_COLUMNS, Ledger

EXAMPLES = REPO / "examples"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------- a hand-made ledger


def _ledger() -> Ledger:
    """Outlet Alpha reported C1, C2, C3; Beta reported C4. Peskov denied C1 and C2,
    Smith denied C2, Jones confirmed C2."""
    reports = pd.DataFrame([
        {"claim_id": "C1", "outlet": "Alpha", "article_id": "a1", "sentence": 0,
         "date": "2026-01-05", "implied": False, "claim": "the dam leaked", "text": "x"},
        {"claim_id": "C2", "outlet": "Alpha", "article_id": "a2", "sentence": 0,
         "date": "2026-01-20", "implied": False, "claim": "the port was sold", "text": "x"},
        {"claim_id": "C3", "outlet": "Alpha", "article_id": "a3", "sentence": 0,
         "date": "2026-02-03", "implied": False, "claim": "the mayor resigned", "text": "x"},
        {"claim_id": "C4", "outlet": "Beta", "article_id": "a4", "sentence": 0,
         "date": "2026-02-10", "implied": False, "claim": "the bridge closed", "text": "x"},
    ], columns=REPORT_COLUMNS)
    responses = pd.DataFrame([
        {"claim_id": "C1", "speaker": "Kremlin spokesman Dmitry Peskov",
         "speaker_official": True, "stance": "denial", "article_id": "a1", "sentence": 1,
         "date": "2026-01-06"},
        {"claim_id": "C2", "speaker": "Peskov", "speaker_official": True, "stance": "denial",
         "article_id": "a2", "sentence": 1, "date": "2026-01-21"},
        {"claim_id": "C2", "speaker": "Interior Minister Ann Smith", "speaker_official": True,
         "stance": "denial", "article_id": "a2", "sentence": 2, "date": "2026-02-01"},
        {"claim_id": "C2", "speaker": "Tom Jones", "speaker_official": True,
         "stance": "confirmation", "article_id": "a2", "sentence": 3, "date": "2026-02-02"},
    ], columns=RESPONSE_COLUMNS)
    claims = pd.DataFrame([
        {"claim_id": c, "summary": s, "status": st, "first_reported": d, "first_outlet": o,
         "outlets": o, "articles": 1, "reports": 1}
        for c, s, st, d, o in [("C1", "the dam leaked", "denied", "2026-01-05", "Alpha"),
                               ("C2", "the port was sold", "disputed", "2026-01-20", "Alpha"),
                               ("C3", "the mayor resigned", "unanswered", "2026-02-03", "Alpha"),
                               ("C4", "the bridge closed", "unanswered", "2026-02-10", "Beta")]
    ], columns=CLAIM_COLUMNS)
    return Ledger(reports, responses, claims)


_OUTCOMES = {"C1": Outcome("C1", "confirmed", "2026-03-01", None, 2),
             "C2": Outcome("C2", "refuted", "2026-03-02", None, 3),
             "C3": Outcome("C3", "confirmed", None, None, 4),
             "C4": Outcome("C4", "confirmed", None, None, 5)}


def test_outlet_reliability_matches_hand_computation():
    rel = reliability(_ledger(), _OUTCOMES).outlets.set_index("outlet")
    alpha, beta_ = rel.loc["Alpha"], rel.loc["Beta"]
    # Alpha: 2 borne out, 1 refuted, uniform prior -> Beta(3, 2): mean 3/5
    assert (alpha["claims"], alpha["borne_out"], alpha["refuted"]) == (3, 2, 1)
    assert alpha["reliability"] == pytest.approx(0.6, abs=1e-4)
    # Beta: 1 borne out -> Beta(2, 1), whose CDF is x**2: quantiles sqrt(0.05), sqrt(0.95)
    assert beta_["reliability"] == pytest.approx(2 / 3, abs=1e-4)
    assert beta_["low"] == pytest.approx(math.sqrt(0.05), abs=1e-4)
    assert beta_["high"] == pytest.approx(math.sqrt(0.95), abs=1e-4)
    # more evidence first
    assert list(rel.index) == ["Alpha", "Beta"]
    assert (alpha["denied"], alpha["disputed"], alpha["unanswered"]) == (1, 1, 1)


def test_official_reliability_matches_hand_computation():
    rel = reliability(_ledger(), _OUTCOMES).officials
    people = rel[rel["level"] == "person"].set_index("source")
    # "Peskov" is the Dmitry Peskov named elsewhere: one source
    peskov = people.loc["Dmitry Peskov"]
    assert peskov["organisation"] == "Kremlin"
    # denied C1 (confirmed: contradicted) and C2 (refuted: held) -> Beta(2, 2)
    assert (peskov["denials"], peskov["denials_held"], peskov["denials_contradicted"]) == \
        (2, 1, 1)
    assert peskov["reliability"] == pytest.approx(0.5)
    smith = people.loc["Ann Smith"]  # one denial that held -> Beta(2, 1)
    assert smith["reliability"] == pytest.approx(2 / 3, abs=1e-4)
    assert people.loc["Tom Jones", "confirmations_refuted"] == 1
    kremlin = rel[(rel["level"] == "organisation") & (rel["source"] == "Kremlin")]
    assert len(kremlin) == 1 and kremlin.iloc[0]["responses"] == 2


def test_a_prior_makes_little_evidence_count_for_little():
    # two reports borne out vs two hundred: the first must not outrank the second
    few, many = posterior(2, 0), posterior(200, 0)
    assert few[0] < many[0] and few[1] < 0.5 < many[1]
    # the figures the README quotes
    assert posterior(0, 0) == pytest.approx((0.5, 0.05, 0.95), abs=0.005)
    assert few == pytest.approx((0.75, 0.37, 0.98), abs=0.005)
    assert many[0] == pytest.approx(0.995, abs=0.0005) and many[1] >= 0.985
    # a stronger prior pulls the estimate towards its mean
    assert posterior(2, 0, prior=(10, 10))[0] == pytest.approx(12 / 22, abs=1e-4)


def test_periods_show_the_record_over_time():
    periods = reliability(_ledger(), _OUTCOMES, period="month").periods
    alpha = periods[(periods["kind"] == "outlet") & (periods["name"] == "Alpha")]
    assert alpha[["period", "items", "borne_out_or_held", "refuted_or_contradicted"]] \
        .values.tolist() == [["2026-01", 2, 1, 1], ["2026-02", 1, 1, 0]]


@pytest.mark.parametrize(("speaker", "expected"), [
    ("Kremlin spokesman Dmitry Peskov", ("Dmitry Peskov", "Kremlin")),
    ("harbour authority spokeswoman Elena Vasquez", ("Elena Vasquez", "harbour authority")),
    ("Finance Minister Ana Kostova", ("Ana Kostova", None)),
    ("the environment ministry", (None, "environment ministry")),
    ("Lorvanian Ambassador in Brennick Piotr Halas", ("Piotr Halas", None)),
])
def test_speaker_identity(speaker, expected):
    assert identity(speaker) == expected


# ----------------------------------------------------------------- the CLI chain


@pytest.fixture(scope="module")
def ledger_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("ledger") / "ledger"
    assert main(["track", str(EXAMPLES / "articles"), "-o", str(directory), "--jobs", "1"]) == 0
    return directory


def test_examples_chain_track_reliability_report(capsys, ledger_dir, tmp_path):
    outcomes = EXAMPLES / "outcomes.csv"
    code, out, err = run(capsys, "outcomes", "check", str(ledger_dir), str(outcomes))
    assert code == 0 and "4 valid outcome(s)" in err
    code, out, err = run(capsys, "reliability", str(ledger_dir), "--outcomes", str(outcomes),
                         "-o", str(tmp_path / "rel"))
    assert code == 0, err
    outlets = pd.read_csv(tmp_path / "rel" / "reliability_outlets.csv").set_index("outlet")
    assert outlets.loc["The Guardian", "refuted"] == 1  # the leak report was refuted
    assert outlets.loc["Bloomberg", "borne_out"] == 1
    assert "The Guardian" in out and "chance a denial holds up" in out
    html_file = tmp_path / "report.html"
    code, _, err = run(capsys, "report", str(ledger_dir), "--outcomes", str(outcomes),
                       "-o", str(html_file))
    assert code == 0, err
    page = html_file.read_text(encoding="utf-8")
    claims = pd.read_csv(ledger_dir / "claims.csv")
    for summary in claims["summary"]:  # every claim has its drill-down
        assert html.escape(summary) in page
    assert "Elena Vasquez" in page and "denial" in page and "outcome: refuted" in page
    assert "http://" not in page.split("</style>")[0]  # nothing fetched to render
    assert "<script src" not in page and "<link" not in page


def test_bad_outcomes_file_is_refused_with_line_numbers(capsys, ledger_dir, tmp_path):
    claim = pd.read_csv(ledger_dir / "claims.csv")["claim_id"].iloc[0]
    bad = tmp_path / "bad.csv"
    bad.write_text("claim_id,outcome,date,evidence\n"
                   f"{claim},confirmed,2026-06-01,ok\n"
                   "Cdeadbeef00,refuted,,\n"
                   f"{claim},refuted,,duplicate\n"
                   f"{claim[:-1]}x,maybe,,\n", encoding="utf-8")
    code, out, err = run(capsys, "outcomes", "check", str(ledger_dir), str(bad))
    assert code == 1
    assert f"{bad}:3: error: unknown claim id Cdeadbeef00" in out
    assert f"{bad}:4: error: claim {claim} already resolved on line 2" in out
    assert f"{bad}:5: error: outcome 'maybe' is not one of" in out
    for command in (["reliability", str(ledger_dir), "-o", str(tmp_path / "rel")],
                    ["report", str(ledger_dir), "-o", str(tmp_path / "r.html")],
                    ["export", str(ledger_dir), "--claimreview", "-o", str(tmp_path / "c.json")]):
        code, out, err = run(capsys, *command, "--outcomes", str(bad))
        assert code == 1 and f"{bad}:3: error: unknown claim id" in err
        assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]  # nothing written


def test_outcomes_list_writes_a_template_and_keeps_existing_files(capsys, ledger_dir,
                                                                  tmp_path):
    template = tmp_path / "todo.csv"
    code, _, err = run(capsys, "outcomes", "list", str(ledger_dir), "-o", str(template))
    assert code == 0
    rows = pd.read_csv(template)
    assert set(rows["outcome"]) == {"unresolved"} and rows["claim_id"].notna().all()
    code, _, err = run(capsys, "outcomes", "list", str(ledger_dir), "-o", str(template))
    assert code == 1 and "exists" in err
    # already resolved claims are not listed again
    code, out, _ = run(capsys, "outcomes", "list", str(ledger_dir), "--outcomes",
                       str(EXAMPLES / "outcomes.csv"))
    listed = pd.read_csv(io.StringIO(out))
    assert len(listed) == len(rows) - 3  # three outcomes are confirmed or refuted


# ----------------------------------------------------------------- ClaimReview


@pytest.mark.parametrize(("rating", "outcome"), [
    ({"alternateName": "False"}, "refuted"),
    ({"alternateName": "Mostly True"}, "confirmed"),
    ({"ratingValue": 1, "bestRating": 5, "worstRating": 1}, "refuted"),
    ({"ratingValue": "5", "bestRating": "5", "worstRating": "1"}, "confirmed"),
    ({"ratingValue": 3, "bestRating": 5, "worstRating": 1}, "unresolved"),
    (None, "unresolved"),
])
def test_claimreview_ratings(rating, outcome):
    assert rating_outcome(rating) == outcome


def test_claimreview_export_then_import_round_trips(ledger_dir, tmp_path):
    from stance import ledger as ledger_mod
    from stance import outcomes as oc

    ledger = ledger_mod.read(ledger_dir)
    known = oc.read(EXAMPLES / "outcomes.csv", ledger)
    reviews = to_claimreview(ledger, known, author="Example Checkers")
    assert len(reviews) == 3 and all(r["@type"] == "ClaimReview" for r in reviews)
    path = tmp_path / "reviews.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org", "@graph": reviews}),
                    encoding="utf-8")
    rows = from_claimreview([path], ledger)
    assert {(r["claim_id"], r["outcome"]) for r in rows} == \
        {(c, o.outcome) for c, o in known.items() if o.outcome != "unresolved"}
    assert all(r["match_score"] >= 0.5 for r in rows)


def test_claimreview_that_matches_nothing_is_left_for_review(capsys, ledger_dir, tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"@context": "https://schema.org", "@type": "ClaimReview",
                                "claimReviewed": "A comet will hit the moon on Tuesday",
                                "reviewRating": {"@type": "Rating", "alternateName": "False"}}),
                    encoding="utf-8")
    out_file = tmp_path / "o.csv"
    code, _, err = run(capsys, "outcomes", "import", str(ledger_dir), str(path), "-o",
                       str(out_file))
    assert code == 0 and "1 left without a claim_id" in err
    row = pd.read_csv(out_file).iloc[0]
    assert pd.isna(row["claim_id"]) and row["outcome"] == "refuted"
    code, out, _ = run(capsys, "outcomes", "check", str(ledger_dir), str(out_file))
    assert code == 1  # it cannot be used until someone assigns it


# ----------------------------------------------------------------- seeds and screenshot


def test_report_for_the_seed_articles_names_claims_stances_and_speakers(tmp_path):
    from conftest import SHARED, shared_file

    shared_file("spec", "seeds-expected.json")
    ledger = tmp_path / "seeds"
    assert main(["track", str(SHARED / "seeds"), "-o", str(ledger), "--jobs", "1"]) == 0
    page_file = tmp_path / "seeds.html"
    assert main(["report", str(ledger), "-o", str(page_file)]) == 0
    page = page_file.read_text(encoding="utf-8")
    for expected in ("Reuters", "The Washington Post", "Miami Herald", "The New York Times",
                     "Peskov", "Zaemsky", "Trump", "denial", "confirmation", "no-comment"):
        assert expected in page, expected


def test_screenshot_in_headless_chromium(ledger_dir, tmp_path):
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import screenshot_report
    finally:
        sys.path.pop(0)
    if screenshot_report.find_browser() is None:
        pytest.skip("Chromium not installed (Debian packages chromium, chromium-driver; "
                    "tools/screenshot_report.py --install installs them)")
    page = tmp_path / "report.html"
    assert main(["report", str(ledger_dir), "-o", str(page), "--outcomes",
                 str(EXAMPLES / "outcomes.csv")]) == 0
    result = subprocess.run([sys.executable, str(REPO / "tools" / "screenshot_report.py"),
                             str(page), "-o", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in ("report-wide.png", "report-narrow.png"):
        png = (tmp_path / name).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
