"""Duty alerts: an URGENT item, created by any process through ``intake.submit``, reaches
the on-duty officer's Teams chat and the duty channel once, with no personal data."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import textwrap
import time
from pathlib import Path

from aiohttp.test_utils import TestClient
from sqlalchemy import text

from intake.officers import Actor
from intake.submit import Submission, submit
from intake.teams import TeamsDirectory
from store.engine import Database
from store.enums import Channel
from tests.conftest import add_officer
from tests.dialogs.harness import FakeTriager
from tests.teams.conftest import BASE_URL, post, wait_for
from tests.teams.fake_bot_framework import BOT_ID, FakeBotFramework
from triage.vocab import Suggestion

ROOT = Path(__file__).resolve().parents[2]
OFFICER_AAD = "0fff0000-1111-4222-8333-444444444444"
MANAGER_AAD = "0eee0000-1111-4222-8333-444444444444"
STRANGER_AAD = "0ddd0000-1111-4222-8333-444444444444"
OFFICER_CHAT = "a:1officer-personal-chat"
DUTY_CHANNEL = "19:duty@thread.tacv2"
NARRATIVE = (
    "Mr Zebedee Quill, the swimming coach at Larkspur Leisure Centre, is alone with "
    "Poppy Hartwell (7) in the car park now and she is screaming."
)
SECRETS = ("Zebedee", "Quill", "Larkspur", "Poppy", "Hartwell", "screaming", "jo@example.org")


async def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    async with db.session() as session:
        conn = await session.connection()
        return [tuple(r) for r in (await conn.execute(text(sql))).all()]


async def _urgent(db: Database) -> str:
    referral = await submit(
        db,
        FakeTriager(suggestion=Suggestion.URGENT, immediate_danger=True),
        Submission(
            channel=Channel.CHAT,
            narrative=NARRATIVE,
            known={"adult_name": "Zebedee Quill", "referrer_email": "jo@example.org"},
        ),
        actor=Actor.system("test"),
    )
    return referral.reference


async def _officer_on_duty(client: TestClient, fake: FakeBotFramework, db: Database) -> None:
    await add_officer(db, email="duty.officer@example.gov.uk")
    await TeamsDirectory(db).link_officer(
        "duty.officer@example.gov.uk", OFFICER_AAD, actor=Actor.system("test")
    )
    install = fake.activity(
        conversation_id=OFFICER_CHAT,
        aad=OFFICER_AAD,
        type="conversationUpdate",
        members_added=[BOT_ID],
    )
    assert (await post(client, fake, install)).status == 200
    duty = fake.activity(conversation_id=OFFICER_CHAT, aad=OFFICER_AAD, text="Register as duty")
    assert (await post(client, fake, duty)).status == 200
    assert "You are on duty" in fake.posted[-1].text


async def test_an_urgent_referral_alerts_the_officer_on_duty_once(
    client: TestClient, bot_framework: FakeBotFramework, sqlite_db: Database
) -> None:
    fake = bot_framework
    # someone whose Teams account nobody linked cannot put themselves on duty
    stranger = fake.activity(
        conversation_id="a:1stranger", aad=STRANGER_AAD, text="register as duty"
    )
    assert (await post(client, fake, stranger)).status == 200
    assert "Only LADO officers" in fake.posted[-1].text
    await _officer_on_duty(client, fake, sqlite_db)

    started = time.perf_counter()
    reference = await _urgent(sqlite_db)
    await wait_for(lambda: any(p.cards for p in fake.posted_to(OFFICER_CHAT)))
    print(f"alert posted {time.perf_counter() - started:.3f}s after submit (poll 0.1 s)")
    alert = next(p for p in fake.posted_to(OFFICER_CHAT) if p.cards)
    card = alert.cards[0]
    facts = {
        f["title"]: f["value"] for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]
    }
    assert facts["Reference"] == reference
    assert facts["Suggestion"].startswith("Urgent")
    assert "Respond by" in facts and "One working day" in facts
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Open in the queue",
            "url": f"{BASE_URL}/queue/{reference}",
        }
    ]
    assert "URGENT" in card["body"][0]["text"]
    posted = json.dumps(alert.activity)
    for secret in SECRETS:
        assert secret not in posted, secret

    # recorded as sent once; later passes send nothing more
    await asyncio.sleep(0.5)
    assert len([p for p in fake.posted_to(OFFICER_CHAT) if p.cards]) == 1
    rows = await _rows(sqlite_db, "SELECT status, attempts, activity_id FROM alert_delivery")
    assert len(rows) == 1 and rows[0][:2] == ("sent", 1) and rows[0][2]

    # a REFERRAL is not alerted unless LADO_TEAMS__ALERT_REFERRALS is on
    await submit(
        sqlite_db,
        FakeTriager(suggestion=Suggestion.REFERRAL),
        Submission(channel=Channel.FORM, narrative="A teacher grabbed a pupil."),
        actor=Actor.system("test"),
    )
    await asyncio.sleep(0.5)
    statuses = await _rows(sqlite_db, "SELECT reason, status FROM alert ORDER BY id")
    assert statuses == [("urgent", "routed"), ("referral", "skipped")]
    assert len([p for p in fake.posted_to(OFFICER_CHAT) if p.cards]) == 1

    # off duty: no more alerts to this chat
    off = fake.activity(conversation_id=OFFICER_CHAT, aad=OFFICER_AAD, text="stop duty alerts")
    assert (await post(client, fake, off)).status == 200
    await _urgent(sqlite_db)
    await asyncio.sleep(0.5)
    assert len([p for p in fake.posted_to(OFFICER_CHAT) if p.cards]) == 1
    assert (await _rows(sqlite_db, "SELECT status, unrouted FROM alert ORDER BY id DESC"))[0][
        0
    ] == "new"


async def test_duty_channel_gets_alerts_created_by_another_process(
    client: TestClient, bot_framework: FakeBotFramework, sqlite_db: Database, sqlite_url: str
) -> None:
    fake = bot_framework
    directory = TeamsDirectory(sqlite_db)
    await add_officer(sqlite_db, email="manager@example.gov.uk", role="manager")
    await add_officer(sqlite_db, email="officer@example.gov.uk", role="officer")
    await directory.link_officer("manager@example.gov.uk", MANAGER_AAD, actor=Actor.system("t"))
    await directory.link_officer("officer@example.gov.uk", OFFICER_AAD, actor=Actor.system("t"))
    team = {"id": "19:team@thread.tacv2", "name": "LADO duty team"}
    added = fake.activity(
        kind="channel",
        conversation_id=DUTY_CHANNEL,
        aad=MANAGER_AAD,
        type="conversationUpdate",
        team=team,
        members_added=[BOT_ID],
    )
    assert (await post(client, fake, added)).status == 200
    assert "register duty channel" in fake.posted[-1].text

    def command(aad: str) -> dict[str, object]:
        return fake.activity(
            kind="channel",
            conversation_id=f"{DUTY_CHANNEL};messageid=17000000{aad[:2]}",
            aad=aad,
            text="register duty channel",
            mention=True,
            team=team,
        )

    assert (await post(client, fake, command(OFFICER_AAD))).status == 200
    assert "Only a LADO manager or administrator" in fake.posted[-1].text
    assert (await post(client, fake, command(MANAGER_AAD))).status == 200
    assert "now the LADO duty channel" in fake.posted[-1].text

    # an URGENT email referral filed by a separate process (as `lado poll` would)
    script = textwrap.dedent(
        f"""
        import asyncio
        from intake.officers import Actor
        from intake.submit import Submission, submit
        from store.engine import Database
        from store.enums import Channel
        from tests.dialogs.harness import FakeTriager
        from triage.vocab import Suggestion

        async def main():
            db = Database({sqlite_url!r})
            referral = await submit(
                db,
                FakeTriager(suggestion=Suggestion.URGENT),
                Submission(channel=Channel.EMAIL, narrative={NARRATIVE!r}),
                actor=Actor.system("poll"),
            )
            print(referral.reference)
            await db.dispose()

        asyncio.run(main())
        """
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        script,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()[-2000:]
    reference = out.decode().strip().splitlines()[-1]

    await wait_for(lambda: any(p.cards for p in fake.posted_to(DUTY_CHANNEL)))
    alert = next(p for p in fake.posted_to(DUTY_CHANNEL) if p.cards)
    assert alert.reply_to is None  # a new post in the channel, not a reply in a thread
    assert reference in json.dumps(alert.cards[0])
    assert "by email" in json.dumps(alert.cards[0])
    for secret in SECRETS:
        assert secret not in json.dumps(alert.activity)


async def test_a_removed_app_gets_no_alerts(
    client: TestClient, bot_framework: FakeBotFramework, sqlite_db: Database
) -> None:
    fake = bot_framework
    await _officer_on_duty(client, fake, sqlite_db)
    removed = fake.activity(
        conversation_id=OFFICER_CHAT, aad=OFFICER_AAD, type="installationUpdate"
    )
    removed["action"] = "remove"
    assert (await post(client, fake, removed)).status == 200
    await _urgent(sqlite_db)
    await asyncio.sleep(0.5)
    assert not [p for p in fake.posted_to(OFFICER_CHAT) if p.cards]
    assert (await _rows(sqlite_db, "SELECT status FROM alert"))[0][0] == "new"
