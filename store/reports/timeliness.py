"""Timeliness and workload: notified within one working day (by month), time from
receipt to the first officer action, and open items per officer.

The notification rule is the queue's own (``store.workdays.notified_in_time``):
with the one-working-day target, a contact is in time when its local date of
receipt is no later than the first England & Wales working day after the local
date the organisation became aware; with the 24-hour target, when it was
received within 24 hours of that moment.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import func, literal, select
from sqlmodel import col

from store import workdays
from store.enums import ACTIVE_STATUSES, Status
from store.models import Officer, Referral
from store.reports import period as p
from store.reports.contacts import month_rows
from store.reports.sql import Dialect, not_demo, rows
from store.reports.tables import Column, Row, Table, percent

#: response-time buckets: (key, label, upper bound in hours)
RESPONSE_BUCKETS: tuple[tuple[str, str, int | None], ...] = (
    ("within_1h", "Within 1 hour", 1),
    ("1_4h", "1 to 4 hours", 4),
    ("4_24h", "4 to 24 hours", 24),
    ("1_3d", "1 to 3 days", 72),
    ("over_3d", "More than 3 days", None),
)
NO_ACTION = "no_action"


@dataclass(frozen=True)
class NotificationGroup:
    day: dt.date  # local date of receipt
    aware: dt.date | None  # local date the organisation became aware
    within_24h: bool
    n: int


@dataclass(frozen=True)
class ResponseGroup:
    day: dt.date
    bucket: str
    #: "met" (acted within the promised hours), "missed" (acted late, or not acted and
    #: past due), "pending" (not acted, not yet due)
    state: str
    n: int


@lru_cache(maxsize=8192)
def _in_time_1wd(aware: dt.date, received: dt.date) -> bool:
    return workdays.notified_by_date(aware, received)


def notification_rollup(
    groups: list[NotificationGroup], key: Callable[[dt.date], str], rule: workdays.NotificationRule
) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g in groups:
        bucket = out[key(g.day)]
        bucket["contacts"] += g.n
        if g.aware is None:
            bucket["unknown"] += g.n
            continue
        bucket["known"] += g.n
        met = g.within_24h if rule == "24h" else _in_time_1wd(g.aware, g.day)
        bucket["within" if met else "late"] += g.n
    return out


def notification_table(
    period: p.DateRange, groups: list[NotificationGroup], rule: workdays.NotificationRule
) -> Table:
    target = "one working day" if rule == "1wd" else "24 hours"
    columns = [
        Column("contacts", "Contacts"),
        Column("known", "Date aware known"),
        Column("within", f"Within {target}"),
        Column("late", "Later"),
        Column("percent", f"% within {target}", "percent"),
        Column("unknown", "Date aware not known"),
    ]
    keys, labels = month_rows(period)
    counts = notification_rollup(groups, p.month_key, rule)
    totals = notification_rollup(groups, lambda _d: "total", rule).get("total", {})

    def row(key: str, label: str, found: dict[str, int], total: bool = False) -> Row:
        values: dict[str, int | float | str | None] = {
            c: found.get(c, 0) for c in ("contacts", "known", "within", "late", "unknown")
        }
        values["percent"] = percent(found.get("within", 0), found.get("known", 0))
        return Row(key, label, values, total)

    body = [row(k, labels[k], counts.get(k, {})) for k in keys]
    return Table(
        key="notification_timeliness",
        title=f"Notified within {target}, by month",
        definition=(
            "Contacts received in the period (local date of receipt decides the month). "
            + (
                "In time when the local date of receipt is no later than the first England "
                "& Wales working day after the local date the organisation became aware "
                "(aware on a Friday: by Monday, or Tuesday after a bank-holiday Monday). "
                if rule == "1wd"
                else "In time when received within 24 hours of the organisation becoming aware. "
            )
            + "The percentage is of contacts whose aware date is known."
        ),
        row_header="Month",
        columns=columns,
        rows=[*body, row("total", "Total", totals, True)],
    )


# ---------------------------------------------------------------- response


def response_tables(
    period: p.DateRange, groups: list[ResponseGroup], hours: int, median: float | None
) -> list[Table]:
    by_bucket: dict[str, int] = defaultdict(int)
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g in groups:
        by_bucket[g.bucket] += g.n
        m = by_month[p.month_key(g.day)]
        m["contacts"] += g.n
        m[g.state] += g.n
        if g.bucket != NO_ACTION:
            m["acted"] += g.n
    contacts_n = sum(by_bucket.values())
    base = "Contacts received in the period (local date of receipt). "
    bucket_rows = [
        Row(key, label, {"contacts": by_bucket.get(key, 0), "percent": None})
        for key, label, _limit in RESPONSE_BUCKETS
    ]
    bucket_rows.append(
        Row(NO_ACTION, "No officer action yet", {"contacts": by_bucket.get(NO_ACTION, 0)})
    )
    for r in bucket_rows:
        r.values["percent"] = percent(int(r.values["contacts"] or 0), contacts_n)
    bucket_rows.append(
        Row(
            "total",
            "Total",
            {"contacts": contacts_n, "percent": percent(contacts_n, contacts_n)},
            True,
        )
    )
    response = Table(
        key="response_time",
        title="Time from receipt to first officer action",
        definition=base + "The first officer action is the first claim or decision on the item.",
        row_header="Time to first action",
        columns=[Column("contacts", "Contacts"), Column("percent", "% of contacts", "percent")],
        rows=bucket_rows,
    )
    keys, labels = month_rows(period)
    columns = [
        Column("contacts", "Contacts"),
        Column("acted", "Acted on"),
        Column("met", f"Within {hours} hours"),
        Column("missed", "Later, or overdue"),
        Column("pending", "Not yet due"),
        Column("percent", f"% within {hours} hours", "percent"),
    ]

    def month_row(key: str, label: str, found: dict[str, int], total: bool = False) -> Row:
        values: dict[str, int | float | str | None] = {
            c: found.get(c, 0) for c in ("contacts", "acted", "met", "missed", "pending")
        }
        values["percent"] = percent(
            found.get("met", 0), found.get("met", 0) + found.get("missed", 0)
        )
        return Row(key, label, values, total)

    totals: dict[str, int] = defaultdict(int)
    for m in by_month.values():
        for k, v in m.items():
            totals[k] += v
    month_table = Table(
        key="response_by_month",
        title=f"First officer action within {hours} hours, by month",
        definition=base
        + f"Within target when an officer claimed or decided the item within {hours} hours "
        "of receipt; an item nobody has acted on is overdue once that time has passed. "
        "The percentage is of items that are met or overdue (not of those not yet due)."
        + (
            f" Median time to first action over the period: {median} hours."
            if median is not None
            else ""
        ),
        row_header="Month",
        columns=columns,
        rows=[
            *(month_row(k, labels[k], by_month.get(k, {})) for k in keys),
            month_row("total", "Total", totals, True),
        ],
    )
    return [response, month_table]


# ---------------------------------------------------------------- workload


async def open_by_officer(d: Dialect, *, include_demo: bool) -> Table:
    """Items needing action now, per officer holding them (a snapshot, not a period)."""
    inner = (
        select(
            func.coalesce(col(Referral.claimed_by_id), literal(0)).label("officer"),
            col(Referral.status).label("status"),
        )
        .where(
            col(Referral.status).in_([s.value for s in ACTIVE_STATUSES]), *not_demo(include_demo)
        )
        .subquery()
    )
    stmt = select(inner.c.officer, inner.c.status, func.count()).group_by(
        inner.c.officer, inner.c.status
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for officer_id, status, n in await rows(d.conn, stmt):
        counts[int(officer_id)][str(status)] += int(n)
    names: dict[int, str] = {}
    ids = [k for k in counts if k]
    if ids:
        for oid, name, email in await rows(
            d.conn,
            select(col(Officer.id), col(Officer.display_name), col(Officer.email)).where(
                col(Officer.id).in_(ids)
            ),
        ):
            names[int(oid)] = str(name or email)
    columns = [
        Column(Status.NEW.value, "New (unclaimed)"),
        Column(Status.CLAIMED.value, "In review"),
        Column(Status.OPEN.value, "Open cases"),
        Column("total", "Total"),
    ]
    order = sorted(
        (k for k in counts if k), key=lambda k: (-sum(counts[k].values()), names.get(k, ""))
    )
    if 0 in counts:
        order.append(0)
    body = []
    for k in order:
        found = counts[k]
        values: dict[str, int | float | str | None] = {
            c.key: found.get(c.key, 0) for c in columns[:-1]
        }
        values["total"] = sum(found.values())
        body.append(Row(str(k) if k else "unassigned", names.get(k, "Unassigned"), values))
    total_values: dict[str, int | float | str | None] = {
        c.key: sum(int(r.values[c.key] or 0) for r in body) for c in columns
    }
    return Table(
        key="open_by_officer",
        title="Open items per officer (now)",
        definition="Every queue item that needs action now (new, in review, or an open "
        "case), whatever the period chosen, by the officer holding it. Includes callback "
        "requests and mail that could not be processed.",
        row_header="Officer",
        columns=columns,
        rows=[*body, Row("total", "Total", total_values, True)],
    )
