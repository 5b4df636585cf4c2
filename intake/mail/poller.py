"""The mail pipeline, the same for every source.

For each waiting message:

1. store the raw bytes first (dedupe on mailbox + Message-ID; a deterministic id from
   the hash of the raw bytes when there is none) with what parsing found;
2. file it: a new referral through ``intake.submit`` (triaged), a reply threaded
   into its referral (our reference in the subject, or In-Reply-To/References naming
   a message we hold), an automatic-mail item, or a "could not process" quarantine
   item — each in one transaction;
3. queue the acknowledgement in the database (a deterministic Message-ID, so never
   twice), then send it and record the delivery;
4. only then move the message out of the inbox (``source.settle``).

Every step checks what is already stored, so a poller killed at any point and
restarted finishes the job without losing or doubling anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from intake.config import AuthoritySettings
from intake.mail import ack as ack_mod
from intake.mail.config import MailSettings
from intake.mail.filing import MailFiling
from intake.mail.inbox import MailInbox, body_hash, safe_parse
from intake.mail.lock import MailboxLock, new_owner
from intake.mail.message_ids import header_block, quick_message_id, synthetic_id
from intake.mail.outbox import MailOutbox
from intake.mail.outcomes import DUPLICATE, PassResult
from intake.mail.parse import ParsedMail
from intake.mail.source import Fetched, MailSender, MailSource, SendError, SourceError
from intake.triager import Triager
from store.engine import Database
from store.enums import Kind

log = logging.getLogger(__name__)

#: how often a pass refreshes its heartbeat and lock (well inside any lock time)
BEAT_SECONDS = 2.0


class Poller(MailboxLock, MailInbox, MailFiling, MailOutbox):
    """Processes one mailbox: ``run_once`` (a pass) and ``run_forever`` (the loop)."""

    def __init__(
        self,
        db: Database,
        source: MailSource,
        sender: MailSender,
        *,
        settings: MailSettings,
        authority: AuthoritySettings,
        triager: Triager | None,
        mailbox: str,
        chat_url: str,
        owner: str | None = None,
    ) -> None:
        self.db = db
        self.source = source
        self.sender = sender
        self.settings = settings
        self.authority = authority
        self.triager = triager
        self.mailbox = mailbox.lower()
        self.owner = owner or new_owner()
        self.ack_ctx = ack_mod.AckContext(authority=authority, address=mailbox, chat_url=chat_url)
        self.our_addresses = frozenset(
            a.lower() for a in (mailbox, authority.duty_email, settings.address) if a
        )
        self.stop = asyncio.Event()
        #: number of messages waiting, when the source knows it (for progress bars)
        self.waiting: int | None = None

    async def close(self) -> None:
        """Release the sender's connections (the source closes after every pass)."""
        with contextlib.suppress(Exception):
            await self.sender.close()

    # ------------------------------------------------------------ passes

    async def run_once(
        self,
        *,
        on_item: Callable[[str], None] | None = None,
        wait_for_lock: float = 0.0,
    ) -> PassResult:
        """Process what is waiting, then return. Skips the pass (``locked_out``) when
        another live poller holds the mailbox."""
        result = PassResult()
        deadline = time.monotonic() + wait_for_lock
        while not await self.acquire():
            if time.monotonic() >= deadline or self.stop.is_set():
                result.locked_out = True
                return result
            await asyncio.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
        try:
            await self._flush_outbox(result)
            try:
                await self.source.open(await self._load_cursor())
                limit = self.settings.max_message_kb * 1024
                next_beat = time.monotonic() + min(BEAT_SECONDS, self.settings.lock_seconds / 3)
                self.waiting = getattr(self.source, "waiting", None)
                async for item in self.source.fetch(limit):
                    self.waiting = getattr(self.source, "waiting", None)
                    result.fetched += 1
                    outcome = await self.process(item, result)
                    result.count(outcome)
                    if on_item is not None:
                        on_item(outcome)
                    await self._save_cursor()
                    if time.monotonic() >= next_beat:
                        next_beat = time.monotonic() + min(
                            BEAT_SECONDS, self.settings.lock_seconds / 3
                        )
                        if not await self._beat():
                            log.warning("mailbox lock lost; stopping this pass")
                            result.stopped = True
                            break
                    if self.stop.is_set():
                        result.stopped = True
                        break
                if not result.stopped:
                    await self._save_cursor()
            finally:
                await self.source.close()
            await self._record_error(None)
        finally:
            await self.release()
        if result.fetched or result.acknowledged or result.send_failures:
            log.info(
                "mail pass: %s",
                " ".join(f"{k}={v}" for k, v in result.as_dict().items() if v),
            )
        return result

    async def run_forever(self) -> None:
        """Poll until ``stop`` is set, backing off exponentially after errors."""
        delay = self.settings.interval_seconds
        while not self.stop.is_set():
            try:
                await self.run_once()
                delay = self.settings.interval_seconds
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any failure: record it, back off, try again
                name = type(exc).__name__
                log.warning("mail pass failed (%s); retrying in %.0fs", name, delay)
                await self._record_error(
                    f"{name}: {str(exc)[:200]}"
                    if isinstance(exc, SourceError | SendError)
                    else name
                )
                delay = min(max(delay * 2, 1.0), self.settings.backoff_max_seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), timeout=delay)

    # ------------------------------------------------------------ one message

    async def process(self, item: Fetched, result: PassResult | None = None) -> str:
        """Store, file, acknowledge and settle one message. Idempotent."""
        result = result or PassResult()
        raw = item.raw
        limit = self.settings.max_message_kb * 1024
        error = item.error
        if item.truncated or len(raw) > limit:
            size = max(item.size, len(raw))
            error = (
                f"larger than the {self.settings.max_message_kb // 1024 or 1} MB limit "
                f"({size / 1048576:.1f} MB); kept in the mailbox's quarantine folder"
            )
            raw = header_block(raw) if len(raw) > limit else raw
        message_id = quick_message_id(raw) or synthetic_id(raw)
        stored = await self._find(message_id)
        if (
            stored is not None
            and stored.raw
            and raw
            and not item.truncated
            and error is None
            and stored.error is None
            and body_hash(stored.raw) != body_hash(raw)
        ):
            # a different message that reuses a Message-ID: keep it under its own id
            message_id = f"{message_id[:-1]}.lado-{body_hash(raw)[:12]}>"
            stored = await self._find(message_id)
        duplicate = stored is not None and stored.referral_id is not None
        parsed: ParsedMail | None = None
        if stored is None:
            if error is None:
                parsed = safe_parse(raw)
                error = parsed.fatal
            stored = await self._store(message_id, raw, parsed, error)
        if stored.referral_id is None:
            if stored.error is None and parsed is None:
                parsed = safe_parse(stored.raw or b"")
            outcome = await self._file(stored, parsed)
        else:
            outcome = DUPLICATE
        referral = await self._referral(stored)
        if referral is not None:
            await self._acknowledge(stored, referral, outcome, result)
        quarantine = referral is not None and referral.kind == Kind.QUARANTINE.value
        await self.source.settle(item, quarantine=quarantine)
        if duplicate:
            return DUPLICATE
        return outcome
