"""The report tables reproduce known counts exactly, on SQLite and PostgreSQL.

Each test builds a small set of referrals whose every count is known by hand:
quarter boundaries of the April–March year in local time, bank holidays in the
one-working-day measure, non-recent splits, repeat low-level concerns about the
same adult, case durations in calendar months, and the triage agreement matrix.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from store.engine import Database
from store.models import Referral, ReferralCreate
from store.repo.referrals import create_referral, update_referral
from store.reports import AGREEING, EXPORT_FIELDS, TEXT_FIELDS, FullReport, full_report
from store.reports import export_records as export
from tests.conftest import add_officer

LONDON = ZoneInfo("Europe/London")
YEAR = (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)

_CREATE = set(ReferralCreate.model_fields)


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    """A local (England) moment as UTC."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=LONDON).astimezone(dt.UTC)


async def make(db: Database, received: dt.datetime, **fields: Any) -> Referral:
    """A concern received at ``received``; other fields set directly on the row."""
    values: dict[str, Any] = {
        "received_at": received,
        "aware_at": received - dt.timedelta(hours=1),
        "narrative": "Synthetic test referral.",
        "triage_suggestion": "REFERRAL",
        "triage_categories": ["physical"],
        "sector": "education",
        "channel": "form",
    }
    values.update(fields)
    create = {k: v for k, v in values.items() if k in _CREATE}
    later = {k: v for k, v in values.items() if k not in _CREATE}
    if "decision" in later and "status" not in later:
        later["status"] = "open" if later["decision"] in ("referral", "consultation") else "decided"
    if "decision" in later and "decided_at" not in later:
        later["decided_at"] = received + dt.timedelta(hours=2)
    async with db.transaction() as session:
        row = await create_referral(session, data=ReferralCreate(**create))
        if later:
            assert row.id is not None
            row = await update_referral(
                session, referral_id=row.id, expected_version=row.version, values=later
            )
    return row


async def report(db: Database, start: dt.date, end: dt.date, **kw: Any) -> FullReport:
    async with db.session() as session:
        return await full_report(session, start=start, end=end, now=NOW, **kw)


def row_values(rep: FullReport, table: str, row: str, *columns: str) -> tuple[Any, ...]:
    t = rep.table(table)
    return tuple(t.value(row, c) for c in columns)


# ---------------------------------------------------------------- contacts by period


