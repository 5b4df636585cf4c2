"""Two officers racing for the same item, on PostgreSQL with concurrent sessions."""

from __future__ import annotations

import asyncio

import pytest

from intake import review, review_views
from intake.errors import Conflict
from intake.officers import Actor
from store.engine import Database
from store.enums import Decision
from tests.conftest import add_officer, add_referral

pytestmark = pytest.mark.postgres


async def _actors(pg_db: Database, n: int) -> list[Actor]:
    return [Actor.of(await add_officer(pg_db, f"o{i}@example.gov.uk")) for i in range(n)]


async def test_only_one_of_many_concurrent_claims_wins(pg_url: str, pg_db: Database) -> None:
    referral = await add_referral(pg_db)
    actors = await _actors(pg_db, 8)
    # each officer uses its own engine (its own connections), as separate processes would
    dbs = [Database(pg_url) for _ in actors]
    try:
        results = await asyncio.gather(
            *(
                review.claim(db, actor=a, reference=referral.reference, version=1)
                for db, a in zip(dbs, actors, strict=True)
            ),
            return_exceptions=True,
        )
    finally:
        for db in dbs:
            await db.dispose()
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1
    assert all(isinstance(e, Conflict) for e in losers)
    async with pg_db.session() as session:
        from store.repo.referrals import get_by_reference

        row = await get_by_reference(session, reference=referral.reference)
    assert row.claimed_by_id == winners[0].claimed_by_id
    assert row.version == 2


async def test_concurrent_decisions_on_the_same_version(pg_url: str, pg_db: Database) -> None:
    referral = await add_referral(pg_db)
    managers = [
        Actor.of(await add_officer(pg_db, f"m{i}@example.gov.uk", "manager")) for i in range(4)
    ]
    dbs = [Database(pg_url) for _ in managers]
    try:
        results = await asyncio.gather(
            *(
                review.decide(
                    db,
                    actor=m,
                    reference=referral.reference,
                    version=1,
                    decision=Decision.REFERRAL,
                    reason="",
                )
                for db, m in zip(dbs, managers, strict=True)
            ),
            return_exceptions=True,
        )
    finally:
        for db in dbs:
            await db.dispose()
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))


async def test_audit_chain_stays_linear_under_concurrent_writers(
    pg_url: str, pg_db: Database
) -> None:
    from store import audit

    referrals = [await add_referral(pg_db) for _ in range(5)]
    actor = Actor.of(await add_officer(pg_db, "viewer@example.gov.uk"))
    dbs = [Database(pg_url) for _ in range(5)]
    try:
        await asyncio.gather(
            *(
                review_views.view(db, actor=actor, reference=r.reference)
                for db in dbs
                for r in referrals
            )
        )
    finally:
        for db in dbs:
            await db.dispose()
    async with pg_db.session() as session:
        result = await audit.verify(session)
    assert result.ok, result.problem
    assert result.events >= 26
