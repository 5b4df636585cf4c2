"""Messages (chat turns and emails) and their attachments."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import Attachment, Message, MessageCreate


async def add_message(session: AsyncSession, *, data: MessageCreate) -> Message:
    """Store one message (validated first; raises ValueError on over-long fields)."""
    data = MessageCreate.model_validate(data.model_dump())
    row = Message.model_validate(data.model_dump())
    session.add(row)
    await session.flush()
    return row


async def link_to_referral(
    session: AsyncSession,
    *,
    referral_id: int,
    message_ids: Sequence[int] = (),
    conversation_id: str | None = None,
) -> None:
    """Attach stored messages (by id, and/or all of a conversation's) to a referral."""
    if message_ids:
        await session.exec(
            update(Message)
            .where(col(Message.id).in_(list(message_ids)))
            .values(referral_id=referral_id)
        )
        await session.exec(
            update(Attachment)
            .where(col(Attachment.message_id).in_(list(message_ids)))
            .values(referral_id=referral_id)
        )
    if conversation_id:
        await session.exec(
            update(Message)
            .where(col(Message.conversation_id) == conversation_id)
            .values(referral_id=referral_id)
        )


async def messages_of_conversation(session: AsyncSession, *, conversation_id: str) -> list[Message]:
    stmt = (
        select(Message)
        .where(col(Message.conversation_id) == conversation_id)
        .order_by(col(Message.created_at), col(Message.id))
    )
    return list((await session.exec(stmt)).all())
