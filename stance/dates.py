"""Dates: the article's date, and the date of the event each sentence reports.

The article date comes from metadata when there is one (ISO or common written forms),
else from a dateline that carries a year ("NAIROBI, March 3, 2025 -"); a dateline
without a year ("OSLO, March 4. /NTB/.") takes the year of the metadata date if
any. A sentence's event date resolves what news copy says relative to that date:
"on Friday" and "early Sunday" are the last such weekday on or before the article
date (news reports the past), "yesterday"/"today"/"tomorrow" count from it, and
"on October 15" takes the article's year (the previous year if that would lie more
than a month after the article). Without an article date nothing is resolved.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as _dateparser

from stance import lexicons

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAY_RE = lexicons.compile_searcher(
    r"\b(?:on|early|late|last|this|since|until|by)\s+(?:(?:early|late)\s+)?"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_RELATIVE_RE = lexicons.compile_searcher(r"\b(yesterday|today|tomorrow)\b", re.I)
_MONTH_DAY_RE = lexicons.compile_searcher(
    r"\b(?:on\s+)?(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+"
    r"(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.I)
_DIGIT = re.compile(r"\d")


def parse_date(value: str | None) -> dt.date | None:
    """A date from a metadata string ("2025-05-14", "14 May 2025", ...), else None."""
    if not value or not str(value).strip():
        return None
    value = str(value).strip()
    if len(value) == 10 and value[4] == "-":  # ISO, the common case: no parser needed
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    try:
        return _dateparser.parse(str(value), default=dt.datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError, TypeError):
        return None


def _month_day(month: str, day: str, year: int | None, anchor: dt.date | None
               ) -> dt.date | None:
    m = _MONTHS.get(month.lower().rstrip("."))
    if m is None:
        return None
    if year is None:
        if anchor is None:
            return None
        year = anchor.year
        try:
            candidate = dt.date(year, m, int(day))
        except ValueError:
            return None
        if candidate > anchor + dt.timedelta(days=31):
            year -= 1  # "on December 30" in an article of January 3
    try:
        return dt.date(year, m, int(day))
    except ValueError:
        return None


def article_date(metadata_date: str | None, dateline_date: str | None) -> dt.date | None:
    """The article's date: metadata first, else the dateline (with the metadata year)."""
    meta = parse_date(metadata_date)
    if meta is not None:
        return meta
    if dateline_date:
        m = _MONTH_DAY_RE.search(dateline_date)
        if m and m.group(3):
            return _month_day(m.group(1), m.group(2), int(m.group(3)), None)
    return None


def event_date(sentence: str, anchor: dt.date | None) -> dt.date | None:
    """The date *sentence* reports, resolved against the article date *anchor*."""
    if anchor is None:
        return None
    # most sentences name no date: cheap tests first (a month day needs a digit; the
    # weekdays, "yesterday" and "today" end in "day")
    low = sentence.lower()
    has_day, has_digit = "day" in low, _DIGIT.search(sentence) is not None
    if not (has_day or has_digit or "tomorrow" in low):
        return anchor
    m = _MONTH_DAY_RE.search(sentence) if has_digit else None
    if m:
        found = _month_day(m.group(1), m.group(2), int(m.group(3)) if m.group(3) else None,
                           anchor)
        if found is not None:
            return found
    m = _WEEKDAY_RE.search(sentence) if has_day else None
    if m:
        back = (anchor.weekday() - _WEEKDAYS.index(m.group(1).lower())) % 7
        return anchor - dt.timedelta(days=back)
    m = _RELATIVE_RE.search(sentence)
    if m:
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[m.group(1).lower()]
        return anchor + dt.timedelta(days=shift)
    return anchor
