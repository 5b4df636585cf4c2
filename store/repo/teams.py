"""Teams conversations the bot is in, and which officer is which Teams user.

Keyword-only, session first; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import CursorResult, delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import Officer, TeamsConversation, TeamsOfficer


async def get_conversation(
    session: AsyncSession, *, conversation_key: str
) -> TeamsConversation | None:
    stmt = select(TeamsConversation).where(
        col(TeamsConversation.conversation_key) == conversation_key
    )
    return (await session.exec(stmt)).one_or_none()


async def get_target(session: AsyncSession, *, target_id: int) -> TeamsConversation | None:
    return await session.get(TeamsConversation, target_id)


async def upsert_conversation(
    session: AsyncSession,
    *,
    conversation_key: str,
    kind: str,
    service_url: str,
    reference: Mapping[str, Any],
    now: dt.datetime,
    aad_object_id: str | None = None,
    tenant_id: str | None = None,
    team_id: str | None = None,
    title: str | None = None,
) -> TeamsConversation:
    """Record (or refresh) a conversation the bot has been spoken to in; it is installed."""
    row = await get_conversation(session, conversation_key=conversation_key)
    if row is None:
        row = TeamsConversation(
            conversation_key=conversation_key,
            kind=kind,
            created_at=now,
            service_url=service_url,
        )
    row.kind = kind
    row.service_url = service_url
    row.reference = dict(reference)
    row.installed = True
    row.updated_at = now
    if aad_object_id is not None:
        row.aad_object_id = aad_object_id
    if tenant_id is not None:
        row.tenant_id = tenant_id
    if team_id is not None:
        row.team_id = team_id
    if title is not None:
        row.title = title
    session.add(row)
    await session.flush()
    return row


async def set_dialog(
    session: AsyncSession, *, target_id: int, dialog_id: str | None, now: dt.datetime
) -> None:
    await session.exec(
        update(TeamsConversation)
        .where(col(TeamsConversation.id) == target_id)
        .values(dialog_id=dialog_id, updated_at=now)
    )


async def mark_uninstalled(
    session: AsyncSession, *, conversation_key: str, now: dt.datetime
) -> bool:
    """The app was removed from the conversation: stop posting there."""
    result = await session.exec(
        update(TeamsConversation)
        .where(col(TeamsConversation.conversation_key) == conversation_key)
        .values(installed=False, duty_channel=False, updated_at=now)
    )
    return cast(CursorResult[Any], result).rowcount > 0


async def mark_target_gone(session: AsyncSession, *, target_id: int, now: dt.datetime) -> None:
    await session.exec(
        update(TeamsConversation)
        .where(col(TeamsConversation.id) == target_id)
        .values(installed=False, duty_channel=False, updated_at=now)
    )


async def set_duty_channel(
    session: AsyncSession, *, target_id: int, on: bool, now: dt.datetime
) -> None:
    """Make this channel the duty channel (there is one at a time), or stop it being one."""
    if on:
        await session.exec(
            update(TeamsConversation)
            .where(col(TeamsConversation.duty_channel).is_(True))
            .values(duty_channel=False, updated_at=now)
        )
    await session.exec(
        update(TeamsConversation)
        .where(col(TeamsConversation.id) == target_id)
        .values(duty_channel=on, updated_at=now)
    )


async def list_conversations(
    session: AsyncSession, *, kinds: tuple[str, ...] = ("channel", "group", "personal")
) -> list[TeamsConversation]:
    stmt = (
        select(TeamsConversation)
        .where(col(TeamsConversation.kind).in_(kinds))
        .order_by(col(TeamsConversation.id))
    )
    return list((await session.exec(stmt)).all())


async def duty_targets(session: AsyncSession) -> list[TeamsConversation]:
    """Where alerts go now: the duty channel, and the personal chats of linked officers who
    are on duty (enabled accounts only)."""
    channel = select(TeamsConversation).where(
        col(TeamsConversation.duty_channel).is_(True),
        col(TeamsConversation.installed).is_(True),
    )
    personal = (
        select(TeamsConversation)
        .join(TeamsOfficer, col(TeamsOfficer.aad_object_id) == col(TeamsConversation.aad_object_id))
        .join(Officer, col(Officer.id) == col(TeamsOfficer.officer_id))
        .where(
            col(TeamsConversation.kind) == "personal",
            col(TeamsConversation.installed).is_(True),
            col(Officer.on_duty).is_(True),
            col(Officer.disabled).is_(False),
        )
    )
    found = list((await session.exec(channel)).all()) + list((await session.exec(personal)).all())
    unique = {row.id: row for row in found}
    return [unique[k] for k in sorted(k for k in unique if k is not None)]


# ---------------------------------------------------------------- officers


async def officer_for_aad(session: AsyncSession, *, aad_object_id: str) -> Officer | None:
    stmt = (
        select(Officer)
        .join(TeamsOfficer, col(TeamsOfficer.officer_id) == col(Officer.id))
        .where(col(TeamsOfficer.aad_object_id) == aad_object_id)
    )
    return (await session.exec(stmt)).one_or_none()


async def link_of_aad(session: AsyncSession, *, aad_object_id: str) -> TeamsOfficer | None:
    stmt = select(TeamsOfficer).where(col(TeamsOfficer.aad_object_id) == aad_object_id)
    return (await session.exec(stmt)).one_or_none()


async def link_officer(
    session: AsyncSession, *, officer_id: int, aad_object_id: str, by: str, now: dt.datetime
) -> None:
    """Map the officer to the Teams user (replacing any earlier mapping of that officer).
    The caller checks that the Teams user is not mapped to someone else."""
    await session.exec(delete(TeamsOfficer).where(col(TeamsOfficer.officer_id) == officer_id))
    session.add(
        TeamsOfficer(
            officer_id=officer_id, aad_object_id=aad_object_id, linked_at=now, linked_by=by
        )
    )
    await session.flush()


async def unlink_officer(session: AsyncSession, *, officer_id: int) -> bool:
    result = await session.exec(
        delete(TeamsOfficer).where(col(TeamsOfficer.officer_id) == officer_id)
    )
    return cast(CursorResult[Any], result).rowcount > 0


async def links(session: AsyncSession) -> list[tuple[TeamsOfficer, Officer]]:
    stmt = (
        select(TeamsOfficer, Officer)
        .join(Officer, col(Officer.id) == col(TeamsOfficer.officer_id))
        .order_by(col(Officer.email))
    )
    return [(link, officer) for link, officer in (await session.exec(stmt)).all()]


async def set_on_duty(session: AsyncSession, *, officer_id: int, on_duty: bool) -> None:
    await session.exec(update(Officer).where(col(Officer.id) == officer_id).values(on_duty=on_duty))
