"""Dates: UK day-month order, relative to the time received, never "may" the verb."""

from __future__ import annotations

import datetime as dt

import pytest

from triage.dates import find_dates, local_today, resolve_date

THURSDAY = dt.datetime(2025, 3, 13, 15, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("yesterday", dt.date(2025, 3, 12)),
        ("last night", dt.date(2025, 3, 12)),
        ("the day before yesterday", dt.date(2025, 3, 11)),
        ("this morning", dt.date(2025, 3, 13)),
        ("last Tuesday", dt.date(2025, 3, 11)),
        ("on Friday", dt.date(2025, 3, 7)),
        ("3rd March", dt.date(2025, 3, 3)),
        ("March 3rd", dt.date(2025, 3, 3)),
        ("3rd of May", dt.date(2024, 5, 3)),
        ("03/04/2025", dt.date(2025, 4, 3)),
        ("3.4.25", dt.date(2025, 4, 3)),
        ("2025-04-03", dt.date(2025, 4, 3)),
        ("2 weeks ago", dt.date(2025, 2, 27)),
        ("a fortnight ago", dt.date(2025, 2, 27)),
        ("Thursday 6th February", dt.date(2025, 2, 6)),
        ("it may have been last Tuesday", dt.date(2025, 3, 11)),
    ],
)
def test_resolve_date(answer: str, expected: dt.date) -> None:
    assert resolve_date(answer, base=THURSDAY) == expected


@pytest.mark.parametrize(
    "answer", ["", "I don't know", "it may have happened", "last week", "in March", "x" * 300]
)
def test_answers_that_name_no_day(answer: str) -> None:
    assert resolve_date(answer, base=THURSDAY) is None


def test_may_the_verb_is_not_a_month() -> None:
    text = "He may have hit her. She may be scared. It may be on CCTV."
    assert find_dates(text, base=THURSDAY) == []


def test_relative_dates_use_the_date_in_england() -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST)
    late = dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.UTC)
    assert local_today(late) == dt.date(2025, 7, 1)
    assert resolve_date("yesterday", base=late) == dt.date(2025, 6, 30)


def test_a_date_without_a_year_is_never_in_the_future() -> None:
    assert resolve_date("20th December", base=THURSDAY) == dt.date(2024, 12, 20)


def test_dateparser_fallback_reads_other_phrasings() -> None:
    assert resolve_date("12 Dec 2024", base=THURSDAY) == dt.date(2024, 12, 12)
    assert resolve_date("10 days ago", base=THURSDAY) == dt.date(2025, 3, 3)
