"""Article dates and event dates resolved against them."""

from __future__ import annotations

import datetime as dt

import pytest

from stance.dates import article_date, event_date, parse_date

SUNDAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("meta", "dateline", "expected"),
    [
        ("2025-05-14", None, dt.date(2025, 5, 14)),
        ("14 May 2025", "November 2", dt.date(2025, 5, 14)),
        (None, "March 3, 2025", dt.date(2025, 3, 3)),
        (None, "November 2", None),  # no year anywhere: unknown
        ("not a date", None, None),
        (None, None, None),
    ],
)
def test_article_date(meta, dateline, expected):
    assert article_date(meta, dateline) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Peskov said on Sunday that the report was untrue.", SUNDAY),
        ("The wire service Reuters reported on Friday that the ferry had sunk.",
         dt.date(2026, 11, 20)),
        ("Peskov told the agency early Monday that talks went on.", dt.date(2026, 11, 16)),
        ("The ministry said yesterday it had no information.", dt.date(2026, 11, 21)),
        ("On October 15, the president acknowledged the order.", dt.date(2026, 10, 15)),
        ("The talks began on December 30.", dt.date(2025, 12, 30)),
        ("The Monday meeting was cancelled.", SUNDAY),  # not "on Monday": no shift
        ("Officials declined to comment.", SUNDAY),
    ],
)
def test_event_date(sentence, expected):
    assert event_date(sentence, SUNDAY) == expected


def test_nothing_resolves_without_an_article_date():
    assert event_date("He spoke on Friday.", None) is None
    assert parse_date("") is None
