"""Read and validate labelled sentence CSVs (``labelled/sentences.csv`` and its kin).

A labelled CSV has a header row and at least the columns ``text`` and ``label``;
training data also needs ``group`` (the article or family a sentence came from, so
cross-validation can hold whole groups out). :func:`check_labelled` reports every
problem with the line it stands on, the way a linter does, so a user can fix them
all in one pass; :func:`read_labelled` returns the rows as a DataFrame or raises
:class:`~stance.errors.DataError` carrying those problems.

Frame produced (one row per valid record):

========  ==========================================================
column    meaning
========  ==========================================================
text      the sentence, as written (surrounding whitespace stripped)
label     one of :data:`stance.labels.LABELS`
group     the row's group ("" when the file has no ``group`` column)
line      the line number of the record in the file (1 = header)
========  ==========================================================
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from stance._csv import records
from stance.errors import DataError
from stance.labels import LABELS

TRAINING_COLUMNS = ("text", "label", "group")
EVALUATION_COLUMNS = ("text", "label")
_WS = re.compile(r"\s+")
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Problem:
    """One problem found in a labelled file: where it is and what is wrong."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  # "error" blocks training; "warning" does not

    @property
    def where(self) -> str:
        """``path:line``, or the path alone for problems with the whole file."""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


def normalise_text(text: str) -> str:
    """Collapse runs of whitespace: the key under which two texts count as duplicates."""
    return _WS.sub(" ", text).strip()


def _decode(raw: bytes, path: str, problems: list[Problem]) -> str:
    """Decode UTF-8 (BOM optional), reporting each undecodable line by number."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                Problem(
                    path,
                    number,
                    f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1}); "
                    "save the file as UTF-8",
                )
            )
    return raw.decode("utf-8", errors="replace")


def _suggest(label: str) -> str:
    close = difflib.get_close_matches(label.strip().lower(), LABELS, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_labelled(
    path: str | os.PathLike,
    required: tuple[str, ...] = TRAINING_COLUMNS,
    duplicates: str = "error",
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a labelled CSV and return ``(valid_rows, problems)``.

    Checks: the file exists, is text and UTF-8; the header has the *required*
    columns; every record has the header's number of fields, a non-blank ``text``,
    a known ``label`` and (when required) a non-blank ``group``; no text appears twice
    (twice with different labels is always an error; twice with the same label is
    reported with severity *duplicates*: ``"error"`` or ``"warning"``).

    Problems never raise: they are all collected so a user sees them at once.
    Only valid rows are returned; the first copy of a duplicated text is kept.
    """
    p = Path(path)
    name = str(path)
    problems: list[Problem] = []
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in ("text", "label", "group")})
    empty["line"] = pd.Series(dtype="int64")
    if not p.exists():
        return empty, [Problem(name, None, "file not found")]
    if p.is_dir():
        return empty, [Problem(name, None, "is a directory, expected a CSV file")]
    try:
        raw = p.read_bytes()
    except OSError as exc:
        return empty, [Problem(name, None, f"cannot read file: {exc.strerror or exc}")]
    if not raw.strip():
        return empty, [Problem(name, None, "file is empty; expected a CSV with a header row")]
    if b"\x00" in raw[:_SNIFF_BYTES]:
        return empty, [
            Problem(name, None, "binary data (NUL bytes), not a text CSV file; "
                    "UTF-16 files must be saved as UTF-8")
        ]
    text = _decode(raw, name, problems)

    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = next(reader)
    except csv.Error as exc:
        return empty, [*problems, Problem(name, 1, f"cannot parse the header: {exc}")]
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(
            Problem(
                name,
                1,
                f"missing column(s) {', '.join(repr(c) for c in missing)}; "
                f"found {', '.join(repr(h) for h in header) or 'no columns'}",
            )
        )
        return empty, problems
    col = {c: header.index(c) for c in ("text", "label", "group") if c in header}

    rows: list[tuple[str, str, str, int]] = []
    seen: dict[str, tuple[int, str]] = {}
    for start, record, error in records(reader):
        if error is not None:
            problems.append(Problem(name, start, f"malformed CSV: {error}"))
            continue
        if len(record) != len(header):
            problems.append(
                Problem(name, start, f"{len(record)} fields, expected {len(header)} "
                        "(an unquoted comma in the text?)")
            )
            continue
        sentence = record[col["text"]].strip()
        label = record[col["label"]].strip()
        group = record[col["group"]].strip() if "group" in col else ""
        bad = False
        if not sentence:
            problems.append(Problem(name, start, "empty text"))
            bad = True
        if label not in LABELS:
            shown = repr(label) if label else "empty label"
            problems.append(
                Problem(name, start, f"unknown label {shown}{_suggest(label)}; "
                        f"expected one of: {', '.join(LABELS)}")
            )
            bad = True
        if "group" in required and not group:
            problems.append(Problem(name, start, "empty group"))
            bad = True
        if bad:
            continue
        key = normalise_text(sentence)
        if key in seen:
            first_line, first_label = seen[key]
            if first_label != label:
                problems.append(
                    Problem(name, start, f"same text as line {first_line} with a different "
                            f"label ({label!r} here, {first_label!r} there)")
                )
            else:
                problems.append(
                    Problem(name, start, f"duplicate of line {first_line}", severity=duplicates)
                )
            continue
        seen[key] = (start, label)
        rows.append((sentence, label, group, start))

    if not rows and not any(pr.severity == "error" for pr in problems):
        problems.append(Problem(name, None, "no labelled rows after the header"))
    frame = pd.DataFrame(rows, columns=["text", "label", "group", "line"]) if rows else empty
    return frame, problems


def read_labelled(
    path: str | os.PathLike,
    required: tuple[str, ...] = TRAINING_COLUMNS,
    duplicates: str = "error",
) -> pd.DataFrame:
    """Return the valid rows of a labelled CSV, or raise DataError listing every problem."""
    frame, problems = check_labelled(path, required=required, duplicates=duplicates)
    errors = [pr for pr in problems if pr.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problem(s); run 'stance data check {path}')" \
            if len(errors) > 1 else ""
        raise DataError(f"{first.where}: {first.message}{more}", problems)
    return frame
