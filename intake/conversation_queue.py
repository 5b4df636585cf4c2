"""Guided conversations into the queue: the referral a conversation becomes (through
``intake.submit``, idempotently), the report form's referral, "speak to someone" call
backs, the abandonment sweep's incomplete referrals, and escalation when a child may be
in danger. ``ConversationQueue`` is that part of ``intake.conversations.Conversations``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from intake import alerts
from intake.conversation_records import (
    ABANDONED,
    EXPIRED,
    QUEUEING,
    Conversation,
    Draft,
    SubmitOutcome,
    child_rows,
    view,
)
from intake.errors import NotFoundError
from intake.officers import Actor
from intake.submit import Submission, children_from, referral_data, submit
from intake.triager import Triager
from store import audit
from store.engine import Database
from store.enums import Channel, Direction, Kind
from store.errors import NotFound, StaleVersion
from store.models import MessageCreate
from store.repo import conversations as repo
from store.repo import messages as message_repo
from store.repo import referrals as referral_repo
from store.types import utcnow
from triage.result import TriageResult

log = logging.getLogger(__name__)


class ConversationQueue:
    """Conversations into the queue (part of ``Conversations``)."""

    db: Database
    triager: Triager | None
    actor: Actor

    async def submit(
        self,
        conversation: Conversation,
        draft: Draft,
        *,
        incomplete: bool = False,
        complete_existing: bool = False,
    ) -> SubmitOutcome:
        """Create the referral for this conversation through ``intake.submit``.

        Idempotent: when the conversation already became a referral (a retry after a
        crash), that referral is returned; with ``complete_existing`` (the referrer came
        back after the sweep queued it as incomplete) it is completed in place."""
        async with self.db.session() as session:
            existing = await repo.referral_of_conversation(session, conversation_id=conversation.id)
        submission = self._submission(conversation, draft, incomplete=incomplete)
        if existing is not None and existing.id is not None:
            if complete_existing:
                return await self._complete(existing.id, submission)
            return SubmitOutcome.of(existing)
        return SubmitOutcome.of(await submit(self.db, self.triager, submission, actor=self.actor))

    def _submission(
        self, conversation: Conversation, draft: Draft, *, incomplete: bool
    ) -> Submission:
        return Submission(
            channel=Channel(conversation.channel),
            narrative=draft.narrative,
            received_at=draft.received_at or conversation.created_at,
            known=dict(draft.known),
            children=child_rows(draft.children),
            incomplete=incomplete,
            conversation_id=conversation.id,
        )

    async def submit_form(self, draft: Draft, *, transcript: str) -> SubmitOutcome:
        """A referral from the report form: the same submit and triage as the chat, with
        the form as it was filled in stored as its first message."""
        received = draft.received_at or utcnow()
        referral = await submit(
            self.db,
            self.triager,
            Submission(
                channel=Channel.FORM,
                narrative=draft.narrative,
                received_at=received,
                known=dict(draft.known),
                children=child_rows(draft.children),
                new_messages=[
                    MessageCreate(
                        channel=Channel.FORM.value,
                        direction=Direction.IN.value,
                        body_text=transcript,
                        created_at=received,
                        sender_name="referrer",
                    )
                ],
            ),
            actor=Actor.system("form"),
        )
        return SubmitOutcome.of(referral)

    async def _complete(self, referral_id: int, submission: Submission) -> SubmitOutcome:
        triage: TriageResult | None = None
        if self.triager is not None:
            triage = await self.triager.assess(
                submission.narrative, known=submission.known, received_at=submission.received_at
            )
        data = referral_data(submission, triage)
        values = data.model_dump(
            exclude={"kind", "channel", "received_at", "demo", "conversation_id"}
        )
        values["incomplete"] = False
        async with self.db.transaction() as session:
            current = await referral_repo.get_by_id(session, referral_id=referral_id)
            updated = await referral_repo.update_referral(
                session, referral_id=referral_id, expected_version=current.version, values=values
            )
            await repo.replace_children(
                session, referral_id=referral_id, children=children_from(submission, triage)
            )
            await alerts.enqueue(session, updated)
            await message_repo.link_to_referral(
                session, referral_id=referral_id, conversation_id=submission.conversation_id
            )
            await audit.append(
                session,
                actor=self.actor.name,
                action="update",
                referral_id=referral_id,
                detail={
                    "reference": updated.reference,
                    "by": "referrer",
                    "completed": True,
                    "suggestion": updated.triage_suggestion,
                },
            )
        log.info("referral %s completed by the referrer", updated.reference)
        return SubmitOutcome.of(updated, completed_existing=True)

    async def request_callback(
        self,
        conversation: Conversation,
        *,
        name: str | None,
        phone: str,
        narrative: str,
        now: dt.datetime,
    ) -> str:
        """Put a "speak to someone" request in the queue (a callback item); its reference."""
        text = "The referrer asked to speak to someone and to be called back."
        if narrative.strip():
            text += "\n\nWhat they had told us so far:\n" + narrative.strip()
        referral = await submit(
            self.db,
            None,
            Submission(
                channel=Channel(conversation.channel),
                narrative=text,
                received_at=now,
                kind=Kind.CALLBACK,
                known={
                    "referrer_name": name or "unknown",
                    "referrer_phone": phone,
                    "conversation_reference": conversation.id,
                },
            ),
            actor=self.actor,
        )
        return referral.reference

    # ------------------------------------------------------------ the abandonment sweep

    async def idle(
        self,
        *,
        idle_before: dt.datetime,
        urgent_idle_before: dt.datetime,
        stuck_before: dt.datetime,
        limit: int = 200,
    ) -> list[Conversation]:
        async with self.db.session() as session:
            rows = await repo.idle_conversations(
                session,
                idle_before=idle_before,
                urgent_idle_before=urgent_idle_before,
                stuck_before=stuck_before,
                limit=limit,
            )
        return [view(row, None) for row in rows]

    async def claim_for_queue(
        self, conversation: Conversation, *, now: dt.datetime
    ) -> Conversation | None:
        """Mark an idle conversation as being queued; None when someone else got there first."""
        try:
            version = await self._update(conversation, {"status": QUEUEING, "updated_at": now})
        except StaleVersion:
            return None
        return replace(conversation, version=version, status=QUEUEING, updated_at=now)

    async def queue_incomplete(
        self, conversation: Conversation, draft: Draft, *, now: dt.datetime
    ) -> str | None:
        """Queue an abandoned conversation as an incomplete referral (sweep only).

        Claims it first so that two sweeps never queue it twice; returns the reference,
        or None when another sweep or the referrer got there first."""
        claimed = await self.claim_for_queue(conversation, now=now)
        if claimed is None:
            return None
        outcome = await self.submit(claimed, draft, incomplete=True)
        async with self.db.session() as session:
            referral = await repo.referral_of_conversation(session, conversation_id=conversation.id)
        await self._update(
            claimed,
            {
                "status": ABANDONED,
                "referral_id": referral.id if referral else None,
                "updated_at": now,
            },
        )
        log.info("conversation %s queued as incomplete %s", conversation.id, outcome.reference)
        return outcome.reference

    async def expire(self, conversation: Conversation, *, now: dt.datetime) -> bool:
        """Close an idle conversation that holds no account of a concern."""
        try:
            await self._update(
                conversation, {"status": EXPIRED, "token_hash": None, "updated_at": now}
            )
        except StaleVersion:
            return False
        return True

    async def _update(self, conversation: Conversation, values: Mapping[str, Any]) -> int:
        """Change the stored conversation in a transaction of its own; its new version.
        Raises StaleVersion when it changed since ``conversation`` was loaded."""
        async with self.db.transaction() as session:
            return await repo.save_conversation(
                session,
                conversation_id=conversation.id,
                expected_version=conversation.version,
                values=values,
            )

    async def mark_urgent(self, conversation: Conversation) -> None:
        """A child may be in danger now: flag the referral this conversation became as
        urgent (it moves to the top of the queue) and audit it."""
        if conversation.referral_id is None:
            return
        async with self.db.transaction() as session:
            current = await referral_repo.get_by_id(session, referral_id=conversation.referral_id)
            if current.immediate_danger:
                return
            escalated = await referral_repo.update_referral(
                session,
                referral_id=conversation.referral_id,
                expected_version=current.version,
                values={"immediate_danger": True},
            )
            await alerts.enqueue(session, escalated)
            await audit.append(
                session,
                actor=self.actor.name,
                action="escalate",
                referral_id=conversation.referral_id,
                detail={"reference": current.reference, "immediate_danger": True},
            )
        log.warning("referral %s flagged as immediate danger by the referrer", current.reference)

    async def reference_of(self, referral_id: int) -> str:
        async with self.db.session() as session:
            try:
                return (await referral_repo.get_by_id(session, referral_id=referral_id)).reference
            except NotFound as exc:
                raise NotFoundError("There is no such referral.") from exc
