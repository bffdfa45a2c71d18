"""Who is speaking, for whom, citing which outlet, about what: rules over lexicons.

For each sentence of an article, :func:`attribute_article` returns an
:class:`Attribution`:

- ``speaker``: the asserting actor as written ("Kremlin spokesman Dmitry Peskov"),
  found around a reporting verb (``..., X said.``, ``X told reporters that ...``,
  ``..., said X.``); pronouns, bare surnames and role nouns ("he added", "Peskov
  told", "the spokesman noted", "the Venezuelan leader") resolve to the last named
  speaker of the article that fits;
- ``speaker_official``: the speaker phrase names an office, institution or
  organisation (``stance/data/official_terms.txt``), or resolves to one that did;
- ``outlet``: the third-party report the sentence cites, canonical from the gazetteer
  (``stance/data/outlets.json``), "media reports" when unnamed, or the last cited
  outlet for "the report", "the newspaper", ... An outlet that is only the channel of
  a speaker's own words ("told TASS", "in an interview with CNN") is not cited;
- ``claim``: the reported, denied or confirmed content: the that-clause after the cue,
  else the quotation, where one can be found.

Rules are data (the lexicons above, loaded once); the functions never raise on odd
text: at worst a field is None.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from stance import lexicons
from stance.labels import RESPONSE_LABELS
from stance.segment import abbreviations, find_dateline

PRONOUNS = {"he", "she", "they", "it", "we", "i"}
_ANAPHORIC_OUTLET = lexicons.compile_searcher(
    r"\b(?:the|that|this|such)\s+(?:[\w-]+\s+){0,2}?(?:report|newspaper|paper|daily|agency|"
    r"outlet|broadcaster|publication|magazine|website|site|network|channel|tabloid)s?\b",
    re.I)
_MEDIA_REPORTS = lexicons.compile_searcher(
    r"\b(?:media|press|news|local|unconfirmed|several|multiple)\s+reports?\b|"
    r"\bmedia(?:\s+outlets)?\s+(?:reported|said|claimed|quoted)\b|"
    r"\breports\s+(?:in|on)\s+(?:the\s+)?(?:media|press)\b|\breportedly\b", re.I)
_CHANNEL_BEFORE = re.compile(
    r"(?:\btold|(?<![Aa]ccording )\bto|\bwith|\bon|\binterview\s+(?:with|to)|\bspeaking\s+to|"
    r"\bwriting\s+in|\bwrote\s+in|\bop-ed\s+(?:in|for))\s+(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,4}$")
_CHANNEL_NOUN_AFTER = re.compile(r"^\s*(?:broadcaster|channel|television|TV|radio)\b")
_REPORT_SUBJECT = re.compile(
    r"^(?:The|That|This|A)\s+(?:news\s+)?(?:report|newspaper|paper|daily|agency|study|"
    r"documents?|memo)\s+(?:\w+ly\s+)?(?:said|says|added|adds|stated|claimed|claims|"
    r"reported|noted|wrote|found|showed|shows|suggested|suggests)\b")
_REPORT_CUE = lexicons.compile_searcher(
    r"\b(?:report(?:ed|s|ing)|according\s+to|citing|cited|learned|learnt|revealed|found|"
    r"added|quoted|claim(?:ed|s|ing)?|alleg(?:ed|es)|wrote|writes|says|said|suggest(?:s|ed)|"
    r"show(?:s|ed)|obtained|seen\s+by)\b", re.I)
_QUOTE = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*|(?:al|el|bin|ibn|van|von|de|da|del|della|di|du|la|le|dos)"
                   r"(?:-[A-Z][\w'’.-]*)?)$")
_AFTER_VERB = re.compile(r"\s+((?:[\w'’.-]+\s+){0,6}?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)"
                         r"\s*(?:[.,;:!?]|$)")
_AGE = re.compile(r"([A-Za-z]),\s*\d{1,3},\s+")
_DIGIT = re.compile(r"\d")
_SKIP_BEFORE_VERB = {"also", "has", "had", "have", "was", "is", "then", "again", "later",
                     "would", "will", "once", "further", "quickly", "not"}
_NOT_ROLE = {"and", "but", "or", "the", "a", "an", "said", "says", "that", "which", "who",
             "was", "were", "is", "are", "has", "had", "have", "when", "as", "by", "to",
             "of", "in", "on", "for", "with", "from", "after", "before", "while"}
_LEADING_ADVERBIAL = re.compile(
    r"^(?:(?:Meanwhile|However|Earlier|Later|Also|But|And|Still|Separately|In addition|"
    r"On \w+(?: \d+)?|Last \w+|This \w+|In a statement|In response to [^,]+),\s*)+")


@dataclass(frozen=True, slots=True)
class Attribution:
    """What :func:`attribute_article` finds for one sentence (None where nothing fits)."""

    speaker: str | None
    speaker_official: bool | None
    outlet: str | None
    claim: str | None


# --------------------------------------------------------------------------- lexicons


@lru_cache(maxsize=1)
def _lexicons() -> tuple[re.Pattern, dict[str, str], re.Pattern, frozenset[str], re.Pattern]:
    verbs = sorted(set(lexicons.words("reporting_verbs.txt")), key=len, reverse=True)
    verb_re = lexicons.compile_searcher(r"\b" + lexicons.alternation(verbs) + r"\b")
    outlets = {k: v for k, v in json.loads(lexicons.text("outlets.json")).items()
               if not k.startswith("_")}
    alias_to_name = {alias: name for name, aliases in outlets.items() for alias in aliases}
    for alias, name in list(alias_to_name.items()):  # "the Times of India" as well
        if alias.startswith("The "):
            alias_to_name.setdefault("the " + alias[4:], name)
    aliases = sorted(alias_to_name, key=len, reverse=True)
    outlet_re = lexicons.compile_searcher(
        r"(?<![\w-])" + lexicons.alternation(aliases) + r"(?![\w-])")
    official_words = frozenset(lexicons.words("official_terms.txt"))
    official_re = lexicons.compile_searcher(
        r"\b" + lexicons.alternation(sorted(official_words)) + r"\b", re.I)
    return verb_re, alias_to_name, outlet_re, official_words, official_re


# --------------------------------------------------------------------------- speakers


_TOKEN = re.compile(r"[\w'’.-]+|[,“”\"():;]")
_WORD_CHARS = re.compile(r"\w+")
_TIME_WORDS = {"on", "early", "late", "last"}
#: How far before a reporting verb its subject phrase is looked for (characters).
SPEAKER_WINDOW = 300


def _speaker_before(text: str, verb_start: int) -> str | None:
    """The noun phrase right before a reporting verb: capitalised words, titles and
    connectors, back to a comma, quote or sentence start (or SPEAKER_WINDOW back)."""
    window = max(0, verb_start - SPEAKER_WINDOW)
    left = text[window:verb_start].rstrip()
    # skip a trailing time expression: "Peskov on Sunday said"
    parts = left.rsplit(None, 2)
    if len(parts) == 3 and parts[1] in _TIME_WORDS and _WORD_CHARS.fullmatch(parts[2]):
        left = parts[0]
    tokens = _TOKEN.findall(left)
    if window and tokens:
        tokens.pop(0)  # may be a word cut in two by the window
    while tokens and (tokens[-1].lower() in _SKIP_BEFORE_VERB or tokens[-1].endswith("ly")):
        tokens.pop()  # "Trump publicly acknowledged", "he also rejected", "has repeatedly"
    official_words = _lexicons()[3]
    phrase: list[str] = []
    for tok in reversed(tokens):
        low = tok.lower()
        if tok in ",“”\"():;":
            break
        if not phrase and low in PRONOUNS:
            return low
        if _NAME.match(tok) or low in official_words or (
            phrase and low in {"of", "in", "for", "at", "the", "'s", "and"}
        ):
            phrase.append(tok)
            continue
        if phrase and low in {"the", "a", "an"}:
            phrase.append(tok)
            break
        if phrase and phrase[-1].lower() in official_words and low not in _NOT_ROLE \
                and low.isalpha() and low.islower():
            phrase.append(tok)  # "port authority spokesman", "presidential spokesman"
            continue
        break
    while phrase and phrase[-1].lower() in {"of", "in", "for", "at", "and"}:
        phrase.pop()
    phrase.reverse()
    while phrase and phrase[0].lower() in {"of", "in", "for", "at", "and"}:
        phrase.pop(0)
    return " ".join(phrase) or None


def _speaker_after(text: str, verb_end: int) -> str | None:
    """``..., said Kremlin spokesman Dmitry Peskov.``: the phrase after the verb."""
    m = _AFTER_VERB.match(text[verb_end:])
    if not m:
        return None
    who = m.group(1)
    last = who.rsplit(" ", 1)[-1].rstrip(".").lower()
    return who[:-1] if who.endswith(".") and last not in _abbreviations() else who


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """Abbreviations whose period belongs to the word ("Jr.", "Inc.")."""
    return frozenset(a.rstrip(".").lower() for a in abbreviations())


_APPOSITIVE_AFTER_NAME = re.compile(
    r"([A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|al-[A-Z][\w'’.-]+))+),\s+(?:who\s+|a\s+|an\s+|"
    r"the\s+|his\s+|her\s+|their\s+|[a-z])[^,]{0,90},\s*$")
_NAME_IN_COMMAS = re.compile(
    r"(?:^|\s)((?:[Tt]he|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+[^,]{2,60}),\s+"
    r"([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}),\s*$")
_ACCORDING_TO = re.compile(
    r"^(?:\w+,\s+)?[Aa]ccording to\s+((?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|for))*)"
    r"\s*,")


def _appositive_speaker(text: str, verb_start: int) -> str | None:
    """``Carlos Menezes, 47, a truck driver, said`` / ``The developer, Halvorsen Group,
    said``: the name around an appositive, right before the verb."""
    left = text[:verb_start].rstrip()
    if not left.endswith(","):  # both forms end in a comma right before the verb
        return None
    m = _APPOSITIVE_AFTER_NAME.search(left)
    if m:
        return m.group(1)
    m = _NAME_IN_COMMAS.search(left)
    if m:
        return m.group(2)
    return None


def find_speaker(sentence: str) -> str | None:
    """The speaker phrase of *sentence* as written, or a pronoun, or None.

    A closing attribution (``..., Kremlin spokesman Dmitry Peskov said``) wins over a
    subject at the start (``Moscow warns ...``): in news copy it names who spoke.
    """
    verb_re = _lexicons()[0]
    # ages: "Joe Blake, 54, said" -> "Joe Blake said"; "Joe Blake, 54, a fisherman, said"
    # -> "Joe Blake, a fisherman, said" (the appositive rule reads that)
    if _DIGIT.search(sentence):
        sentence = _AGE.sub(lambda m: m.group(1) + (" " if verb_re.match(sentence, m.end())
                                                    else ", "), sentence)
    m = _ACCORDING_TO.match(sentence)
    if m and _lexicons()[2].fullmatch(m.group(1)) is None \
            and not _ANAPHORIC_OUTLET.fullmatch(m.group(1)):
        return m.group(1)  # "According to Interior Minister Kemal Arslan, ..."
    verbs = list(verb_re.finditer(sentence))
    if not verbs:
        return None
    for m in verbs:
        who = _appositive_speaker(sentence, m.start())
        if who:
            return who
    body = _LEADING_ADVERBIAL.sub("", sentence)
    offset = len(sentence) - len(body)
    found: dict[int, str | None] = {}  # the phrase before each verb, found once

    def before_verb(start: int) -> str | None:
        if start not in found:
            found[start] = _speaker_before(sentence, start)
        return found[start]

    for m in verbs:
        if m.start() <= offset:
            continue
        comma = sentence.rfind(",", offset, m.start())
        if comma <= 0:
            continue
        who = before_verb(m.start())
        if who and who not in PRONOUNS and _NAME.match(who.split()[0]) \
                and sentence[comma + 1:m.start()].strip().startswith(who.split()[0]):
            return who
    for m in verbs:
        if m.start() < offset:
            continue
        before = sentence[:m.start()].rstrip()
        if before.endswith((",", "”", '"', ",”", ',"')) or before == "":
            after = _speaker_after(sentence, m.end())
            if after and before:
                return after
            continue
        who = before_verb(m.start())
        if who:
            return who
    return None


def is_official(speaker: str | None) -> bool | None:
    """True when the phrase names an office, institution or organisation."""
    if speaker is None:
        return None
    return bool(_lexicons()[4].search(speaker))


def _has_name(phrase: str) -> bool:
    official_words = _lexicons()[3]
    return any(_NAME.match(w) and w.lower() not in official_words and w.lower() != "the"
               for w in phrase.split()[1:] or phrase.split())


# --------------------------------------------------------------------------- outlets


def find_outlet(sentence: str, last_outlet: str | None = None) -> str | None:
    """The outlet whose report *sentence* conveys (canonical name), else None.

    Needs a cue that the report is the source ("reported", "according to", "citing",
    "the report added"); an outlet only named as a channel never counts.
    """
    if not _REPORT_CUE.search(sentence):
        return None
    _, alias_to_name, outlet_re, _, _ = _lexicons()
    if not _may_name_outlet(sentence):
        outlet_re = None
    dateline = find_dateline(sentence)
    if dateline is not None:  # "KYIV, Nov 3 (Reuters) - ...": the wire's byline
        sentence = sentence[dateline.end:]
    for m in outlet_re.finditer(sentence) if outlet_re is not None else ():
        before = sentence[:m.start()]
        if _CHANNEL_BEFORE.search(before) or _CHANNEL_NOUN_AFTER.match(sentence[m.end():]):
            continue  # "told Sputnik", "in an interview with CNN", "the Rossiya 1 broadcaster"
        return alias_to_name[m.group()]
    if last_outlet and _ANAPHORIC_OUTLET.search(sentence):
        return last_outlet
    if _MEDIA_REPORTS.search(sentence):
        return "media reports"
    return None


_KEY_WORD = re.compile(r"[\w&-]+")


@lru_cache(maxsize=1)
def _alias_keys() -> frozenset[str]:
    """A distinctive word of every outlet alias (its first word other than "the"), as
    written: aliases match case-sensitively."""
    _, alias_to_name, _, _, _ = _lexicons()
    keys = set()
    for alias in alias_to_name:
        words = [w for w in _KEY_WORD.findall(alias) if w.lower() != "the"]
        keys.add(words[0] if words else alias)
    return frozenset(keys)


def _may_name_outlet(sentence: str) -> bool:
    """A cheap test before the outlet gazetteer's large pattern: does any word of
    *sentence* start an outlet's name?"""
    keys = _alias_keys()
    return any(w in keys for w in _KEY_WORD.findall(sentence))


