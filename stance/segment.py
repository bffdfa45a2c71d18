"""Split article text into sentences with character offsets, offline.

nltk's Punkt does the splitting, with parameters the project trains on its own
labelled articles and ships as plain JSON (``stance/data/punkt.json``): no
``nltk.download``, no pickle to trust. Around Punkt, a few rules that news copy needs:

- line breaks end a sentence (paragraphs, headlines and page furniture are separate);
- a dateline opening a paragraph ("OSLO, March 4. /NTB/.", "NAIROBI (AP) -")
  is not part of the sentence after it (:func:`find_dateline` returns it for dates);
- a full stop with no space after it ("efforts.The talks") still ends a sentence;
- a quotation spanning several sentences stays one sentence with what follows its
  closing mark (``"We want peace. We don't need new conflicts," he said.``), because
  the attribution belongs to all of it.

Every :class:`Sentence` keeps ``start``/``end`` offsets such that
``text[start:end] == sentence.text``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

from stance import lexicons

#: How many following Punkt sentences an open quotation may absorb.
MAX_QUOTE_MERGE = 4

_LINE = re.compile(r"[^\r\n]+")
_DATELINE = re.compile(
    r"""^\s*
    (?P<place>[A-Z][A-Z.'\-]+(?:[ ][A-Z][A-Z.'\-]+){0,3})      # MOSCOW / PORT ARDELL
    (?:,[ ](?P<region>[A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+)?)(?![.]?[ ]\d))?  # , Calif.
    (?:,?[ ](?P<date>[A-Z][a-z]{2,8}\.?[ ]\d{1,2}(?:,[ ]\d{4})?))?  # , March 4
    \.?[ ]?
    (?:(?:/(?P<agency1>[A-Za-z\-]+)/\.?)|(?:\((?P<agency2>[A-Za-z .\-]+)\)))?  # /TASS/ (AP)
    [ ]?(?:[-–—:]|\.)[ ]*""",
    re.VERBOSE,
)
# "efforts.The": a full stop glued to the next sentence (two lower-case letters before
# it, so abbreviations such as "U.S.The" are left alone).
_GLUED = re.compile(r"[.!?](?=[A-Z][a-z])")  # and [a-z]{2} before it: see _punkt_spans
_OPEN = "“"
_CLOSE = "”"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its index in the article and its span in the article text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline opening a paragraph: place, optional date text and agency, and span."""

    start: int
    end: int
    place: str
    date: str | None
    agency: str | None


# --------------------------------------------------------------------------- parameters


def train_parameters(texts: Iterable[str], abbreviations: Iterable[str] = ()) -> PunktParameters:
    """Train Punkt on *texts* (whole articles) and add known *abbreviations*
    (written as in text, with or without the final period: ``"Gen."``, ``"U.S."``)."""
    trainer = PunktTrainer()
    for text in texts:
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    for abbr in abbreviations:
        params.abbrev_types.add(abbr.strip().rstrip(".").lower())
    return params


def parameters_to_json(params: PunktParameters) -> dict:
    """A JSON-safe, deterministic (sorted) form of Punkt parameters."""
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([a, b] for a, b in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }


