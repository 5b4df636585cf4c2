"""A transcript harness for the dialog engine: send a line, expect words in the reply."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dialogs.engine import Engine
from dialogs.reply import Reply
from intake.config import AuthoritySettings
from intake.conversations import Conversations
from store.engine import Database
from triage.result import Evidence, ExtractedFields, TriageResult
from triage.vocab import Category, Criterion, Suggestion

#: a Wednesday morning in November (London = UTC)
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
AUTHORITY = AuthoritySettings(
    name="Testshire Council",
    duty_phone="01632 960111",
    front_door_phone="01632 960222",
    out_of_hours_phone="01632 960333",
)
ACCOUNT = (
    "This morning a Year 4 boy told our DSL that Mr Dean, the PE teacher, grabbed his arm "
    "hard in the changing rooms and left a red mark."
)


class FakeTriager:
    """A triage that finds what it is told to, with evidence spans from the real text."""

    def __init__(
        self,
        found: ExtractedFields | None = None,
        suggestion: Suggestion = Suggestion.REFERRAL,
        immediate_danger: bool = False,
    ) -> None:
        self.found = found or ExtractedFields()
        self.suggestion = suggestion
        self.immediate_danger = immediate_danger
        self.calls: list[tuple[str, Mapping[str, Any] | None]] = []

    async def assess(
        self,
        text: str,
        *,
        known: Mapping[str, Any] | None = None,
        received_at: dt.datetime | None = None,
    ) -> TriageResult:
        self.calls.append((text, known))
        evidence = [
            Evidence(label="criterion:harmed", start=m.start(), end=m.end(), text=m.group(0))
            for m in re.finditer(r"grabbed|hit|pushed", text)
        ]
        return TriageResult(
            suggestion=self.suggestion,
            criteria=[Criterion.HARMED] if evidence else [],
            categories=[Category.PHYSICAL] if evidence else [],
            evidence=evidence,
            immediate_danger=self.immediate_danger,
            rationale="Physical harm alleged against a member of staff.",
            fields=self.found,
            missing=["adult_dob"],
            confidence=0.7,
            rules_version="fake",
        )


@dataclass
class Chat:
    """One conversation driven like a person would, with every reply kept."""

    engine: Engine
    conversation_id: str = ""
    replies: list[Reply] = field(default_factory=list)
    now: dt.datetime = NOW

    @property
    def last(self) -> Reply:
        return self.replies[-1]

    async def start(self, channel: str = "chat") -> Reply:
        reply = await self.engine.start(channel=channel, now=self.now)
        self.conversation_id = reply.conversation_id
        self.replies.append(reply)
        return reply

    async def send(self, text: str = "", value: Mapping[str, Any] | None = None) -> Reply:
        self.now += dt.timedelta(seconds=20)
        reply = await self.engine.handle(self.conversation_id, text, value=value, now=self.now)
        self.replies.append(reply)
        return reply

    async def say(self, text: str, expect: str) -> Reply:
        """Send ``text`` and check the reply contains ``expect`` (case-insensitive)."""
        reply = await self.send(text)
        assert expect.lower() in reply.text.lower(), f"expected {expect!r} in:\n{reply.text}"
        return reply

    def asked(self) -> list[str]:
        return [r.expects for r in self.replies if r.expects]


def make_engine(db: Database, triager: Any = None) -> Engine:
    conversations = Conversations(db, triager if triager is not None else FakeTriager())
    return Engine(conversations, AUTHORITY)


#: answers for every question, in the order a person would give them
ANSWERS: dict[str, str] = {
    "immediate_danger": "no",
    "what_happened": ACCOUNT,
    "referrer_name": "Jo Bloggs",
    "referrer_contact": "jo.bloggs@oakfield.sch.uk",
    "referrer_role": "Headteacher",
    "referrer_organisation": "Oakfield Primary School",
    "referrer_is_dsl": "yes",
    "adult_name": "David Dean",
    "adult_role": "PE teacher",
    "employer": "Oakfield Primary School, Leeds Road",
    "sector": "Education (schools, colleges, supply staff, tutors)",
    "employment_basis": "paid",
    "adult_dob": "14/03/1985",
    "adult_address": "don't know",
    "adult_other_roles": "He coaches a junior football team at weekends",
    "children_count": "1",
    "child_name": "A.B.",
    "child_age": "8",
    "child_send": "no",
    "child_looked_after": "Neither",
    "incident_date": "today",
    "aware_date": "today",
    "location": "The changing rooms",
    "in_work": "At work",
    "restraint": "no",
    "injury": "A red mark on his upper arm",
    "previous_concerns": "none known",
    "police_informed": "no",
    "csc_informed": "no",
    "parents_informed": "yes",
    "adult_status": "Still working",
    "adult_informed": "no",
    "non_recent": "no",
    "child_social_worker": "don't know",
    "crime_reference": "don't know",
}


async def answer_everything(chat: Chat, overrides: Mapping[str, str] | None = None) -> Reply:
    """Answer whatever is asked until check-your-answers (or 60 turns)."""
    answers = {**ANSWERS, **(overrides or {})}
    for _ in range(60):
        if chat.last.step != "ask":
            return chat.last
        assert chat.last.expects is not None
        await chat.send(answers[chat.last.expects])
    raise AssertionError("the conversation did not reach check-your-answers")
