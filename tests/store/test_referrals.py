"""Store tests: each runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from store.engine import Database
from store.errors import AlreadyClaimed, StaleVersion
from store.models import Referral, ReferralCreate
from store.repo import referrals as repo
from store.repo.referrals import QueueFilter
from tests.conftest import NOW, add_referral


async def test_reference_numbers_count_up_per_year(db: Database) -> None:
    first = await add_referral(db)
    second = await add_referral(db)
    next_year = await add_referral(db, received_at=dt.datetime(2027, 1, 2, 9, tzinfo=dt.UTC))
    assert first.reference == "LADO-2026-000001"
    assert second.reference == "LADO-2026-000002"
    assert next_year.reference == "LADO-2027-000001"


async def test_timestamps_come_back_timezone_aware_utc(db: Database) -> None:
    bst = dt.timezone(dt.timedelta(hours=1))
    row = await add_referral(db, received_at=dt.datetime(2026, 6, 1, 10, 30, tzinfo=bst))
    async with db.session() as session:
        loaded = await repo.get_by_reference(session, reference=row.reference)
    assert loaded.received_at.tzinfo is not None
    assert loaded.received_at == dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.UTC)
    assert loaded.received_at.utcoffset() == dt.timedelta(0)


async def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"):
        await add_referral(db, aware_at=dt.datetime(2026, 1, 1, 9))
    async with db.session() as session:
        count = (
            await (await session.connection()).execute(text("SELECT count(*) FROM referral"))
        ).scalar_one()
    assert count == 0


async def test_over_long_fields_are_refused_before_writing(db: Database) -> None:
    with pytest.raises(ValueError, match="adult_name"):
        await add_referral(db, adult_name="x" * 201)
    async with db.session() as session:
        assert (
            await (await session.connection()).execute(text("SELECT count(*) FROM referral"))
        ).scalar_one() == 0


async def test_queue_order_urgent_then_working_day_clock_then_age(db: Database) -> None:
    # aware on Friday 20 Nov 2026 (two working days before Tuesday 24th)
    old_aware = await add_referral(
        db, aware_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), received_at=NOW
    )
    # aware the same working day as the next, but received earlier: age breaks the tie
    same_day_early = await add_referral(db, aware_at=NOW, received_at=NOW - dt.timedelta(hours=2))
    same_day_late = await add_referral(db, aware_at=NOW, received_at=NOW)
    urgent = await add_referral(db, triage_suggestion="URGENT", aware_at=NOW)
    decided = await add_referral(db, aware_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    async with db.transaction() as session:
        await repo.update_referral(
            session, referral_id=decided.id, expected_version=1, values={"status": "decided"}
        )
    async with db.session() as session:
        rows, total = await repo.queue_page(session, filters=QueueFilter())
    assert [r.reference for r in rows] == [
        urgent.reference,
        old_aware.reference,
        same_day_early.reference,
        same_day_late.reference,
    ]
    assert total == 4


async def test_queue_filters(db: Database) -> None:
    await add_referral(db, channel="email", sector="health", triage_suggestion="ADVICE")
    chat = await add_referral(db, channel="chat", sector="education")
    async with db.session() as session:
        rows, _ = await repo.queue_page(session, filters=QueueFilter(channel="chat"))
        assert [r.reference for r in rows] == [chat.reference]
        rows, _ = await repo.queue_page(session, filters=QueueFilter(suggestion="ADVICE"))
        assert [r.channel for r in rows] == ["email"]
        rows, _ = await repo.queue_page(session, filters=QueueFilter(sector="fostering"))
        assert rows == []


async def test_versioned_update_refuses_a_stale_version(db: Database) -> None:
    row = await add_referral(db)
    async with db.transaction() as session:
        updated = await repo.update_referral(
            session, referral_id=row.id, expected_version=1, values={"location": "hall"}
        )
    assert updated.version == 2
    with pytest.raises(StaleVersion):
        async with db.transaction() as session:
            await repo.update_referral(
                session, referral_id=row.id, expected_version=1, values={"location": "gym"}
            )
    async with db.session() as session:
        assert (await repo.get_by_id(session, referral_id=row.id)).location == "hall"


async def test_claim_requires_unclaimed(db: Database) -> None:
    from tests.conftest import add_officer

    first = await add_officer(db, "a@example.gov.uk")
    second = await add_officer(db, "b@example.gov.uk")
    row = await add_referral(db)
    async with db.transaction() as session:
        await repo.update_referral(
            session,
            referral_id=row.id,
            expected_version=1,
            values={"claimed_by_id": first.id},
            require_unclaimed=True,
        )
    with pytest.raises((AlreadyClaimed, StaleVersion)):
        async with db.transaction() as session:
            await repo.update_referral(
                session,
                referral_id=row.id,
                expected_version=2,
                values={"claimed_by_id": second.id},
                require_unclaimed=True,
            )


async def test_changing_derived_fields_updates_keys(db: Database) -> None:
    row = await add_referral(db, triage_suggestion="ADVICE")
    assert row.priority == 1
    async with db.transaction() as session:
        updated = await repo.update_referral(
            session,
            referral_id=row.id,
            expected_version=1,
            values={"immediate_danger": True, "adult_employer": "St Mary's CE Academy"},
        )
    assert updated.priority == 0
    assert updated.adult_employer_key == "st mary s"


async def test_children_are_stored_in_order(db: Database) -> None:
    from store.models import ChildCreate

    row = await add_referral(db, children=[ChildCreate(name="B", age=9), ChildCreate(name="C")])
    async with db.session() as session:
        kids = await repo.children_of(session, referral_id=row.id)
    assert [(k.name, k.age) for k in kids] == [("B", 9), ("C", None)]


async def test_previous_concerns_rank_and_explain(db: Database) -> None:
    target = await add_referral(
        db,
        adult_name="Jonathan Smith",
        adult_dob=dt.date(1980, 5, 1),
        adult_employer="Oakfield Primary School",
    )
    same = await add_referral(
        db,
        adult_name="Jon Smyth",
        adult_dob=dt.date(1980, 5, 1),
        adult_employer="Oakfield Primary",
    )
    similar = await add_referral(db, adult_name="John Smith", adult_employer="Riverside Academy")
    other_dob = await add_referral(db, adult_name="Jonathan Smith", adult_dob=dt.date(1991, 2, 2))
    await add_referral(db, adult_name="Jon Smithers", adult_dob=dt.date(1975, 1, 1))
    await add_referral(db, adult_name="Priya Patel")
    async with db.session() as session:
        matches = await repo.previous_concerns(session, referral=target)
    refs = [m.candidate.reference for m in matches]
    # same person first; a same-name, different-birthday record is shown last with a caveat;
    # an unrelated name, and a similar name with a different birthday, are not shown
    assert refs == [same.reference, similar.reference, other_dob.reference]
    assert "same date of birth" in matches[0].reasons
    assert "same employer" in matches[0].reasons
    assert "but a different date of birth" in matches[2].reasons


def test_referral_create_has_max_lengths() -> None:
    with pytest.raises(ValueError, match="referrer_email"):
        ReferralCreate(referrer_email="a" * 400)
    assert Referral.model_fields["reference"].metadata
