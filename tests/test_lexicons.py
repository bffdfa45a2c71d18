"""`lexicons.compile_searcher` and `lexicons.required_literals` are only speed-ups: every
pattern finds exactly what the plain compiled pattern finds, and no text it matches
lacks the strings said to be required, on any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance import lexicons
from stance.attribute import _lexicons

#: Characters the patterns below care about, so generated text hits them often.
ALPHABET = "abcdeilmnoprstuwyACDFMRST ,.;:-'\"“”()©0123456789\n"

PATTERNS = [
    (r"\bread (the )?(full|more|original)\b.*(→|»|>|here)", re.I),
    (r"©\s*\S|\(c\)\s*\d{4}|\bcopyright\s*(©|\d{4})", re.I),
    (r"\b(?:on|early)\s+(?:(?:early|late)\s+)?(monday|friday)\b", re.I),
    (r"\b(?:mar(?:ch)?|may|june?)\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?\b", re.I),
    (r"(?<![\w-])(?:Reuters|The Times|the Times)(?![\w-])", 0),
    (r"x?y|(?:ab)*c", 0),
    (r"(?:a|)b", 0),
    (r"\d+|[A-Z]\w*", 0),  # starts with a class the engine already skips to
    (r"""\b(?:said # a comment that runs to the end
         |says)\b""", re.X),
]


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=80))
def test_same_matches_as_the_plain_pattern(pattern, flags, text):
    fast, plain = lexicons.compile_searcher(pattern, flags), re.compile(pattern, flags)
    assert _spans(fast, text) == _spans(plain, text)
    assert bool(fast.match(text)) == bool(plain.match(text))


def test_shortcut_is_added_where_a_pattern_opens_with_a_boundary():
    assert lexicons.compile_searcher(r"\bread\b", re.I).pattern.startswith("(?=[r])")
    # nothing known about the first character, or the engine already skips: as written
    for pattern in (r"\w+said", r"[A-Z]x", r"(?i)abc", r"a*"):
        assert lexicons.compile_searcher(pattern).pattern == pattern


def test_shipped_gazetteers_match_as_the_plain_alternation():
    verb_re, alias_to_name, outlet_re, _, official_re = _lexicons()
    text = ("Reuters reported on Monday, citing The Wall Street Journal, that the "
            "Interior Ministry spokesman said, and officials told BBC News they denied it.")
    for fast in (verb_re, outlet_re, official_re):
        assert fast.pattern.startswith("(?=[")  # the shortcut is there
        plain_pattern = re.sub(r"^\(\?=\[[^\]]*\]\)\(\?:(.*)\)$", r"\1", fast.pattern,
                               flags=re.S)
        plain = re.compile(plain_pattern, fast.flags)
        assert _spans(fast, text) == _spans(plain, text)
    assert [alias_to_name[m.group()] for m in outlet_re.finditer(text)][:2] == \
        ["Reuters", "The Wall Street Journal"]


IGNORING_CASE = [(p, f) for p, f in PATTERNS if f & re.I] + [
    (r"\b(share|follow) (us|this) on (facebook|x)\b", re.I),
    (r"\ball rights reserved\b|(?:ab)+c|x(?:yz|w)", re.I),
]


@pytest.mark.parametrize(("pattern", "flags"), IGNORING_CASE)
@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=ALPHABET + "ABFHOW", max_size=80))
def test_a_matching_ascii_text_contains_a_required_string(pattern, flags, text):
    needles = lexicons.required_literals(pattern, flags)
    if re.compile(pattern, flags).search(text) and text.isascii():
        assert needles is None or any(n in text.lower() for n in needles)


def test_required_strings_of_the_furniture_patterns():
    from stance.ingest import _furniture, is_boilerplate

    needles = _furniture()[2]
    assert {"all rights reserved", "copyright", "subscri"} <= set(needles)
    # found whatever the case, and only a line with one of them is searched
    assert is_boilerplate("ALL RIGHTS RESERVED by the Harbour Gazette")
    assert lexicons.required_literals(r"\w+|x", re.I) is None  # nothing required
    # an optional part is never required, however long; a repeated one is
    assert lexicons.required_literals(r"\bon (?:early monday|late friday)?\s*y", re.I) == \
        ("on ",)
    assert lexicons.required_literals(r"x(?:Copyright )+y|Z", re.I) == ("copyright ", "z")
