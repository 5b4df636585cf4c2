"""Conversation state rows (web chat, Teams, terminal): create, read, versioned save,
idle conversations for the abandonment sweep, and the referral a conversation became.

Every function takes the session first and keyword-only arguments after it; the
caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, and_, delete, insert, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.errors import StaleVersion
from store.models import Child, ChildCreate, ConversationState, Message, MessageCreate, Referral
from store.types import utcnow


async def create_conversation(
    session: AsyncSession, *, conversation: ConversationState
) -> ConversationState:
    session.add(conversation)
    await session.flush()
    return conversation


async def get_conversation(
    session: AsyncSession, *, conversation_id: str
) -> tuple[ConversationState, str | None] | None:
    """The conversation and the reference of the referral it became (if any)."""
    stmt = (
        select(ConversationState, col(Referral.reference))
        .join(Referral, col(Referral.id) == col(ConversationState.referral_id), isouter=True)
        .where(col(ConversationState.id) == conversation_id)
    )
    row = (await session.exec(stmt)).one_or_none()
    if row is None:
        return None
    conversation, reference = row
    return conversation, reference


async def save_conversation(
    session: AsyncSession,
    *,
    conversation_id: str,
    expected_version: int,
    values: Mapping[str, Any],
) -> int:
    """Change a conversation only if nobody changed it since ``expected_version``.

    Returns the new version; raises StaleVersion otherwise.
    """
    changes = dict(values)
    changes["version"] = expected_version + 1
    changes.setdefault("updated_at", utcnow())
    stmt = (
        update(ConversationState)
        .where(
            and_(
                col(ConversationState.id) == conversation_id,
                col(ConversationState.version) == expected_version,
            )
        )
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    result = cast("CursorResult[Any]", await session.exec(stmt))
    if result.rowcount != 1:
        raise StaleVersion(conversation_id)
    return expected_version + 1


async def idle_conversations(
    session: AsyncSession,
    *,
    idle_before: dt.datetime,
    urgent_idle_before: dt.datetime,
    stuck_before: dt.datetime,
    limit: int = 200,
) -> list[ConversationState]:
    """Active conversations nobody has touched since ``idle_before`` (or, when they hold an
    urgent concern, since ``urgent_idle_before``), and conversations left half-way through
    being queued (status ``queueing``) since ``stuck_before``."""
    active = col(ConversationState.status) == "active"
    stmt = (
        select(ConversationState)
        .where(
            or_(
                and_(active, col(ConversationState.updated_at) < idle_before),
                and_(
                    active,
                    col(ConversationState.has_concern),
                    col(ConversationState.updated_at) < urgent_idle_before,
                    col(ConversationState.state)["urgent"].as_boolean(),
                ),
                and_(
                    col(ConversationState.status) == "queueing",
                    col(ConversationState.updated_at) < stuck_before,
                ),
            )
        )
        .order_by(col(ConversationState.updated_at))
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def referral_of_conversation(
    session: AsyncSession, *, conversation_id: str
) -> Referral | None:
    """The concern a conversation was submitted as (callback requests are not linked)."""
    stmt = (
        select(Referral)
        .where(col(Referral.conversation_id) == conversation_id)
        .order_by(col(Referral.id))
        .limit(1)
    )
    return (await session.exec(stmt)).one_or_none()


async def replace_children(
    session: AsyncSession, *, referral_id: int, children: Sequence[ChildCreate]
) -> None:
    await session.exec(delete(Child).where(col(Child.referral_id) == referral_id))
    for position, child in enumerate(children):
        session.add(
            Child.model_validate(
                child.model_dump() | {"referral_id": referral_id, "position": position}
            )
        )
    await session.flush()


async def set_resume_code(session: AsyncSession, *, conversation_id: str, code_hash: str) -> None:
    """Store the hash of a new resume code (the state and its version are untouched)."""
    await session.exec(
        update(ConversationState)
        .where(col(ConversationState.id) == conversation_id)
        .values(resume_code_hash=code_hash)
        .execution_options(synchronize_session=False)
    )


async def touch_token(
    session: AsyncSession, *, conversation_id: str, expires_at: dt.datetime
) -> None:
    """Slide a web-chat token's expiry (the state and its version are untouched)."""
    await session.exec(
        update(ConversationState)
        .where(col(ConversationState.id) == conversation_id)
        .values(token_expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )


async def add_turn_message(session: AsyncSession, *, data: MessageCreate) -> None:
    """Store one chat turn (validated by ``MessageCreate``) with a single INSERT: the hot
    path of every conversation turn, so no ORM unit of work."""
    await session.exec(
        insert(Message).values(**data.model_dump(exclude={"raw"}, exclude_none=True))
    )
