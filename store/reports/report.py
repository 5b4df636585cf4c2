"""The full report: every table for a date range, plus a summary and, when the
range spans more than one April–March reporting year, a year-on-year view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from store.enums import Decision
from store.reports import agreement as ag
from store.reports import cases, contacts, conversion, facts, timeliness
from store.reports import period as p
from store.reports.sql import Dialect
from store.reports.tables import Column, Row, Table, Value, percent
from store.types import utcnow
from store.workdays import NotificationRule

#: the page's sections, in order (a table missing from a report is skipped)
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("summary", "Summary", ("summary", "year_on_year")),
    (
        "contacts",
        "Contacts",
        (
            "contacts_by_quarter",
            "contemporaneous_by_quarter",
            "non_recent_by_quarter",
            "contacts_by_month",
        ),
    ),
    (
        "breakdowns",
        "Sector, category, source and channel",
        (
            "by_sector",
            "by_category",
            "by_source",
            "by_channel",
        ),
    ),
    (
        "outcomes",
        "Case outcomes",
        (
            "outcomes",
            "police_outcomes",
            "employer_outcomes",
            "onward_referrals",
        ),
    ),
    ("duration", "Case duration", ("case_duration", "closure_targets")),
    (
        "timeliness",
        "Timeliness and workload",
        (
            "notification_timeliness",
            "response_time",
            "response_by_month",
            "open_by_officer",
        ),
    ),
    (
        "conversion",
        "Conversion and low-level concerns",
        (
            "conversion",
            "llc_by_organisation",
            "llc_repeats",
        ),
    ),
    ("agreement", "Triage agreement", ("agreement_matrix", "threshold_recall", "overridden")),
)
TABLE_KEYS: tuple[str, ...] = tuple(k for _s, _t, keys in SECTIONS for k in keys)

G = TypeVar("G")


@dataclass
class FullReport:
    period: p.DateRange
    generated_at: dt.datetime
    include_demo: bool
    notification_rule: NotificationRule
    response_hours: int
    tables: dict[str, Table] = field(default_factory=dict)
    #: the agreement figures behind the agreement tables
    agreement: ag.Agreement | None = None

    def table(self, key: str) -> Table:
        return self.tables[key]

    def ordered(self) -> list[Table]:
        return [self.tables[k] for k in TABLE_KEYS if k in self.tables]

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "include_demo": self.include_demo,
            "notification_rule": self.notification_rule,
            "response_hours": self.response_hours,
            "tables": [t.as_dict() for t in self.ordered()],
        }


@dataclass
class _Base:
    """The grouped rows every period-rolled measure is made from."""

    days: list[contacts.ContactDay]
    notifications: list[timeliness.NotificationGroup]
    responses: list[timeliness.ResponseGroup]
    durations: list[cases.DurationDay]
    decisions: list[ag.DecisionGroup]


def _in(items: Iterable[G], day: Callable[[G], dt.date], year: int | None) -> list[G]:
    if year is None:
        return list(items)
    start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    return [i for i in items if start <= day(i) <= end]


MEASURES: tuple[tuple[str, str, bool], ...] = (
    ("contacts", "Contacts", False),
    (Decision.ADVICE.value, "Advice", False),
    (Decision.LOW_LEVEL_CONCERN.value, "Low-level concern", False),
    (Decision.CONSULTATION.value, "Consultation", False),
    (Decision.REFERRAL.value, "Referral", False),
    (Decision.NOT_LADO.value, "Not LADO", False),
    (Decision.NO_FURTHER_ACTION.value, "No further action", False),
    (Decision.DUPLICATE.value, "Duplicate", False),
    (contacts.UNDECIDED, "Awaiting decision", False),
    ("non_recent", "Non-recent contacts", False),
    ("threshold_percent", "% of decided contacts meeting the threshold", True),
    ("notified_percent", "% notified in time", True),
    ("response_percent", "% first officer action in time", True),
    ("cases_closed", "Cases closed", False),
    ("closed_1m_percent", "% of closed cases closed within 1 month", True),
    ("closed_3m_percent", "% closed within 3 months", True),
    ("closed_12m_percent", "% closed within 12 months", True),
    ("agreement_percent", "% of decisions agreeing with the triage", True),
    ("recall_percent", "Threshold recall of the triage (%)", True),
)


def _measures(base: _Base, year: int | None, rule: NotificationRule) -> dict[str, Value]:
    days = _in(base.days, lambda c: c.day, year)
    out: dict[str, Value] = {k: 0 for k, _l, _pc in MEASURES}
    for c in days:
        out["contacts"] = int(out["contacts"] or 0) + c.n
        out[c.decision] = int(out.get(c.decision) or 0) + c.n
        if c.non_recent:
            out["non_recent"] = int(out["non_recent"] or 0) + c.n
    advice = sum(int(out[k] or 0) for k in conversion.ADVICE_SIDE)
    threshold = sum(int(out[k] or 0) for k in conversion.THRESHOLD)
    out["threshold_percent"] = percent(threshold, advice + threshold)
    notes = timeliness.notification_rollup(
        _in(base.notifications, lambda g: g.day, year), lambda _d: "all", rule
    ).get("all", {})
    out["notified_percent"] = percent(notes.get("within", 0), notes.get("known", 0))
    responses = _in(base.responses, lambda g: g.day, year)
    met = sum(g.n for g in responses if g.state == "met")
    missed = sum(g.n for g in responses if g.state == "missed")
    out["response_percent"] = percent(met, met + missed)
    closed, within = cases.closure_rates(_in(base.durations, lambda g: g.day, year))
    out["cases_closed"] = closed
    for months in (1, 3, 12):
        out[f"closed_{months}m_percent"] = percent(within[months], closed)
    a = ag.agreement(_in(base.decisions, lambda g: g.day, year))
    out["agreement_percent"] = percent(a.agreed, a.judged)
    out["recall_percent"] = percent(a.threshold_found, a.threshold_decided)
    return out


def _summary_tables(period: p.DateRange, base: _Base, rule: NotificationRule) -> list[Table]:
    whole = _measures(base, None, rule)
    summary = Table(
        key="summary",
        title="Summary",
        definition="The headline figures for the whole period; each is defined with its own "
        "table below.",
        row_header="Measure",
        columns=[Column("value", "Value", "number")],
        rows=[Row(k, label, {"value": whole[k]}) for k, label, _pc in MEASURES],
    )
    years = period.years()
    if len(years) < 2:
        return [summary]
    per_year = {y: _measures(base, y, rule) for y in years}
    columns: list[Column] = []
    for y in years:
        start, end = dt.date(y, 4, 1), dt.date(y + 1, 3, 31)
        part = "" if period.covers(start, end) else " (part)"
        columns.append(Column(str(y), p.year_label(y) + part, "number"))
    last, prev = years[-1], years[-2]
    columns.append(
        Column("change", f"Change {p.year_label(prev)} to {p.year_label(last)}", "number")
    )
    yoy_rows: list[Row] = []
    for k, label, is_percent in MEASURES:
        values: dict[str, Value] = {str(y): per_year[y][k] for y in years}
        a, b = per_year[prev][k], per_year[last][k]
        if a is None or b is None:
            values["change"] = None
        elif is_percent:
            values["change"] = round(float(b) - float(a), 1)
        else:
            values["change"] = int(b) - int(a)
        yoy_rows.append(Row(k, label, values))
    yoy = Table(
        key="year_on_year",
        title="Year on year",
        definition="The summary measures for each April–March reporting year in the period "
        "(a year only partly inside the period is marked 'part'). Change is the difference "
        "between the last two years (percentage points for percentages).",
        row_header="Measure",
        columns=columns,
        rows=yoy_rows,
    )
    return [summary, yoy]


async def full_report(
    session: AsyncSession,
    *,
    start: dt.date,
    end: dt.date,
    include_demo: bool = False,
    notification_rule: NotificationRule = "1wd",
    response_hours: int = 24,
    now: dt.datetime | None = None,
    list_limit: int | None = None,
) -> FullReport:
    """Every report table for the local dates ``start``..``end`` (inclusive).

    ``list_limit`` caps the rows of the long lists (overridden cases); None = all.
    """
    period = p.DateRange(start, end)
    now = now or utcnow()
    conn = await session.connection()
    d = Dialect(conn)
    await d.prepare()
    opts = {"include_demo": include_demo}
    f = await facts.contact_facts(
        d, period, include_demo=include_demo, hours=response_hours, now=now
    )
    await facts.category_counts(
        d, period, include_demo=include_demo, into=f.dimensions[facts.CATEGORY]
    )
    closed = await cases.closed_facts(d, period, **opts)
    converted = await conversion.conversion_and_llcs(d, period, **opts)
    base = _Base(
        days=f.days,
        notifications=f.notifications,
        responses=f.responses,
        durations=closed.durations,
        decisions=f.decisions,
    )
    found: list[Table] = [
        *_summary_tables(period, base, notification_rule),
        *contacts.period_tables(period, base.days),
        *contacts.dimension_tables(base.days, f.dimensions),
        *cases.outcome_tables(closed),
        *cases.duration_tables(base.durations),
        timeliness.notification_table(period, base.notifications, notification_rule),
        *timeliness.response_tables(period, base.responses, response_hours, f.median_hours()),
        await timeliness.open_by_officer(d, **opts),
        conversion.conversion_table(period, converted.conversion),
        *conversion.llc_tables(converted),
        ag.matrix_table(base.decisions),
        ag.recall_table(base.decisions),
        await ag.overridden_table(d, period, include_demo=include_demo, limit=list_limit),
    ]
    agreement = ag.agreement(base.decisions)
    overridden = next(t for t in found if t.key == "overridden")
    if list_limit is not None and agreement.overridden > len(overridden.rows):
        overridden.total_rows = agreement.overridden
    return FullReport(
        period=period,
        generated_at=now,
        include_demo=include_demo,
        notification_rule=notification_rule,
        response_hours=response_hours,
        tables={t.key: t for t in found},
        agreement=agreement,
    )
