"""Officer accounts, sign-in bookkeeping and server-side sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.errors import NotFound
from store.models import Officer, OfficerCreate, OfficerSession
from store.types import utcnow


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def count_officers(session: AsyncSession) -> int:
    return int((await session.exec(select(func.count()).select_from(Officer))).one())


async def create_officer(session: AsyncSession, *, data: OfficerCreate) -> Officer:
    data = OfficerCreate.model_validate(data.model_dump() | {"email": normalise_email(data.email)})
    row = Officer.model_validate(data.model_dump())
    session.add(row)
    await session.flush()
    return row


async def find_by_email(session: AsyncSession, *, email: str) -> Officer | None:
    stmt = select(Officer).where(col(Officer.email) == normalise_email(email))
    return (await session.exec(stmt)).one_or_none()


async def get_officer(session: AsyncSession, *, officer_id: int) -> Officer:
    row = await session.get(Officer, officer_id)
    if row is None:
        raise NotFound(str(officer_id))
    return row


async def list_officers(session: AsyncSession, *, include_disabled: bool = False) -> list[Officer]:
    stmt = select(Officer).order_by(col(Officer.display_name), col(Officer.email))
    if not include_disabled:
        stmt = stmt.where(col(Officer.disabled).is_(False))
    return list((await session.exec(stmt)).all())


async def record_failed_login(
    session: AsyncSession, *, officer_id: int, max_failures: int, lockout: dt.timedelta
) -> int:
    """Count a failed sign-in atomically; lock the account at ``max_failures``."""
    failures = (
        await session.exec(
            update(Officer)
            .where(col(Officer.id) == officer_id)
            .values(failed_logins=col(Officer.failed_logins) + 1)
            .returning(col(Officer.failed_logins))
        )
    ).scalar_one()
    if failures >= max_failures:
        await session.exec(
            update(Officer)
            .where(col(Officer.id) == officer_id)
            .values(locked_until=utcnow() + lockout, failed_logins=0)
        )
    return int(failures)


async def record_login(session: AsyncSession, *, officer_id: int) -> None:
    await session.exec(
        update(Officer)
        .where(col(Officer.id) == officer_id)
        .values(failed_logins=0, locked_until=None, last_login_at=utcnow())
    )


async def set_password(
    session: AsyncSession, *, officer_id: int, password_hash: str, must_change: bool
) -> None:
    await session.exec(
        update(Officer)
        .where(col(Officer.id) == officer_id)
        .values(password_hash=password_hash, must_change_password=must_change)
    )


async def set_disabled(session: AsyncSession, *, officer_id: int, disabled: bool) -> None:
    await session.exec(
        update(Officer).where(col(Officer.id) == officer_id).values(disabled=disabled)
    )
    if disabled:
        await delete_sessions_of(session, officer_id=officer_id)


# ---------------------------------------------------------------- sessions


async def create_session(
    session: AsyncSession,
    *,
    token_hash: str,
    officer_id: int,
    csrf_token: str,
    expires_at: dt.datetime,
) -> OfficerSession:
    row = OfficerSession(
        token_hash=token_hash, officer_id=officer_id, csrf_token=csrf_token, expires_at=expires_at
    )
    session.add(row)
    await session.flush()
    return row


async def load_session(
    session: AsyncSession, *, token_hash: str, now: dt.datetime
) -> tuple[OfficerSession, Officer] | None:
    stmt = (
        select(OfficerSession, Officer)
        .join(Officer, col(Officer.id) == col(OfficerSession.officer_id))
        .where(
            col(OfficerSession.token_hash) == token_hash,
            col(OfficerSession.expires_at) > now,
            col(Officer.disabled).is_(False),
        )
    )
    row = (await session.exec(stmt)).first()
    return None if row is None else (row[0], row[1])


async def touch_session(
    session: AsyncSession, *, token_hash: str, now: dt.datetime, expires_at: dt.datetime
) -> None:
    await session.exec(
        update(OfficerSession)
        .where(col(OfficerSession.token_hash) == token_hash)
        .values(last_seen_at=now, expires_at=expires_at)
    )


async def delete_session(session: AsyncSession, *, token_hash: str) -> None:
    await session.exec(delete(OfficerSession).where(col(OfficerSession.token_hash) == token_hash))


async def delete_sessions_of(session: AsyncSession, *, officer_id: int) -> None:
    await session.exec(delete(OfficerSession).where(col(OfficerSession.officer_id) == officer_id))


async def delete_expired_sessions(session: AsyncSession, *, now: dt.datetime) -> int:
    stmt = delete(OfficerSession).where(col(OfficerSession.expires_at) <= now)
    result = cast("CursorResult[Any]", await session.exec(stmt))
    return int(result.rowcount)
