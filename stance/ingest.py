"""Read articles from files, directories, globs or standard input, one at a time.

:func:`read_articles` is a generator of :class:`Article` and :class:`Rejected`
records, in a deterministic order (inputs as given, directory entries sorted). Every
record that could not be read becomes a :class:`Rejected` naming the file and line,
so a caller can always reconcile ``read = scored + rejected``; nothing is dropped
silently and nothing raises for bad input.

Formats, by extension:

==========  ==============================================================
``.txt``    one article: the first non-empty line is the title, the rest the body
``.jsonl``  one JSON object per line: ``text`` (required), ``id``, ``title``,
            ``date``, ``outlet``, ``url``, ``language``
``.csv``    one article per row, the same columns
``.parquet``  one article per row, the same columns (read in row batches)
``.html``   one article: main text and metadata (title, date, site, URL) extracted
            by trafilatura; navigation, scripts and footers are left out
``-``       standard input: JSONL when it starts with ``{``, else one text article
==========  ==============================================================

Encodings: UTF-8 with or without BOM, UTF-16 with BOM, and Windows-1252 as the
fallback for legacy single-byte text files; data that is binary is rejected.
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

from stance import lexicons
from stance._csv import records

#: Extensions read by :func:`read_articles` (others are rejected with a reason).
SUPPORTED = (".txt", ".jsonl", ".csv", ".parquet", ".html", ".htm")
PARQUET_BATCH = 1_000
FIELDS = ("id", "text", "title", "date", "outlet", "url", "language")
#: A single text article larger than this is rejected (it is not an article).
MAX_TEXT_BYTES = 20_000_000
_SNIFF = 4096


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Article:
    """One article to score. ``source`` says where it came from (``file`` or ``file:line``).

    Control characters in the text (a BEL, an ESC, a NUL from a broken scraper) become
    spaces: offsets are into this cleaned text.
    """

    id: str
    text: str
    source: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        if _CONTROL.search(self.text):
            object.__setattr__(self, "text", _CONTROL.sub(" ", self.text))


@dataclass(frozen=True, slots=True)
class Rejected:
    """A file or record that could not be read, and why (one line, for the summary)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


# --------------------------------------------------------------------------- decoding


