"""Reference numbers: ``LADO-2026-000123`` (the year of receipt and a per-year counter)."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import ReferenceCounter

PREFIX = "LADO"
REFERENCE_RE = re.compile(r"\bLADO-(\d{4})-(\d{6})\b")


def format_reference(year: int, number: int) -> str:
    return f"{PREFIX}-{year:04d}-{number:06d}"


def find_reference(text: str) -> str | None:
    """The first reference number in a text (e.g. an email subject), if any."""
    match = REFERENCE_RE.search(text or "")
    return match.group(0) if match else None


async def next_reference(session: AsyncSession, year: int) -> str:
    """Allocate the next number for ``year`` inside the caller's transaction."""
    stmt = (
        update(ReferenceCounter)
        .where(col(ReferenceCounter.year) == year)
        .values(last=col(ReferenceCounter.last) + 1)
        .returning(col(ReferenceCounter.last))
    )
    number = (await session.exec(stmt)).scalar_one_or_none()
    if number is None:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await session.exec(
            insert(ReferenceCounter).values(year=year, last=0).on_conflict_do_nothing()
        )
        number = (await session.exec(stmt)).scalar_one()
    return format_reference(year, number)
