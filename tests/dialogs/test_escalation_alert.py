"""A danger signal after a report was sent escalates it, and the duty alert follows."""

from __future__ import annotations

from sqlalchemy import text

from store.engine import Database
from tests.dialogs.harness import ACCOUNT, Chat, FakeTriager, answer_everything, make_engine
from triage.vocab import Suggestion


async def _alerts(db: Database) -> list[tuple[int, str]]:
    async with db.session() as session:
        conn = await session.connection()
        rows = await conn.execute(text("SELECT referral_id, reason FROM alert ORDER BY id"))
        return [(r[0], r[1]) for r in rows]


async def test_danger_after_submission_queues_an_urgent_alert(db: Database) -> None:
    chat = Chat(make_engine(db, FakeTriager(suggestion=Suggestion.ADVICE)))
    await chat.start()
    await chat.send("no")
    await chat.send(ACCOUNT)
    await answer_everything(chat)
    done = await chat.send("submit")
    assert done.done and done.reference
    assert await _alerts(db) == []  # advice: nobody is paged
    await chat.send("He has just turned up at her house and is with her right now")
    alerts = await _alerts(db)
    assert len(alerts) == 1
    assert alerts[0][1] == "urgent"