async def test_quarters_follow_the_april_to_march_year_in_local_time(db: Database) -> None:
    # 23:30 BST on 31 March is 22:30 UTC: still 2024/25
    await make(db, at(2025, 3, 31, 23, 30), decision="advice")
    # 00:30 BST on 1 April is 23:30 UTC on 31 March: 2025/26 Q1
    await make(db, at(2025, 4, 1, 0, 30), decision="advice")
    await make(db, at(2025, 6, 30, 23, 59), decision="referral")
    await make(db, at(2025, 7, 1, 0, 10), decision="referral", non_recent=True)
    await make(db, at(2025, 7, 2), decision="low_level_concern")
    await make(db, at(2025, 12, 31, 23, 0), decision="consultation")
    await make(db, at(2026, 1, 1, 0, 30), decision="not_lado")
    await make(db, at(2026, 3, 31, 23, 30), decision="referral", non_recent=True)
    await make(db, at(2026, 3, 31, 12), decision="duplicate")
    await make(db, at(2026, 2, 10))  # awaiting decision
    await make(db, at(2026, 4, 1, 0, 30), decision="advice")  # 2026/27: outside
    await make(db, at(2025, 5, 5), kind="callback")  # not a concern
    await make(db, at(2025, 5, 6), decision="advice", demo=True)  # demo: left out

    rep = await report(db, *YEAR)
    q = "contacts_by_quarter"
    cols = ("advice", "low_level_concern", "consultation", "referral", "not_lado", "duplicate")
    assert row_values(rep, q, "2025-Q1", *cols, "undecided", "total") == (1, 0, 0, 1, 0, 0, 0, 2)
    assert row_values(rep, q, "2025-Q2", *cols, "total") == (0, 1, 0, 1, 0, 0, 2)
    assert row_values(rep, q, "2025-Q3", *cols, "total") == (0, 0, 1, 0, 0, 0, 1)
    assert row_values(rep, q, "2025-Q4", *cols, "undecided", "total") == (0, 0, 0, 1, 1, 1, 1, 4)
    assert row_values(rep, q, "total", "total", "referral") == (9, 3)
    assert [r.key for r in rep.table(q).rows] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "total",
    ]
    assert rep.table(q).row("2025-Q1").label == "2025/26 Q1 (Apr–Jun)"

    # non-recent: the 1 July and 31 March referrals
    assert row_values(rep, "non_recent_by_quarter", "2025-Q2", "referral") == (1,)
    assert row_values(rep, "non_recent_by_quarter", "2025-Q4", "referral") == (1,)
    assert row_values(rep, "non_recent_by_quarter", "total", "total") == (2,)
    assert row_values(rep, "contemporaneous_by_quarter", "total", "total", "referral") == (7, 1)

    months = rep.table("contacts_by_month")
    assert months.value("2025-04", "advice") == 1
    assert months.value("2025-06", "referral") == 1
    assert months.value("2025-07", "total") == 2
    assert months.value("2026-01", "not_lado") == 1
    assert months.value("2026-03", "total") == 2
    assert len(months.rows) == 13  # twelve months and the total

    summary = rep.table("summary")
    assert summary.value("contacts", "value") == 9
    assert summary.value("non_recent", "value") == 2
    # threshold share: (consultation 1 + referral 3) / (advice 1 + LLC 1 + 1 + 3)
    assert summary.value("threshold_percent", "value") == 66.7
    assert "year_on_year" not in rep.tables

    with_demo = await report(db, *YEAR, include_demo=True)
    assert row_values(with_demo, q, "2025-Q1", "advice", "total") == (2, 3)


async def test_partial_quarters_and_year_on_year(db: Database) -> None:
    await make(db, at(2024, 6, 1), decision="advice")
    await make(db, at(2024, 6, 2), decision="referral")
    await make(db, at(2025, 4, 1, 0, 30), decision="advice")
    await make(db, at(2025, 4, 2), decision="advice")
    await make(db, at(2025, 4, 3), decision="referral")

    rep = await report(db, dt.date(2024, 5, 15), dt.date(2025, 5, 31))
    q = rep.table("contacts_by_quarter")
    assert q.row("2024-Q1").label == "2024/25 Q1 (Apr–Jun) (part)"
    assert q.row("2024-Q2").label == "2024/25 Q2 (Jul–Sep)"
    yoy = rep.table("year_on_year")
    assert [c.key for c in yoy.columns] == ["2024", "2025", "change"]
    assert yoy.columns[0].label == "2024/25 (part)"
    assert (yoy.value("contacts", "2024"), yoy.value("contacts", "2025")) == (2, 3)
    assert yoy.value("contacts", "change") == 1
    assert yoy.value("advice", "change") == 1
    assert yoy.value("referral", "change") == 0
    assert (yoy.value("threshold_percent", "2024"), yoy.value("threshold_percent", "2025")) == (
        50.0,
        33.3,
    )
    assert yoy.value("threshold_percent", "change") == -16.7


# ---------------------------------------------------------------- by sector, category, source


