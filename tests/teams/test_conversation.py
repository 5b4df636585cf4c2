"""A referral made inside Teams, over real HTTP: the Bot Framework (a local fake) posts
activities to /api/messages with signed tokens; the bot's replies arrive at the fake
Bot Connector; the report lands in the officer queue like any other."""

from __future__ import annotations

import time
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import text

from store.engine import Database
from tests.bot.webtools import login
from tests.conftest import add_officer
from tests.dialogs.harness import ANSWERS
from tests.teams.conftest import post, state_of
from tests.teams.fake_bot_framework import BOT_ID, OUT_TOKEN, FakeBotFramework

CHAT = "a:1referrer-personal-chat"
REFERRER = "aaaaaaaa-1111-4222-8333-444444444444"


async def _say(
    client: TestClient, fake: FakeBotFramework, text: str = "", value: dict[str, Any] | None = None
) -> list[Any]:
    before = len(fake.posted)
    activity = fake.activity(conversation_id=CHAT, aad=REFERRER, text=text, value=value)
    response = await post(client, fake, activity)
    assert response.status == 200, await response.text()
    return fake.posted[before:]


async def _count(db: Database, sql: str) -> int:
    async with db.session() as session:
        conn = await session.connection()
        return int((await conn.execute(text(sql))).scalar_one())


async def test_a_referral_completed_inside_teams_reaches_the_queue(
    client: TestClient, bot_framework: FakeBotFramework, sqlite_db: Database
) -> None:
    fake = bot_framework
    # the referrer installs the app: a welcome, and the chat is remembered
    install = fake.activity(
        conversation_id=CHAT, aad=REFERRER, type="conversationUpdate", members_added=[BOT_ID]
    )
    assert (await post(client, fake, install)).status == 200
    assert "report of a concern" in fake.posted[-1].text.lower()

    started = time.perf_counter()
    replies = await _say(client, fake, "hello")
    assert replies and all(p.conversation_id == CHAT for p in replies)
    assert all(p.authorization == f"Bearer {OUT_TOKEN}" for p in replies)
    first = replies[-1]
    assert "immediate danger" in first.text.lower()
    assert {"yes", "no"} <= set(first.suggested)  # choices as suggested actions

    turns = 1
    for _ in range(60):
        state = await state_of(sqlite_db, CHAT)
        if state["step"] != "ask":
            break
        await _say(client, fake, ANSWERS[state["current"]])
        turns += 1
    assert state["step"] == "confirm"

    # check your answers: an Adaptive Card whose buttons are structured submits
    card = fake.posted[-1].cards[0]
    assert card["type"] == "AdaptiveCard" and "Check your answers" in str(card["body"])
    assert "David Dean" in str(card["body"])
    assert {"choice": "submit"} in [a["data"] for a in card["actions"]]
    assert card["fallbackText"].startswith("Please check your answers")

    # Action.Submit arrives as a message with empty text and a value: change an answer
    changed = await _say(client, fake, "", {"command": "change", "key": "adult_role"})
    assert "role" in changed[-1].text.lower()
    await _say(client, fake, "PE and games teacher")
    assert (await state_of(sqlite_db, CHAT))["step"] == "confirm"
    assert "PE and games teacher" in str(fake.posted[-1].cards[0]["body"])

    # send it, from the card (the choice list's value comes along, empty)
    done = await _say(client, fake, "", {"choice": "submit", "key": ""})
    turns += 3
    elapsed = time.perf_counter() - started
    reference = (await state_of(sqlite_db, CHAT))["reference"]
    assert reference.startswith("LADO-")
    assert any(reference in p.text for p in done)
    print(
        f"teams round trip: {turns} turns in {elapsed:.2f}s ({elapsed / turns * 1000:.0f} ms/turn)"
    )

    # the same store as every channel: a Teams referral, its whole transcript linked
    async with sqlite_db.session() as session:
        conn = await session.connection()
        channel, adult_role = (
            await conn.execute(
                text("SELECT channel, adult_role FROM referral WHERE reference = :r"),
                {"r": reference},
            )
        ).one()
    assert channel == "teams" and adult_role == "PE and games teacher"
    assert await _count(sqlite_db, "SELECT count(*) FROM message WHERE channel = 'teams'") > 40
    assert (
        await _count(
            sqlite_db,
            "SELECT count(*) FROM conversation_state WHERE user_key = 'aad:" + REFERRER + "'",
        )
        == 1
    )

    # and it is in the officer queue
    await add_officer(sqlite_db, email="duty@example.gov.uk")
    await login(client, "duty@example.gov.uk")
    queue = await client.get("/queue")
    assert queue.status == 200
    assert reference in await queue.text()

    # anything more is added to the report; "new report" then starts another one
    more = await _say(client, fake, "He has also been seen with the boy after school.")
    assert reference in more[-1].text
    fresh = await _say(client, fake, "new report")
    assert "immediate danger" in fresh[-1].text.lower()
    assert (await state_of(sqlite_db, CHAT))["step"] == "ask"


async def test_a_first_message_with_the_account_is_kept(
    client: TestClient, bot_framework: FakeBotFramework, sqlite_db: Database
) -> None:
    replies = await _say(client, bot_framework, "A teacher grabbed a pupil's arm today.")
    texts = " ".join(p.text for p in replies)
    assert "welcome" in texts.lower()
    async with sqlite_db.session() as session:
        conn = await session.connection()
        stored = (
            (
                await conn.execute(
                    text(
                        "SELECT body_text FROM message WHERE direction = 'in' AND channel = 'teams'"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert "A teacher grabbed a pupil's arm today." in stored


async def test_channels_take_no_reports(
    client: TestClient, bot_framework: FakeBotFramework, sqlite_db: Database
) -> None:
    channel = "19:duty@thread.tacv2;messageid=1700000000000"
    activity = bot_framework.activity(
        kind="channel",
        conversation_id=channel,
        text="A teacher hit a child",
        mention=True,
        team={"id": "19:team@thread.tacv2", "name": "LADO team"},
    )
    response = await post(client, bot_framework, activity)
    assert response.status == 200
    reply = bot_framework.posted[-1]
    assert "private chat" in reply.text
    assert reply.conversation_id == channel  # a reply in the thread
    assert await _count(sqlite_db, "SELECT count(*) FROM conversation_state") == 0
    assert await _count(sqlite_db, "SELECT count(*) FROM message") == 0


async def test_a_failed_reply_does_not_lose_the_turn(
    client: TestClient, bot_framework: FakeBotFramework, sqlite_db: Database
) -> None:
    await _say(client, bot_framework, "hello")
    bot_framework.fail_next = [502, 502]  # the reply and the apology both fail
    activity = bot_framework.activity(conversation_id=CHAT, aad=REFERRER, text="no")
    response = await post(client, bot_framework, activity)
    assert response.status == 200
    assert (await state_of(sqlite_db, CHAT))["current"] == "what_happened"
    stored = await _count(
        sqlite_db, "SELECT count(*) FROM message WHERE direction = 'in' AND body_text = 'no'"
    )
    assert stored == 1
