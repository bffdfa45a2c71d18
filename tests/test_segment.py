"""Sentence splitting: offline Punkt, offsets, news-copy rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources

import pytest
from conftest import LABELLED, shared_file
from hypothesis import given, settings
from hypothesis import strategies as st

from stance import segment as seg
from stance.dataset import read_labelled


def texts(text: str) -> list[str]:
    return [s.text for s in seg.segment(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abbreviations do not end sentences
        ("U.S. officials said on Jan. 5 that Gen. John Smith met Sen. Ann Jones. He left.",
         ["U.S. officials said on Jan. 5 that Gen. John Smith met Sen. Ann Jones.", "He left."]),
        ("Shares of Lumora Inc. fell 4 percent. Analysts shrugged.",
         ["Shares of Lumora Inc. fell 4 percent.", "Analysts shrugged."]),
        # a quote ending in attribution is one sentence, however many sentences it quotes
        ('"The port is open. Ships are moving," she said, answering the report.',
         ['"The port is open. Ships are moving," she said, answering the report.']),
        ("“Rumours spread fast. Nothing of the kind happened,” the spokesman told reporters.",
         ["“Rumours spread fast. Nothing of the kind happened,” the spokesman told reporters."]),
        # a quote is never cut in two; sentences after it stay separate
        ("“It is a hoax.” She laughed. Then she left.",
         ["“It is a hoax.”", "She laughed.", "Then she left."]),
        ('He said: "No. Never." Then he left.', ['He said: "No. Never."', "Then he left."]),
        # an unclosed quote does not swallow the rest of the paragraph
        ("“This is false. The ministry said so. Nobody closed this quote.",
         ["“This is false.", "The ministry said so.", "Nobody closed this quote."]),
        # a full stop glued to the next sentence still splits; abbreviations do not
        ("The plan stalled.The talks resumed on Monday.",
         ["The plan stalled.", "The talks resumed on Monday."]),
        ("The U.S.Navy said nothing.", ["The U.S.Navy said nothing."]),
        # line breaks are hard boundaries
        ("Kremlin denies report\nThe Kremlin denied it on Sunday.",
         ["Kremlin denies report", "The Kremlin denied it on Sunday."]),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_sentences(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize(
    ("line", "place", "date", "agency", "rest"),
    [
        ("OSLO, March 4. /NTB/. Norway wants calm talks.", "OSLO", "March 4",
         "NTB", "Norway wants calm talks."),
        ("VLADIVOSTOK (Sputnik): The rumours are false, he said.", "VLADIVOSTOK", None,
         "Sputnik", "The rumours are false, he said."),
        ("PORT ARDELL, May 14 (Examplewire) - The paper reported a leak.", "PORT ARDELL",
         "May 14", "Examplewire", "The paper reported a leak."),
        ("NAIROBI, March 3, 2025 - Police said the road was safe.", "NAIROBI", "March 3, 2025",
         None, "Police said the road was safe."),
        ("KYIV, Nov. 3 (Reuters) - A bridge was hit.", "KYIV", "Nov. 3", "Reuters",
         "A bridge was hit."),
        ("SALEM, Ore., May 2 (AP) - Fires spread.", "SALEM", "May 2", "AP", "Fires spread."),
    ],
)
def test_datelines_are_not_part_of_the_sentence(line, place, date, agency, rest):
    found = seg.find_dateline(line)
    assert (found.place, found.date, found.agency) == (place, date, agency)
    assert texts(line) == [rest]


@pytest.mark.parametrize(
    "line",
    ["NATO said the exercise would go ahead.", "KREMLIN DENIES REPORT", "AP: The end."],
)
def test_lines_that_are_not_datelines(line):
    assert seg.find_dateline(line) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_offsets_slice_back_and_never_overlap(text):
    sentences = seg.segment(text)
    previous_end = 0
    for i, s in enumerate(sentences):
        assert s.index == i
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= previous_end
        previous_end = s.end


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "The minister denied it.", "“No,” he said.", '"Yes. Of course," she said.', "U.S.",
    "Gen.", "MOSCOW, May 2. /TASS/.", "\n", " ", "“", '"', "efforts.The", "Jan. 5",
]), max_size=30))
def test_offsets_on_news_like_noise(parts):
    text = "".join(parts)
    for s in seg.segment(text):
        assert text[s.start:s.end] == s.text


def test_shipped_parameters_match_the_labelled_set():
    data = read_labelled(LABELLED)
    params = seg.train_parameters(seg.articles_from_labelled(data), seg.abbreviations())
    shipped = json.loads(resources.files("stance").joinpath("data/punkt.json").read_text())
    assert seg.parameters_to_json(params) == shipped, (
        "retrain with `stance data punkt -o stance/data/punkt.json`")
    for abbr in ("u.s", "gen", "jan", "sen"):
        assert abbr in shipped["abbrev_types"]


def test_works_without_any_nltk_data(tmp_path):
    code = ("from stance.segment import segment; "
            "print(len(segment('Gen. Smith spoke. He left.')))")
    env = {**os.environ, "NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "2"), done.stderr


def test_seed_sentences_start_a_sentence():
    """Every sentence the spec lists for the seed articles begins a segment (../shared)."""
    spec = json.loads(shared_file("spec", "seeds-expected.json").read_text(encoding="utf-8"))
    missing = []
    for item in spec["sentences"]:
        text = shared_file("seeds", item["file"]).read_text(encoding="utf-8")
        if not any(s.text.startswith(item["starts"]) for s in seg.segment(text)):
            missing.append((item["file"], item["starts"]))
    assert missing == []
