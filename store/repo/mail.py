"""Mailbox pollers: cursors, the single-poller lock, heartbeats, and the lookups the
poller needs (dedupe, threading, acknowledgement counts, the outbox).

Keyword-only, session first; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, and_, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.enums import Channel, Direction
from store.models import Attachment, MailboxCursor, Message
from store.types import utcnow

#: outbound delivery states that count as "sent or about to be"
COUNTED = ("queued", "sent")


async def get_cursor(session: AsyncSession, *, mailbox: str) -> MailboxCursor | None:
    return await session.get(MailboxCursor, mailbox)


async def ensure_cursor(session: AsyncSession, *, mailbox: str, source: str) -> None:
    """Create the mailbox's cursor row if there is none (safe when several race)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.exec(
        insert(MailboxCursor)
        .values(mailbox=mailbox, source=source, updated_at=utcnow())
        .on_conflict_do_nothing()
    )


async def acquire_lock(
    session: AsyncSession,
    *,
    mailbox: str,
    source: str,
    owner: str,
    seconds: int,
    steal_from: Sequence[str] = (),
) -> bool:
    """Take (or renew) the mailbox's poller lock. True when ``owner`` now holds it.

    The lock is free when nobody holds it, when it has expired, or when its holder is
    in ``steal_from`` (a poller the caller knows is dead).
    """
    await ensure_cursor(session, mailbox=mailbox, source=source)
    now = utcnow()
    free = or_(
        col(MailboxCursor.lock_owner).is_(None),
        col(MailboxCursor.lock_owner) == owner,
        col(MailboxCursor.lock_expires_at) < now,
    )
    if steal_from:
        free = or_(free, col(MailboxCursor.lock_owner).in_(list(steal_from)))
    stmt = (
        update(MailboxCursor)
        .where(and_(col(MailboxCursor.mailbox) == mailbox, free))
        .values(
            lock_owner=owner,
            lock_expires_at=now + dt.timedelta(seconds=seconds),
            heartbeat_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    result = cast("CursorResult[Any]", await session.exec(stmt))
    return result.rowcount == 1


async def heartbeat(session: AsyncSession, *, mailbox: str, owner: str, seconds: int) -> bool:
    """Refresh the heartbeat and extend the lock; False when ``owner`` lost the lock."""
    now = utcnow()
    stmt = (
        update(MailboxCursor)
        .where(and_(col(MailboxCursor.mailbox) == mailbox, col(MailboxCursor.lock_owner) == owner))
        .values(heartbeat_at=now, lock_expires_at=now + dt.timedelta(seconds=seconds))
        .execution_options(synchronize_session=False)
    )
    result = cast("CursorResult[Any]", await session.exec(stmt))
    return result.rowcount == 1


async def release_lock(session: AsyncSession, *, mailbox: str, owner: str) -> None:
    await session.exec(
        update(MailboxCursor)
        .where(and_(col(MailboxCursor.mailbox) == mailbox, col(MailboxCursor.lock_owner) == owner))
        .values(lock_owner=None, lock_expires_at=None, heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def update_cursor(
    session: AsyncSession, *, mailbox: str, owner: str | None = None, **values: Any
) -> bool:
    """Set cursor fields (uidvalidity, last_uid, sync_state, delta_link, source, last_error).

    With ``owner``, only while that poller still holds the lock.
    """
    conditions = [col(MailboxCursor.mailbox) == mailbox]
    if owner is not None:
        conditions.append(col(MailboxCursor.lock_owner) == owner)
    stmt = (
        update(MailboxCursor)
        .where(and_(*conditions))
        .values(**values, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    result = cast("CursorResult[Any]", await session.exec(stmt))
    return result.rowcount == 1


async def find_message(session: AsyncSession, *, mailbox: str, message_id: str) -> Message | None:
    """The stored message with this Message-ID in this mailbox (the dedupe key)."""
    stmt = select(Message).where(
        col(Message.mailbox) == mailbox, col(Message.message_id) == message_id
    )
    row: Message | None = (await session.exec(stmt)).first()
    return row


async def thread_referral(
    session: AsyncSession, *, mailbox: str, message_ids: Sequence[str]
) -> int | None:
    """The referral of the newest stored message among ``message_ids`` (a reply's
    In-Reply-To and References), if any is linked to one."""
    ids = [m for m in message_ids if m][:100]
    if not ids:
        return None
    stmt = (
        select(col(Message.referral_id))
        .where(
            col(Message.mailbox) == mailbox,
            col(Message.message_id).in_(ids),
            col(Message.referral_id).is_not(None),
        )
        .order_by(col(Message.id).desc())
        .limit(1)
    )
    value = (await session.exec(stmt)).first()
    return int(value) if value is not None else None


async def acks_sent_to(session: AsyncSession, *, address: str, since: dt.datetime) -> int:
    """Outbound emails to ``address`` queued or sent since ``since`` (the per-sender cap)."""
    stmt = (
        select(func.count())
        .select_from(Message)
        .where(
            col(Message.direction) == Direction.OUT.value,
            col(Message.channel) == Channel.EMAIL.value,
            func.lower(col(Message.recipients)) == address.lower(),
            col(Message.delivery_status).in_(COUNTED),
            col(Message.created_at) >= since,
        )
    )
    return int((await session.exec(stmt)).one())


async def queued_outbound(session: AsyncSession, *, mailbox: str, limit: int = 100) -> list[int]:
    """Ids of outbound emails still waiting to be sent, oldest first."""
    stmt = (
        select(col(Message.id))
        .where(
            col(Message.mailbox) == mailbox,
            col(Message.direction) == Direction.OUT.value,
            col(Message.delivery_status) == "queued",
        )
        .order_by(col(Message.id))
        .limit(limit)
    )
    return [int(i) for i in (await session.exec(stmt)).all() if i is not None]


async def set_delivery(
    session: AsyncSession, *, message_id: int, status: str, error: str | None = None
) -> None:
    await session.exec(
        update(Message)
        .where(col(Message.id) == message_id)
        .values(delivery_status=status, error=error[:500] if error else None)
        .execution_options(synchronize_session=False)
    )


async def add_attachment(session: AsyncSession, *, attachment: Attachment) -> Attachment:
    session.add(attachment)
    await session.flush()
    return attachment


async def counts(session: AsyncSession, *, mailbox: str) -> dict[str, int]:
    """Stored messages of a mailbox by direction (for `lado poll --check --json`)."""
    stmt = (
        select(col(Message.direction), func.count())
        .where(col(Message.mailbox) == mailbox)
        .group_by(col(Message.direction))
    )
    return {str(d): int(n) for d, n in (await session.exec(stmt)).all()}


async def attachments_of_message(session: AsyncSession, *, message_row_id: int) -> list[Attachment]:
    stmt = (
        select(Attachment)
        .where(col(Attachment.message_id) == message_row_id)
        .order_by(col(Attachment.id))
    )
    return list((await session.exec(stmt)).all())


async def first_inbound_id(session: AsyncSession, *, referral_id: int) -> int | None:
    """The first inbound message of a referral (the one that created it)."""
    stmt = (
        select(col(Message.id))
        .where(
            col(Message.referral_id) == referral_id,
            col(Message.direction) == Direction.IN.value,
        )
        .order_by(col(Message.id))
        .limit(1)
    )
    value = (await session.exec(stmt)).first()
    return int(value) if value is not None else None