def _looks_binary(raw: bytes) -> bool:
    head = raw[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    # a stray control character or two is damaged text, not a binary file
    return bool(head) and controls > 16 and controls / len(head) > 0.05


def decode(raw: bytes) -> tuple[str, str]:
    """Decode file bytes; return ``(text, encoding)``.

    BOMs decide first (UTF-8, UTF-16 LE/BE); then strict UTF-8; then Windows-1252 for
    legacy single-byte text. Raises ValueError for binary data.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ValueError(f"invalid UTF-16 ({exc.reason})") from None
    if _looks_binary(raw):
        raise ValueError("binary data, not text (UTF-16 needs a byte order mark)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _clean(value: object) -> str | None:
    """A metadata value as a stripped string, or None for missing/empty/NaN."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from CSV tools
        return None
    text = str(value).strip()
    return text or None


# --------------------------------------------------------------------------- prose


_SENTENCE_END = re.compile(r"[.!?…:;\"”’)]\s*$")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ASCII_WORD = re.compile(r"[A-Za-z]+")  # the same words in an ASCII text, found faster


@lru_cache(maxsize=2)
def _words_of(name: str) -> frozenset[str]:
    return frozenset(lexicons.words(name))


def _foreign(words: list[str]) -> bool:
    """More function words of other languages than English ones (at least three, so a
    place name such as "Lanao del Sur" is not enough), or letters mostly outside the
    Latin script."""
    letters = " ".join(words)
    if not letters.isascii():
        ascii_letters = len(letters.encode("ascii", "ignore")) - (len(words) - 1)
        if ascii_letters / (len(letters) - (len(words) - 1)) < 0.5:
            return True
    low = letters.lower().split()
    foreign_words = _words_of("foreign_function_words.txt")
    if foreign_words.isdisjoint(low):  # most English lines: none at all
        return False
    foreign = sum(map(foreign_words.__contains__, low))
    if foreign < 3:
        return False
    english = sum(map(_words_of("english_function_words.txt").__contains__, low))
    return foreign > english


@lru_cache(maxsize=1)
def _furniture() -> tuple[re.Pattern | None, re.Pattern | None, tuple[str, ...] | None]:
    """The furniture patterns as two expressions: those anchored at the line start
    (tried there only) and the others (searched through the line), with strings one of
    which a line must contain for the others to match (see
    :func:`stance.lexicons.required_literals`)."""
    patterns = lexicons.patterns("boilerplate.txt")
    anchored = [p for p in patterns if p.startswith("^")]
    floating = [p for p in patterns if not p.startswith("^")]

    def join(ps: list[str]) -> str | None:
        return "|".join(f"(?:{p})" for p in ps) if ps else None

    anchored_re, floating_re = join(anchored), join(floating)
    return (re.compile(anchored_re, re.I) if anchored_re else None,
            lexicons.compile_searcher(floating_re, re.I) if floating_re else None,
            lexicons.required_literals(floating_re, re.I) if floating_re else None)


#: Page furniture that is not at a line's start ("... All rights reserved") is looked
#: for in lines up to this long: furniture is short, and prose paragraphs are long.
FURNITURE_SEARCH = 300


def _is_furniture(line: str) -> bool:
    anchored, floating, needles = _furniture()
    if anchored is not None and anchored.match(line):
        return True
    if floating is None or len(line) > FURNITURE_SEARCH:
        return False
    if needles is not None and line.isascii():  # most lines: a substring test rules out
        low = line.lower()
        if not any(needle in low for needle in needles):
            return False
    return floating.search(line) is not None


def boilerplate_reason(line: str, words_seen: list[str] | None = None) -> str | None:
    """Why *line* is not article prose, or None when it is prose.

    General rules, not a list of known lines: page furniture patterns
    (``stance/data/boilerplate.txt``); lines of three words or fewer without sentence
    punctuation (navigation, section labels, bylines); lines of prices and symbols;
    lines of six words or more with almost no English function words (another language).

    The words of a line that is not furniture are added to *words_seen* if given, so an
    article's language can be judged (:func:`not_english`) without reading it again.
    """
    stripped = line.strip()
    if not stripped:
        return None
    if _is_furniture(stripped):
        return "page furniture"
    words = (_ASCII_WORD if stripped.isascii() else _WORD).findall(stripped)
    if words_seen is not None:
        words_seen.extend(words)
    if not words or sum(map(len, words)) < len(stripped.replace(" ", "")) / 3:
        return "no prose (symbols, prices or numbers)"
    if len(stripped.split()) <= 3 and not _SENTENCE_END.search(stripped):
        return "too short to be prose"
    if _foreign(words):
        return "not English"
    return None


def is_boilerplate(line: str) -> bool:
    """True when *line* should not become a sentence (see :func:`boilerplate_reason`)."""
    return boilerplate_reason(line) is not None


#: How many words of an article its language is judged on (the first ones).
LANGUAGE_SAMPLE = 400


def is_english(text: str, words: list[str] | None = None) -> bool:
    """A light check on the first words of *text* (or the given *words*): Latin
    script, and not more function words of other languages than English ones."""
    if words is None:
        words = _WORD.findall(text[:20_000])
    words = words[:LANGUAGE_SAMPLE]
    return len(words) < 4 or not _foreign(words)


# --------------------------------------------------------------------------- readers


def _record(fields: dict, source: str, default_id: str) -> Article | Rejected:
    text = fields.get("text")
    if text is None or (isinstance(text, float) and text != text):
        return Rejected(source, "no 'text'")
    if not isinstance(text, str):
        return Rejected(source, f"'text' is {type(text).__name__}, expected a string")
    if not text.strip():
        return Rejected(source, "empty 'text'")
    return Article(
        id=_clean(fields.get("id")) or default_id,
        text=text,
        source=source,
        **{k: _clean(fields.get(k)) for k in ("title", "date", "outlet", "url", "language")},
    )


def _read_one_article(path: Path, raw: bytes | None = None) -> bytes | Rejected:
    """The bytes of a one-article file, or why they cannot be used."""
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        return Rejected(str(path), f"cannot read: {exc.strerror or exc}")
    if not raw.strip():
        return Rejected(str(path), "empty file")
    if len(raw) > MAX_TEXT_BYTES:
        return Rejected(str(path), f"larger than {MAX_TEXT_BYTES // 1_000_000} MB: "
                        "not one article")
    return raw


def read_txt(path: Path, raw: bytes | None = None) -> Iterator[Article | Rejected]:
    """One article: the first non-empty line is the title, the rest the body."""
    name = str(path)
    raw = _read_one_article(path, raw)
    if isinstance(raw, Rejected):
        yield raw
        return
    try:
        text, _ = decode(raw)
    except ValueError as exc:
        yield Rejected(name, str(exc))
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        yield Rejected(name, "empty file")
        return
    title = lines[first].strip()
    body = "\n".join(lines[first + 1:])
    if not body.strip():  # a one-line file: the line is the text, not a title
        title, body = None, lines[first]
    yield Article(id=path.stem, text=body, source=name, title=title)


def read_jsonl(stream: IO[bytes], name: str, first_line: int = 1
               ) -> Iterator[Article | Rejected]:
    """One article per JSON line; each bad line is rejected with its line number
    (*first_line* is the number of the stream's first line: a partition of a file)."""
    for number, raw in enumerate(stream, start=first_line):
        source = f"{name}:{number}"
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield Rejected(source, "not valid UTF-8")
            continue
        except json.JSONDecodeError as exc:
            yield Rejected(source, f"invalid JSON ({exc.msg}, column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield Rejected(source, f"a JSON {type(obj).__name__}, expected an object")
            continue
        yield _record(obj, source, f"{Path(name).stem}-{number}")


def read_csv(path: Path) -> Iterator[Article | Rejected]:
    """One article per row; the header must have a ``text`` column."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF)
    except OSError as exc:
        yield Rejected(name, f"cannot read: {exc.strerror or exc}")
        return
    if not head.strip():
        yield Rejected(name, "empty file")
        return
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif _looks_binary(head):
        yield Rejected(name, "binary data, not a CSV file")
        return
    else:
        encoding = "utf-8-sig"
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip() for h in next(reader)]
        except (StopIteration, csv.Error) as exc:
            yield Rejected(f"{name}:1", f"cannot read the header ({exc or 'no rows'})")
            return
        if "text" not in header:
            yield Rejected(f"{name}:1", f"no 'text' column (columns: {', '.join(header)})")
            return
        for start, row, error in records(reader):
            if error is not None:
                yield Rejected(f"{name}:{start}", f"malformed CSV ({error})")
                continue
            source = f"{name}:{start}"
            if len(row) != len(header):
                yield Rejected(source, f"{len(row)} fields, expected {len(header)}")
                continue
            fields = dict(zip(header, row, strict=True))
            if "\ufffd" in fields["text"]:
                yield Rejected(source, "not valid UTF-8")
                continue
            yield _record(fields, source, f"{path.stem}-{start}")


def read_parquet(path: Path, row_groups: list[int] | None = None, first_row: int = 1
                 ) -> Iterator[Article | Rejected]:
    """One article per row, streamed in row batches; rows are numbered from 1 (or from
    *first_row* when reading only *row_groups*: a partition of the file)."""
    import pyarrow.parquet as pq

    name = str(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for unreadable files
        yield Rejected(name, f"not a readable Parquet file ({type(exc).__name__})")
        return
    columns = [c for c in pf.schema_arrow.names if c in FIELDS]
    if "text" not in columns:
        yield Rejected(name, f"no 'text' column (columns: {', '.join(pf.schema_arrow.names)})")
        return
    number = first_row - 1
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH, columns=columns,
                                 row_groups=row_groups):
        for fields in batch.to_pylist():
            number += 1
            yield _record(fields, f"{name}:row {number}", f"{path.stem}-{number}")


def read_html(path: Path) -> Iterator[Article | Rejected]:
    """One article: trafilatura extracts the main text and its metadata."""
    import trafilatura

    name = str(path)
    raw = _read_one_article(path)
    if isinstance(raw, Rejected):
        yield raw
        return
    try:
        found = trafilatura.extract(raw, output_format="json", with_metadata=True,
                                    include_comments=False, include_tables=False)
    except Exception as exc:  # trafilatura/lxml errors on broken markup
        yield Rejected(name, f"cannot parse the HTML ({type(exc).__name__})")
        return
    if not found:
        yield Rejected(name, "no article text found in the HTML")
        return
    meta = json.loads(found)
    text = meta.get("text") or ""
    title = _clean(meta.get("title"))
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest  # trafilatura repeats the headline as the first line
    yield _record({"text": text, "title": title, "date": meta.get("date"),
                   "outlet": meta.get("source-hostname") or meta.get("hostname"),
                   "url": meta.get("source"), "language": meta.get("language")},
                  name, path.stem)


# --------------------------------------------------------------------------- inputs


def expand(inputs: Iterable[str]) -> Iterator[Path | Rejected | str]:
    """Files named by *inputs* (files, directories searched recursively, globs, ``-``),
    in a deterministic order; a name that matches nothing is rejected."""
    for item in inputs:
        if item == "-":
            yield "-"
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in SUPPORTED and not p.name.startswith("."))
            if not found:
                yield Rejected(item, f"no {', '.join(SUPPORTED)} files in this directory")
            yield from found
        elif path.exists():
            yield path
        else:
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield Rejected(item, "no such file, directory or glob match")
            for m in matches:
                if os.path.isfile(m):
                    yield Path(m)


def read_articles(inputs: Iterable[str], stdin: IO[bytes] | None = None,
                  english: bool = True) -> Iterator[Article | Rejected]:
    """Stream the articles (and rejects) of every input, in order. Articles that are
    not English (by their ``language`` field, else by a light check) are rejected: the
    model reads English only. With ``english=False`` that check is left to the caller
    (:func:`stance.score.score_articles` runs it in its workers)."""
    records = _read_all(inputs, stdin)
    return english_only(records) if english else records


def english_only(records: Iterable[Article | Rejected]) -> Iterator[Article | Rejected]:
    """*records* with the articles that are not English turned into rejects."""
    for record in records:
        if isinstance(record, Article):
            reason = not_english(record)
            if reason:
                yield Rejected(record.source, reason)
                continue
        yield record


def not_english(article: Article, words: list[str] | None = None) -> str | None:
    """Why *article* is not English (its ``language`` field, else a light check on its
    first words, or on *words* from its prose lines), or None."""
    if article.language:
        code = article.language.lower().replace("_", "-")
        if code.split("-")[0] not in ("en", "eng", "english"):
            return f"not English (language: {article.language}); the model reads English"
        return None
    if not is_english(article.text, words):
        return "not English (too few English function words); the model reads English"
    return None


def _read_all(inputs: Iterable[str], stdin: IO[bytes] | None) -> Iterator[Article | Rejected]:
    for target in expand(inputs):
        if isinstance(target, Rejected):
            yield target
        elif target == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            head = stream.read(_SNIFF)
            rest = io.BufferedReader(_Chain(head, stream))
            if head.removeprefix(codecs.BOM_UTF8).lstrip()[:1] == b"{":
                yield from read_jsonl(rest, "<stdin>")
            else:
                yield from read_txt(Path("<stdin>"), rest.read())
        else:
            suffix = target.suffix.lower()
            if suffix == ".txt":
                yield from read_txt(target)
            elif suffix == ".jsonl":
                try:
                    with open(target, "rb") as fh:
                        yield from read_jsonl(fh, str(target))
                except OSError as exc:
                    yield Rejected(str(target), f"cannot read: {exc.strerror or exc}")
            elif suffix == ".csv":
                yield from read_csv(target)
            elif suffix == ".parquet":
                yield from read_parquet(target)
            elif suffix in (".html", ".htm"):
                yield from read_html(target)
            else:
                yield Rejected(str(target), f"unsupported file type {suffix or '(none)'!r}; "
                               f"expected one of {', '.join(SUPPORTED)}")


def read_file(target: Path) -> Iterator[Article | Rejected]:
    """The records of one file, by its type (what :func:`read_articles` does per file)."""
    return _read_all([str(target)], None)


class _Chain(io.RawIOBase):
    """Bytes already read, then the rest of a stream: lets us sniff standard input."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)
