"""Alerts to the duty officer when an URGENT (or, by setting, a REFERRAL) item arrives.

Durable and cross-process: ``enqueue`` is called inside the transaction that creates
the referral (``intake.submit``), whichever process creates it (the service, the
``lado poll`` mail poller, the demo loader), so an alert exists exactly when the
referral does. A sender (the Teams channel in the service) then ``route``s new alerts
to where they go now (the duty channel, officers on duty), ``claim``s due deliveries,
and records each attempt: ``sent`` once, or ``failed`` and retried with back-off.

An alert carries the reference, the suggestion, the deadlines and the channel it came
by: never the allegation text, names or any other personal data (``AlertContent`` has
no field that could hold them).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from intake import clock
from intake.config import AuthoritySettings
from store import workdays
from store.engine import Database, Session
from store.enums import Kind
from store.models import Alert, Referral, TeamsConversation
from store.repo import alerts as repo
from store.repo import teams as teams_repo
from store.types import utcnow
from triage.vocab import SUGGESTION_LABELS, Suggestion

log = logging.getLogger(__name__)

URGENT = "urgent"
REFERRAL = "referral"

#: the first retry waits this long; each further one twice as long, up to BACKOFF_MAX
BACKOFF_FIRST = dt.timedelta(seconds=15)
BACKOFF_MAX = dt.timedelta(minutes=15)


def reason_for(referral: Referral) -> str | None:
    """Why this queue item needs an alert (``urgent`` or ``referral``), or None."""
    if referral.kind != Kind.CONCERN.value or referral.demo:
        return None
    if referral.immediate_danger or referral.triage_suggestion == Suggestion.URGENT.value:
        return URGENT
    if referral.triage_suggestion == Suggestion.REFERRAL.value:
        return REFERRAL
    return None


async def enqueue(session: Session, referral: Referral, *, now: dt.datetime | None = None) -> None:
    """Queue the alert this referral needs, if any, in the caller's transaction.

    Idempotent per referral and reason, so it may also be called when a referral is
    escalated later (e.g. flagged as immediate danger)."""
    reason = reason_for(referral)
    if reason is None or referral.id is None:
        return
    await repo.add_alert(session, referral_id=referral.id, reason=reason, now=now or utcnow())


def backoff(attempt: int) -> dt.timedelta:
    """How long to wait after the ``attempt``-th failure (1, 2, ...)."""
    delay: dt.timedelta = BACKOFF_FIRST * (2 ** min(max(attempt - 1, 0), 20))
    return min(delay, BACKOFF_MAX)


# ---------------------------------------------------------------- what an alert says


@dataclass(frozen=True)
class AlertContent:
    """Everything an alert may show. Deliberately no narrative, names or contact details."""

    alert_id: int
    reference: str
    reason: str
    suggestion: str | None
    suggestion_label: str
    channel: str
    received_at: dt.datetime
    #: when an officer should have acted (the response promise, as the queue shows it)
    respond_by: dt.datetime
    #: the one-working-day (or 24-hour) notification deadline, from when the
    #: organisation became aware (or from receipt when that is not known)
    notification_due: dt.datetime | dt.date
    incomplete: bool


def content_of(alert: Alert, referral: Referral, authority: AuthoritySettings) -> AlertContent:
    assert alert.id is not None
    deadlines = clock.deadlines(referral, authority, now=utcnow())
    respond_by = deadlines.response.due
    assert isinstance(respond_by, dt.datetime)
    start = referral.aware_at or referral.received_at
    notification_due: dt.datetime | dt.date
    if authority.notification_deadline == "24h":
        notification_due = start + dt.timedelta(hours=24)
    else:
        notification_due = workdays.notification_deadline(workdays.local_date(start))
    suggestion = referral.triage_suggestion
    if alert.reason == URGENT:
        label = SUGGESTION_LABELS[Suggestion.URGENT]
    elif suggestion is not None and suggestion in Suggestion.__members__:
        label = SUGGESTION_LABELS[Suggestion(suggestion)]
    else:
        label = "No suggestion yet"
    return AlertContent(
        alert_id=alert.id,
        reference=referral.reference,
        reason=alert.reason,
        suggestion=suggestion,
        suggestion_label=label,
        channel=referral.channel,
        received_at=referral.received_at,
        respond_by=respond_by,
        notification_due=notification_due,
        incomplete=referral.incomplete,
    )


# ---------------------------------------------------------------- delivering


@dataclass(frozen=True)
class Delivery:
    """One claimed attempt to post one alert to one Teams conversation."""

    delivery_id: int
    attempt: int
    target_id: int
    target_kind: str
    service_url: str
    #: the stored conversation reference (the channel posts with it)
    conversation: dict[str, Any]
    content: AlertContent


class Outbox:
    """Routing and delivery bookkeeping over the alert tables (one per sender)."""

    def __init__(
        self,
        db: Database,
        authority: AuthoritySettings,
        *,
        include_referrals: bool,
        max_age: dt.timedelta,
        max_attempts: int,
        lease: dt.timedelta = dt.timedelta(minutes=2),
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.db = db
        self.authority = authority
        self.include_referrals = include_referrals
        self.max_age = max_age
        self.max_attempts = max_attempts
        self.lease = lease
        self.clock = clock

    async def route(self, *, limit: int = 100) -> int:
        """Turn new alerts into deliveries to where alerts go now; how many were routed."""
        now = self.clock()
        routed = expired = 0
        async with self.db.transaction() as session:
            pending = await repo.new_alerts(session, limit=limit)
            targets: list[TeamsConversation] | None = None
            for alert, referral in pending:
                assert alert.id is not None
                if alert.reason == REFERRAL and not self.include_referrals:
                    await repo.set_alert_status(
                        session, alert_id=alert.id, status=repo.SKIPPED, now=now
                    )
                    continue
                if alert.created_at < now - self.max_age:
                    await repo.set_alert_status(
                        session, alert_id=alert.id, status=repo.EXPIRED, now=now
                    )
                    expired += 1
                    continue
                if targets is None:
                    targets = await teams_repo.duty_targets(session)
                if not targets:
                    times = await repo.count_unrouted(session, alert_id=alert.id)
                    if times == 1:
                        log.warning(
                            "alert %s for %s has nobody to go to: register a duty channel or "
                            "put an officer on duty",
                            alert.id,
                            referral.reference,
                        )
                    continue
                await repo.add_deliveries(
                    session,
                    alert_id=alert.id,
                    target_ids=[t.id for t in targets if t.id is not None],
                    now=now,
                )
                await repo.set_alert_status(session, alert_id=alert.id, status=repo.ROUTED, now=now)
                routed += 1
        if routed:
            log.info("routed %d alert(s)", routed)
        if expired:
            log.error("%d alert(s) older than %s expired unsent", expired, self.max_age)
        return routed

    async def claim(self, *, limit: int = 20) -> list[Delivery]:
        """Claim due deliveries (each by exactly one sender); expired ones are failed."""
        now = self.clock()
        async with self.db.session() as session:
            due = await repo.due_deliveries(session, now=now, limit=limit)
        claimed: list[Delivery] = []
        for row in due:
            assert row.id is not None
            async with self.db.transaction() as session:
                attempt = await repo.claim_delivery(
                    session, delivery_id=row.id, now=now, lease_until=now + self.lease
                )
                if attempt is None:
                    continue
                found = await repo.delivery_context(session, delivery_id=row.id)
            if found.alert.created_at < now - self.max_age:
                await self._finish(
                    row.id, attempt, {"status": repo.FAILED, "last_error": "expired"}
                )
                log.error("alert %s delivery %s expired unsent", found.alert.id, row.id)
                continue
            assert found.target.id is not None
            claimed.append(
                Delivery(
                    delivery_id=row.id,
                    attempt=attempt,
                    target_id=found.target.id,
                    target_kind=found.target.kind,
                    service_url=found.target.service_url,
                    conversation=dict(found.target.reference),
                    content=content_of(found.alert, found.referral, self.authority),
                )
            )
        return claimed

    async def _finish(self, delivery_id: int, attempt: int, values: dict[str, Any]) -> bool:
        async with self.db.transaction() as session:
            return await repo.finish_delivery(
                session, delivery_id=delivery_id, attempt=attempt, values=values
            )

    async def sent(self, delivery: Delivery, *, activity_id: str | None) -> None:
        recorded = await self._finish(
            delivery.delivery_id,
            delivery.attempt,
            {
                "status": repo.SENT,
                "sent_at": self.clock(),
                "activity_id": (activity_id or "")[:200] or None,
                "last_error": None,
            },
        )
        if not recorded:
            log.warning("alert delivery %s: sent, but its claim had lapsed", delivery.delivery_id)
        log.info(
            "alert %s for %s sent to target %s",
            delivery.content.alert_id,
            delivery.content.reference,
            delivery.target_id,
        )

    async def failed(self, delivery: Delivery, *, error: str, permanent: bool, gone: bool) -> None:
        """Record a failed attempt: retried later with back-off, unless it is permanent or
        the attempts are used up. ``gone``: the conversation no longer exists for the bot."""
        now = self.clock()
        final = permanent or delivery.attempt >= self.max_attempts
        values: dict[str, Any] = {"last_error": error[:200]}
        if final:
            values["status"] = repo.FAILED
        else:
            values["status"] = repo.PENDING
            values["next_attempt_at"] = now + backoff(delivery.attempt)
        await self._finish(delivery.delivery_id, delivery.attempt, values)
        if gone:
            async with self.db.transaction() as session:
                await teams_repo.mark_target_gone(session, target_id=delivery.target_id, now=now)
        if final:
            log.error(
                "alert %s for %s could not be sent to target %s (%s, attempt %d)",
                delivery.content.alert_id,
                delivery.content.reference,
                delivery.target_id,
                error,
                delivery.attempt,
            )
        else:
            log.warning(
                "alert %s delivery %s failed (%s, attempt %d); retrying",
                delivery.content.alert_id,
                delivery.delivery_id,
                error,
                delivery.attempt,
            )


async def recent_alerts(db: Database, *, limit: int = 50) -> list[dict[str, Any]]:
    """The newest alerts and how their deliveries stand (for ``lado teams alerts``)."""
    async with db.session() as session:
        rows = await repo.recent_alerts(session, limit=limit)
    return [
        {
            "alert": alert.id,
            "reference": reference,
            "reason": alert.reason,
            "status": alert.status,
            "created_at": alert.created_at.isoformat(),
            "deliveries": counts,
        }
        for alert, reference, counts in rows
    ]
