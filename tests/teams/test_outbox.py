"""The alert outbox on SQLite and PostgreSQL: written with the referral, routed, claimed
by one sender only, retried with back-off, failed for good when retrying cannot help."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from bot.teams.activity import DeliveryError, Outbound
from bot.teams.sender import AlertSender
from intake import alerts
from intake.alerts import Outbox
from intake.officers import Actor
from intake.submit import Submission, submit
from intake.teams import Place, TeamsDirectory
from store.engine import Database
from store.enums import Channel, Kind
from tests.conftest import add_officer, add_referral
from tests.dialogs.harness import AUTHORITY, FakeTriager
from triage.vocab import Suggestion

T0 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
AAD = "0aaa0000-1111-4222-8333-444444444444"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


class Connector:
    """Records posts; fails the first ``fail`` of them with ``error``."""

    def __init__(self, fail: int = 0, error: DeliveryError | None = None, delay: float = 0.0):
        self.fail = fail
        self.error = error or DeliveryError("http_502")
        self.delay = delay
        self.posts: list[tuple[str, Outbound]] = []

    async def __call__(self, reference: dict[str, Any], message: Outbound) -> str | None:
        await asyncio.sleep(self.delay)
        if self.fail:
            self.fail -= 1
            raise self.error
        self.posts.append((reference["conversation"]["id"], message))
        return f"1:{len(self.posts)}"


async def _rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    async with db.session() as session:
        conn = await session.connection()
        return [tuple(r) for r in (await conn.execute(text(sql))).all()]


async def _target(db: Database, key: str = "a:1duty-officer") -> None:
    directory = TeamsDirectory(db)
    await add_officer(db, email="duty@example.gov.uk")
    await directory.link_officer("duty@example.gov.uk", AAD, actor=Actor.system("t"))
    target = await directory.seen(
        Place(
            conversation_key=key,
            kind="personal",
            service_url="https://smba.trafficmanager.net/uk/",
            reference={"conversation": {"id": key}},
            aad_object_id=AAD,
        )
    )
    await directory.set_duty(AAD, target, on=True)


def _outbox(db: Database, clock: Clock, **kw: Any) -> Outbox:
    settings: dict[str, Any] = {
        "include_referrals": False,
        "max_age": dt.timedelta(hours=24),
        "max_attempts": 3,
        "clock": clock,
        **kw,
    }
    return Outbox(db, AUTHORITY, **settings)


async def _urgent(db: Database, clock: Clock) -> str:
    referral = await add_referral(
        db, triage_suggestion="URGENT", immediate_danger=True, received_at=clock.now
    )
    async with db.transaction() as session:
        await alerts.enqueue(session, referral, now=clock.now)
        await alerts.enqueue(session, referral, now=clock.now)  # idempotent
    return str(referral.reference)


async def test_reasons() -> None:
    from store.models import Referral

    def r(**kw: Any) -> Referral:
        return Referral(reference="LADO-2026-000001", **kw)

    assert alerts.reason_for(r(triage_suggestion="URGENT")) == "urgent"
    assert alerts.reason_for(r(triage_suggestion="ADVICE", immediate_danger=True)) == "urgent"
    assert alerts.reason_for(r(triage_suggestion="REFERRAL")) == "referral"
    assert alerts.reason_for(r(triage_suggestion="CONSULTATION")) is None
    assert alerts.reason_for(r(triage_suggestion="URGENT", demo=True)) is None
    assert alerts.reason_for(r(kind=Kind.CALLBACK.value, immediate_danger=True)) is None


async def test_the_alert_is_written_with_the_referral(db: Database) -> None:
    referral = await submit(
        db,
        FakeTriager(suggestion=Suggestion.URGENT),
        Submission(channel=Channel.CHAT, narrative="A child is in danger now."),
        actor=Actor.system("test"),
    )
    assert await _rows(db, "SELECT referral_id, reason, status FROM alert") == [
        (referral.id, "urgent", "new")
    ]
    await submit(
        db,
        FakeTriager(suggestion=Suggestion.ADVICE),
        Submission(channel=Channel.CHAT, narrative="A question about a policy."),
        actor=Actor.system("test"),
    )
    assert len(await _rows(db, "SELECT id FROM alert")) == 1


async def test_retried_with_back_off_then_sent_once(db: Database) -> None:
    clock = Clock()
    await _target(db)
    await _urgent(db, clock)
    connector = Connector(fail=2)
    sender = AlertSender(
        _outbox(db, clock), connector, base_url="https://x.example", poll_seconds=1
    )
    assert await sender.run_once() == 1  # attempt 1 fails
    row = (await _rows(db, "SELECT status, attempts, last_error FROM alert_delivery"))[0]
    assert row == ("pending", 1, "http_502")
    assert await sender.run_once() == 0  # not due yet
    clock.now += alerts.backoff(1) + dt.timedelta(seconds=1)
    assert await sender.run_once() == 1  # attempt 2 fails: waits twice as long
    clock.now += alerts.backoff(1) + dt.timedelta(seconds=1)
    assert await sender.run_once() == 0
    clock.now += alerts.backoff(2)
    assert await sender.run_once() == 1  # attempt 3 succeeds
    assert await _rows(db, "SELECT status, attempts, last_error FROM alert_delivery") == [
        ("sent", 3, None)
    ]
    clock.now += dt.timedelta(hours=1)
    assert await sender.run_once() == 0
    assert len(connector.posts) == 1


async def test_gives_up_after_max_attempts_and_on_permanent_errors(db: Database) -> None:
    clock = Clock()
    await _target(db)
    await _urgent(db, clock)
    sender = AlertSender(
        _outbox(db, clock, max_attempts=2), Connector(fail=5), base_url="https://x", poll_seconds=1
    )
    await sender.run_once()
    clock.now += dt.timedelta(hours=1)
    await sender.run_once()
    assert (await _rows(db, "SELECT status, attempts FROM alert_delivery"))[0] == ("failed", 2)
    # the bot was removed from the chat: permanent, and the chat is no longer a target
    await _urgent(db, clock)
    gone = Connector(fail=1, error=DeliveryError("http_403", permanent=True, gone=True))
    sender = AlertSender(_outbox(db, clock), gone, base_url="https://x", poll_seconds=1)
    await sender.run_once()
    rows = await _rows(db, "SELECT status, attempts, last_error FROM alert_delivery ORDER BY id")
    assert rows[-1] == ("failed", 1, "http_403")
    assert await _rows(db, "SELECT installed FROM teams_conversation") == [(False,)]


async def test_two_senders_never_send_one_twice(db: Database) -> None:
    clock = Clock()
    await _target(db)
    for _ in range(4):
        await _urgent(db, clock)
    connector = Connector(delay=0.05)
    senders = [
        AlertSender(_outbox(db, clock), connector, base_url="https://x", poll_seconds=1)
        for _ in range(3)
    ]
    for _ in range(3):
        await asyncio.gather(*(s.run_once() for s in senders))
    assert len(connector.posts) == 4
    assert await _rows(db, "SELECT count(*), min(attempts), max(attempts) FROM alert_delivery") == [
        (4, 1, 1)
    ]


async def test_a_lapsed_claim_is_taken_over(db: Database) -> None:
    clock = Clock()
    await _target(db)
    await _urgent(db, clock)
    outbox = _outbox(db, clock, lease=dt.timedelta(minutes=2))
    assert await outbox.route() == 1
    claimed = await outbox.claim()
    assert len(claimed) == 1 and await outbox.claim() == []  # held by the first sender
    clock.now += dt.timedelta(minutes=3)  # ...which died mid-send
    again = await outbox.claim()
    assert [d.attempt for d in again] == [2]
    await outbox.sent(again[0], activity_id="1:x")
    await outbox.sent(claimed[0], activity_id="1:y")  # the stale claim records nothing
    assert await _rows(db, "SELECT status, activity_id FROM alert_delivery") == [("sent", "1:x")]


async def test_unrouted_until_someone_is_on_duty_and_expired_when_too_old(db: Database) -> None:
    clock = Clock()
    await _urgent(db, clock)
    outbox = _outbox(db, clock)
    assert await outbox.route() == 0
    assert await _rows(db, "SELECT status, unrouted FROM alert") == [("new", 1)]
    await _target(db)
    assert await outbox.route() == 1
    await _urgent(db, clock)
    clock.now += dt.timedelta(hours=25)
    assert await outbox.route() == 0
    assert (await _rows(db, "SELECT status FROM alert ORDER BY id"))[-1] == ("expired",)
    # the routed one was never delivered in time either
    assert await outbox.claim() == []
    assert await _rows(db, "SELECT status, last_error FROM alert_delivery") == [
        ("failed", "expired")
    ]


@pytest.mark.parametrize("include", [False, True])
async def test_referrals_alerted_only_when_asked(db: Database, include: bool) -> None:
    clock = Clock()
    await _target(db)
    referral = await add_referral(db, triage_suggestion="REFERRAL", received_at=clock.now)
    async with db.transaction() as session:
        await alerts.enqueue(session, referral, now=clock.now)
    connector = Connector()
    outbox = _outbox(db, clock, include_referrals=include)
    await AlertSender(outbox, connector, base_url="https://x", poll_seconds=1).run_once()
    assert len(connector.posts) == (1 if include else 0)
    card = connector.posts[0][1].card if include else None
    if card is not None:
        assert "New referral" in card["body"][0]["text"]
