"""Cases closed in the period: outcomes, police and employer outcomes, DBS and
regulator referrals, case duration and the 1 / 3 / 12-month closure targets.

A *case* is a concern the officer decided as a referral or consultation; it is
counted in the period in which it was closed (local date of closure). Duration
runs from the local date of receipt to the local date of closure, in calendar
months exactly as the queue's resolution marks count them: closed "within N
months" when the closure date is no later than the receipt date plus N months
(31 January + 1 month = 28/29 February).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import String, case, cast, func, literal_column, null, select, union_all
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from store.enums import EmployerOutcome, Kind, Outcome, PoliceOutcome
from store.models import Referral
from store.reports import period as p
from store.reports.sql import Dialect, as_date, between, not_demo, rows
from store.reports.tables import Column, Row, Table, Value, percent

NONE = "none"
SPLIT_COLUMNS = [
    Column("contemporaneous", "Contemporaneous"),
    Column("non_recent", "Non-recent"),
    Column("total", "Total"),
    Column("percent", "% of cases closed", "percent"),
]

#: duration buckets: (key, label, largest "months needed" in the bucket)
BUCKETS: tuple[tuple[str, str, int | None], ...] = (
    ("within_1m", "Within 1 month", 1),
    ("1_3m", "1 to 3 months", 3),
    ("3_6m", "3 to 6 months", 6),
    ("6_12m", "6 to 12 months", 12),
    ("over_12m", "More than 12 months", None),
)
#: closure targets (KCSIE, still used by councils): months, target %, wording
TARGETS: tuple[tuple[int, int | None, str], ...] = (
    (1, 80, "80% within 1 month"),
    (3, 90, "90% within 3 months"),
    (12, None, "All but the most exceptional within 12 months"),
)


@dataclass(frozen=True)
class DurationDay:
    day: dt.date  # local date of closure
    bucket: str
    non_recent: bool
    n: int


@dataclass
class ClosedFacts:
    #: "outcome" / "police" / "employer" / "dbs" / "regulator" -> value -> side -> cases
    tallies: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    durations: list[DurationDay] = field(default_factory=list)

    @property
    def closed(self) -> int:
        return sum(sum(sides.values()) for sides in self.tallies.get("outcome", {}).values())


TALLIES = ("outcome", "police", "employer", "dbs", "regulator")


def _closed(period: p.DateRange, include_demo: bool) -> list[ColumnElement[bool]]:
    return [
        col(Referral.kind) == Kind.CONCERN.value,
        *between(col(Referral.closed_at), period),
        *not_demo(include_demo),
    ]


async def closed_facts(d: Dialect, period: p.DateRange, *, include_demo: bool) -> ClosedFacts:
    """Cases closed in the period, counted several ways in one scan (see ``facts``)."""
    start = d.local_date(col(Referral.received_at))
    end = d.local_date(col(Referral.closed_at))
    y1, m1, d1 = d.date_parts(start)
    y2, m2, d2 = d.date_parts(end)
    # the fewest whole months N with closure <= receipt + N months
    needed = (y2 * 12 + m2) - (y1 * 12 + m1) + case((d2 > d1, 1), else_=0)
    whens = [(needed <= limit, key) for key, _label, limit in BUCKETS if limit is not None]
    regulator = func.length(func.trim(func.coalesce(col(Referral.regulator_referral), ""))) > 0
    closed = (
        select(
            end.label("day"),
            case(*whens, else_=BUCKETS[-1][0]).label("bucket"),
            case((col(Referral.non_recent), "non_recent"), else_="contemporaneous").label("side"),
            func.coalesce(col(Referral.outcome), NONE).label("outcome"),
            func.coalesce(col(Referral.police_outcome), NONE).label("police"),
            func.coalesce(col(Referral.employer_outcome), NONE).label("employer"),
            case((col(Referral.dbs_referral).is_(True), "dbs"), else_=NONE).label("dbs"),
            case((regulator, "regulator"), else_=NONE).label("regulator"),
        )
        .where(*_closed(period, include_demo))
        .cte("closed")
    )
    c = closed.c

    def grouped(name: str, *keys: Any) -> Any:
        texts = [d.date_text(k) if k is c.day else cast(k, String) for k in keys]
        padded = [*texts, *[null() for _ in range(3 - len(keys))]]
        return select(
            literal_column(f"'{name}'").label("grp"),
            *[k.label(f"k{i}") for i, k in enumerate(padded, 1)],
            func.count().label("n"),
        ).group_by(*keys)

    stmt = union_all(
        grouped("duration", c.day, c.bucket, c.side),
        *[grouped(name, c[name], c.side) for name in TALLIES],
    )
    out = ClosedFacts(tallies={name: defaultdict(lambda: defaultdict(int)) for name in TALLIES})
    for grp, k1, k2, k3, n in await rows(d.conn, stmt):
        if grp == "duration":
            out.durations.append(DurationDay(as_date(k1), str(k2), k3 == "non_recent", int(n)))
        else:
            out.tallies[grp][str(k1)][str(k2)] += int(n)
    return out


# ---------------------------------------------------------------- tables


def _split_table(
    key: str,
    title: str,
    definition: str,
    row_header: str,
    dimension: str | None,
    order: Iterable[str],
    labels: dict[str, str],
    counts: dict[str, dict[str, int]],
    closed: int,
    *,
    with_total: bool = True,
) -> Table:
    keys = list(order)
    keys += sorted(k for k in counts if k not in keys and k != NONE)
    if NONE in counts and NONE not in keys:
        keys.append(NONE)
    body: list[Row] = []
    for k in keys:
        found = counts.get(k, {})
        con, non = found.get("contemporaneous", 0), found.get("non_recent", 0)
        body.append(
            Row(
                k,
                labels.get(k, k),
                {
                    "contemporaneous": con,
                    "non_recent": non,
                    "total": con + non,
                    "percent": percent(con + non, closed),
                },
            )
        )
    out = body
    if with_total:
        con = sum(int(r.values["contemporaneous"] or 0) for r in body)
        non = sum(int(r.values["non_recent"] or 0) for r in body)
        out = [
            *body,
            Row(
                "total",
                "Total",
                {
                    "contemporaneous": con,
                    "non_recent": non,
                    "total": con + non,
                    "percent": percent(con + non, closed),
                },
                total=True,
            ),
        ]
    return Table(
        key=key,
        title=title,
        definition=definition,
        row_header=row_header,
        columns=list(SPLIT_COLUMNS),
        rows=out,
        row_dimension=dimension,
    )


def _codes(enum: type[StrEnum]) -> list[str]:
    return [e.value for e in enum]


CASE_BASE = (
    " Cases (concerns decided as a referral or consultation) closed in the period, "
    "by the local date of closure; contemporaneous and non-recent shown separately."
)


def outcome_tables(found: ClosedFacts) -> list[Table]:
    closed = found.closed
    not_recorded = {NONE: "Not recorded"}
    onward: dict[str, dict[str, int]] = {
        "dbs": found.tallies["dbs"].get("dbs", {}),
        "regulator": found.tallies["regulator"].get("regulator", {}),
    }
    return [
        _split_table(
            "outcomes",
            "Case outcomes",
            "The outcome recorded at closure (KCSIE definitions; 'no outcome' where none "
            "could be reached)." + CASE_BASE,
            "Outcome",
            "outcome",
            _codes(Outcome),
            not_recorded,
            found.tallies["outcome"],
            closed,
        ),
        _split_table(
            "police_outcomes",
            "Police outcomes",
            "The police outcome recorded on the case." + CASE_BASE,
            "Police outcome",
            "police_outcome",
            _codes(PoliceOutcome),
            not_recorded,
            found.tallies["police"],
            closed,
        ),
        _split_table(
            "employer_outcomes",
            "Employer outcomes",
            "The employer's outcome recorded on the case." + CASE_BASE,
            "Employer outcome",
            "employer_outcome",
            _codes(EmployerOutcome),
            not_recorded,
            found.tallies["employer"],
            closed,
        ),
        _split_table(
            "onward_referrals",
            "Referrals to the DBS and to regulators",
            "Cases where a referral to the Disclosure and Barring Service, or to a "
            "professional regulator (e.g. TRA, Social Work England, GMC, NMC), was "
            "recorded." + CASE_BASE,
            "Referral",
            None,
            ["dbs", "regulator"],
            {"dbs": "DBS referral", "regulator": "Regulator referral"},
            onward,
            closed,
            with_total=False,
        ),
    ]


def duration_counts(days: Iterable[DurationDay]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for dd in days:
        out[dd.bucket]["non_recent" if dd.non_recent else "contemporaneous"] += dd.n
    return out


def closure_rates(days: Iterable[DurationDay]) -> tuple[int, dict[int, int]]:
    """(cases closed, {months: cases closed within that many months})."""
    counts: dict[str, int] = defaultdict(int)
    for dd in days:
        counts[dd.bucket] += dd.n
    closed = sum(counts.values())
    within: dict[int, int] = {}
    for months, _target, _text in TARGETS:
        within[months] = sum(
            counts[key] for key, _l, limit in BUCKETS if limit is not None and limit <= months
        )
    return closed, within


def duration_tables(days: list[DurationDay]) -> list[Table]:
    counts = duration_counts(days)
    closed, within = closure_rates(days)
    duration = _split_table(
        "case_duration",
        "Duration of closed cases",
        "Calendar months from the local date of receipt to the local date of closure; "
        "'within 1 month' means closed no later than the same date a month after "
        "receipt." + CASE_BASE,
        "Duration",
        None,
        [k for k, _l, _m in BUCKETS],
        {k: label for k, label, _m in BUCKETS},
        counts,
        closed,
    )
    target_rows: list[Row] = []
    for months, target, text in TARGETS:
        share = percent(within[months], closed)
        met: Value = None
        if target is not None and share is not None:
            met = "Yes" if share >= target else "No"
        target_rows.append(
            Row(
                f"within_{months}m",
                f"Closed within {months} month{'s' if months > 1 else ''}",
                {
                    "closed": closed,
                    "within": within[months],
                    "percent": share,
                    "target": text,
                    "met": met,
                },
            )
        )
    targets = Table(
        key="closure_targets",
        title="Closure rates against the 1, 3 and 12-month targets",
        definition="Cases closed in the period (local date of closure) that were closed "
        "within 1, 3 and 12 calendar months of receipt, against the targets councils "
        "still use (80% within one month, 90% within three, all but the most exceptional "
        "within twelve).",
        row_header="Measure",
        columns=[
            Column("closed", "Cases closed"),
            Column("within", "Closed within the time"),
            Column("percent", "%", "percent"),
            Column("target", "Target", "text"),
            Column("met", "Target met", "text"),
        ],
        rows=target_rows,
    )
    return [duration, targets]
