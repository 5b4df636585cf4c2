"""Append to and verify the hash-chained audit log.

Each event's hash is SHA-256 over a canonical JSON encoding of its content and
the previous event's hash, so changing, removing or reordering any row breaks
the chain from that row on. ``audit_head`` holds the current head; appending
first updates that row, which serialises writers (a row lock on PostgreSQL, the
write lock on SQLite) so the chain never forks. Keep ``lado audit head`` output
outside the database to detect a wholesale rewrite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import AuditEvent, AuditHead
from store.types import UTC, utcnow

GENESIS = "0" * 64
_HEAD = select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)
_SCALARS = (str, int, bool, type(None))


def _check_detail(value: Any, path: str = "detail") -> None:
    if isinstance(value, _SCALARS):
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check_detail(item, f"{path}[{i}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path} keys must be strings")
            _check_detail(item, f"{path}.{key}")
        return
    raise TypeError(f"{path} holds {type(value).__name__}; audit detail takes JSON scalars only")


def event_hash(
    *,
    seq: int,
    at: dt.datetime,
    actor: str,
    officer_id: int | None,
    action: str,
    referral_id: int | None,
    detail: Mapping[str, Any],
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "officer_id": officer_id,
        "action": action,
        "referral_id": referral_id,
        "detail": detail,
        "prev": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


async def append(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    officer_id: int | None = None,
    referral_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event inside the caller's transaction."""
    detail = dict(detail or {})
    _check_detail(detail)
    at = at or utcnow()
    await session.exec(
        update(AuditHead).where(col(AuditHead.id) == 1).values(seq=col(AuditHead.seq) + 1)
    )
    seq, prev = (
        await session.exec(
            select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)
        )
    ).one()
    digest = event_hash(
        seq=seq,
        at=at,
        actor=actor,
        officer_id=officer_id,
        action=action,
        referral_id=referral_id,
        detail=detail,
        prev_hash=prev,
    )
    event = AuditEvent(
        seq=seq,
        at=at,
        actor=actor,
        officer_id=officer_id,
        action=action,
        referral_id=referral_id,
        detail=detail,
        prev_hash=prev,
        hash=digest,
    )
    session.add(event)
    await session.exec(update(AuditHead).where(col(AuditHead.id) == 1).values(hash=digest))
    return event


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


async def head(session: AsyncSession) -> Head:
    seq, digest = (
        await session.exec(
            select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)
        )
    ).one()
    return Head(seq=seq, hash=digest)


def _link_problem(event: AuditEvent, *, expected_seq: int, prev: str) -> str | None:
    if event.seq != expected_seq:
        return f"missing event before seq {event.seq}"
    if event.prev_hash != prev:
        return "link to the previous event is broken"
    digest = event_hash(
        seq=event.seq,
        at=event.at,
        actor=event.actor,
        officer_id=event.officer_id,
        action=event.action,
        referral_id=event.referral_id,
        detail=event.detail,
        prev_hash=event.prev_hash,
    )
    if digest != event.hash:
        return "event content does not match its hash"
    return None


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head: Head
    problem: str | None = None
    bad_seq: int | None = None
    expected_head_found: bool | None = None


async def verify(session: AsyncSession, *, expect_head: str | None = None) -> Verification:
    """Walk the whole chain; report the first broken link.

    ``expect_head`` is a hash saved earlier with ``lado audit head``: it must still
    be in the chain, or history before it was rewritten.
    """
    current = await head(session)
    prev = GENESIS
    expected_seq = 1
    count = 0
    found_expected = None if expect_head is None else expect_head == GENESIS
    stmt = select(AuditEvent).order_by(col(AuditEvent.seq)).execution_options(yield_per=2000)
    result = await session.stream_scalars(stmt)
    try:
        async for event in result:
            count += 1
            problem = _link_problem(event, expected_seq=expected_seq, prev=prev)
            if problem is not None:
                return Verification(False, count, current, problem, event.seq)
            if expect_head is not None and event.hash == expect_head:
                found_expected = True
            prev = event.hash
            expected_seq += 1
    finally:
        await result.close()
    if current.seq != count or current.hash != prev:
        return Verification(
            False, count, current, "the stored head does not match the last event", None
        )
    if found_expected is False:
        return Verification(
            False, count, current, "the head you kept is not in the chain", None, False
        )
    return Verification(True, count, current, None, None, found_expected)