async def test_sector_category_source_and_channel(db: Database) -> None:
    await make(
        db,
        at(2025, 5, 1),
        sector="education",
        decision="referral",
        channel="email",
        referrer_org_type="education",
        triage_categories=["physical", "emotional"],
    )
    await make(
        db,
        at(2025, 5, 2),
        sector="education",
        decision="advice",
        channel="chat",
        referrer_org_type="police",
        triage_categories=["physical"],
    )
    await make(
        db,
        at(2025, 5, 3),
        sector="fostering",
        decision="referral",
        channel="email",
        referrer_org_type="social_care",
        triage_categories=["sexual"],
    )
    await make(
        db,
        at(2025, 5, 4),
        sector=None,
        channel="phone",
        referrer_org_type=None,
        triage_categories=[],
    )

    rep = await report(db, *YEAR)
    sector = rep.table("by_sector")
    assert [r.key for r in sector.rows] == ["education", "fostering", "none", "total"]
    assert row_values(rep, "by_sector", "education", "referral", "advice", "total") == (1, 1, 2)
    assert row_values(rep, "by_sector", "none", "undecided", "total") == (1, 1)
    assert sector.row("none").label == "Not recorded"
    assert row_values(rep, "by_sector", "total", "total") == (4,)

    # each contact counts once per category; the total counts contacts once
    assert row_values(rep, "by_category", "physical", "total", "referral") == (2, 1)
    assert row_values(rep, "by_category", "emotional", "total") == (1,)
    assert row_values(rep, "by_category", "sexual", "referral") == (1,)
    assert row_values(rep, "by_category", "none", "total") == (1,)
    assert row_values(rep, "by_category", "total", "total") == (4,)

    assert row_values(rep, "by_source", "police", "advice") == (1,)
    assert row_values(rep, "by_source", "none", "total") == (1,)
    assert row_values(rep, "by_channel", "email", "referral", "total") == (2, 2)
    assert row_values(rep, "by_channel", "phone", "undecided") == (1,)


# ---------------------------------------------------------------- cases


async def test_outcomes_duration_and_closure_targets(db: Database) -> None:
    def case(received: dt.datetime, closed: dt.datetime, **kw: Any) -> dict[str, Any]:
        return {
            "received": received,
            "decision": "referral",
            "status": "closed",
            "closed_at": closed,
            **kw,
        }

    cases = [
        # 31 January + 1 month = 28 February: within one month
        case(
            at(2026, 1, 31),
            at(2026, 2, 28, 16),
            outcome="substantiated",
            police_outcome="prosecution",
            employer_outcome="dismissed",
            dbs_referral=True,
        ),
        # ... and 1 March is not
        case(
            at(2026, 1, 31),
            at(2026, 3, 1),
            outcome="substantiated",
            police_outcome="nfa",
            employer_outcome="resigned",
            regulator_referral="TRA",
        ),
        # 00:30 BST on 15 April is 14 April in UTC: closed 15 July is exactly 3 months
        case(
            at(2025, 4, 15, 0, 30),
            at(2025, 7, 15),
            outcome="unsubstantiated",
            police_outcome="no_police_action",
            employer_outcome="training_support",
        ),
        case(at(2025, 4, 15), at(2025, 7, 16), outcome="unfounded"),  # 3 to 6 months
        case(
            at(2025, 4, 20),
            at(2025, 4, 25),
            outcome="false",
            non_recent=True,
            employer_outcome="not_employed",
            dbs_referral=True,
        ),
        case(at(2024, 6, 1), at(2025, 6, 2), outcome="malicious"),  # more than 12 months
        case(at(2024, 12, 1), at(2025, 11, 30), outcome="no_outcome", non_recent=True),
        case(at(2025, 1, 10), at(2025, 3, 31, 23, 30)),  # closed in 2024/25 (BST): outside
    ]
    for c in cases:
        await make(db, c.pop("received"), **c)
    await make(db, at(2025, 5, 1), decision="referral")  # open: not closed

    rep = await report(db, *YEAR)
    out = "outcomes"
    assert row_values(rep, out, "substantiated", "contemporaneous", "non_recent", "total") == (
        2,
        0,
        2,
    )
    assert row_values(rep, out, "false", "non_recent", "total") == (1, 1)
    assert row_values(rep, out, "no_outcome", "non_recent") == (1,)
    assert row_values(rep, out, "total", "contemporaneous", "non_recent", "total") == (5, 2, 7)
    assert row_values(rep, out, "substantiated", "percent") == (28.6,)
    assert "none" not in [r.key for r in rep.table(out).rows]
    assert row_values(rep, "police_outcomes", "none", "total") == (4,)
    assert row_values(rep, "police_outcomes", "prosecution", "total") == (1,)
    assert row_values(rep, "employer_outcomes", "not_employed", "non_recent") == (1,)
    assert row_values(rep, "onward_referrals", "dbs", "contemporaneous", "non_recent") == (1, 1)
    assert row_values(rep, "onward_referrals", "regulator", "total") == (1,)

    d = "case_duration"
    assert row_values(rep, d, "within_1m", "total") == (2,)  # 28 Feb and 25 April
    assert row_values(rep, d, "1_3m", "total") == (2,)  # 1 March and 15 July
    assert row_values(rep, d, "3_6m", "total") == (1,)
    assert row_values(rep, d, "6_12m", "non_recent") == (1,)
    assert row_values(rep, d, "over_12m", "total") == (1,)
    assert row_values(rep, d, "total", "total") == (7,)

    t = "closure_targets"
    assert row_values(rep, t, "within_1m", "closed", "within", "percent", "met") == (
        7,
        2,
        28.6,
        "No",
    )
    assert row_values(rep, t, "within_3m", "within", "percent") == (4, 57.1)
    assert row_values(rep, t, "within_12m", "within", "percent", "met") == (6, 85.7, None)
    assert rep.table("summary").value("cases_closed", "value") == 7


