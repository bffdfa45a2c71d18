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


# Our own examples of page furniture and of prose (held out from the rules' design):
FURNITURE = [
    "Read more on our website →", "Share this article", "Share on WhatsApp",
    "Subscribe to our newsletter for daily updates", "© 2026 Examplewire Media Ltd",
    "All rights reserved.", "Tags:", "Related stories", "Advertisement", "Latest news",
    "Photo: Examplewire", "By Jane Okafor", "Home", "Menu", "12 comments", "€4.99 / month",
    "0 items £0.00", "Torna all'inizio", "Zurück nach oben",
    "Cette page contient uniquement une partie des dépêches proposées aux abonnés du service",
    "Abonnenten erhalten alle Meldungen des Dienstes in voller Länge und sofort zugestellt",
    "Our content is offered to subscribers only; please contact our sales team to subscribe.",
]
PROSE = [
    "Kremlin spokesman Dmitry Peskov said the report was untrue.",
    "The harbour handles about 40 ships a week and employs some 600 people.",
    "“No,” he said.", "Of course not.", "Netflix added five million subscribers last year.",
    "Shares rose 4% to $12.50 in early trading.",
    "Harbour authority denies report of leaked fuel near Port Ardell",
    "Read the statement in full, the minister told reporters, and you will see.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_page_furniture_is_not_prose(line):
    from stance.ingest import boilerplate_reason

    assert boilerplate_reason(line) is not None


@pytest.mark.parametrize("line", PROSE)
def test_prose_is_kept(line):
    from stance.ingest import boilerplate_reason

    assert boilerplate_reason(line) is None


def test_non_english_articles_are_rejected(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "fr", "text": "Le ministère a démenti les informations.", "language": "fr"},
        {"id": "de", "text": "Das Ministerium wies die Berichte am Montag zurück und nannte "
                             "sie völlig falsch, sagte ein Sprecher in Berlin heute."},
        {"id": "en", "text": "The ministry denied the reports on Monday.", "language": "en-GB"},
    ]) + "\n", encoding="utf-8")
    arts, rejects = split(list(read_articles([str(path)])))
    assert [a.id for a in arts] == ["en"]
    assert [str(r).split(": ", 1)[1] for r in rejects] == [
        "not English (language: fr); the model reads English",
        "not English (too few English function words); the model reads English",
    ]


def test_no_stance_sentence_of_ours_is_taken_for_boilerplate():
    import pandas as pd
    from conftest import LABELLED

    from stance.ingest import boilerplate_reason

    data = pd.read_csv(LABELLED)
    stance_rows = data[data["label"] != "none"]
    flagged = stance_rows[stance_rows["text"].map(boilerplate_reason).notna()]
    assert flagged["text"].tolist() == []


def test_seed_boilerplate_never_becomes_a_sentence():
    """The page furniture the spec lists for the seed articles (../shared)."""
    from conftest import shared_file

    from stance.ingest import is_boilerplate
    from stance.segment import segment

    spec = json.loads(shared_file("spec", "seeds-expected.json").read_text(encoding="utf-8"))
    files = sorted({item["file"] for item in spec["sentences"]})
    sentences = [s.text for name in files
                 for s in segment(shared_file("seeds", name).read_text(encoding="utf-8"),
                                  skip_line=is_boilerplate)]
    assert [b for b in spec["boilerplate"] if any(b in s for s in sentences)] == []
    starts = [item["starts"] for item in spec["sentences"]]
    assert [s for s in starts if not any(x.startswith(s) for x in sentences)] == []


HTML = """<html><head><title>Harbour denies leak - Examplewire</title>
<meta property="og:site_name" content="Examplewire"><meta name="date" content="2025-05-14">
<link rel="canonical" href="https://example.org/harbour"></head>
<body><nav>Home | World | Read more</nav><article><h1>Harbour denies leak</h1>
<p>PORT ARDELL, May 14 (Examplewire) - The Guardian reported on Monday that a tanker leaked
diesel into the harbour overnight, citing two dock workers at the port.</p>
<p>"That is simply not true," harbour spokesman Elena Vasquez told reporters on Tuesday,
adding that inspectors had found nothing at all.</p></article>
<footer>© 2025 Examplewire</footer><script>alert("x")</script></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    (tmp_path / "a.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "b.htm").write_text("<html><head><script>x()</script></head></html>",
                                    encoding="utf-8")
    arts, rejects = split(list(read_articles([str(tmp_path)])))
    (art,) = arts
    assert (art.id, art.title, art.date, art.outlet, art.url) == (
        "a", "Harbour denies leak", "2025-05-14", "Examplewire", "https://example.org/harbour")
    assert "tanker leaked" in art.text and "Vasquez" in art.text
    assert "alert" not in art.text and "Home | World" not in art.text
    assert [str(r).split(": ", 1)[1] for r in rejects] == ["no article text found in the HTML"]


def test_parquet_rows(tmp_path):
    import pandas as pd

    path = tmp_path / "a.parquet"
    pd.DataFrame({"id": ["p1", "p2", "p3"], "text": ["The army denied it.", None, "  "],
                  "outlet": ["Reuters", None, None]}).to_parquet(path)
    (tmp_path / "b.parquet").write_bytes(b"PAR1 not really")
    arts, rejects = split(list(read_articles([str(tmp_path)])))
    assert [(a.id, a.outlet) for a in arts] == [("p1", "Reuters")]
    assert [str(r).split(": ", 1)[1] for r in rejects] == [
        "no 'text'", "empty 'text'", "not a readable Parquet file (ArrowInvalid)"]
