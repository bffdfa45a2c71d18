"""`stance track`: responses linked to the reports they answer, claims grouped across
articles, a ledger that is the same however the input is batched."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import REPO, SHARED

from stance.cli import EXIT_REJECTED, main
from stance.track import status, track

EXAMPLES = REPO / "examples" / "articles"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows_of(article_id: str, sentences: list[tuple[str, str]], **extra) -> list[dict]:
    """Scored rows for a hand-made article: (stance, text) pairs; attribution is left to
    the attribute stage as `stance score` does it."""
    from stance.attribute import attribute_article

    texts = [t for _, t in sentences]
    stances = [s for s, _ in sentences]
    out = []
    for k, ((stance, text), a) in enumerate(zip(sentences, attribute_article(texts, stances),
                                                strict=True)):
        out.append({"article_id": article_id, "sentence": k, "text": text, "stance": stance,
                    "speaker": a.speaker, "speaker_official": a.speaker_official,
                    "outlet": a.outlet, "claim": a.claim, "date": None,
                    "article_date": extra.get("date")})
    return out


# ----------------------------------------------------------------- inside an article


def test_response_naming_the_report_links_to_it_with_a_reason():
    rows = rows_of("a", [
        ("report-citation", "Bloomberg reported on Monday that the port authority had "
                            "sold its grain silos to a private buyer."),
        ("none", "The silos hold a third of the region's wheat."),
        ("report-citation", "The Guardian reported that two dock cranes had failed "
                            "inspections."),
        ("denial", "Port spokesman Ravi Menon dismissed the Bloomberg report as "
                   "speculation."),
    ])
    ledger = track(rows)
    resp = ledger.responses.set_index("sentence").loc[3]
    assert resp["links"] == "a#0"
    assert "names the report it answers (Bloomberg)" in resp["link_reason"]
    claim = ledger.claims.set_index("claim_id").loc[resp["claim_id"]]
    assert claim["status"] == "denied" and claim["outlets"] == "Bloomberg"
    # the other report is unanswered, and a claim of its own
    guardian = ledger.reports.set_index("sentence").loc[2, "claim_id"]
    assert guardian != resp["claim_id"]
    assert ledger.claims.set_index("claim_id").loc[guardian, "status"] == "unanswered"


def test_response_to_no_report_is_kept_unlinked_with_its_claim():
    rows = rows_of("b", [
        ("none", "Opposition leader Mara Quist spoke at a rally in the capital."),
        ("denial", "Interior Minister Jonas Feld denied that police had used tear gas "
                   "on the marchers."),
    ])
    ledger = track(rows)
    resp = ledger.responses.iloc[0]
    assert resp["links"] is None and resp["claim_id"] is not None
    claim = ledger.claims.iloc[0]
    assert claim["status"] == "denied" and claim["reports"] == 0
    assert "tear gas" in claim["summary"]
    assert ledger.reports.empty


def test_an_outlet_that_is_only_a_channel_is_not_a_report():
    rows = rows_of("c", [
        ("denial", "\"There is no shortage of fuel,\" Energy Minister Ana Lutz told Reuters."),
    ])
    ledger = track(rows)
    assert ledger.reports.empty
    assert ledger.responses.iloc[0]["links"] is None


def test_links_point_only_at_report_mentions_that_exist():
    ledger = track(pd.read_csv(_scored_examples()))
    mentions = {f"{a}#{s}" for a, s in zip(ledger.reports["article_id"],
                                            ledger.reports["sentence"], strict=True)}
    for links in ledger.responses["links"].dropna():
        assert set(links.split(";")) <= mentions
    # every response with a link belongs to the claim of the report it answers
    claim_of = {f"{a}#{s}": c for a, s, c in ledger.reports[["article_id", "sentence",
                                                               "claim_id"]].itertuples(index=False)}
    for links, cid in ledger.responses[["links", "claim_id"]].dropna().itertuples(index=False):
        assert claim_of[links.split(";")[0]] == cid


@pytest.mark.parametrize(("stances", "expected"), [
    (["denial", "confirmation"], "disputed"),
    (["denial", "no-comment"], "denied"),
    (["no-comment", "confirmation"], "confirmed"),
    (["warning", "no-comment"], "responded without denial"),
    (["no-comment"], "no comment"),
    ([], "unanswered"),
])
def test_status_rules(stances, expected):
    assert status(stances) == expected


# ----------------------------------------------------------------- the ledger


_SCORED = {}


def _scored_examples():
    """The example articles scored once per session (a file of `stance score` output)."""
    if "path" not in _SCORED:
        import tempfile

        path = tempfile.mkdtemp(prefix="stance-scored-") + "/examples.csv"
        assert main(["score", str(EXAMPLES), "-o", path, "--jobs", "1"]) == 0
        _SCORED["path"] = path
    return _SCORED["path"]


def _ledger_files(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_track_writes_a_ledger_and_prints_the_claims(capsys, tmp_path):
    code, out, err = run(capsys, "track", str(EXAMPLES), "-o", str(tmp_path / "L"),
                         "--jobs", "1")
    assert code == 0, err
    names = set(_ledger_files(tmp_path / "L"))
    assert names == {"sentences.csv", "reports.csv", "responses.csv", "claims.csv",
                     "ledger.json"}
    claims = pd.read_csv(tmp_path / "L" / "claims.csv")
    assert out.splitlines()[0] == (f"{len(claims)} claim(s): {(claims['reports'] > 0).sum()} "
                                   f"reported by a third party, "
                                   f"{(claims['reports'] == 0).sum()} raised only by a response")
    for row in claims[claims["reports"] > 0].itertuples():
        assert f"{row.claim_id}  {row.status.upper()}  first reported" in out
    assert "The Guardian" in out
    meta = json.loads((tmp_path / "L" / "ledger.json").read_text())
    assert meta["claims"] == len(claims) and meta["articles"] == len(list(EXAMPLES.glob("*.txt")))


def test_same_input_twice_or_in_two_batches_gives_the_same_ledger(capsys, tmp_path):
    scored = pd.read_csv(_scored_examples())
    ids = sorted(scored["article_id"].unique())
    half = set(ids[: len(ids) // 2])
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    scored[scored["article_id"].isin(half)].to_csv(first, index=False)
    scored[~scored["article_id"].isin(half)].to_csv(second, index=False)

    one = tmp_path / "one"
    assert run(capsys, "track", str(first), str(second), "-o", str(one))[0] == 0
    once = _ledger_files(one)
    assert run(capsys, "track", str(first), str(second), "-o", str(one))[0] == 0
    assert _ledger_files(one) == once  # re-running changes nothing

    two = tmp_path / "two"
    assert run(capsys, "track", str(first), "-o", str(two))[0] == 0
    code, _, err = run(capsys, "track", str(second), "-o", str(two))
    assert code == 0 and "kept from the ledger" in err
    assert _ledger_files(two) == once


def test_scored_input_and_articles_give_the_same_ledger(capsys, tmp_path):
    assert run(capsys, "track", _scored_examples(), "-o", str(tmp_path / "a"))[0] == 0
    assert run(capsys, "track", str(EXAMPLES), "-o", str(tmp_path / "b"), "--jobs", "1")[0] == 0
    assert _ledger_files(tmp_path / "a") == _ledger_files(tmp_path / "b")


def test_bad_scored_rows_are_named_and_counted(capsys, tmp_path):
    good = pd.read_csv(_scored_examples()).head(6)
    bad = tmp_path / "bad.csv"
    text = good.to_csv(index=False)
    lines = text.splitlines()
    lines.insert(3, lines[2].replace(",none,", ",maybe,", 1) if ",none," in lines[2]
                 else "x," * 12 + "x")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "track", str(bad), "-o", str(tmp_path / "L"))
    assert code == EXIT_REJECTED
    assert f"rejected {bad}:4:" in err
    assert "1 record(s) rejected" in err
    assert "Traceback" not in err
    sentences = pd.read_csv(tmp_path / "L" / "sentences.csv")
    assert len(sentences) == 6


def test_a_format_change_on_an_existing_ledger_is_refused(capsys, tmp_path):
    assert run(capsys, "track", _scored_examples(), "-o", str(tmp_path / "L"))[0] == 0
    code, _, err = run(capsys, "track", _scored_examples(), "-o", str(tmp_path / "L"),
                       "--format", "parquet")
    assert code == 1 and "keeps its sentences as csv" in err


# ----------------------------------------------------------------- the seed articles

_SPEC = SHARED / "spec" / "seeds-expected.json"


def _seed_ledger(tmp_path_factory, gold_stances: bool):
    from conftest import shared_file

    spec = json.loads(shared_file("spec", "seeds-expected.json").read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("seedtrack") / "scored.csv"
    assert main(["score", str(SHARED / "seeds"), "-o", str(out), "--jobs", "1"]) == 0
    rows = pd.read_csv(out)
    if gold_stances:  # the stances and speakers the spec lists, to test tracking alone
        for item in spec["sentences"]:
            hit = (rows["article_id"] == item["file"].rsplit(".", 1)[0]) & \
                rows["text"].str.startswith(item["starts"][:40])
            rows.loc[hit, "stance"] = item["labels"][0]
            if "speaker" in item:
                rows.loc[hit, "speaker"] = item["speaker"]
    return track(rows), spec


def _check_claim(ledger, expected) -> None:
    """The spec's claim: one claim holds the reports of the listed outlet in the listed
    files (for "media reports", one of the claims they are in), with the listed
    responses and status."""
    files = [f.rsplit(".", 1)[0] for f in expected["files"]]
    reports = ledger.reports[ledger.reports["article_id"].isin(files)
                             & ledger.reports["outlet"].isin(expected["reported_by"])]
    assert not reports.empty, f"no report by {expected['reported_by']}"
    claim_ids = sorted(set(reports["claim_id"]))
    if "media reports" not in expected["reported_by"]:
        assert len(claim_ids) == 1, f"{expected['about']}: split into {len(claim_ids)} claims"
    problems = []
    for cid in claim_ids:
        members = ledger.reports[ledger.reports["claim_id"] == cid]
        responses = ledger.responses[ledger.responses["claim_id"] == cid].to_dict("records")
        found = set(members["article_id"]) | {r["article_id"] for r in responses}
        if not set(files) <= found:
            problems.append(f"{cid}: not in every listed article ({sorted(found)})")
            continue
        for want in expected["responses"]:
            stances = want["stance"] if isinstance(want["stance"], list) else [want["stance"]]
            surname = want["speaker"].split()[-1]
            if not any(surname in str(r["speaker"]) and r["stance"] in stances
                       for r in responses):
                problems.append(f"{cid}: no {stances} by {want['speaker']}")
        got = ledger.claims.set_index("claim_id").loc[cid, "status"]
        if got != expected["status"]:
            problems.append(f"{cid}: status {got!r}")
        if not problems:
            return
    raise AssertionError(f"{expected['about']}: " + "; ".join(problems))


_CLAIMS = json.loads(_SPEC.read_text(encoding="utf-8"))["claims"] if _SPEC.is_file() else []


@pytest.fixture(scope="module")
def seeds_gold_stances(tmp_path_factory):
    return _seed_ledger(tmp_path_factory, gold_stances=True)


@pytest.fixture(scope="module")
def seeds_pipeline(tmp_path_factory):
    return _seed_ledger(tmp_path_factory, gold_stances=False)


@pytest.mark.parametrize("i", range(len(_CLAIMS)))
def test_seed_claims_given_the_specified_stances(seeds_gold_stances, i):
    """Tracking alone: with the stances the spec lists, every claim comes out as listed."""
    ledger, spec = seeds_gold_stances
    _check_claim(ledger, spec["claims"][i])


#: Claims the whole pipeline misses, and why (the classifier; see test_score.py).
SEED_CLAIM_MISSES = {
    0: "the model reads the spokesman's dismissal of the reports in 004 (the spec's "
       "denial) as a report-citation, so 004's allegations stay a claim apart",
    4: "the model reads the spokesman's answer to the flight question in 004 as a denial "
       "(the spec: no-comment), so the flight claim comes out denied",
}


@pytest.mark.parametrize("i", [
    pytest.param(i, marks=pytest.mark.xfail(strict=True, reason=SEED_CLAIM_MISSES[i]))
    if i in SEED_CLAIM_MISSES else i for i in range(len(_CLAIMS))])
def test_seed_claims_end_to_end(seeds_pipeline, i):
    ledger, spec = seeds_pipeline
    _check_claim(ledger, spec["claims"][i])


def test_seed_channels_are_not_reports(seeds_pipeline):
    ledger, _ = seeds_pipeline
    assert not set(ledger.reports["outlet"]) & {"TASS", "Sputnik", "Rossiya 1"}


# ----------------------------------------------------------------- team-annotated sets


def _evaluate_claims(gold: str, articles):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "eval_tracking", REPO / "benchmarks" / "eval_tracking.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.evaluate_claims(REPO / "tests" / "data" / "tracking" / gold, articles)


def _fraction(text: str) -> float:
    right, total = text.split("/")
    return int(right) / int(total)


@pytest.mark.parametrize(("gold", "articles"), [
    ("gold_examples.json", EXAMPLES),  # the design set: the examples users run
    ("gold.json", REPO / "tests" / "data" / "tracking" / "articles"),  # held out
])
def test_claims_across_articles_on_the_team_sets(gold, articles):
    """Given the annotated stances, every report mention lands in its claim and no
    other; the pipeline as shipped keeps channels out and does not over-merge."""
    result = _evaluate_claims(gold, articles)
    given = result["gold stances"]
    assert given["mention_pairs"]["precision"] == 1.0
    assert given["mention_pairs"]["recall"] == 1.0
    assert _fraction(given["claims_with_right_status"]) >= 0.75
    assert _fraction(given["responses_in_their_claim"]) >= 0.55
    shipped = result["pipeline"]
    assert shipped["channels_read_as_reports"] == 0
    assert shipped["mention_pairs"]["precision"] >= 0.85
    assert _fraction(shipped["claims_with_right_status"]) >= 0.75


def test_realdev_articles_regression_floor():
    """Real articles annotated by others (../shared/realdev/articles_gold.jsonl): floors
    at the measured level (see benchmarks/eval_tracking.py and the README)."""
    import importlib.util

    from conftest import shared_file

    gold = shared_file("realdev", "articles_gold.jsonl")
    spec = importlib.util.spec_from_file_location(
        "eval_tracking", REPO / "benchmarks" / "eval_tracking.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.evaluate(gold)
    assert result["gold stances"]["reports"]["f1"] >= 0.9
    assert result["gold stances"]["linked_responses"]["precision"] >= 0.6
    assert result["pipeline"]["reports"]["f1"] >= 0.6
    assert result["pipeline"]["linked_responses"]["recall"] >= 0.35


# ----------------------------------------------------------------- properties

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LABELS = ["denial", "confirmation", "no-comment", "warning", "reassurance",
           "report-citation", "none"]
_WORDS = st.sampled_from(["Reuters", "reported", "the", "report", "denied", "claims", "that",
                          "Peskov", "said", "Bloomberg's", "story", "such", "reports", "no",
                          "comment", "ministry", "“", "”", ",", ".", "al-Sayed", "Ж", "٣"])
_SENTENCE = st.one_of(st.text(max_size=120),
                      st.lists(_WORDS, min_size=1, max_size=25).map(" ".join))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.tuples(st.sampled_from(_LABELS), _SENTENCE), min_size=1,
                         max_size=8), min_size=1, max_size=4),
       st.lists(st.sampled_from([None, "2026-03-01", "2026-03-20", "2026-07-01"]),
                min_size=4, max_size=4))
def test_any_text_tracks_and_links_only_to_reports_that_exist(articles, days):
    rows = []
    for k, sentences in enumerate(articles):
        rows += rows_of(f"a{k}", sentences, date=days[k])
    ledger = track(rows)
    mentions = {f"{a}#{s}" for a, s in zip(ledger.reports["article_id"],
                                            ledger.reports["sentence"], strict=True)}
    for links in ledger.responses["links"].dropna():
        assert set(links.split(";")) <= mentions
    assert set(ledger.reports["claim_id"]) <= set(ledger.claims["claim_id"])
    assert set(ledger.responses["claim_id"].dropna()) <= set(ledger.claims["claim_id"])
    assert len(ledger.responses) == sum(s in _LABELS[:5] for a in articles for s, _ in a)


@settings(max_examples=300, deadline=None)
@given(_SENTENCE)
def test_attribution_rules_never_raise_on_any_text(sentence):
    """The rule functions themselves (attribute_article also guards each sentence)."""
    from stance.attribute import find_claim, find_outlet, find_speaker, outlets_named
    from stance.track import named_sources, report_mentions

    speaker = find_speaker(sentence)
    assert speaker is None or isinstance(speaker, str)
    find_outlet(sentence, "Reuters")
    outlets_named(sentence)
    named_sources(sentence)
    claim = find_claim(sentence)
    assert claim is None or isinstance(claim, str)
    report_mentions(rows_of("p", [("report-citation", sentence), ("denial", sentence)]))


# ----------------------------------------------------------------- dense corpora


def test_a_story_retold_many_times_in_the_window_still_gathers_a_new_telling(monkeypatch):
    """Grouping looks at a bounded number of candidates per claim (the latest reports
    through each of its rarer words): in a dense window the new telling must still
    find its story, and reports sharing only common words must stay apart."""
    import datetime as dt

    from stance import track as tr

    # a small corpus: let every word make candidates, and cap postings low, so the cap
    # is what this test exercises
    monkeypatch.setattr(tr, "CANDIDATE_MIN_DF", 10**6)
    monkeypatch.setattr(tr, "CANDIDATE_POSTINGS", 4)
    story = ("Reuters reported that the harbour authority of Velmora sold the grain "
             "silos at Quay Nine to Ostrand Holdings.")
    rows = []
    for i in range(24):  # six times the cap
        day = (dt.date(2026, 3, 1) + dt.timedelta(days=i)).isoformat()
        rows += rows_of(f"s{i:03d}", [("report-citation", story)], date=day)
        other = (f"Reuters reported that the harbour authority of Velmora fined trawler "
                 f"number {i + 10} for unpaid berth fees.")
        rows += rows_of(f"o{i:03d}", [("report-citation", other)], date=day)
    rows += rows_of("new", [("report-citation", "The grain silos at Quay Nine went to "
                                                "Ostrand Holdings, Reuters reported.")],
                    date="2026-03-31")
    reports = track(rows).reports.set_index("article_id")
    assert reports.loc["new", "claim_id"] == reports.loc["s000", "claim_id"]
    assert reports.loc["s023", "claim_id"] == reports.loc["s000", "claim_id"]
    assert reports.loc["s000", "claim_id"] != reports.loc["o000", "claim_id"]


def test_central_text_of_a_large_claim_is_a_typical_telling():
    from stance.track import CENTRAL_EXACT, _central

    typical = "the harbour authority sold the grain silos to Ostrand Holdings"
    texts = [f"{typical} on day {i}" for i in range(CENTRAL_EXACT + 10)]
    texts.append("an unrelated line about fishing quotas in the northern waters")
    picked = _central(texts)
    assert picked.startswith(typical)


def _story_rows(article_id: str, day: str | None, text: str) -> list[dict]:
    return rows_of(article_id, [("report-citation", text)], date=day)


def test_an_undated_telling_meets_a_story_told_outside_any_window():
    """Dated reports meet only earlier ones within the window, so the tracker lets go of
    older ones as it moves on; an undated report meets every window, so a story told
    long before must still be found for it (and for it only)."""
    import datetime as dt

    story = ("Reuters reported that the harbour authority of Velmora sold the grain "
             "silos at Quay Nine to Ostrand Holdings.")
    rows = _story_rows("a-first", "2026-01-05", story)
    for i in range(40):  # months of other news move the window on
        day = (dt.date(2026, 2, 1) + dt.timedelta(days=5 * i)).isoformat()
        rows += _story_rows(f"m{i:03d}", day, f"Reuters reported that the ferry line "
                                              f"number {i + 10} to Carrow Point will close.")
    retold = "The grain silos at Quay Nine went to Ostrand Holdings, Reuters reported."
    for jobs in (1, 2):
        late = rows + _story_rows("z", "2026-09-01", retold)
        claims = track(late, window_days=60, jobs=jobs).reports.set_index("article_id")
        assert claims.loc["z", "claim_id"] != claims.loc["a-first", "claim_id"]
        undated = rows + _story_rows("z", None, retold)
        claims = track(undated, window_days=60, jobs=jobs).reports.set_index("article_id")
        assert claims.loc["z", "claim_id"] == claims.loc["a-first", "claim_id"]


def test_tracking_in_worker_processes_gives_the_same_ledger(monkeypatch):
    """Linking and grouping split across processes (articles in many small chunks,
    units dealt out in turn) must give the very same tables as one process."""
    from stance import track as tr

    monkeypatch.setattr(tr, "LINK_CHUNK", 2)
    scored = pd.read_csv(_scored_examples())
    undated = scored["article_id"].isin(sorted(scored["article_id"].unique())[::3])
    scored.loc[undated, ["date", "article_date"]] = None  # some undated units too
    one = track(scored, jobs=1)
    for jobs in (2, 3):
        many = track(scored, jobs=jobs)
        for name in ("reports", "responses", "claims"):
            pd.testing.assert_frame_equal(getattr(many, name), getattr(one, name))
    assert len(one.claims) > 5


def test_a_failing_grouping_worker_is_a_clear_error(monkeypatch):
    """A worker process that fails (or dies) stops the run with a one-line error, not a
    hang or a traceback."""
    from stance import track as tr
    from stance.errors import StanceError

    def broken(*args):
        raise MemoryError("no room")
        yield  # a generator, as the real one

    monkeypatch.setattr(tr, "_best_matches", broken)
    rows = pd.read_csv(_scored_examples())
    with pytest.raises(StanceError, match="grouping claims failed in a worker process: "
                                          "MemoryError: no room"):
        track(rows, jobs=2)
