"""Submitting from a channel: known details win over extraction; messages are linked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import text

from intake.officers import Actor
from intake.submit import Submission, submit
from store import audit
from store.engine import Database
from store.enums import Channel, Direction, Kind
from store.models import MessageCreate
from store.repo import messages as message_repo
from store.repo.referrals import children_of
from triage.result import Evidence, ExtractedFields, TriageResult
from triage.vocab import Category, Criterion, Suggestion

RECEIVED = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
TEXT = "Mr Dean, a PE teacher at Oakfield, grabbed a Year 4 boy (aged 8) yesterday."


class FixedTriager:
    """Returns a fixed result and records what it was asked."""

    def __init__(self, **fields: Any) -> None:
        start = TEXT.index("grabbed")
        self.result = TriageResult(
            suggestion=Suggestion.REFERRAL,
            criteria=[Criterion.HARMED],
            categories=[Category.PHYSICAL],
            evidence=[
                Evidence(label="criterion:harmed", start=start, end=start + 7, text="grabbed")
            ],
            rationale="Physical harm alleged against a PE teacher.",
            fields=ExtractedFields(
                adult_name="Mr Dean",
                adult_role="PE teacher",
                employer="Oakfield",
                sector="education",
                children_ages=[8],
                incident_date=dt.date(2026, 11, 22),
                **fields,
            ),
            missing=["adult_dob"],
            confidence=0.8,
            rules_version="test",
        )
        self.calls: list[Mapping[str, Any] | None] = []

    async def assess(
        self,
        text: str,
        *,
        known: Mapping[str, Any] | None = None,
        received_at: dt.datetime | None = None,
    ) -> TriageResult:
        self.calls.append(known)
        return self.result


async def test_known_details_win_and_triage_fills_the_rest(db: Database) -> None:
    triager = FixedTriager()
    known = {
        "adult_name": "David Dean",
        "adult_dob": "unknown",
        "referrer_contact": "dsl@oakfield.sch.uk",
        "aware_date": dt.date(2026, 11, 23),
    }
    referral = await submit(
        db,
        triager,
        Submission(channel=Channel.CHAT, narrative=TEXT, received_at=RECEIVED, known=known),
        actor=Actor.system("chat"),
    )
    assert triager.calls == [known]
    assert referral.adult_name == "David Dean"  # told, wins over "Mr Dean"
    assert referral.adult_role == "PE teacher"  # extracted
    assert referral.adult_dob is None and referral.details["adult_dob"] == "unknown"
    assert referral.referrer_email == "dsl@oakfield.sch.uk"
    assert referral.incident_on == dt.date(2026, 11, 22)
    assert referral.aware_at is not None and referral.aware_at.date() == dt.date(2026, 11, 23)
    assert referral.triage_suggestion == "REFERRAL"
    assert referral.triage_evidence[0]["text"] == "grabbed"
    assert referral.priority == 1
    async with db.session() as session:
        kids = await children_of(session, referral_id=referral.id)
        assert [k.age for k in kids] == [8]
        verification = await audit.verify(session)
    assert verification.ok and verification.events == 1


async def test_messages_of_the_conversation_are_linked(db: Database) -> None:
    async with db.transaction() as session:
        stored = await message_repo.add_message(
            session,
            data=MessageCreate(
                channel="chat", direction=Direction.IN.value, body_text=TEXT, conversation_id="c-1"
            ),
        )
    referral = await submit(
        db,
        FixedTriager(),
        Submission(
            channel=Channel.CHAT,
            narrative=TEXT,
            received_at=RECEIVED,
            conversation_id="c-1",
            new_messages=[MessageCreate(channel="chat", direction="out", body_text="Thank you.")],
        ),
        actor=Actor.system("chat"),
    )
    async with db.session() as session:
        linked = await message_repo.messages_of_conversation(session, conversation_id="c-1")
    assert [m.referral_id for m in linked] == [referral.id, referral.id]
    assert linked[0].id == stored.id


async def test_non_concerns_are_not_triaged(db: Database) -> None:
    triager = FixedTriager()
    referral = await submit(
        db,
        triager,
        Submission(channel=Channel.EMAIL, narrative="", kind=Kind.QUARANTINE, received_at=RECEIVED),
        actor=Actor.system("poller"),
    )
    assert triager.calls == []
    assert referral.kind == "quarantine" and referral.triage_suggestion is None


async def test_immediate_danger_from_a_person_makes_it_urgent(db: Database) -> None:
    referral = await submit(
        db,
        FixedTriager(),
        Submission(channel=Channel.CHAT, narrative=TEXT, known={"immediate_danger": True}),
        actor=Actor.system("chat"),
    )
    assert referral.immediate_danger and referral.priority == 0


async def test_over_long_details_are_refused_without_writing(db: Database) -> None:
    import pytest

    from intake.errors import Invalid

    with pytest.raises(Invalid):
        await submit(
            db,
            FixedTriager(),
            Submission(channel=Channel.FORM, narrative=TEXT, known={"adult_name": "x" * 500}),
            actor=Actor.system("form"),
        )
    async with db.session() as session:
        conn = await session.connection()
        assert (await conn.execute(text("SELECT count(*) FROM referral"))).scalar_one() == 0
