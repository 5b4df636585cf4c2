"""England & Wales working days (weekdays that are not bank holidays).

The notification clock counts working days from the date the organisation became
aware. Dates are local (Europe/London). ``day_index`` numbers working days so
that "working days between two dates" is a subtraction, which lets the queue be
ordered by the clock inside the database.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
_EPOCH = dt.date(2000, 1, 3)  # a Monday
_FIRST_YEAR, _LAST_YEAR = 2000, 2100


@cache
def _bank_holidays() -> tuple[dt.date, ...]:
    """Weekday bank holidays in England and Wales, sorted."""
    table = holidays.country_holidays("GB", subdiv="ENG", years=range(_FIRST_YEAR, _LAST_YEAR + 1))
    return tuple(sorted(d for d in table if d.weekday() < 5))


def local_date(moment: dt.datetime) -> dt.date:
    """The date in England of an aware timestamp."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(LONDON).date()


def is_working_day(day: dt.date) -> bool:
    if day.weekday() >= 5:
        return False
    hols = _bank_holidays()
    i = bisect.bisect_left(hols, day)
    return not (i < len(hols) and hols[i] == day)


def day_index(day: dt.date) -> int:
    """Number of working days in [2000-01-03, day] (0 for earlier dates)."""
    if day < _EPOCH:
        return 0
    if day.year > _LAST_YEAR:
        raise ValueError("date beyond the working-day calendar")
    days = (day - _EPOCH).days + 1
    weeks, rest = divmod(days, 7)
    weekdays = weeks * 5 + min(rest, 5)
    return weekdays - bisect.bisect_right(_bank_holidays(), day)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days d with start < d <= end (negative if end is before start)."""
    return day_index(end) - day_index(start)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after ``day`` (n >= 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    current = day
    while n:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current


def notification_deadline(aware: dt.date, working_days: int = 1) -> dt.date:
    """The last date on which a notification counts as within ``working_days``.

    Aware on a Friday → the following Monday (or Tuesday after a bank-holiday Monday);
    aware on a Saturday → the Monday.
    """
    return add_working_days(aware, working_days)


#: the authority's notification target: one working day, or 24 hours
NotificationRule = Literal["1wd", "24h"]


def notified_in_time(
    aware_at: dt.datetime, received_at: dt.datetime, rule: NotificationRule = "1wd"
) -> bool:
    """Was the LADO told in time? The one definition the queue and the reports share.

    ``1wd``: the local date of receipt is no later than the first working day after
    the local date the organisation became aware. ``24h``: received within 24 hours.
    """
    if rule == "24h":
        return received_at <= aware_at + dt.timedelta(hours=24)
    return notified_by_date(local_date(aware_at), local_date(received_at))


def notified_by_date(aware: dt.date, received: dt.date) -> bool:
    """The one-working-day rule on local dates (aware on Friday → received by Monday)."""
    return received <= notification_deadline(aware)