@lru_cache(maxsize=65_536)
def outlets_named(sentence: str) -> tuple[str, ...]:
    """Canonical names of every outlet *sentence* names, in order, channels included."""
    if not _may_name_outlet(sentence):
        return ()
    _, alias_to_name, outlet_re, _, _ = _lexicons()
    return tuple(dict.fromkeys(alias_to_name[m.group()] for m in outlet_re.finditer(sentence)))


# --------------------------------------------------------------------------- claims


_CLAIM_CUES = lexicons.compile_searcher(
    r"\b(?:report(?:ed|s|ing)?|claim(?:ed|s|ing)?|said|says|denied|denies|confirmed|"
    r"confirms|acknowledged|admitted|alleg(?:ed|ing|ations?)|rumou?rs?|learned|"
    r"stated|warned|insisted|suggest(?:ed|s)|show(?:ed|s)|found)\b(?:[^.“\"]{0,60}?)\s+that\s+",
    re.I)
_CLAIM_END = re.compile(r"(?:,\s*(?:[\w'’.-]+\s+){0,6}(?:said|says|told|added|stressed)\b.*$|"
                        r"\s+(?:are|is|were|was)\s+(?:untrue|false|baseless|fake|a hoax)\b.*$|"
                        r"[.;:!?\s”\"]+$)")


