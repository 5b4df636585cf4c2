"""Step 3 of the mail pipeline: queue the acknowledgement in the database once (a
deterministic Message-ID), then send it and record the delivery; what an earlier pass
could not send goes at the start of the next. ``MailOutbox`` is that part of
``intake.mail.poller.Poller``.
"""

from __future__ import annotations

import datetime as dt
import email
import logging
from email import policy
from email.message import EmailMessage

from intake.config import AuthoritySettings
from intake.mail import ack as ack_mod
from intake.mail import classify
from intake.mail.config import MailSettings
from intake.mail.outcomes import CREATED, PassResult
from intake.mail.source import MailSender, SendError
from store.engine import Database
from store.enums import Channel, Direction, Kind
from store.models import Message, MessageCreate, Referral
from store.repo import mail as repo
from store.repo import messages as message_repo
from store.types import utcnow

log = logging.getLogger(__name__)


class MailOutbox:
    """Acknowledging mail (part of ``Poller``)."""

    db: Database
    sender: MailSender
    settings: MailSettings
    authority: AuthoritySettings
    mailbox: str
    ack_ctx: ack_mod.AckContext
    our_addresses: frozenset[str]

    def _ack_refusal(self, stored: Message, referral: Referral, outcome: str) -> str | None:
        flags = stored.flags or {}
        if not self.settings.acknowledge:
            return "acknowledgements are switched off"
        if referral.kind != Kind.CONCERN.value or stored.error is not None:
            return "not a concern"
        if classify.automated(flags) or flags.get("no_auto_response"):
            return "automatic mail"
        if not stored.sender or flags.get("sender_unclear"):
            return "no clear sender"
        if stored.sender.lower() in self.our_addresses:
            return "our own address"
        return None

    def _compose(self, stored: Message, referral: Referral, *, reply: bool) -> EmailMessage:
        assert stored.id is not None
        return ack_mod.compose(
            self.ack_ctx,
            to=str(stored.sender),
            reference=referral.reference,
            inbound_row_id=stored.id,
            inbound_message_id=stored.message_id,
            inbound_references=(stored.references or "").split(),
            original_subject=stored.subject or "",
            missing=referral.triage_missing,
            known=list((referral.details or {}).keys()),
            reply=reply,
        )

    async def _acknowledge(
        self, stored: Message, referral: Referral, outcome: str, result: PassResult
    ) -> None:
        """Step 3: queue the acknowledgement once, then send what is queued."""
        assert stored.id is not None
        if self._ack_refusal(stored, referral, outcome) is not None:
            return
        reply = outcome != CREATED and stored.id not in await self._first_message_ids(referral)
        try:
            msg = self._compose(stored, referral, reply=reply)
        except (ValueError, TypeError) as exc:  # a header we cannot answer to
            log.warning("no acknowledgement for message %s (%s)", stored.id, type(exc).__name__)
            return
        ack_id = str(msg["Message-ID"])
        async with self.db.transaction() as s:
            existing = await repo.find_message(s, mailbox=self.mailbox, message_id=ack_id)
            if existing is None:
                since = utcnow() - dt.timedelta(days=1)
                sent = await repo.acks_sent_to(s, address=str(stored.sender), since=since)
                capped = sent >= self.settings.ack_limit_per_sender
                row = await message_repo.add_message(
                    s,
                    data=MessageCreate(
                        direction=Direction.OUT.value,
                        channel=Channel.EMAIL.value,
                        sender=self.mailbox,
                        sender_name=self.authority.service_name[:200],
                        recipients=str(stored.sender),
                        subject=str(msg["Subject"])[:998],
                        body_text=str(msg.get_content()),
                        referral_id=referral.id,
                        mailbox=self.mailbox,
                        message_id=ack_id,
                        in_reply_to=stored.message_id,
                        references=str(msg.get("References") or "") or None,
                        raw=bytes(msg),
                        flags={"acknowledgement": True},
                    ),
                )
                row.delivery_status = "suppressed" if capped else "queued"
                if capped:
                    row.error = (
                        f"not sent: {self.settings.ack_limit_per_sender} acknowledgements "
                        "already sent to this address today"
                    )
                    result.suppressed += 1
                await s.flush()
                pending = None if capped else row.id
            else:
                pending = existing.id if existing.delivery_status == "queued" else None
        if pending is not None:
            await self._send(pending, result, message=msg if existing is None else None)

    async def _first_message_ids(self, referral: Referral) -> set[int]:
        """The inbound message(s) that created the referral (the rest are replies)."""
        assert referral.id is not None
        async with self.db.session() as s:
            first = await repo.first_inbound_id(s, referral_id=referral.id)
        return {first} if first is not None else set()

    async def _send(
        self, message_row_id: int, result: PassResult, *, message: EmailMessage | None = None
    ) -> None:
        """Send one queued message (``message``: the one just queued, already built)."""
        outgoing = message
        if outgoing is None:
            async with self.db.session() as s:
                row = await s.get(Message, message_row_id)
                if row is None or row.delivery_status != "queued" or not row.raw:
                    return
                raw = row.raw
            parsed = email.message_from_bytes(raw, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            outgoing = parsed
        status, error = "sent", None
        try:
            await self.sender.send(outgoing)
            result.acknowledged += 1
        except SendError as exc:
            result.send_failures += 1
            status = "failed" if exc.permanent else "queued"
            error = f"{type(exc).__name__}: {str(exc)[:300]}"
            log.warning("acknowledgement %s not sent (%s)", message_row_id, status)
        except Exception as exc:  # a transport failure: keep it queued for the next pass
            result.send_failures += 1
            status, error = "queued", type(exc).__name__
            log.warning("acknowledgement %s not sent (%s)", message_row_id, error)
        async with self.db.transaction() as s:
            await repo.set_delivery(s, message_id=message_row_id, status=status, error=error)

    async def _flush_outbox(self, result: PassResult) -> None:
        """Send what an earlier pass queued but could not send (or was stopped before)."""
        async with self.db.session() as s:
            ids = await repo.queued_outbound(s, mailbox=self.mailbox)
        for message_row_id in ids:
            await self._send(message_row_id, result)