def parameters_from_json(data: dict) -> PunktParameters:
    """Rebuild Punkt parameters from :func:`parameters_to_json` output."""
    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {tuple(pair) for pair in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    for word, flags in data["ortho_context"].items():
        params.ortho_context[word] = flags
    return params


def abbreviations() -> list[str]:
    """The project's abbreviation lexicon (``stance/data/abbreviations.txt``)."""
    return lexicons.words("abbreviations.txt")


def articles_from_labelled(frame) -> list[str]:
    """Rebuild article-like texts from a labelled frame: each group's sentences joined in
    file order (headlines on their own line), the raw text Punkt learns from."""
    return ["\n".join(group["text"]) for _, group in frame.groupby("group", sort=True)]


@lru_cache(maxsize=1)
def tokenizer() -> PunktSentenceTokenizer:
    """The shipped Punkt tokenizer, loaded once per process."""
    return PunktSentenceTokenizer(parameters_from_json(json.loads(lexicons.text("punkt.json"))))


# --------------------------------------------------------------------------- splitting


def find_dateline(line: str) -> Dateline | None:
    """The dateline at the start of *line* ("OSLO, March 4. /NTB/."), if any.

    A dateline needs a place in capitals followed by a date or an agency and a separator,
    so an ordinary sentence opening with an acronym ("NATO said ...") is not one.
    """
    head = line.lstrip()[:2]
    if not (head.isupper() and head.isalpha()):  # the place is in capitals
        return None
    m = _DATELINE.match(line)
    if not m or not (m["date"] or m["agency1"] or m["agency2"]):
        return None
    if m.end() >= len(line.rstrip()):
        return None  # nothing after it: a line of its own, e.g. a headline in capitals
    return Dateline(m.start("place"), m.end(), m["place"], m["date"],
                    m["agency1"] or m["agency2"])


def _punkt_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Punkt spans of ``text[start:end]``, further split at glued full stops."""
    chunk = text[start:end]
    spans = tokenizer().span_tokenize(chunk)
    if _GLUED.search(chunk) is None:  # most lines: nothing glued
        for a, b in spans:
            yield start + a, start + b
        return
    for a, b in spans:
        cut = a
        for m in _GLUED.finditer(chunk, a, b):
            before = chunk[max(0, m.start() - 2):m.start()]
            if len(before) < 2 or not (before.isascii() and before.isalpha()
                                       and before.islower()):
                continue
            yield start + cut, start + m.end()
            cut = m.end()
        yield start + cut, start + b


def _open_quote(span_text: str) -> bool:
    """Does this text leave a quotation open (curly or straight quotes)?"""
    if span_text.count(_OPEN) > span_text.count(_CLOSE):
        return True
    return span_text.count('"') % 2 == 1


def _merge_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a sentence that leaves a quotation open with the following ones, up to the one
    that closes it, so a quoted passage and its attribution stay one sentence. A quote
    still open after MAX_QUOTE_MERGE sentences, or a new quote opening first, joins nothing.
    """
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        a, b = spans[i]
        j = i
        if _open_quote(text[a:b]):
            for k in range(i + 1, min(i + 1 + MAX_QUOTE_MERGE, len(spans))):
                piece = text[spans[k][0]:spans[k][1]]
                if _OPEN in piece and _CLOSE not in piece:
                    break  # a new quotation opens first: ours was never closed
                if _CLOSE in piece or piece.count('"') % 2 == 1:
                    j = k  # this one closes it
                    break
        out.append((a, spans[j][1]))
        i = j + 1
    return out


#: No sentence is longer than this: text without sentence punctuation (a scraped list,
#: a run-on dump) is cut at the last space before it, so no step sees megabyte strings.
MAX_SENTENCE = 2_000


def _cap(text: str, spans: list[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    if all(b - a <= MAX_SENTENCE for a, b in spans):
        return spans
    return _cut(text, spans)


def _cut(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    for a, b in spans:
        while b - a > MAX_SENTENCE:
            cut = text.rfind(" ", a + 1, a + MAX_SENTENCE)
            cut = cut if cut > a else a + MAX_SENTENCE
            yield a, cut
            a = cut
        yield a, b


def segment(text: str, skip_line: Callable[[str], bool] | None = None) -> list[Sentence]:
    """Split *text* into sentences with offsets into *text*.

    *skip_line* (e.g. :func:`stance.ingest.is_boilerplate`) drops whole lines that are
    not prose; offsets still point into the full *text*. Never raises on odd input: any
    string gives a (possibly empty) list whose spans are in order, do not overlap and
    slice *text* back to each sentence.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        line_text = line.group()
        if skip_line is not None and skip_line(line_text):
            continue
        start, end = line.span()
        dateline = find_dateline(line_text)
        if dateline is not None:
            start += dateline.end
        line_spans = [(a, b) for a, b in _punkt_spans(text, start, end)
                      if a < b and not text[a:b].isspace()]
        if '"' in line_text or _OPEN in line_text or _CLOSE in line_text:
            line_spans = _merge_quotes(text, line_spans)  # (a no-op without quotes)
        spans.extend(line_spans)
    sentences = []
    for a, b in _cap(text, spans):
        # trim surrounding whitespace so offsets point at the sentence itself
        piece = text[a:b]
        kept = piece.strip()
        if kept:
            a += len(piece) - len(piece.lstrip())
            b = a + len(kept)
            sentences.append(Sentence(len(sentences), a, b, kept))
    return sentences
