"""Reading articles: formats, encodings, and every bad record named, never dropped."""

from __future__ import annotations

import io
import json

import pytest

from stance.ingest import Article, Rejected, decode, read_articles

BODY = "The ministry denied the report on Monday.\nOfficials declined to comment."


def split(records):
    arts = [r for r in records if isinstance(r, Article)]
    rejects = [r for r in records if isinstance(r, Rejected)]
    return arts, rejects


def test_mixed_directory_scores_the_good_and_names_the_bad(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("Ministry denies report\n\n" + BODY, encoding="utf-8")
    (d / "sub" / "b.jsonl").write_text(
        json.dumps({"id": "b1", "text": BODY, "outlet": "Reuters"}) + "\n"
        + "{broken json\n"
        + "[1, 2]\n"
        + json.dumps({"id": "b4", "text": "   "}) + "\n"
        + json.dumps({"id": "b5", "text": BODY, "date": "2025-03-01"}) + "\n",
        encoding="utf-8")
    (d / "c.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    (d / "d.csv").write_text('id,text,date\nd1,"A, quoted, text.",2025-01-02\nd2,,\n',
                             encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (d / "notes.md").write_text("ignored: not a supported extension")

    arts, rejects = split(list(read_articles([str(d)])))
    assert [a.id for a in arts] == ["a", "d1", "b1", "b5"]
    assert arts[0].title == "Ministry denies report" and arts[0].text.strip() == BODY
    assert arts[2].outlet == "Reuters" and arts[3].date == "2025-03-01"
    assert {str(r).replace(str(d) + "/", "") for r in rejects} == {
        "blob.txt: binary data, not text (UTF-16 needs a byte order mark)",
        "c.csv:1: no 'text' column (columns: id, body)",
        "d.csv:3: empty 'text'",
        "empty.txt: empty file",
        "sub/b.jsonl:2: invalid JSON (Expecting property name enclosed in double quotes, "
        "column 2)",
        "sub/b.jsonl:3: a JSON list, expected an object",
        "sub/b.jsonl:4: empty 'text'",
    }


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("Café crème — “quoted”".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "Café crème — “quoted”".encode(), "utf-8-sig"),
        ("Café crème — “quoted”".encode("utf-16"), "utf-16"),
        ("Café crème — “quoted”".encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
        ("Café crème — “quoted”".encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(raw, encoding):
    text, found = decode(raw)
    assert (text, found) == ("Café crème — “quoted”", encoding)


def test_windows_line_endings_and_utf16_txt(tmp_path):
    path = tmp_path / "w.txt"
    path.write_bytes("Title line\r\nFirst sentence.\r\nSecond one.\r\n".encode("utf-16"))
    (art,) = read_articles([str(path)])
    assert art.title == "Title line"
    assert art.text == "First sentence.\nSecond one.\n"


def test_globs_missing_inputs_and_order(tmp_path):
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text(f"{name} title\nBody of {name}.", encoding="utf-8")
    records = list(read_articles([str(tmp_path / "*.txt"), str(tmp_path / "nope.txt")]))
    assert [r.id for r in records[:2]] == ["a", "b"]
    assert str(records[2]).endswith("nope.txt: no such file, directory or glob match")


def test_stdin_jsonl_and_text():
    jsonl = io.BytesIO(b'{"id": "x", "text": "Officials warned of consequences."}\nnope\n')
    arts, rejects = split(list(read_articles(["-"], stdin=jsonl)))
    assert [a.id for a in arts] == ["x"]
    assert [str(r) for r in rejects] == ["<stdin>:2: invalid JSON (Expecting value, column 1)"]
    txt = io.BytesIO(b"Headline here\nThe army denied it.")
    (art,) = read_articles(["-"], stdin=txt)
    assert (art.title, art.text) == ("Headline here", "The army denied it.")


def test_csv_with_nan_and_extra_fields(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,text\n1,nan\n2,Fine text.\n3,a,b\n", encoding="utf-8")
    arts, rejects = split(list(read_articles([str(path)])))
    assert [a.text for a in arts] == ["nan", "Fine text."]  # "nan" is a word in a CSV
    assert [str(r).split(": ", 1)[1] for r in rejects] == ["3 fields, expected 2"]
