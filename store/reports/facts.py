"""One scan for all the contact measures.

Most tables count the same rows (concerns received in the period) by different
keys. Rather than scan the referral table once per table, one statement derives
the few values each row contributes (its local date, decision, the notification
and response measures, sector …) in a common table expression and groups that
narrow result several ways, ``UNION ALL``-ed into one answer of (group, keys,
count) rows. Both SQLite (3.35+) and PostgreSQL (12+) materialise a CTE that is
referenced more than once, so the table is read once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    String,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlmodel import col

from store.models import Referral
from store.reports import period as p
from store.reports.agreement import NONE as NO_SUGGESTION
from store.reports.agreement import DecisionGroup
from store.reports.contacts import NONE, UNDECIDED, ContactDay
from store.reports.sql import Dialect, as_date, contacts, rows
from store.reports.timeliness import (
    NO_ACTION,
    RESPONSE_BUCKETS,
    NotificationGroup,
    ResponseGroup,
)

#: the dimensions counted by decision without regard to date
DIMENSIONS = ("sector", "source", "channel")
#: contacts with no category recorded (the categories themselves: ``category_counts``)
CATEGORY = "category"


@dataclass
class Facts:
    days: list[ContactDay] = field(default_factory=list)
    decisions: list[DecisionGroup] = field(default_factory=list)
    notifications: list[NotificationGroup] = field(default_factory=list)
    responses: list[ResponseGroup] = field(default_factory=list)
    #: whole minutes from receipt to first action -> contacts
    minutes: dict[int, int] = field(default_factory=dict)
    #: dimension -> value -> decision -> contacts
    dimensions: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    def median_hours(self) -> float | None:
        """The median time to first action, in hours (from whole minutes)."""
        total = sum(self.minutes.values())
        if total == 0:
            return None
        wanted = [(total - 1) // 2, total // 2]
        found: list[int] = []
        seen = 0
        for minute in sorted(self.minutes):
            count = self.minutes[minute]
            while wanted and wanted[0] < seen + count:
                found.append(minute)
                wanted.pop(0)
            seen += count
        return round(sum(found) / len(found) / 60, 1)


async def contact_facts(
    d: Dialect, period: p.DateRange, *, include_demo: bool, hours: int, now: dt.datetime
) -> Facts:
    received = col(Referral.received_at)
    aware = col(Referral.aware_at)
    # the CTE holds each row's raw values (each function evaluated once per row) ...
    facts = (
        select(
            d.local_date(received).label("day"),
            func.coalesce(col(Referral.decision), UNDECIDED).label("decision"),
            col(Referral.non_recent).label("non_recent"),
            func.coalesce(col(Referral.triage_suggestion), NO_SUGGESTION).label("suggestion"),
            d.local_date(aware).label("aware"),
            d.seconds_between(aware, received).label("aware_secs"),
            d.seconds_between(received, col(Referral.first_action_at)).label("to_first"),
            (received < now - dt.timedelta(hours=hours)).label("due"),
            func.coalesce(col(Referral.sector), NONE).label("sector"),
            func.coalesce(col(Referral.referrer_org_type), NONE).label("source"),
            func.coalesce(col(Referral.channel), NONE).label("channel"),
            func.coalesce(d.json_length(col(Referral.categories)), 0).label("n_categories"),
        )
        .where(*contacts(period, include_demo=include_demo))
        .cte("facts")
    )
    f = facts.c
    # ... and each grouping derives its keys from those values
    to_first = f.to_first
    response_bucket = case(
        (to_first.is_(None), NO_ACTION),
        *[(to_first <= limit * 3600, key) for key, _label, limit in RESPONSE_BUCKETS if limit],
        else_=RESPONSE_BUCKETS[-1][0],
    )
    response_state = case(
        (to_first.is_not(None) & (to_first <= hours * 3600), "met"),
        (to_first.is_not(None), "missed"),
        (f.due, "missed"),
        else_="pending",
    )
    flag = case((f.non_recent, "1"), else_="0")
    within_24h = case((f.aware_secs <= 24 * 3600, "1"), else_="0")

    def grouped(name: str, *keys: Any, where: Any = None) -> Any:
        """(name, k1, k2, k3, n): ``keys`` computed in a subquery, grouped, as text."""
        inner = select(*[k.label(f"k{i}") for i, k in enumerate(keys, 1)]).select_from(facts)
        if where is not None:
            inner = inner.where(where)
        sub = inner.subquery()
        columns = list(sub.c)
        texts = [
            d.date_text(c) if k in (f.day, f.aware) else cast(c, String)
            for k, c in zip(keys, columns, strict=True)
        ]
        padded = [*texts, *[null() for _ in range(3 - len(keys))]]
        return select(
            literal_column(f"'{name}'").label("grp"),
            *[k.label(f"k{i}") for i, k in enumerate(padded, 1)],
            func.count().label("n"),
        ).group_by(*columns)

    stmt = union_all(
        grouped("days", f.day, f.decision, flag),
        grouped("decisions", f.day, f.suggestion, f.decision, where=f.decision != UNDECIDED),
        grouped("notify", f.day, f.aware, within_24h),
        grouped("response", f.day, response_bucket, response_state),
        grouped("minutes", d.whole_minutes(to_first), where=to_first.is_not(None)),
        *[grouped(dim, f[dim], f.decision) for dim in DIMENSIONS],
        grouped(CATEGORY, literal(NONE), f.decision, where=f.n_categories == 0),
    )
    out = Facts(
        dimensions={dim: defaultdict(lambda: defaultdict(int)) for dim in (*DIMENSIONS, CATEGORY)}
    )
    for grp, k1, k2, k3, n in await rows(d.conn, stmt):
        n = int(n)
        if grp == "days":
            out.days.append(ContactDay(as_date(k1), str(k2), k3 == "1", n))
        elif grp == "decisions":
            out.decisions.append(DecisionGroup(as_date(k1), str(k2), str(k3), n))
        elif grp == "notify":
            out.notifications.append(
                NotificationGroup(
                    as_date(k1),
                    None if k2 is None else as_date(k2),
                    k2 is not None and k3 == "1",
                    n,
                )
            )
        elif grp == "response":
            out.responses.append(ResponseGroup(as_date(k1), str(k2), str(k3), n))
        elif grp == "minutes":
            out.minutes[int(float(k1))] = out.minutes.get(int(float(k1)), 0) + n
        else:
            bucket = out.dimensions[grp][str(k1)]
            bucket[str(k2)] += n
            bucket["total"] += n
    return out


async def category_counts(
    d: Dialect, period: p.DateRange, *, include_demo: bool, into: dict[str, dict[str, int]]
) -> None:
    """Contacts by officer-confirmed category and decision (a contact counts once in each
    of its categories), added to ``into``."""
    element = d.json_elements(col(Referral.categories))
    inner = (
        select(
            element.c.value.label("k"),
            func.coalesce(col(Referral.decision), UNDECIDED).label("decision"),
        )
        .select_from(Referral)
        .join(element, onclause=func.length(element.c.value) > 0)
        .where(*contacts(period, include_demo=include_demo))
        .subquery()
    )
    stmt = select(inner.c.k, inner.c.decision, func.count()).group_by(inner.c.k, inner.c.decision)
    for k, decision, n in await rows(d.conn, stmt):
        into[str(k)][str(decision)] += int(n)
        into[str(k)]["total"] += int(n)