# ---------------------------------------------------------------- timeliness


async def test_one_working_day_counts_local_dates_and_bank_holidays(db: Database) -> None:
    # Friday 22 August 2025, then the summer bank holiday on Monday 25 August
    await make(db, at(2025, 8, 26, 9), aware_at=at(2025, 8, 22, 15))  # Tuesday: in time
    await make(db, at(2025, 8, 27, 9), aware_at=at(2025, 8, 22, 15))  # Wednesday: late
    # Saturday 23 August: due on Tuesday 26 too
    await make(db, at(2025, 8, 26, 16), aware_at=at(2025, 8, 23, 11))  # in time
    # 00:30 BST Monday 1 September is Sunday in UTC; due Tuesday 2 September
    await make(db, at(2025, 9, 2, 17), aware_at=at(2025, 9, 1, 0, 30))  # in time
    # Thursday 28 August: due Friday 29; received Saturday 30 is late
    await make(db, at(2025, 8, 30, 10), aware_at=at(2025, 8, 28, 10))
    await make(db, at(2025, 8, 28, 18), aware_at=None)  # aware date unknown
    # Friday 2 May 2025 then the early May bank holiday: due Tuesday 6 May
    await make(db, at(2025, 5, 6, 16, 59), aware_at=at(2025, 5, 2, 16))

    rep = await report(db, *YEAR)
    n = "notification_timeliness"
    cols = ("contacts", "known", "within", "late", "unknown", "percent")
    assert row_values(rep, n, "2025-08", *cols) == (5, 4, 2, 2, 1, 50.0)
    assert row_values(rep, n, "2025-09", *cols) == (1, 1, 1, 0, 0, 100.0)
    assert row_values(rep, n, "2025-05", *cols) == (1, 1, 1, 0, 0, 100.0)
    assert row_values(rep, n, "2025-06", "contacts", "percent") == (0, None)
    assert row_values(rep, n, "total", *cols) == (7, 6, 4, 2, 1, 66.7)
    assert rep.table("summary").value("notified_percent", "value") == 66.7


async def test_twenty_four_hour_notification_rule(db: Database) -> None:
    await make(db, at(2025, 8, 23, 10), aware_at=at(2025, 8, 22, 10))  # exactly 24 hours
    await make(db, at(2025, 8, 23, 10, 1), aware_at=at(2025, 8, 22, 10))  # a minute over
    rep = await report(db, *YEAR, notification_rule="24h")
    t = rep.table("notification_timeliness")
    assert t.title == "Notified within 24 hours, by month"
    assert row_values(rep, "notification_timeliness", "2025-08", "within", "late") == (1, 1)


