"""Contacts: by quarter and month (split by decision, contemporaneous and non-recent),
and by employment sector, abuse category, referral source and channel.

A *contact* is a concern (not a callback request or machine mail) received in
the period; the local date of receipt decides the period. The decision columns
are the officer's decision; contacts not yet decided are "awaiting decision".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from store.enums import Decision
from store.reports import period as p
from store.reports.tables import Column, Row, Table, count_rows, total_row

UNDECIDED = "undecided"
NONE = "none"

DECISION_COLUMNS = [
    Column(Decision.ADVICE.value, "Advice"),
    Column(Decision.LOW_LEVEL_CONCERN.value, "Low-level concern"),
    Column(Decision.CONSULTATION.value, "Consultation"),
    Column(Decision.REFERRAL.value, "Referral"),
    Column(Decision.NOT_LADO.value, "Not LADO"),
    Column(Decision.NO_FURTHER_ACTION.value, "No further action"),
    Column(Decision.DUPLICATE.value, "Duplicate"),
    Column(UNDECIDED, "Awaiting decision"),
    Column("total", "Total"),
]


@dataclass(frozen=True)
class ContactDay:
    """Contacts received on one local date with one decision (grouped in the database)."""

    day: dt.date
    decision: str
    non_recent: bool
    n: int


def rollup(
    days: Iterable[ContactDay],
    key: Callable[[dt.date], str],
    *,
    non_recent: bool | None = None,
) -> dict[str, dict[str, int]]:
    """period key -> decision -> count (plus "total")."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in days:
        if non_recent is not None and c.non_recent is not non_recent:
            continue
        bucket = out[key(c.day)]
        bucket[c.decision] += c.n
        bucket["total"] += c.n
    return out


def _quarter_key(day: dt.date) -> str:
    return p.quarter_key(*p.quarter(day))


def quarter_rows(period: p.DateRange) -> tuple[list[str], dict[str, str]]:
    keys, labels = [], {}
    for year, q in period.quarters():
        k = p.quarter_key(year, q)
        keys.append(k)
        start, end = p.quarter_bounds(year, q)
        labels[k] = p.quarter_label(year, q) + ("" if period.covers(start, end) else " (part)")
    return keys, labels


def month_rows(period: p.DateRange) -> tuple[list[str], dict[str, str]]:
    keys, labels = [], {}
    for year, month in period.months():
        k = f"{year}-{month:02d}"
        keys.append(k)
        start = dt.date(year, month, 1)
        end = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
        labels[k] = p.month_label(year, month) + ("" if period.covers(start, end) else " (part)")
    return keys, labels


def _period_table(
    key: str,
    title: str,
    definition: str,
    row_header: str,
    keys: list[str],
    labels: dict[str, str],
    counts: dict[str, dict[str, int]],
) -> Table:
    body = count_rows(keys, counts, DECISION_COLUMNS, labels)
    return Table(
        key=key,
        title=title,
        definition=definition,
        row_header=row_header,
        columns=list(DECISION_COLUMNS),
        rows=[*body, total_row(body, DECISION_COLUMNS)],
    )


CONTACT_DEFINITION = (
    "Concerns received in the period (callback requests and machine mail excluded), "
    "counted by the local date of receipt and split by the officer's decision; "
    "contacts not yet decided are shown as awaiting decision."
)


def period_tables(period: p.DateRange, days: list[ContactDay]) -> list[Table]:
    qkeys, qlabels = quarter_rows(period)
    mkeys, mlabels = month_rows(period)
    return [
        _period_table(
            "contacts_by_quarter",
            "Contacts by quarter",
            CONTACT_DEFINITION + " Quarters of the April–March reporting year.",
            "Quarter",
            qkeys,
            qlabels,
            rollup(days, _quarter_key),
        ),
        _period_table(
            "contemporaneous_by_quarter",
            "Contemporaneous contacts by quarter",
            "As contacts by quarter, for contacts not marked non-recent.",
            "Quarter",
            qkeys,
            qlabels,
            rollup(days, _quarter_key, non_recent=False),
        ),
        _period_table(
            "non_recent_by_quarter",
            "Non-recent contacts by quarter",
            "As contacts by quarter, for contacts marked non-recent (the person harmed "
            "is now an adult and the events happened when they were a child).",
            "Quarter",
            qkeys,
            qlabels,
            rollup(days, _quarter_key, non_recent=True),
        ),
        _period_table(
            "contacts_by_month",
            "Contacts by month",
            CONTACT_DEFINITION,
            "Month",
            mkeys,
            mlabels,
            rollup(days, p.month_key),
        ),
    ]


# ---------------------------------------------------------------- by dimension


def _counts(found: Iterable[tuple[object, object, object]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for k, decision, n in found:
        out[str(k)][str(decision)] += int(str(n))
        out[str(k)]["total"] += int(str(n))
    return out


def _ordered(counts: dict[str, dict[str, int]]) -> list[str]:
    """Most contacts first; "not recorded" last."""
    keys = sorted((k for k in counts if k != NONE), key=lambda k: (-counts[k]["total"], k))
    return [*keys, NONE] if NONE in counts else keys


def _dimension_table(
    key: str,
    title: str,
    definition: str,
    row_header: str,
    dimension: str,
    counts: dict[str, dict[str, int]],
    totals: dict[str, int],
) -> Table:
    keys = _ordered(counts)
    body = count_rows(keys, counts, DECISION_COLUMNS, {NONE: "Not recorded"})
    total = Row(
        "total", "Total contacts", {c.key: totals.get(c.key, 0) for c in DECISION_COLUMNS}, True
    )
    return Table(
        key=key,
        title=title,
        definition=definition,
        row_header=row_header,
        columns=list(DECISION_COLUMNS),
        rows=[*body, total],
        row_dimension=dimension,
    )


def dimension_tables(
    days: list[ContactDay], dimensions: dict[str, dict[str, dict[str, int]]]
) -> list[Table]:
    """Sector, category, source and channel tables (counted by the facts query)."""
    totals = rollup(days, lambda _day: "all").get("all", {})
    sector, source, channel, category = (
        dimensions[k] for k in ("sector", "source", "channel", "category")
    )
    base = " Contacts received in the period (local date of receipt), by the officer's decision."
    return [
        _dimension_table(
            "by_sector",
            "Contacts by employment sector",
            "The sector of the adult's employer as recorded on the referral." + base,
            "Sector",
            "sector",
            sector,
            totals,
        ),
        _dimension_table(
            "by_category",
            "Contacts by abuse category",
            "The abuse categories the officer confirmed (they start as the triage's). "
            "A contact with several categories counts once in each, so the rows can add up "
            "to more than the total; the total counts each contact once." + base,
            "Category",
            "category",
            category,
            totals,
        ),
        _dimension_table(
            "by_source",
            "Contacts by referral source",
            "The type of organisation the person who made the contact works for." + base,
            "Referral source",
            "org_type",
            source,
            totals,
        ),
        _dimension_table(
            "by_channel",
            "Contacts by channel",
            "How the contact reached the service (web chat, Teams, email, web form, phone)." + base,
            "Channel",
            "channel",
            channel,
            totals,
        ),
    ]
