"""Advice-to-referral conversion, and low-level concerns by organisation with
repeat counts for the same adult.

"The same adult" means the same set of phonetic keys of the adult's name (the
indexed first tier of the queue's previous-concerns search: "Jon Smith" and
"John Smyth" match, "John Smith" and "Jane Smith" do not). A contact with no
adult's name is an adult of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import (
    String,
    and_,
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

from store.enums import Decision, Kind
from store.models import Referral
from store.reports import period as p
from store.reports.contacts import quarter_rows
from store.reports.sql import Dialect, as_date, between, not_demo, rows
from store.reports.tables import Column, Row, Table, Value, percent

ADVICE_SIDE = (Decision.ADVICE.value, Decision.LOW_LEVEL_CONCERN.value)
THRESHOLD = (Decision.CONSULTATION.value, Decision.REFERRAL.value)
NONE = "none"


@dataclass(frozen=True)
class ConversionGroup:
    day: dt.date
    decision: str
    #: an advice or low-level-concern contact whose adult was the subject of a later
    #: referral or consultation (received after it, at any time up to now)
    later_threshold: bool
    n: int


@dataclass
class Found:
    """What the one statement below returns."""

    conversion: list[ConversionGroup] = field(default_factory=list)
    #: organisation key -> (first spelling, LLCs, adults, adults with 2+, their LLCs)
    organisations: dict[str, tuple[str | None, int, int, int, int]] = field(default_factory=dict)
    #: "1" / "2" / "3" (or more) -> (adults, LLCs)
    bands: dict[str, tuple[int, int]] = field(default_factory=dict)


async def conversion_and_llcs(d: Dialect, period: p.DateRange, *, include_demo: bool) -> Found:
    """Conversion groups and the low-level-concern counts, from one scan of the decided
    advice / LLC / consultation / referral concerns, each with its adult."""
    keys = d.adult_keys().subquery("keys")
    decided = (
        select(
            col(Referral.received_at).label("received_at"),
            col(Referral.decision).label("decision"),
            # a contact without a name is an adult of its own
            func.coalesce(keys.c.adult, literal("#") + cast(col(Referral.id), String)).label(
                "adult"
            ),
            keys.c.adult.is_not(None).label("named"),
            case((and_(*between(col(Referral.received_at), period)), 1), else_=0).label(
                "in_period"
            ),
            func.coalesce(col(Referral.adult_employer_key), NONE).label("org"),
            col(Referral.adult_employer).label("employer"),
        )
        .select_from(Referral)
        .outerjoin(keys, keys.c.referral_id == col(Referral.id))
        .where(
            col(Referral.kind) == Kind.CONCERN.value,
            col(Referral.decision).in_(ADVICE_SIDE + THRESHOLD),
            *not_demo(include_demo),
        )
        .cte("decided")
    )
    c = decided.c
    # --- conversion: the latest threshold decision about each named adult
    later = (
        select(c.adult.label("adult"), func.max(c.received_at).label("last"))
        .where(c.decision.in_(THRESHOLD), c.named)
        .group_by(c.adult)
        .subquery("later")
    )
    converted = case((c.decision.in_(ADVICE_SIDE) & (later.c.last > c.received_at), 1), else_=0)
    conv_rows = (
        select(
            d.local_date(c.received_at).label("day"),
            c.decision.label("decision"),
            converted.label("converted"),
        )
        .select_from(decided)
        .outerjoin(later, later.c.adult == c.adult)
        .where(c.in_period == 1)
        .subquery("conv_rows")
    )
    v = conv_rows.c
    conversion = select(
        literal_column("'conversion'").label("grp"),
        d.date_text(v.day).label("k"),
        v.decision.label("t"),
        null().label("e"),
        v.converted.label("n1"),
        func.count().label("n2"),
        null().label("n3"),
        null().label("n4"),
    ).group_by(v.day, v.decision, v.converted)
    # --- low-level concerns in the period by (organisation, adult), then two ways
    pairs = (
        select(
            c.org.label("org"),
            c.adult.label("adult"),
            func.count().label("n"),
            func.min(c.employer).label("employer"),
        )
        .where(c.in_period == 1, c.decision == Decision.LOW_LEVEL_CONCERN.value)
        .group_by(c.org, c.adult)
        .subquery("pairs")
    )
    repeat = pairs.c.n >= 2
    by_org = select(
        literal_column("'org'"),
        pairs.c.org,
        null(),
        func.min(pairs.c.employer),
        func.sum(pairs.c.n),
        func.count(),
        func.sum(case((repeat, 1), else_=0)),
        func.sum(case((repeat, pairs.c.n), else_=0)),
    ).group_by(pairs.c.org)
    per_adult = (
        select(pairs.c.adult.label("adult"), func.sum(pairs.c.n).label("n"))
        .group_by(pairs.c.adult)
        .subquery("per_adult")
    )
    band = case((per_adult.c.n >= 3, "3"), (per_adult.c.n == 2, "2"), else_="1")
    banded = select(band.label("band"), per_adult.c.n.label("n")).subquery("banded")
    by_band = select(
        literal_column("'band'"),
        banded.c.band,
        null(),
        null(),
        func.count(),
        func.sum(banded.c.n),
        null(),
        null(),
    ).group_by(banded.c.band)

    out = Found()
    for grp, k, t, e, n1, n2, n3, n4 in await rows(d.conn, union_all(conversion, by_org, by_band)):
        if grp == "conversion":
            out.conversion.append(ConversionGroup(as_date(k), str(t), bool(int(n1)), int(n2)))
        elif grp == "org":
            out.organisations[str(k)] = (e, int(n1), int(n2), int(n3 or 0), int(n4 or 0))
        else:
            out.bands[str(k)] = (int(n1), int(n2))
    return out


def conversion_table(period: p.DateRange, groups: list[ConversionGroup]) -> Table:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g in groups:
        for k in (p.quarter_key(*p.quarter(g.day)), "total"):
            counts[k][g.decision] += g.n
            if g.later_threshold:
                counts[k]["later"] += g.n
    keys, labels = quarter_rows(period)
    columns = [
        Column(Decision.ADVICE.value, "Advice"),
        Column(Decision.LOW_LEVEL_CONCERN.value, "Low-level concern"),
        Column(Decision.CONSULTATION.value, "Consultation"),
        Column(Decision.REFERRAL.value, "Referral"),
        Column("threshold_percent", "% meeting the threshold", "percent"),
        Column("later", "Advice or LLC later referred"),
        Column("later_percent", "% of advice or LLC later referred", "percent"),
    ]

    def row(key: str, label: str, found: dict[str, int], total: bool = False) -> Row:
        advice = found.get(Decision.ADVICE.value, 0) + found.get(
            Decision.LOW_LEVEL_CONCERN.value, 0
        )
        threshold = found.get(Decision.CONSULTATION.value, 0) + found.get(
            Decision.REFERRAL.value, 0
        )
        values: dict[str, Value] = {c.key: found.get(c.key, 0) for c in columns}
        values["threshold_percent"] = percent(threshold, advice + threshold)
        values["later_percent"] = percent(found.get("later", 0), advice)
        return Row(key, label, values, total)

    return Table(
        key="conversion",
        title="Advice-to-referral conversion",
        definition="Contacts received in the period (local date of receipt) that the officer "
        "decided as advice, low-level concern, consultation or referral. '% meeting the "
        "threshold' = (consultation + referral) ÷ all four. 'Later referred' counts advice "
        "and low-level-concern contacts whose adult (same phonetic name keys) was the subject "
        "of a referral or consultation received after them, up to today.",
        row_header="Quarter",
        columns=columns,
        rows=[
            *(row(k, labels[k], counts.get(k, {})) for k in keys),
            row("total", "Total", counts.get("total", {}), True),
        ],
    )


# ---------------------------------------------------------------- low-level concerns


def llc_tables(found: Found) -> list[Table]:
    org_rows: list[Row] = [
        Row(
            org,
            "Not recorded" if org == NONE else str(employer or org),
            {"llcs": llcs, "adults": adults, "repeat_adults": repeats, "repeat_llcs": repeat_llcs},
        )
        for org, (employer, llcs, adults, repeats, repeat_llcs) in found.organisations.items()
    ]
    bands = found.bands
    org_rows.sort(key=lambda r: (r.key == NONE, -int(r.values["llcs"] or 0), r.label.lower()))
    columns = [
        Column("llcs", "Low-level concerns"),
        Column("adults", "Adults"),
        Column("repeat_adults", "Adults with 2 or more"),
        Column("repeat_llcs", "Concerns about those adults"),
    ]
    totals: dict[str, Value] = {
        c.key: sum(int(r.values[c.key] or 0) for r in org_rows) for c in columns
    }
    by_org_table = Table(
        key="llc_by_organisation",
        title="Low-level concerns by organisation",
        definition="Contacts received in the period (local date of receipt) that the officer "
        "recorded as a low-level concern, by the adult's employer (spellings grouped by the "
        "same key as the previous-concerns search; shown as the first spelling "
        "alphabetically). Repeats count low-level concerns about the same adult at the same "
        "organisation in the period.",
        row_header="Organisation",
        columns=columns,
        rows=[*org_rows, Row("total", "Total", totals, True)],
    )
    band_rows = [
        Row(k, label, {"adults": bands.get(k, (0, 0))[0], "llcs": bands.get(k, (0, 0))[1]})
        for k, label in (
            ("1", "One low-level concern"),
            ("2", "Two"),
            ("3", "Three or more"),
        )
    ]
    band_total: dict[str, Value] = {
        "adults": sum(int(r.values["adults"] or 0) for r in band_rows),
        "llcs": sum(int(r.values["llcs"] or 0) for r in band_rows),
    }
    repeats_table = Table(
        key="llc_repeats",
        title="Adults by number of low-level concerns",
        definition="Adults who were the subject of low-level concerns received in the period, "
        "by how many (across all organisations).",
        row_header="Low-level concerns in the period",
        columns=[Column("adults", "Adults"), Column("llcs", "Low-level concerns")],
        rows=[*band_rows, Row("total", "Total", band_total, True)],
    )
    return [by_org_table, repeats_table]
