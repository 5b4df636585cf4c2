"""The abandonment sweep: idle conversations with any account of a concern are queued as
incomplete referrals; idle empty ones expire.

Run by the service every ``LADO_CHAT__SWEEP_SECONDS`` and by ``lado chat sweep``.
Safe to run from several processes at once: each conversation is claimed first.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from dialogs.config import ChatSettings
from dialogs.state import draft_of
from intake.conversations import Conversations

log = logging.getLogger(__name__)

#: a sweep that died half-way through queueing a conversation is retried after this
STUCK_AFTER = dt.timedelta(minutes=10)


@dataclass
class SweepReport:
    queued: list[str] = field(default_factory=list)
    expired: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"queued": self.queued, "expired": self.expired, "skipped": self.skipped}


async def sweep(
    conversations: Conversations, settings: ChatSettings, *, now: dt.datetime, limit: int = 200
) -> SweepReport:
    report = SweepReport()
    idle = await conversations.idle(
        idle_before=now - dt.timedelta(minutes=settings.idle_minutes),
        urgent_idle_before=now - dt.timedelta(minutes=settings.urgent_idle_minutes),
        stuck_before=now - STUCK_AFTER,
        limit=limit,
    )
    for conversation in idle:
        try:
            if conversation.has_concern:
                reference = await conversations.queue_incomplete(
                    conversation, draft_of(conversation.state, conversation), now=now
                )
                if reference is None:
                    report.skipped += 1
                else:
                    report.queued.append(reference)
            elif await conversations.expire(conversation, now=now):
                report.expired += 1
            else:
                report.skipped += 1
        except Exception as exc:  # one bad conversation must not stop the others
            log.error(
                "sweep could not queue conversation %s: %s", conversation.id, type(exc).__name__
            )
            report.skipped += 1
    if report.queued or report.expired:
        log.info(
            "chat sweep: %d queued as incomplete, %d expired", len(report.queued), report.expired
        )
    return report
