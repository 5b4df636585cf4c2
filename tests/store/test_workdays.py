"""England & Wales working days and the notification deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store import workdays


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 12, 25), False),  # Christmas Day (Friday)
        (dt.date(2026, 12, 28), False),  # Boxing Day substitute (Monday)
        (dt.date(2026, 5, 25), False),  # spring bank holiday
        (dt.date(2026, 8, 31), False),  # summer bank holiday (England, not Scotland)
        (dt.date(2026, 8, 3), True),  # Scotland's summer holiday is a working day here
        (dt.date(2026, 3, 17), True),  # St Patrick's Day is not an England & Wales holiday
        (dt.date(2026, 11, 21), False),  # Saturday
        (dt.date(2026, 11, 23), True),
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert workdays.is_working_day(day) is working


@pytest.mark.parametrize(
    ("aware", "deadline"),
    [
        (dt.date(2026, 11, 23), dt.date(2026, 11, 24)),  # Monday -> Tuesday
        (dt.date(2026, 11, 20), dt.date(2026, 11, 23)),  # Friday -> Monday
        (dt.date(2026, 11, 21), dt.date(2026, 11, 23)),  # Saturday -> Monday
        (dt.date(2026, 5, 22), dt.date(2026, 5, 26)),  # Friday before a bank holiday
        (dt.date(2026, 12, 24), dt.date(2026, 12, 29)),  # Christmas Eve -> after two holidays
    ],
)
def test_notification_deadline(aware: dt.date, deadline: dt.date) -> None:
    assert workdays.notification_deadline(aware) == deadline


def test_local_date_uses_london_time() -> None:
    late_summer_evening = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 BST next day
    assert workdays.local_date(late_summer_evening) == dt.date(2026, 7, 2)
    with pytest.raises(ValueError, match="naive"):
        workdays.local_date(dt.datetime(2026, 7, 1, 12))


@given(
    st.dates(min_value=dt.date(2000, 1, 3), max_value=dt.date(2099, 12, 1)),
    st.integers(min_value=0, max_value=400),
)
def test_index_difference_counts_working_days(start: dt.date, span: int) -> None:
    end = start + dt.timedelta(days=span)
    counted = sum(
        1 for i in range(1, span + 1) if workdays.is_working_day(start + dt.timedelta(days=i))
    )
    assert workdays.working_days_between(start, end) == counted
