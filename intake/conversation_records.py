"""A guided conversation as the dialog engine sees it, and what it collects.

Statuses, the readable references (``CH-7K3P-9QXM``), the ``Conversation`` view of a
stored conversation, and the ``Draft`` (account, known details, children) that
``Conversations.submit`` turns into a referral.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from store.models import ChildCreate, ConversationState, Referral

#: conversation statuses
ACTIVE = "active"
SUBMITTED = "submitted"
ABANDONED = "abandoned"  # queued as an incomplete referral by the sweep
EXPIRED = "expired"  # idle with nothing worth keeping
CANCELLED = "cancelled"
QUEUEING = "queueing"  # claimed by a sweep, being queued

#: readable, unambiguous characters for conversation references and resume codes
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CONVERSATION_PREFIX = "CH-"


def random_chars(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_conversation_id() -> str:
    """A conversation reference such as ``CH-7K3P-9QXM`` (readable aloud, ~40 bits)."""
    return f"{CONVERSATION_PREFIX}{random_chars(4)}-{random_chars(4)}"


def normalise_reference(text: str) -> str:
    """Upper-case, spaces removed: what people type back from a reference."""
    return "".join(text.split()).upper()[:40]


@dataclass(frozen=True)
class Conversation:
    """One conversation as the dialog engine sees it."""

    id: str
    channel: str
    status: str
    state: dict[str, Any]
    version: int
    has_concern: bool
    referral_id: int | None
    #: the LADO reference of the referral it became (submitted or queued as incomplete)
    reference: str | None
    user_key: str | None
    token_hash: str | None
    token_expires_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


def view(row: ConversationState, reference: str | None) -> Conversation:
    return Conversation(
        id=row.id,
        channel=row.channel,
        status=row.status,
        state=dict(row.state or {}),
        version=row.version,
        has_concern=row.has_concern,
        referral_id=row.referral_id,
        reference=reference,
        user_key=row.user_key,
        token_hash=row.token_hash,
        token_expires_at=row.token_expires_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


@dataclass(frozen=True)
class ChildDetails:
    """One child as a dialog or form collected it (all optional)."""

    name: str | None = None
    age: int | None = None
    dob: dt.date | None = None
    send: bool | None = None
    looked_after: bool | None = None
    on_plan: bool | None = None
    social_worker: str | None = None


@dataclass(frozen=True)
class SubmitOutcome:
    reference: str
    referral_id: int
    suggestion: str | None
    immediate_danger: bool
    missing: list[str]
    #: True when an earlier incomplete referral from this conversation was completed
    completed_existing: bool = False

    @classmethod
    def of(cls, referral: Referral, *, completed_existing: bool = False) -> SubmitOutcome:
        """The outcome as the referral now stands."""
        assert referral.id is not None
        return cls(
            reference=referral.reference,
            referral_id=referral.id,
            suggestion=referral.triage_suggestion,
            immediate_danger=referral.immediate_danger,
            missing=list(referral.triage_missing),
            completed_existing=completed_existing,
        )


@dataclass(frozen=True)
class Draft:
    """What a conversation has collected so far, ready to be submitted."""

    narrative: str
    known: Mapping[str, Any]
    children: Sequence[ChildDetails] = ()
    received_at: dt.datetime | None = None


def child_rows(children: Sequence[ChildDetails]) -> list[ChildCreate]:
    return [
        ChildCreate(
            name=c.name,
            age=c.age if c.age is not None and 0 <= c.age <= 120 else None,
            dob=c.dob,
            send=c.send,
            looked_after=c.looked_after,
            on_plan=c.on_plan,
            social_worker=c.social_worker,
        )
        for c in children
    ]
