"""Referral rows: create, read, versioned update, and the queue order.

Every function takes the session as its first argument and keyword-only
arguments after it; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, delete, func, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store import matching, workdays
from store.enums import ACTIVE_STATUSES, Kind
from store.errors import AlreadyClaimed, NotFound, StaleVersion
from store.models import AdultNameKey, Child, ChildCreate, Referral, ReferralCreate
from store.references import next_reference
from store.types import utcnow

URGENT = "URGENT"

#: URGENT first, then the working-day clock, then age
QUEUE_ORDER = (
    col(Referral.priority),
    col(Referral.aware_wd_index),
    col(Referral.received_at),
    col(Referral.id),
)


def _priority(suggestion: str | None, immediate_danger: bool) -> int:
    return 0 if suggestion == URGENT or immediate_danger else 1


def _clock_index(aware_at: dt.datetime | None, received_at: dt.datetime) -> int:
    return workdays.day_index(workdays.local_date(aware_at or received_at))


async def _replace_name_keys(session: AsyncSession, referral_id: int, name: str | None) -> None:
    await session.exec(delete(AdultNameKey).where(col(AdultNameKey.referral_id) == referral_id))
    for key in matching.token_keys(name):
        session.add(AdultNameKey(referral_id=referral_id, key=key))


async def create_referral(
    session: AsyncSession,
    *,
    data: ReferralCreate,
    children: Sequence[ChildCreate] = (),
    status: str | None = None,
) -> Referral:
    """Insert a referral (and its children) with a new reference number."""
    data = ReferralCreate.model_validate(data.model_dump())
    reference = await next_reference(session, workdays.local_date(data.received_at).year)
    row = Referral.model_validate(
        data.model_dump()
        | {
            "reference": reference,
            "priority": _priority(data.triage_suggestion, data.immediate_danger),
            "aware_wd_index": _clock_index(data.aware_at, data.received_at),
            "categories": list(data.triage_categories),
            "adult_employer_key": matching.employer_key(data.adult_employer),
        }
    )
    if status:
        row.status = status
    session.add(row)
    await session.flush()
    assert row.id is not None
    await _replace_name_keys(session, row.id, row.adult_name)
    for position, child in enumerate(children):
        session.add(
            Child.model_validate(child.model_dump() | {"referral_id": row.id, "position": position})
        )
    await session.flush()
    return row


async def get_by_reference(session: AsyncSession, *, reference: str) -> Referral:
    stmt = select(Referral).where(col(Referral.reference) == reference)
    row: Referral | None = (await session.exec(stmt)).one_or_none()
    if row is None:
        raise NotFound(reference)
    return row


async def get_by_id(session: AsyncSession, *, referral_id: int) -> Referral:
    row = await session.get(Referral, referral_id)
    if row is None:
        raise NotFound(str(referral_id))
    return row


async def children_of(session: AsyncSession, *, referral_id: int) -> list[Child]:
    rows = await session.exec(
        select(Child).where(col(Child.referral_id) == referral_id).order_by(col(Child.position))
    )
    return list(rows.all())


#: fields whose change re-derives a stored key
_DERIVED = {"adult_name", "adult_employer", "aware_at", "triage_suggestion", "immediate_danger"}


async def update_referral(
    session: AsyncSession,
    *,
    referral_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    require_unclaimed: bool = False,
) -> Referral:
    """Change a referral only if nobody else changed it since ``expected_version``.

    Raises StaleVersion (someone else changed it) or AlreadyClaimed (when
    ``require_unclaimed`` and another officer holds it).
    """
    current = await get_by_id(session, referral_id=referral_id)
    changes = dict(values)
    if _DERIVED & changes.keys():
        merged = current.model_copy(update=changes)
        changes["priority"] = _priority(merged.triage_suggestion, merged.immediate_danger)
        changes["aware_wd_index"] = _clock_index(merged.aware_at, merged.received_at)
        changes["adult_employer_key"] = matching.employer_key(merged.adult_employer)
    changes["version"] = col(Referral.version) + 1
    changes["updated_at"] = utcnow()
    conditions: list[ColumnElement[bool]] = [
        col(Referral.id) == referral_id,
        col(Referral.version) == expected_version,
    ]
    if require_unclaimed:
        conditions.append(col(Referral.claimed_by_id).is_(None))
    stmt = (
        update(Referral)
        .where(and_(*conditions))
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    result = cast("CursorResult[Any]", await session.exec(stmt))
    if result.rowcount != 1:
        await session.refresh(current)
        if current.version != expected_version:
            raise StaleVersion(str(referral_id))
        raise AlreadyClaimed(current.claimed_by_id)
    if "adult_name" in changes:
        await _replace_name_keys(session, referral_id, changes["adult_name"])
    await session.refresh(current)
    return current


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None  # a Status value, or "active" (default) or "all"
    suggestion: str | None = None
    channel: str | None = None
    sector: str | None = None
    kind: str | None = None
    claimed_by_id: int | None = None


def _queue_conditions(f: QueueFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.status in (None, "", "active"):
        conditions.append(col(Referral.status).in_([s.value for s in ACTIVE_STATUSES]))
    elif f.status != "all":
        conditions.append(col(Referral.status) == f.status)
    for column, value in (
        (col(Referral.triage_suggestion), f.suggestion),
        (col(Referral.channel), f.channel),
        (col(Referral.sector), f.sector),
        (col(Referral.kind), f.kind),
        (col(Referral.claimed_by_id), f.claimed_by_id),
    ):
        if value not in (None, ""):
            conditions.append(column == value)
    return conditions


async def queue_page(
    session: AsyncSession, *, filters: QueueFilter, limit: int = 50, offset: int = 0
) -> tuple[list[Referral], int]:
    """The queue in its default order: URGENT first, then the working-day clock, then age."""
    conditions = _queue_conditions(filters)
    stmt = (
        select(Referral)
        .where(*conditions)
        .order_by(
            col(Referral.priority),
            col(Referral.aware_wd_index),
            col(Referral.received_at),
            col(Referral.id),
        )
        .limit(limit)
        .offset(offset)
    )
    rows = list((await session.exec(stmt)).all())
    total = (
        await session.exec(select(func.count()).select_from(Referral).where(*conditions))
    ).one()
    return rows, int(total)


async def previous_concerns(
    session: AsyncSession, *, referral: Referral, limit: int = 10, candidates: int = 400
) -> list[matching.Match]:
    """Other referrals about the same adult, ranked, each with why it matched.

    Candidates share the phonetic key of the adult's surname (in any position of
    their name) or the date of birth — the newest ``candidates`` of each, found
    through indexes — and are then scored on the whole name, the date of birth and
    the employer (store.matching).
    """
    surname = matching.surname_key(referral.adult_name)
    ids: set[int] = set()
    if surname:
        by_name = (
            select(col(AdultNameKey.referral_id))
            .where(col(AdultNameKey.key) == surname)
            .order_by(col(AdultNameKey.referral_id).desc())
            .limit(candidates)
        )
        ids.update((await session.exec(by_name)).all())
    if referral.adult_dob is not None:
        by_dob = (
            select(col(Referral.id))
            .where(col(Referral.adult_dob) == referral.adult_dob)
            .order_by(col(Referral.id).desc())
            .limit(candidates)
        )
        ids.update(i for i in (await session.exec(by_dob)).all() if i is not None)
    ids.discard(cast(int, referral.id))
    if not ids:
        return []
    stmt = sa_select(
        col(Referral.id),
        col(Referral.reference),
        col(Referral.adult_name),
        col(Referral.adult_dob),
        col(Referral.adult_employer),
        col(Referral.received_at),
    ).where(col(Referral.id).in_(sorted(ids)), col(Referral.kind) == Kind.CONCERN.value)
    matches: list[matching.Match] = []
    for rid, ref, name, dob, employer, received in (
        await (await session.connection()).execute(stmt)
    ).all():
        match = matching.score_match(
            name=referral.adult_name,
            dob=referral.adult_dob,
            employer=referral.adult_employer,
            candidate=matching.Candidate(cast(int, rid), ref, name, dob, employer, received),
        )
        if match is not None:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, -m.candidate.received_at.timestamp()))
    return matches[:limit]
