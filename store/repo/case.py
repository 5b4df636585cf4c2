"""Transcript, attachments, notes, links and the audit trail of one referral."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import Attachment, AuditEvent, Message, Note, Referral, ReferralLink


async def messages_of(session: AsyncSession, *, referral_id: int) -> list[Message]:
    stmt = (
        select(Message)
        .where(col(Message.referral_id) == referral_id)
        .order_by(col(Message.created_at), col(Message.id))
    )
    return list((await session.exec(stmt)).all())


async def attachments_of(session: AsyncSession, *, referral_id: int) -> list[Attachment]:
    stmt = (
        select(Attachment)
        .where(col(Attachment.referral_id) == referral_id)
        .order_by(col(Attachment.id))
    )
    return list((await session.exec(stmt)).all())


async def notes_of(session: AsyncSession, *, referral_id: int) -> list[Note]:
    stmt = (
        select(Note)
        .where(col(Note.referral_id) == referral_id)
        .order_by(col(Note.created_at), col(Note.id))
    )
    return list((await session.exec(stmt)).all())


async def add_note(session: AsyncSession, *, referral_id: int, officer_id: int, text: str) -> Note:
    note = Note(referral_id=referral_id, officer_id=officer_id, text=text)
    session.add(note)
    await session.flush()
    return note


async def links_of(session: AsyncSession, *, referral_id: int) -> list[tuple[ReferralLink, str]]:
    """Links in either direction, with the other referral's reference."""
    stmt = (
        select(ReferralLink, col(Referral.reference))
        .join(
            Referral,
            or_(
                (col(ReferralLink.referral_id) == referral_id)
                & (col(Referral.id) == col(ReferralLink.linked_id)),
                (col(ReferralLink.linked_id) == referral_id)
                & (col(Referral.id) == col(ReferralLink.referral_id)),
            ),
        )
        .order_by(col(ReferralLink.created_at))
    )
    return [(link, ref) for link, ref in (await session.exec(stmt)).all()]


async def add_link(
    session: AsyncSession, *, referral_id: int, linked_id: int, kind: str, officer_id: int | None
) -> ReferralLink:
    link = ReferralLink(
        referral_id=referral_id, linked_id=linked_id, kind=kind, officer_id=officer_id
    )
    session.add(link)
    await session.flush()
    return link


async def audit_of(
    session: AsyncSession, *, referral_id: int, limit: int = 500
) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(col(AuditEvent.referral_id) == referral_id)
        .order_by(col(AuditEvent.seq).desc())
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def attachment(session: AsyncSession, *, attachment_id: int) -> Attachment | None:
    return await session.get(Attachment, attachment_id)