async def test_time_to_first_action_and_open_items_per_officer(db: Database) -> None:
    one = await add_officer(db, "one@example.gov.uk", "officer")
    two = await add_officer(db, "two@example.gov.uk", "officer")
    base = at(2025, 5, 1, 9)
    for minutes, fields in [
        (30, {"decision": "advice"}),  # within 1 hour
        (150, {"decision": "advice"}),  # 1 to 4 hours
        (20 * 60, {"claimed_by_id": one.id, "status": "claimed"}),  # 4 to 24 hours
        (30 * 60, {"decision": "referral", "claimed_by_id": one.id}),  # 1 to 3 days: late
    ]:
        await make(db, base, first_action_at=base + dt.timedelta(minutes=minutes), **fields)
    await make(db, base)  # nobody has acted: overdue by NOW
    await make(
        db,
        at(2025, 5, 2),
        claimed_by_id=two.id,
        status="claimed",
        first_action_at=at(2025, 5, 2, 12),
    )
    await make(db, at(2025, 5, 3), kind="callback")  # an open callback request, unassigned

    rep = await report(db, *YEAR)
    r = "response_time"
    assert row_values(rep, r, "within_1h", "contacts") == (1,)
    assert row_values(rep, r, "1_4h", "contacts") == (2,)  # 150 minutes, and 2 hours on 2 May
    assert row_values(rep, r, "4_24h", "contacts") == (1,)
    assert row_values(rep, r, "1_3d", "contacts") == (1,)
    assert row_values(rep, r, "no_action", "contacts", "percent") == (1, 16.7)
    m = "response_by_month"
    assert row_values(rep, m, "2025-05", "contacts", "acted", "met", "missed", "pending") == (
        6,
        5,
        4,
        2,
        0,
    )
    assert row_values(rep, m, "2025-05", "percent") == (66.7,)
    assert "Median time to first action over the period: 2.5 hours" in rep.table(m).definition

    w = rep.table("open_by_officer")
    assert w.value(str(one.id), "claimed") == 1
    assert w.value(str(one.id), "open") == 1
    assert w.value(str(one.id), "total") == 2
    assert w.value(str(two.id), "total") == 1
    assert w.value("unassigned", "new") == 2  # the untouched concern and the callback
    assert w.value("total", "total") == 5


# ---------------------------------------------------------------- LLCs and conversion


async def test_repeat_low_level_concerns_for_the_same_adult(db: Database) -> None:
    llc = {"decision": "low_level_concern", "triage_suggestion": "LOW_LEVEL_CONCERN"}
    await make(
        db,
        at(2025, 4, 10),
        adult_name="Peter Brown",
        adult_employer="Oakfield Primary School",
        **llc,
    )
    # the same adult, spelt differently, names reversed, the school's name shortened
    await make(
        db, at(2025, 6, 10), adult_name="Brown Peter", adult_employer="Oakfield Primary", **llc
    )
    await make(
        db,
        at(2025, 9, 10),
        adult_name="Mr Peter Browne",
        adult_employer="Oakfield Primary School",
        **llc,
    )
    await make(
        db, at(2025, 5, 1), adult_name="Paul Brown", adult_employer="Oakfield Primary School", **llc
    )
    await make(db, at(2025, 5, 2), adult_name=None, adult_employer="Riverside Nursery", **llc)
    await make(db, at(2025, 5, 3), adult_name="Anna Lee", adult_employer=None, **llc)
    # Anna Lee at another organisation: 2 LLCs for the adult, none repeated per organisation
    await make(db, at(2025, 5, 4), adult_name="Anna Lee", adult_employer="Riverside Nursery", **llc)
    await make(db, at(2025, 5, 5), adult_name="Peter Brown", decision="advice")  # not an LLC

    rep = await report(db, *YEAR)
    t = rep.table("llc_by_organisation")
    assert [r.key for r in t.rows] == ["oakfield", "riverside", "none", "total"]
    assert t.row("oakfield").label == "Oakfield Primary"
    assert row_values(
        rep, "llc_by_organisation", "oakfield", "llcs", "adults", "repeat_adults", "repeat_llcs"
    ) == (4, 2, 1, 3)
    assert row_values(
        rep, "llc_by_organisation", "riverside", "llcs", "adults", "repeat_adults"
    ) == (2, 2, 0)
    assert row_values(rep, "llc_by_organisation", "total", "llcs") == (7,)
    r = "llc_repeats"
    assert row_values(rep, r, "1", "adults", "llcs") == (2, 2)  # Paul Brown, the unnamed adult
    assert row_values(rep, r, "2", "adults", "llcs") == (1, 2)  # Anna Lee
    assert row_values(rep, r, "3", "adults", "llcs") == (1, 3)  # Peter Brown
    assert row_values(rep, r, "total", "adults", "llcs") == (4, 7)


