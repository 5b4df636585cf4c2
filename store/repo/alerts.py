"""The alert outbox: alerts written with the referral, routed to targets, delivered once.

A delivery is claimed with a conditional UPDATE (only one process wins) that sets a
lease; it is then marked sent, or put back with a later ``next_attempt_at``. A claim
whose lease ran out (the sender died mid-send) can be claimed again.

Keyword-only, session first; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, and_, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import Alert, AlertDelivery, Referral, TeamsConversation

#: alert statuses
NEW, ROUTED, SKIPPED, EXPIRED = "new", "routed", "skipped", "expired"
#: delivery statuses
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


def _insert(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


async def add_alert(
    session: AsyncSession, *, referral_id: int, reason: str, now: dt.datetime
) -> None:
    """Queue an alert about the referral (once per referral and reason)."""
    await session.exec(
        _insert(session)(Alert)
        .values(referral_id=referral_id, reason=reason, status=NEW, unrouted=0, created_at=now)
        .on_conflict_do_nothing()
    )


async def new_alerts(session: AsyncSession, *, limit: int) -> list[tuple[Alert, Referral]]:
    stmt = (
        select(Alert, Referral)
        .join(Referral, col(Referral.id) == col(Alert.referral_id))
        .where(col(Alert.status) == NEW)
        .order_by(col(Alert.id))
        .limit(limit)
    )
    return [(alert, referral) for alert, referral in (await session.exec(stmt)).all()]


async def set_alert_status(
    session: AsyncSession, *, alert_id: int, status: str, now: dt.datetime
) -> None:
    values: dict[str, Any] = {"status": status}
    if status == ROUTED:
        values["routed_at"] = now
    await session.exec(update(Alert).where(col(Alert.id) == alert_id).values(**values))


async def count_unrouted(session: AsyncSession, *, alert_id: int) -> int:
    """Record that nobody could be found to send the alert to; how many times so far."""
    result = await session.exec(
        update(Alert)
        .where(col(Alert.id) == alert_id)
        .values(unrouted=col(Alert.unrouted) + 1)
        .returning(col(Alert.unrouted))
    )
    return int(result.scalar_one())


async def add_deliveries(
    session: AsyncSession, *, alert_id: int, target_ids: Iterable[int], now: dt.datetime
) -> None:
    for target_id in target_ids:
        await session.exec(
            _insert(session)(AlertDelivery)
            .values(
                alert_id=alert_id,
                target_id=target_id,
                status=PENDING,
                attempts=0,
                next_attempt_at=now,
            )
            .on_conflict_do_nothing()
        )


def _due(now: dt.datetime) -> Any:
    return or_(
        and_(col(AlertDelivery.status) == PENDING, col(AlertDelivery.next_attempt_at) <= now),
        and_(col(AlertDelivery.status) == SENDING, col(AlertDelivery.lease_until) < now),
    )


async def due_deliveries(
    session: AsyncSession, *, now: dt.datetime, limit: int
) -> list[AlertDelivery]:
    stmt = (
        select(AlertDelivery)
        .where(_due(now))
        .order_by(col(AlertDelivery.next_attempt_at), col(AlertDelivery.id))
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def claim_delivery(
    session: AsyncSession, *, delivery_id: int, now: dt.datetime, lease_until: dt.datetime
) -> int | None:
    """Claim a due delivery for one attempt: its attempt number, or None when another
    sender claimed it first (or it is no longer due)."""
    result = await session.exec(
        update(AlertDelivery)
        .where(col(AlertDelivery.id) == delivery_id, _due(now))
        .values(
            status=SENDING,
            lease_until=lease_until,
            attempts=col(AlertDelivery.attempts) + 1,
        )
        .returning(col(AlertDelivery.attempts))
    )
    attempt = result.scalar_one_or_none()
    return int(attempt) if attempt is not None else None


async def finish_delivery(
    session: AsyncSession, *, delivery_id: int, attempt: int, values: Mapping[str, Any]
) -> bool:
    """Record how the claimed attempt ended; False when the claim was lost meanwhile."""
    result = await session.exec(
        update(AlertDelivery)
        .where(
            col(AlertDelivery.id) == delivery_id,
            col(AlertDelivery.status) == SENDING,
            col(AlertDelivery.attempts) == attempt,
        )
        .values(lease_until=None, **values)
    )
    return cast(CursorResult[Any], result).rowcount == 1


@dataclass(frozen=True)
class DeliveryContext:
    delivery: AlertDelivery
    alert: Alert
    referral: Referral
    target: TeamsConversation


async def delivery_context(session: AsyncSession, *, delivery_id: int) -> DeliveryContext:
    stmt = (
        select(AlertDelivery, Alert, Referral, TeamsConversation)
        .join(Alert, col(Alert.id) == col(AlertDelivery.alert_id))
        .join(Referral, col(Referral.id) == col(Alert.referral_id))
        .join(TeamsConversation, col(TeamsConversation.id) == col(AlertDelivery.target_id))
        .where(col(AlertDelivery.id) == delivery_id)
    )
    delivery, alert, referral, target = (await session.exec(stmt)).one()
    return DeliveryContext(delivery, alert, referral, target)


async def recent_alerts(
    session: AsyncSession, *, limit: int
) -> list[tuple[Alert, str, dict[str, int]]]:
    """The newest alerts with their referral's reference and delivery counts by status."""
    stmt = (
        select(Alert, col(Referral.reference))
        .join(Referral, col(Referral.id) == col(Alert.referral_id))
        .order_by(col(Alert.id).desc())
        .limit(limit)
    )
    rows = list((await session.exec(stmt)).all())
    ids = [alert.id for alert, _ in rows]
    counts: dict[int, dict[str, int]] = {}
    if ids:
        count_stmt = (
            select(col(AlertDelivery.alert_id), col(AlertDelivery.status), func.count())
            .where(col(AlertDelivery.alert_id).in_(ids))
            .group_by(col(AlertDelivery.alert_id), col(AlertDelivery.status))
        )
        for alert_id, status, number in (await session.exec(count_stmt)).all():
            counts.setdefault(alert_id, {})[status] = int(number)
    return [(alert, reference, counts.get(alert.id or 0, {})) for alert, reference in rows]
