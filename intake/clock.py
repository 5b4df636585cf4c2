"""The deadlines shown on each queue item.

Separate clocks, each shown on its own (PRODUCT.md, DOMAIN.md §4.1):
- notification: did the organisation tell the LADO within one working day (or 24
  hours, per authority) of becoming aware;
- response: did an officer act within the promised hours of receipt;
- case marks: for open cases, the 1 / 3 / 12-month resolution marks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from intake.config import AuthoritySettings
from store import workdays
from store.enums import Status
from store.models import Referral

State = Literal["met", "missed", "pending", "overdue", "unknown"]

CASE_MARKS = ((1, "1 month"), (3, "3 months"), (12, "12 months"))


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Clock:
    label: str
    state: State
    due: dt.datetime | dt.date | None
    detail: str


@dataclass(frozen=True)
class Deadlines:
    notification: Clock
    response: Clock
    case_marks: tuple[Clock, ...]
    working_days_since_aware: int
    overdue: bool


def _notification(r: Referral, authority: AuthoritySettings) -> Clock:
    label = (
        "Notified within one working day"
        if authority.notification_deadline == "1wd"
        else "Notified within 24 hours"
    )
    if r.aware_at is None:
        return Clock(label, "unknown", None, "Date the organisation became aware is not known")
    if authority.notification_deadline == "24h":
        due_at = r.aware_at + dt.timedelta(hours=24)
        met = workdays.notified_in_time(r.aware_at, r.received_at, "24h")
        return Clock(label, "met" if met else "missed", due_at, "")
    due = workdays.notification_deadline(workdays.local_date(r.aware_at))
    met = workdays.notified_in_time(r.aware_at, r.received_at, "1wd")
    return Clock(label, "met" if met else "missed", due, "")


def _response(r: Referral, authority: AuthoritySettings, now: dt.datetime) -> Clock:
    hours = authority.response_hours
    label = f"Response within {hours} hours"
    due = r.received_at + dt.timedelta(hours=hours)
    if r.first_action_at is not None:
        state: State = "met" if r.first_action_at <= due else "missed"
        return Clock(label, state, due, "")
    return Clock(label, "pending" if now <= due else "overdue", due, "")


def _case_marks(r: Referral, now: dt.datetime) -> tuple[Clock, ...]:
    if r.status not in (Status.OPEN, Status.CLOSED):
        return ()
    start = workdays.local_date(r.received_at)
    end = workdays.local_date(r.closed_at) if r.closed_at else None
    today = workdays.local_date(now)
    marks = []
    for months, text in CASE_MARKS:
        due = add_months(start, months)
        if end is not None:
            state: State = "met" if end <= due else "missed"
        else:
            state = "pending" if today <= due else "overdue"
        marks.append(Clock(f"Resolved within {text}", state, due, ""))
    return tuple(marks)


def deadlines(r: Referral, authority: AuthoritySettings, *, now: dt.datetime) -> Deadlines:
    response = _response(r, authority, now)
    marks = _case_marks(r, now)
    since = workdays.day_index(workdays.local_date(now)) - r.aware_wd_index
    active = r.status in (Status.NEW, Status.CLAIMED, Status.OPEN)
    overdue = active and (
        response.state == "overdue"
        or (r.status == Status.OPEN and any(m.state == "overdue" for m in marks[:1]))
    )
    return Deadlines(
        notification=_notification(r, authority),
        response=response,
        case_marks=marks,
        working_days_since_aware=max(since, 0),
        overdue=overdue,
    )