async def test_advice_to_referral_conversion(db: Database) -> None:
    await make(db, at(2025, 4, 10), adult_name="Peter Brown", decision="advice")
    await make(db, at(2025, 4, 11), adult_name="Paul Brown", decision="low_level_concern")
    await make(db, at(2025, 4, 12), adult_name="Sam Green", decision="advice")
    await make(db, at(2025, 4, 13), adult_name=None, decision="advice")
    # later referrals: about Peter Brown (after the period too), and about Sam Green *before*
    await make(db, at(2026, 5, 1), adult_name="Peter Browne", decision="consultation")
    await make(db, at(2025, 3, 1), adult_name="Sam Green", decision="referral")
    await make(db, at(2025, 8, 1), adult_name="Jo King", decision="referral")

    rep = await report(db, *YEAR)
    c = "conversion"
    cols = ("advice", "low_level_concern", "consultation", "referral", "later")
    assert row_values(rep, c, "2025-Q1", *cols) == (3, 1, 0, 0, 1)
    assert row_values(rep, c, "2025-Q1", "later_percent", "threshold_percent") == (25.0, 0.0)
    assert row_values(rep, c, "2025-Q2", "referral", "threshold_percent") == (1, 100.0)
    assert row_values(rep, c, "total", "threshold_percent", "later_percent") == (20.0, 25.0)


# ---------------------------------------------------------------- triage agreement


async def test_agreement_matrix_recall_and_overrides(db: Database) -> None:
    officer = await add_officer(db, "decider@example.gov.uk", "officer")
    day = at(2025, 6, 2)
    pairs = [
        ("REFERRAL", "referral", 3),
        ("URGENT", "referral", 1),
        ("ADVICE", "referral", 2),  # under-triaged
        ("CONSULTATION", "advice", 1),  # over-triaged
        ("LOW_LEVEL_CONCERN", "low_level_concern", 2),
        ("NOT_LADO", "advice", 1),
        ("REFERRAL", "duplicate", 1),
        (None, "advice", 1),
    ]
    i = 0
    for suggestion, decision, count in pairs:
        for _ in range(count):
            i += 1
            await make(
                db,
                day + dt.timedelta(minutes=i),
                triage_suggestion=suggestion,
                decision=decision,
                decided_by_id=officer.id,
            )
    await make(db, day, triage_suggestion="ADVICE")  # undecided: not in the matrix

    rep = await report(db, *YEAR)
    m = "agreement_matrix"
    assert row_values(rep, m, "REFERRAL", "referral", "duplicate", "total", "agree_percent") == (
        3,
        1,
        4,
        100.0,
    )
    assert row_values(rep, m, "ADVICE", "referral", "advice", "agree_percent") == (2, 0, 0.0)
    assert row_values(rep, m, "none", "advice") == (1,)
    assert row_values(rep, m, "total", "total", "agree_percent") == (12, 60.0)
    assert row_values(rep, m, "URGENT", "agree_percent") == (100.0,)

    r = "threshold_recall"
    assert row_values(rep, r, "agreement", "count", "of", "percent") == (6, 10, 60.0)
    assert row_values(rep, r, "recall", "count", "of", "percent") == (4, 6, 66.7)
    assert row_values(rep, r, "under_triaged", "count", "of") == (2, 6)
    assert row_values(rep, r, "precision", "count", "of", "percent") == (4, 5, 80.0)
    assert row_values(rep, r, "over_triaged", "count") == (1,)
    assert row_values(rep, r, "overridden", "count") == (4,)
    assert rep.agreement is not None and rep.agreement.overridden == 4

    o = rep.table("overridden")
    assert len(o.rows) == 4
    directions = sorted(str(r.values["direction"]) for r in o.rows)
    assert directions == ["Lowered", "Raised", "Raised", "Raised"]
    assert {r.values["officer"] for r in o.rows} == {officer.display_name or officer.email}
    assert o.rows[0].values["received"] == "2025-06-02"
    limited = await report(db, *YEAR, list_limit=2)
    assert len(limited.table("overridden").rows) == 2
    assert limited.table("overridden").total_rows == 4
    assert rep.table("overridden").total_rows is None  # every row is there


