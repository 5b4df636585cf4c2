"""What a guided conversation (web chat, Teams, terminal) needs from the store and the triage.

The dialog engine (``dialogs``) never touches the store or the triage itself; it
asks a ``Conversations`` object:

- the conversation's JSON state is saved after every turn with optimistic
  versioning (``save`` raises ``Conflict`` when someone else saved first);
- every inbound text is stored as a ``Message`` before anything else is done with
  it (``receive``), every outbound turn in the same transaction as the state
  it leads to (``save``), so the officer sees the whole transcript;
- resume codes are random, shown once and stored only as an argon2 hash;
- ``submit`` is the one way a conversation becomes a referral (through
  ``intake.submit``) and is idempotent per conversation; ``queue_incomplete`` is
  the abandonment sweep's version of it; ``request_callback`` puts a
  "speak to someone" request in the queue.

The pieces live beside it: ``intake.conversation_records`` (statuses, ``Conversation``,
``Draft``), ``intake.triage_summary``, ``intake.resume_codes`` and
``intake.conversation_queue``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from intake import dates
from intake.conversation_queue import ConversationQueue
from intake.conversation_records import SUBMITTED, Conversation, new_conversation_id, view
from intake.errors import Conflict
from intake.officers import Actor
from intake.resume_codes import ResumeCodes
from intake.triage_summary import TriageSummary, summarise
from intake.triager import Triager
from store import audit
from store.engine import Database
from store.enums import Channel, Direction
from store.errors import StaleVersion
from store.models import ConversationState, MessageCreate
from store.repo import conversations as repo
from store.types import utcnow


class Conversations(ResumeCodes, ConversationQueue):
    """The store and triage operations of guided conversations, for one database."""

    def __init__(self, db: Database, triager: Triager | None, *, actor: str = "chat") -> None:
        self.db = db
        self.triager = triager
        self.actor = Actor.system(actor)

    # ------------------------------------------------------------ state and transcript

    async def create(
        self,
        *,
        channel: str,
        state: Mapping[str, Any],
        user_key: str | None = None,
        now: dt.datetime | None = None,
    ) -> Conversation:
        now = now or utcnow()
        Channel(channel)  # refuse unknown channels early
        for _ in range(5):
            row = ConversationState(
                id=new_conversation_id(),
                channel=channel,
                state=dict(state),
                user_key=user_key,
                created_at=now,
                updated_at=now,
            )
            async with self.db.transaction() as session:
                if await repo.get_conversation(session, conversation_id=row.id):
                    continue  # ~40 bits: a clash is rare, but possible
                await repo.create_conversation(session, conversation=row)
            return view(row, None)
        raise Conflict("Could not start a conversation. Please try again.")

    async def load(self, conversation_id: str) -> Conversation | None:
        if not conversation_id or len(conversation_id) > 36:
            return None
        async with self.db.session() as session:
            found = await repo.get_conversation(session, conversation_id=conversation_id)
        return view(*found) if found else None

    def _message(
        self,
        conversation: Conversation,
        *,
        direction: Direction,
        text: str,
        turn: int,
        now: dt.datetime,
        flags: Mapping[str, Any] | None = None,
    ) -> MessageCreate:
        return MessageCreate(
            channel=conversation.channel,
            direction=direction.value,
            body_text=text,
            created_at=now,
            conversation_id=conversation.id,
            referral_id=conversation.referral_id,
            sender_name="referrer" if direction is Direction.IN else "LADO Intake",
            flags={"turn": turn, **(flags or {})},
        )

    async def receive(
        self,
        conversation_id: str,
        text: str,
        *,
        now: dt.datetime,
        check: Callable[[Conversation], None] | None = None,
    ) -> Conversation | None:
        """Load the conversation and store what the person sent, in one transaction, before
        anything is done with it. ``check`` (e.g. the web chat's token check) runs first and
        may raise, in which case nothing is stored. None when there is no such conversation.

        The message is numbered as the conversation's next turn; after the conversation
        became a referral it is linked to it too (and audited once submitted)."""
        if not conversation_id or len(conversation_id) > 36:
            return None
        async with self.db.transaction() as session:
            found = await repo.get_conversation(session, conversation_id=conversation_id)
            if found is None:
                return None
            conversation = view(*found)
            if check is not None:
                check(conversation)
            turn = int(conversation.state.get("turn", 0)) + 1
            await repo.add_turn_message(
                session,
                data=self._message(
                    conversation, direction=Direction.IN, text=text, turn=turn, now=now
                ),
            )
            if conversation.referral_id is not None and conversation.status == SUBMITTED:
                await audit.append(
                    session,
                    actor=self.actor.name,
                    action="referrer.message",
                    referral_id=conversation.referral_id,
                    detail={"reference": found[1], "conversation": conversation.id},
                )
        return conversation

    async def save(
        self,
        conversation: Conversation,
        *,
        state: Mapping[str, Any],
        outbound: str | None,
        turn: int,
        now: dt.datetime,
        status: str | None = None,
        has_concern: bool | None = None,
        referral_id: int | None = None,
        flags: Mapping[str, Any] | None = None,
    ) -> Conversation:
        """Save the state the turn led to and the bot's reply, in one transaction.

        Raises Conflict when the conversation changed since it was loaded."""
        values: dict[str, Any] = {"state": dict(state), "updated_at": now}
        if status is not None:
            values["status"] = status
        if has_concern is not None:
            values["has_concern"] = has_concern or conversation.has_concern
        if referral_id is not None:
            values["referral_id"] = referral_id
        try:
            async with self.db.transaction() as session:
                version = await repo.save_conversation(
                    session,
                    conversation_id=conversation.id,
                    expected_version=conversation.version,
                    values=values,
                )
                if outbound:
                    current = referral_id or conversation.referral_id
                    message = self._message(
                        conversation,
                        direction=Direction.OUT,
                        text=outbound,
                        turn=turn,
                        now=now,
                        flags=flags,
                    )
                    await repo.add_turn_message(
                        session,
                        data=message.model_copy(update={"referral_id": current}),
                    )
                reference = None
                if (referral_id or conversation.referral_id) is not None:
                    found = await repo.get_conversation(session, conversation_id=conversation.id)
                    reference = found[1] if found else None
        except StaleVersion as exc:
            raise Conflict(
                "This conversation changed in another window. Please send your message again."
            ) from exc
        return replace(
            conversation,
            status=values.get("status", conversation.status),
            state=dict(state),
            version=version,
            has_concern=values.get("has_concern", conversation.has_concern),
            referral_id=values.get("referral_id", conversation.referral_id),
            reference=reference,
            updated_at=now,
        )

    async def set_token(
        self, conversation: Conversation, *, token_hash: str, expires_at: dt.datetime
    ) -> Conversation:
        """Give the conversation a (new) bearer token hash and expiry (web chat)."""
        version = await self._update(
            conversation, {"token_hash": token_hash, "token_expires_at": expires_at}
        )
        return replace(
            conversation, version=version, token_hash=token_hash, token_expires_at=expires_at
        )

    async def extend_token(self, conversation: Conversation, *, expires_at: dt.datetime) -> None:
        """Slide the token's expiry (no version change: the state is untouched)."""
        async with self.db.transaction() as session:
            await repo.touch_token(session, conversation_id=conversation.id, expires_at=expires_at)

    # ------------------------------------------------------------ triage and dates

    async def triage(
        self, text: str, *, known: Mapping[str, Any], received_at: dt.datetime
    ) -> TriageSummary | None:
        """The triage of the account so far (None when no triage is configured)."""
        if self.triager is None or not text.strip():
            return None
        result = await self.triager.assess(text, known=dict(known), received_at=received_at)
        return summarise(result)

    def resolve_date(self, text: str, *, at: dt.datetime) -> dt.date | None:
        """A date written in words ("yesterday", "last Tuesday", "3rd March"), resolved
        against the time the message arrived (UK day-month order)."""
        return dates.resolve_date(text, at=at)
