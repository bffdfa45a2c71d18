"""`stance score`: every sentence a row; bad records named; formats; jobs don't matter."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import REPO

from stance.cli import EXIT_REJECTED, main
from stance.ingest import read_articles
from stance.output import write_rows
from stance.score import COLUMNS, Summary, score_articles, score_frame

EXAMPLES = REPO / "examples" / "articles"


@pytest.fixture
def mixed(tmp_path):
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "good.txt").write_text("Headline\nThe army denied the report. Officials declined to "
                                "comment.\nIt rained.", encoding="utf-8")
    (d / "more.jsonl").write_text(
        json.dumps({"id": "j1", "text": "Reuters reported that talks had stalled."}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "j3", "text": "Police warned drivers to stay away."}) + "\n",
        encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    (d / "notext.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    return d


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_mixed_directory(capsys, mixed, tmp_path):
    out_file = tmp_path / "out.csv"
    code, out, err = run(capsys, "score", str(mixed), "-o", str(out_file), "--jobs", "1")
    assert code == EXIT_REJECTED
    rows = pd.read_csv(out_file)
    assert list(rows.columns) == list(COLUMNS)
    assert rows.groupby("article_id").size().to_dict() == {"good": 3, "j1": 1, "j3": 1}
    assert rows.set_index("text").loc["Officials declined to comment.", "stance"] == \
        "no-comment"
    assert "7 record(s) read: 3 article(s) scored (5 sentences), 4 rejected" in err
    for name in ("empty.txt: empty file", "binary.txt: binary data",
                 "more.jsonl:2: invalid JSON", "notext.csv:1: no 'text' column"):
        assert name in err, name
    assert "Traceback" not in err


def test_jsonl_to_stdout_by_default(capsys):
    code, out, err = run(capsys, "score", str(EXAMPLES), "--jobs", "1")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows and set(rows[0]) == set(COLUMNS)
    bodies = {p.stem: p.read_text(encoding="utf-8").split("\n", 1)[1]
              for p in EXAMPLES.glob("*.txt")}
    assert {row["article_id"] for row in rows} == set(bodies)
    for row in rows:  # offsets point into the article body
        text = bodies[row["article_id"]]
        assert text[row["start"]:row["end"]] == row["text"]


def test_parquet_and_jobs_give_the_same_rows(capsys, tmp_path, mixed):
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    run(capsys, "score", str(mixed), "-o", str(one), "--jobs", "1")
    run(capsys, "score", str(mixed), "-o", str(two), "--jobs", "2")
    a, b = pd.read_parquet(one), pd.read_parquet(two)
    assert len(a) == 5
    pd.testing.assert_frame_equal(a, b)
    assert a["sentence"].dtype == "int64" and a["confidence"].dtype == "float64"


def test_unknown_extension_is_a_one_line_error(capsys, tmp_path):
    code, out, err = run(capsys, "score", str(EXAMPLES), "-o", str(tmp_path / "out.txt"))
    assert code == 1
    assert err == (f"Error: {tmp_path / 'out.txt'}: cannot tell the format from the "
                   "extension .txt; use .csv, .jsonl, .parquet or --format\n")
    assert not (tmp_path / "out.txt").exists()


def test_missing_model_leaves_no_output(capsys, tmp_path):
    out_file = tmp_path / "out.csv"
    code, out, err = run(capsys, "score", str(EXAMPLES), "-o", str(out_file), "--jobs", "1",
                         "--model", str(tmp_path / "nope.joblib"))
    assert code == 1 and "model file not found" in err
    assert list(tmp_path.iterdir()) == []


def test_python_api(model):
    frame = score_frame(read_articles([str(EXAMPLES)]), model=model)
    assert list(frame.columns) == list(COLUMNS)
    assert "denial" in set(frame["stance"])


def test_dates_in_every_format(capsys, tmp_path):
    src = tmp_path / "d.jsonl"
    src.write_text(json.dumps({"id": "d", "date": "2026-11-22", "text":
                               "The ministry denied the report on Friday. It rained."}) + "\n",
                   encoding="utf-8")
    for suffix in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"out.{suffix}"
        code, _, err = run(capsys, "score", str(src), "-o", str(out), "--jobs", "1")
        assert code == 0, err
        rows = (pd.read_parquet(out) if suffix == "parquet" else pd.read_csv(out)
                if suffix == "csv" else pd.read_json(out, lines=True, dtype=False))
        assert rows["date"].tolist() == ["2026-11-20", "2026-11-22"], suffix
        assert rows["article_date"].tolist() == ["2026-11-22"] * 2, suffix


# ----------------------------------------------------------------- the seed articles

_SPEC = REPO.parent / "shared" / "spec" / "seeds-expected.json"
_ITEMS = json.loads(_SPEC.read_text(encoding="utf-8"))["sentences"] if _SPEC.is_file() else []
#: Known misses, by index in the spec and cause. The classifier's stance (see the README
#: scores): 0 7 12 21 23 26 28 29 (0 also gets an outlet because it is read as a
#: report-citation). Attribution: 9 and 20 (a speaker named only in earlier text, by
#: surname or role), 11 (a speaker set off by commas after his title, then a long phrase).
SEED_MISSES = {0, 7, 9, 11, 12, 20, 21, 23, 26, 28, 29}


@pytest.fixture(scope="module")
def seed_rows(tmp_path_factory):
    from conftest import shared_file

    seeds = shared_file("spec", "seeds-expected.json").parent.parent / "seeds"
    out = tmp_path_factory.mktemp("seeds") / "out.jsonl"
    assert main(["score", str(seeds), "-o", str(out), "--jobs", "1"]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("i", [
    pytest.param(i, marks=pytest.mark.xfail(strict=True, reason="known miss"))
    if i in SEED_MISSES else i for i in range(len(_ITEMS))
])
def test_seed_sentence_scored_as_specified(seed_rows, i):
    """`stance score ../shared/seeds`: stance, speaker, official flag and outlet."""
    item = _ITEMS[i]
    article = item["file"].rsplit(".", 1)[0]
    (row, *_) = [r for r in seed_rows
                 if r["article_id"] == article and r["text"].startswith(item["starts"])]
    assert row["stance"] in item["labels"]
    if item.get("speaker"):
        assert row["speaker"] and item["speaker"] in row["speaker"]
        assert row["speaker_official"] is item["official"]
    assert row["outlet"] == item.get("outlet")


def test_foreign_blocks_inside_an_article_are_reported(capsys, tmp_path):
    src = tmp_path / "mixed.txt"
    src.write_text("Ministry denies report\nThe ministry denied the report on Monday.\n"
                   "Le ministère a démenti les informations sur les contrats de la société.\n"
                   "Officials declined to comment.\n", encoding="utf-8")
    code, out, err = run(capsys, "score", str(src), "--jobs", "1")
    assert code == 0
    assert [json.loads(line)["text"] for line in out.splitlines()] == [
        "The ministry denied the report on Monday.", "Officials declined to comment."]
    assert "skipped 1 line(s) not in English inside mixed (1)" in err


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_command_writes_the_rows_the_api_yields(capsys, tmp_path, mixed, model, jobs):
    # the command has its workers write the rows out; the API yields row objects
    (mixed / "again.jsonl").write_text(  # an id already used: rejected in both
        json.dumps({"id": "j1", "text": "Police denied the report."}) + "\n", encoding="utf-8")
    summary = Summary()
    rows = list(score_articles(read_articles([str(mixed)], english=False), model=model,
                               jobs=jobs, summary=summary, check_english=True))
    assert len(rows) == 5 and "article id 'j1' already used" in str(summary.rejected)
    for fmt in ("jsonl", "csv"):
        expected = tmp_path / f"expected.{fmt}"
        write_rows(rows, str(expected), fmt, COLUMNS)
        path = tmp_path / f"out.{fmt}"
        for target in ([], ["-o", str(path)]):
            code, out, err = run(capsys, "score", str(mixed), "--format", fmt,
                                 "--jobs", str(jobs), *target)
            assert err.splitlines()[0] == summary.lines()[0]  # the same counts
            written = path.read_text(encoding="utf-8") if target else out
            assert written == expected.read_text(encoding="utf-8"), (fmt, target)