def test_agreeing_decisions_match_the_queue() -> None:
    from intake.review import AGREEING_DECISION

    assert {k: v.value for k, v in AGREEING_DECISION.items()} == AGREEING


async def test_an_empty_period_has_every_table(db: Database) -> None:
    rep = await report(db, *YEAR)
    for table in rep.ordered():
        assert table.rows is not None
    assert rep.table("summary").value("contacts", "value") == 0
    assert rep.table("notification_timeliness").value("total", "percent") is None


# ---------------------------------------------------------------- export


async def test_export_holds_decided_referrals_in_the_schema(db: Database) -> None:
    officer = await add_officer(db, "exporter@example.gov.uk", "officer")
    kept = await make(
        db,
        at(2025, 8, 22, 15),
        aware_at=at(2025, 8, 21, 9),
        adult_name="Peter Brown",
        decision="referral",
        decided_by_id=officer.id,
        decision_reason="Threshold met.",
        triage_suggestion="ADVICE",
    )
    await make(db, at(2025, 8, 23), decision="advice", demo=True)
    await make(db, at(2025, 8, 24))  # undecided
    await make(db, at(2025, 3, 1), decision="advice")  # decided before the range

    async with db.session() as session:
        records = await export(session, start=dt.date(2025, 4, 1), end=dt.date(2025, 9, 30))
        with_text = await export(
            session, start=dt.date(2025, 4, 1), end=dt.date(2025, 9, 30), include_text=True
        )
    assert len(records) == 1
    record = records[0]
    assert tuple(record) == EXPORT_FIELDS
    assert record["schema"] == "lado-export/1"
    assert record["reference"] == kept.reference
    assert record["received_at"] == "2025-08-22T14:00:00Z"
    assert record["decision"] == "referral"
    assert record["decided_by"] == "exporter@example.gov.uk"
    assert record["agrees_with_suggestion"] is False
    assert record["notified_in_time"] is True
    assert record["categories"] == ["physical"]
    assert "narrative" not in record and "decision_reason" not in record
    assert tuple(with_text[0]) == EXPORT_FIELDS + TEXT_FIELDS
    assert with_text[0]["decision_reason"] == "Threshold met."


def test_export_schema_is_documented_field_by_field() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "export-schema.md").read_text()
    documented = [
        line.split("|")[1].strip().strip("`") for line in doc.splitlines() if line.startswith("| `")
    ]
    assert documented == [*EXPORT_FIELDS, *TEXT_FIELDS]


@pytest.mark.parametrize(
    ("start", "end"),
    [(dt.date(2025, 4, 2), dt.date(2025, 4, 1))],
)
async def test_a_period_ending_before_it_starts_is_refused(
    sqlite_db: Database, start: dt.date, end: dt.date
) -> None:
    with pytest.raises(ValueError, match="before its start"):
        await report(sqlite_db, start, end)