_CLAIM_OBJECT = lexicons.compile_searcher(
    r"\b(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|"
    r"refutes|confirmed|confirms|acknowledged|acknowledges|admitted|admits)\s+(?!that\b)"
    r"((?:the|a|an|all|any|these|those|such|reports?|claims?|allegations?|rumou?rs?)\b[^,;.]*?)"
    r"(?=\s+(?:as|on|in|at|during|after|before|when|while|saying|calling|and\s+said)\b|"
    r"[,;.]|$)")


def find_claim(sentence: str) -> str | None:
    """The that-clause after a report/denial cue, else the object of a denial or
    confirmation ("denied the report"), else the quotation, else None."""
    m = _CLAIM_CUES.search(sentence) if "that" in sentence.lower() else None
    if m:
        claim = _CLAIM_END.sub("", sentence[m.end():]).strip()
        if len(claim.split()) >= 3:
            return claim
    m = _CLAIM_OBJECT.search(sentence)
    if m and len(m.group(1).split()) >= 2:
        return m.group(1).strip()
    q = _QUOTE.search(sentence)
    if q and len(q.group(1).split()) >= 3:
        return q.group(1).strip(" ,.")
    return None


# --------------------------------------------------------------------------- articles


def _resolve(speaker: str | None, history: list[str]) -> str | None:
    """Resolve pronouns, bare surnames and role nouns to the last named speaker."""
    if speaker is None or not history:
        return None if speaker in PRONOUNS else speaker
    if speaker in PRONOUNS:
        return history[-1]
    words = speaker.split()
    if len(words) == 1 and _NAME.match(speaker):
        for prev in reversed(history):
            if prev.split()[-1] == speaker:
                return prev
        return speaker
    if words[0].lower() == "the" and not _has_name(" ".join(words[1:])):
        role = {w.lower() for w in words[1:]}
        for prev in reversed(history):
            if role & {w.lower() for w in prev.split()}:
                return prev
        return speaker  # no earlier speaker fits the role: keep it as written
    return speaker


