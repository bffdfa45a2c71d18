"""Validation of labelled CSVs: every problem reported with its line number."""

from __future__ import annotations

import pytest

from stance.dataset import EVALUATION_COLUMNS, check_labelled, read_labelled
from stance.errors import DataError

GOOD = (
    "text,label,group\n"
    '"The ministry denied the report, calling it ""baseless"".",denial,a1\n'
    "Rain is expected on Tuesday.,none,a1\n"
)


def messages(problems):
    return [(p.line, p.severity, p.message) for p in problems]


def test_valid_file_has_no_problems(write):
    frame, problems = check_labelled(write("ok.csv", GOOD))
    assert problems == []
    assert frame["label"].tolist() == ["denial", "none"]
    assert frame["line"].tolist() == [2, 3]


@pytest.mark.parametrize(
    ("body", "line", "expected"),
    [
        ("text,label,group\nSome text.,Denial,g\n", 2,
         "unknown label 'Denial' (did you mean 'denial'?)"),
        ("text,label,group\nSome text.,rumour,g\n", 2, "unknown label 'rumour'; expected one of"),
        ("text,label,group\n   ,none,g\n", 2, "empty text"),
        ("text,label,group\nSome text.,none,\n", 2, "empty group"),
        ("text,label,group\nA,none,g\nB,none,g\nA,none,h\n", 4, "duplicate of line 2"),
        ("text,label,group\nA  b.,none,g\nA b.,denial,g\n", 3,
         "same text as line 2 with a different label ('denial' here, 'none' there)"),
        ("text,label,group\nA, b,none,g\n", 2, "4 fields, expected 3"),
        ('text,label,group\n"multi\nline",none,g\n,none,g\n', 4, "empty text"),
    ],
)
def test_row_problems_name_their_line(write, body, line, expected):
    _, problems = check_labelled(write("bad.csv", body))
    assert len(problems) == 1
    assert problems[0].line == line
    assert expected in problems[0].message
    assert str(problems[0]).startswith(f"{problems[0].path}:{line}: error: ")


def test_missing_columns_are_named(write):
    _, problems = check_labelled(write("cols.csv", "sentence,label\nA,none\n"))
    assert messages(problems) == [
        (1, "error", "missing column(s) 'text', 'group'; found 'sentence', 'label'")
    ]


def test_evaluation_data_needs_no_group(write):
    frame, problems = check_labelled(write("ev.csv", "text,label,extra\nA,none,x\n"),
                                     required=EVALUATION_COLUMNS)
    assert problems == [] and frame["group"].tolist() == [""]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "file is empty"),
        (b"  \n\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("text,label,group\n".encode("utf-16"), "binary data"),
    ],
)
def test_unusable_files(write, content, expected):
    _, problems = check_labelled(write("f.csv", content))
    assert len(problems) == 1 and expected in problems[0].message


def test_invalid_utf8_names_line(write):
    body = b"text,label,group\nOK.,none,g\nCaf\xe9 closed.,none,g\n"
    _, problems = check_labelled(write("latin.csv", body))
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [(3, "not valid UTF-8")]


def test_bom_is_accepted(write):
    frame, problems = check_labelled(write("bom.csv", b"\xef\xbb\xbf" + GOOD.encode()))
    assert problems == [] and len(frame) == 2


def test_missing_file(tmp_path):
    _, problems = check_labelled(tmp_path / "nope.csv")
    assert messages(problems) == [(None, "error", "file not found")]


def test_read_labelled_raises_with_all_problems(write):
    path = write("bad.csv", "text,label,group\nA,nonsense,g\n,none,g\n")
    with pytest.raises(DataError) as info:
        read_labelled(path)
    assert len(info.value.problems) == 2
    assert str(info.value).startswith(f"{path}:2: unknown label 'nonsense'")
    assert "and 1 more problem(s)" in str(info.value)


def test_duplicates_can_be_warnings(write):
    path = write("dup.csv", "text,label\nA,none\nA,none\n")
    frame = read_labelled(path, required=EVALUATION_COLUMNS, duplicates="warning")
    assert frame["text"].tolist() == ["A"]
