"""Step 1 of the mail pipeline: store the raw message first, with what parsing found (its
sender's authentication verdicts and classification flags) and its attachments, in one
transaction. ``MailInbox`` is that part of ``intake.mail.poller.Poller``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from intake.mail import auth, classify, forms
from intake.mail.config import MailSettings
from intake.mail.message_ids import header_block
from intake.mail.parse import ParsedMail, parse
from store.engine import Database
from store.enums import Channel, Direction
from store.models import Attachment, Message, MessageCreate, Referral
from store.repo import mail as repo
from store.repo import messages as message_repo
from store.repo.referrals import get_by_id


def body_hash(raw: bytes) -> str:
    head = header_block(raw)
    return hashlib.sha256(raw[len(head) :]).hexdigest()


def safe_parse(raw: bytes) -> ParsedMail:
    try:
        return parse(raw)
    except Exception as exc:  # parse() guards itself; this is the last line of defence
        mail = ParsedMail()
        mail.fatal = f"the message could not be read ({type(exc).__name__})"
        return mail


class MailInbox:
    """Storing inbound mail (part of ``Poller``)."""

    db: Database
    settings: MailSettings
    mailbox: str
    our_addresses: frozenset[str]

    async def _find(self, message_id: str) -> Message | None:
        async with self.db.session() as s:
            return await repo.find_message(s, mailbox=self.mailbox, message_id=message_id)

    async def _referral(self, stored: Message) -> Referral | None:
        async with self.db.session() as s:
            row = await s.get(Message, stored.id)
            if row is None or row.referral_id is None:
                return None
            stored.referral_id = row.referral_id
            return await get_by_id(s, referral_id=row.referral_id)

    async def _store(
        self, message_id: str, raw: bytes, parsed: ParsedMail | None, error: str | None
    ) -> Message:
        """Step 1: the raw bytes and what parsing found, in one transaction."""
        flags: dict[str, Any] = {}
        results: dict[str, Any] = {}
        data: dict[str, Any] = {
            "direction": Direction.IN.value,
            "channel": Channel.EMAIL.value,
            "mailbox": self.mailbox,
            "message_id": message_id[:998],
            "raw": raw,
        }
        if parsed is not None and error is None:
            flags = classify.classify(parsed, our_addresses=self.our_addresses)
            results = auth.verdicts(parsed, trusted=self.settings.authserv_ids())
            flags.update(auth.sender_flags(parsed, results))
            if parsed.defects:
                flags["malformed"] = True
            data.update(
                sender=parsed.sender,
                sender_name=parsed.sender_name,
                recipients=", ".join(parsed.recipients)[:2000] or None,
                subject=parsed.subject[:998] or None,
                body_text=parsed.text[:1_900_000],
                body_html=parsed.html[:1_900_000] if parsed.html else None,
                in_reply_to=parsed.in_reply_to,
                references=" ".join(parsed.references)[:20000] or None,
                auth_results=results,
            )
        elif parsed is not None:
            data.update(sender=parsed.sender, subject=parsed.subject[:998] or None)
        flags = {k: v for k, v in flags.items() if v}
        if error:
            flags["could_not_process"] = True
        data["flags"] = flags
        try:
            async with self.db.transaction() as s:
                row = await message_repo.add_message(s, data=MessageCreate.model_validate(data))
                if error:
                    row.error = error[:500]
                assert row.id is not None
                if parsed is not None and error is None:
                    await self._store_attachments(s, row.id, parsed)
                await s.flush()
                return row
        except Exception as exc:
            again = await self._find(message_id)
            if again is not None:  # stored meanwhile (a race on the unique index)
                return again
            if isinstance(exc, ValueError):  # a header too odd to store: keep the bytes
                return await self._store(
                    message_id, raw, None, f"could not store ({type(exc).__name__})"
                )
            raise

    async def _store_attachments(self, s: Any, message_row_id: int, parsed: ParsedMail) -> None:
        allowed = self.settings.extensions()
        max_size = self.settings.max_attachment_kb * 1024
        for att in parsed.attachments:
            if att.inline and att.content_type.startswith("image/"):
                continue  # logos and pictures inside the HTML body; kept in the raw message
            ext = att.filename.rsplit(".", 1)[-1].lower() if "." in att.filename else ""
            row = Attachment(
                message_id=message_row_id,
                filename=att.filename[:255],
                content_type=att.content_type[:200],
                size=len(att.data),
                sha256=hashlib.sha256(att.data).hexdigest(),
            )
            if len(att.data) > max_size:
                row.status, row.reason = (
                    "refused",
                    f"larger than the {self.settings.max_attachment_kb} KB limit; "
                    "kept in the stored email",
                )
            elif ext not in allowed:
                row.status, row.reason = (
                    "refused",
                    f"file type .{ext or '?'} is not accepted; kept in the stored email",
                )
            else:
                row.data = att.data
                row.extracted = forms.read_form(att.filename, att.content_type, att.data)
            await repo.add_attachment(s, attachment=row)
