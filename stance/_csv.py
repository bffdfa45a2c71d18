"""CSV records with the line each starts on: what error messages need to point at."""

from __future__ import annotations

import csv
from collections.abc import Iterator


def records(reader: csv.reader) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """Yield ``(line, fields, error)`` for each record after the current position of
    *reader*: ``line`` is where the record starts (records may span lines), ``error``
    the parser's message for a malformed record (then ``fields`` is None). Blank lines
    are skipped."""
    line_end = reader.line_num
    while True:
        start = line_end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line_end = reader.line_num
            yield line_end, None, str(exc)
            continue
        line_end = reader.line_num
        if row and any(cell.strip() for cell in row):
            yield start, row, None
