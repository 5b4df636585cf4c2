"""Step 2 of the mail pipeline: file a stored message as a new referral (triaged, with the
answers of attached forms), a reply threaded into its referral, an automatic-mail item
or a "could not process" item. ``MailFiling`` is that part of
``intake.mail.poller.Poller``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from intake.errors import Invalid
from intake.mail import classify
from intake.mail.outcomes import AUTOMATED, CREATED, QUARANTINED, THREADED
from intake.mail.parse import ParsedMail
from intake.officers import Actor
from intake.submit import Submission, submit
from intake.triager import Triager
from store import audit
from store.engine import Database
from store.enums import Channel, Kind
from store.errors import NotFound
from store.models import Message, Referral
from store.references import find_reference
from store.repo import mail as repo
from store.repo import messages as message_repo
from store.repo.referrals import get_by_id, get_by_reference
from store.types import utcnow
from triage.result import TriageResult

log = logging.getLogger(__name__)


ACTOR = Actor.system("poller")

_AUTO_LABELS = {
    "bounce": "a delivery failure report (bounce)",
    "auto_reply": "an automatic reply (for example out of office)",
    "list": "mailing-list or bulk mail",
    "own_mail": "mail sent by this service",
    "loop": "mail that has looped",
}


class _TriageFailed(Exception):
    pass


class _GuardedTriager:
    """Turns any triage failure into one exception the poller can recover from."""

    def __init__(self, inner: Triager) -> None:
        self.inner = inner

    async def assess(
        self,
        text: str,
        *,
        known: Mapping[str, Any] | None = None,
        received_at: dt.datetime | None = None,
    ) -> TriageResult:
        try:
            return await self.inner.assess(text, known=known, received_at=received_at)
        except Exception as exc:
            raise _TriageFailed(type(exc).__name__) from exc


class MailFiling:
    """Filing stored mail (part of ``Poller``)."""

    db: Database
    triager: Triager | None
    mailbox: str

    async def _file(self, stored: Message, parsed: ParsedMail | None) -> str:
        """Step 2: a referral, a thread, an automatic item or a quarantine item."""
        assert stored.id is not None
        if stored.error is not None or parsed is None or parsed.fatal:
            reason = stored.error or (parsed.fatal if parsed else None) or "unreadable"
            await self._submit(
                stored,
                Submission(
                    channel=Channel.EMAIL,
                    kind=Kind.QUARANTINE,
                    narrative=f"This email could not be processed: {reason}. The original is "
                    "stored; open it from the Messages section.",
                    message_ids=[stored.id],
                ),
            )
            return QUARANTINED
        flags = stored.flags or {}
        target = await self._thread_target(parsed)
        if target is not None:
            await self._thread(stored, target, automated=classify.automated(flags))
            return AUTOMATED if classify.automated(flags) else THREADED
        if classify.automated(flags):
            kinds = [label for f, label in _AUTO_LABELS.items() if flags.get(f)]
            await self._submit(
                stored,
                Submission(
                    channel=Channel.EMAIL,
                    kind=Kind.AUTOMATED,
                    narrative="Automatic email: " + "; ".join(kinds) + ". Not acknowledged.",
                    message_ids=[stored.id],
                ),
            )
            return AUTOMATED
        known = await self._known(stored, parsed)
        narrative = parsed.narrative()
        told = known.pop("what_happened", None)
        if isinstance(told, str) and told.strip() and told.strip() not in narrative:
            narrative = (narrative + "\n\nFrom the attached form:\n" + told.strip()).strip()
        if not narrative.strip():
            narrative = "(The email has no text; see its attachments.)"
        submission = Submission(
            channel=Channel.EMAIL,
            narrative=narrative[:100_000],
            known=known,
            message_ids=[stored.id],
            received_at=utcnow(),
        )
        await self._submit(stored, submission)
        return CREATED

    async def _submit(self, stored: Message, submission: Submission) -> Referral:
        triager = _GuardedTriager(self.triager) if self.triager is not None else None
        try:
            return await submit(self.db, triager, submission, actor=ACTOR)
        except _TriageFailed as exc:
            log.warning("triage failed for message %s (%s); filed untriaged", stored.id, exc)
            return await submit(self.db, None, submission, actor=ACTOR)
        except Invalid:
            if submission.known:
                slim = {k: v for k, v in submission.known.items() if k == "referrer_email"}
                submission.known = slim
                return await self._submit(stored, submission)
            raise

    async def _known(self, stored: Message, parsed: ParsedMail) -> dict[str, Any]:
        """What the email tells us for sure: the sender, and the attached forms' answers."""
        known: dict[str, Any] = {}
        assert stored.id is not None
        async with self.db.session() as s:
            rows = await repo.attachments_of_message(s, message_row_id=stored.id)
        for row in rows:
            for key, value in (row.extracted or {}).items():
                known.setdefault(key, value)
        flags = stored.flags or {}
        if parsed.sender and not flags.get("sender_unclear"):
            known.setdefault("referrer_email", parsed.sender)
            known.setdefault("referrer_contact", parsed.sender)
            if parsed.sender_name and not flags.get("name_mismatch"):
                known.setdefault("referrer_name", parsed.sender_name)
        return known

    async def _thread_target(self, parsed: ParsedMail) -> int | None:
        reference = find_reference(parsed.subject)
        async with self.db.session() as s:
            if reference:
                with contextlib.suppress(NotFound):  # an unknown reference: not ours
                    referral = await get_by_reference(s, reference=reference)
                    return referral.id
            ids = [parsed.in_reply_to or "", *parsed.references, *parsed.embedded_ids]
            return await repo.thread_referral(s, mailbox=self.mailbox, message_ids=ids)

    async def _thread(self, stored: Message, referral_id: int, *, automated: bool) -> None:
        assert stored.id is not None
        async with self.db.transaction() as s:
            referral = await get_by_id(s, referral_id=referral_id)
            await message_repo.link_to_referral(s, referral_id=referral_id, message_ids=[stored.id])
            await audit.append(
                s,
                actor=ACTOR.name,
                action="email_threaded",
                referral_id=referral_id,
                detail={
                    "reference": referral.reference,
                    "message": stored.id,
                    "automated": automated,
                },
            )
        log.info("email %s threaded into %s", stored.id, referral.reference)
