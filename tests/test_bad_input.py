"""Whatever scrapers produce: every command that reads articles names each bad file or
record in one line, keeps going, and its counts reconcile (read = scored + rejected)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from stance.cli import EXIT_REJECTED, main

GOOD = "The harbour authority denied the report on Monday. Police warned drivers to stay away."


def _corpus(d):
    """One file per kind of bad input (plus two good ones), and what each should give:
    None for "scored", else a piece of the reject message."""
    d.mkdir()
    expect = {}

    def put(name, content, outcome):
        path = d / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        expect[name] = outcome

    put("good.txt", f"Headline\n{GOOD}\n", None)
    put("zero.txt", b"", "empty file")
    put("blank.txt", "\n   \n\t\n", "empty file")
    put("huge_line.txt", "Headline\n" + "the minister said the port was safe " * 20_000, None)
    put("binary.txt", bytes(range(256)) * 40, "binary data")
    put("bad_utf8.txt", b"Headline\nThe army \xff\xfe denied the report on Monday.\n", None)
    put("utf16_bom.txt", f"Headline\n{GOOD}\n".encode("utf-16"), None)
    put("utf16_nobom.txt", f"Headline\n{GOOD}\n".encode("utf-16-le"), "binary data")
    put("crlf.txt", f"Headline\r\n{GOOD}\r\nA second paragraph followed.\r\n", None)
    put("script.html", "<html><head><script>alert('x')</script></head></html>",
        "no article text")
    put("control.txt", f"Headline\nThe army\x07 denied\x1b the report.\x0b {GOOD}\n", None)
    put("rtl.txt", f"Headline\n{GOOD} الوزارة نفت التقرير. The envoy said שלום twice.\n", None)
    put("nopunct.txt", "Headline\n" + "the minister denied the report and said more " * 80,
        None)
    put("long_sentence.txt", "Headline\nThe ministry denied "
        + "that the port and the harbour and the bay were sold " * 400 + "at all.\n", None)
    lines = [json.dumps({"id": "j1", "text": GOOD}), "{broken", "[1, 2]", '"text"', "null",
             json.dumps({"id": "j1", "text": "A second record reused the id."}),
             json.dumps({"id": "j3", "text": None}), json.dumps({"id": "j4", "text": 42}),
             json.dumps({"id": "j5", "text": "   "}), json.dumps({"id": "j6", "text": GOOD})]
    put("records.jsonl", "\n".join(lines) + "\n", "records")
    put("missing_column.csv", "id,body\n1,hello\n", "no 'text' column")
    put("nan.csv", f'id,text\nc1,{GOOD}\nc2,\nc3,NaN\nc4,"only, {GOOD}"\n', "records")
    pd.DataFrame({"id": ["p1", "p2"], "text": [GOOD, None]}).to_parquet(d / "none.parquet")
    expect["none.parquet"] = "records"
    return expect


def _check(err: str, expect: dict, directory) -> int:
    """Every reject line names a file of the corpus, with its record for record files,
    and every file that must be rejected is; returns the number of reject lines."""
    assert "Traceback" not in err
    rejects = [line.strip() for line in err.splitlines() if line.strip().startswith("rejected ")]
    for line in rejects:
        path = line.split(" ", 1)[1].split(":", 1)[0]
        assert path.startswith(str(directory)), line
        name = path[len(str(directory)) + 1:]
        want = expect[name]
        assert want is not None, f"{name} should have been scored: {line}"
        if want == "records":  # a record file: the line (or row) is named
            assert re.match(rf"rejected {re.escape(path)}:(\d+|row \d+): ", line), line
        else:
            assert want in line, line
    for name, want in expect.items():
        if want not in (None, "records"):
            assert any(f"{directory / name}:" in r or f"{directory / name}" in r
                       for r in rejects), f"{name} not reported"
    return len(rejects)


def test_score_names_every_bad_record_and_counts_reconcile(capsys, tmp_path):
    expect = _corpus(tmp_path / "in")
    out = tmp_path / "out.csv"
    code = main(["score", str(tmp_path / "in"), "-o", str(out), "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == EXIT_REJECTED
    n_rejects = _check(err, expect, tmp_path / "in")
    read, articles, sentences, rejected = map(int, re.search(
        r"(\d+) record\(s\) read: (\d+) article\(s\) scored \((\d+) sentences\), (\d+) rejected",
        err).groups())
    assert read == articles + rejected and rejected == n_rejects
    rows = pd.read_csv(out)
    assert len(rows) == sentences and rows["article_id"].nunique() == articles
    # the records that were fine were scored, next to the bad ones
    assert {"good", "j1", "j6", "c1", "c4", "p1", "crlf", "control", "rtl"} <= \
        set(rows["article_id"])
    assert rows["text"].str.len().max() <= 2_000  # no megabyte "sentences"
    assert not rows["text"].str.contains("[\x00-\x08\x0b\x0c\x0e-\x1f]").any()
    assert "rejected" in err and "id 'j1' already used" in err


def test_track_names_every_bad_record_and_counts_reconcile(capsys, tmp_path):
    expect = _corpus(tmp_path / "in")
    code = main(["track", str(tmp_path / "in"), "-o", str(tmp_path / "L"), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == EXIT_REJECTED
    n_rejects = _check(err, expect, tmp_path / "in")
    articles, sentences, rejected = map(int, re.search(
        r"(\d+) article\(s\) \((\d+) sentences\) read, (\d+) record\(s\) rejected", err).groups())
    assert rejected == n_rejects
    kept = pd.read_csv(tmp_path / "L" / "sentences.csv")
    assert len(kept) == sentences and kept["article_id"].nunique() == articles


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", b"text,label\n",
                                     b"sentence,label\nx,denial\n",
                                     b"text,label\nx,maybe\n"])
def test_evaluate_and_check_refuse_bad_csv_in_one_line(capsys, tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    for argv in (["evaluate", "--data", str(path)], ["data", "check", str(path), "--no-group"]):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 1 and "Traceback" not in err
        assert str(path) in out + err


def test_predict_survives_odd_lines(capsys, monkeypatch):
    import io
    import sys

    text = "\n".join(["", "\x07\x1b", "الوزارة نفت التقرير", "x" * 50_000, GOOD]) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    code = main(["predict", "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    assert len(out.splitlines()) >= 4
