"""The mailbox lock, heartbeat and cursor: only one poller works a mailbox at a time (a
database lock that expires if its owner dies, taken over at once from a dead process on
this host), and where the source had got to is saved after every message.

``MailboxLock`` is that part of ``intake.mail.poller.Poller``.
"""

from __future__ import annotations

import contextlib
import os
import socket

from intake.mail.config import MailSettings
from intake.mail.source import Cursor, MailSource
from store.engine import Database
from store.repo import mail as repo


def new_owner() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{os.urandom(3).hex()}"


def dead_local_owner(owner: str | None) -> bool:
    """True when ``owner`` is a poller on this host whose process has ended."""
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:60] or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class MailboxLock:
    """The lock, heartbeat and cursor of one mailbox (part of ``Poller``)."""

    db: Database
    source: MailSource
    settings: MailSettings
    mailbox: str
    owner: str

    async def acquire(self) -> bool:
        async with self.db.transaction() as s:
            cursor = await repo.get_cursor(s, mailbox=self.mailbox)
            steal = []
            if cursor is not None and dead_local_owner(cursor.lock_owner):
                steal.append(str(cursor.lock_owner))
            return await repo.acquire_lock(
                s,
                mailbox=self.mailbox,
                source=self.source.kind,
                owner=self.owner,
                seconds=self.settings.lock_seconds,
                steal_from=steal,
            )

    async def release(self) -> None:
        with contextlib.suppress(Exception):
            async with self.db.transaction() as s:
                await repo.release_lock(s, mailbox=self.mailbox, owner=self.owner)

    async def _beat(self) -> bool:
        async with self.db.transaction() as s:
            return await repo.heartbeat(
                s, mailbox=self.mailbox, owner=self.owner, seconds=self.settings.lock_seconds
            )

    async def _load_cursor(self) -> Cursor:
        async with self.db.session() as s:
            row = await repo.get_cursor(s, mailbox=self.mailbox)
        if row is None or row.source != self.source.kind:
            return Cursor()
        return Cursor(
            uidvalidity=row.uidvalidity,
            last_uid=row.last_uid,
            sync_state=row.sync_state,
            delta_link=row.delta_link,
        )

    async def _save_cursor(self) -> None:
        cursor = self.source.cursor()
        if cursor is None:
            return
        async with self.db.transaction() as s:
            await repo.update_cursor(
                s,
                mailbox=self.mailbox,
                owner=self.owner,
                source=self.source.kind,
                uidvalidity=cursor.uidvalidity,
                last_uid=cursor.last_uid,
                sync_state=cursor.sync_state,
                delta_link=cursor.delta_link,
            )

    async def _record_error(self, error: str | None) -> None:
        with contextlib.suppress(Exception):
            async with self.db.transaction() as s:
                await repo.update_cursor(s, mailbox=self.mailbox, last_error=error)