def _still_quoting(sentence: str, before: bool) -> bool:
    """Is a quotation open after *sentence*, given whether one was open before it?"""
    curly = sentence.count("“") - sentence.count("”")
    if curly:
        return curly > 0
    if sentence.count('"') % 2:
        return not before
    return before


def attribute_article(
    sentences: Sequence[str], stances: Sequence[str] | None = None
) -> list[Attribution]:
    """Attribute every sentence of one article, in order (context flows forward).

    With *stances* (one label per sentence), a sentence labelled as a response (denial,
    confirmation, ...) gets no cited outlet: it answers a report rather than conveys it.
    """
    history: list[str] = []
    official: dict[str, bool] = {}
    last_outlet: str | None = None
    previous: str | None = None
    quote_open = False
    out = []
    for i, sentence in enumerate(sentences):
        try:
            raw = find_speaker(sentence)
            if raw is None and previous and (quote_open or sentence.lstrip()[:1] in "“\""):
                raw = previous  # a quotation going on: same speaker
            speaker = _resolve(raw, history)
            if speaker is not None and speaker not in PRONOUNS:
                if speaker not in official:
                    official[speaker] = bool(is_official(speaker)) or bool(
                        raw and raw != speaker and is_official(raw))
                if _has_name(speaker) and (not history or history[-1] != speaker):
                    history.append(speaker)
            elif speaker in PRONOUNS:
                speaker = None
            responding = stances is not None and stances[i] in RESPONSE_LABELS
            if _REPORT_SUBJECT.match(sentence):  # "The report added that ...": conveys it
                responding = False
            # a sentence with no stance reports, denies or confirms nothing: no claim
            plain = stances is not None and stances[i] == "none"
            outlet = None if responding else find_outlet(sentence, last_outlet)
            if outlet and outlet != "media reports":
                last_outlet = outlet
            claim = None if plain else find_claim(sentence)
            previous = speaker
            quote_open = _still_quoting(sentence, quote_open)
        except Exception:  # rules must not take a batch down; record nothing instead
            speaker, outlet, claim = None, None, None
        out.append(Attribution(speaker, official.get(speaker) if speaker else None,
                               outlet, claim))
    return out
