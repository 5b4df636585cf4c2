"""The hash-chained audit log (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from store import audit
from store.engine import Database


async def _events(db: Database, n: int) -> None:
    for i in range(n):
        async with db.transaction() as session:
            await audit.append(
                session, actor="system:test", action="view", referral_id=i, detail={"i": i}
            )


async def test_chain_verifies_and_head_moves(db: Database) -> None:
    async with db.session() as session:
        empty = await audit.verify(session)
    assert empty.ok and empty.events == 0 and empty.head.hash == audit.GENESIS
    await _events(db, 5)
    async with db.session() as session:
        result = await audit.verify(session)
        head = await audit.head(session)
    assert result.ok
    assert result.events == 5
    assert head.seq == 5 and head.hash == result.head.hash != audit.GENESIS


async def test_rows_cannot_be_updated_or_deleted(db: Database) -> None:
    await _events(db, 1)
    for statement in ("UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(Exception, match="append-only"):
            async with db.transaction() as session:
                await (await session.connection()).execute(text(statement))


async def _tamper(db: Database, statement: str) -> None:
    """Bypass the append-only guard as an attacker with DDL rights would."""
    async with db.transaction() as session:
        if db.is_sqlite:
            await (await session.connection()).execute(text("DROP TRIGGER audit_event_no_update"))
            await (await session.connection()).execute(text("DROP TRIGGER audit_event_no_delete"))
        else:
            await (await session.connection()).execute(
                text("ALTER TABLE audit_event DISABLE TRIGGER USER")
            )
        await (await session.connection()).execute(text(statement))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'decide' WHERE seq = 2",
        "UPDATE audit_event SET detail = '{\"i\": 9}' WHERE seq = 3",
        "DELETE FROM audit_event WHERE seq = 2",
    ],
)
async def test_tampering_is_detected(db: Database, statement: str) -> None:
    await _events(db, 4)
    await _tamper(db, statement)
    async with db.session() as session:
        result = await audit.verify(session)
    assert not result.ok
    assert result.bad_seq in (2, 3)


async def test_expected_head_must_remain_in_the_chain(db: Database) -> None:
    await _events(db, 3)
    async with db.session() as session:
        kept = (await audit.head(session)).hash
    await _events(db, 2)
    async with db.session() as session:
        assert (await audit.verify(session, expect_head=kept)).ok
        assert not (await audit.verify(session, expect_head="f" * 64)).ok


async def test_detail_takes_only_json_scalars(db: Database) -> None:
    with pytest.raises(TypeError, match="JSON scalars"):
        async with db.transaction() as session:
            await audit.append(session, actor="t", action="x", detail={"obj": object()})
