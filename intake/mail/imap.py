"""IMAP source (``LADO_MAIL__SOURCE=imaps://user@host[:port][/folder]``).

imaplib, one connection, every call off the event loop. The cursor is UIDVALIDITY
plus the last UID settled; messages are read with ``BODY.PEEK[]`` (so ``\\Seen`` is
untouched — it is never the work queue) and moved to the Processed or Quarantine
folder with ``UID MOVE`` (or COPY + \\Deleted + UID EXPUNGE) only after the database
commit. A message whose move failed is still in the folder and is read again.
"""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import re
import ssl
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from intake.mail.config import ImapSettings
from intake.mail.source import Cursor, Fetched, SourceError

T = TypeVar("T")


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapSource:
    kind = "imap"

    def __init__(
        self, url: str, settings: ImapSettings, *, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        parts = urlsplit(url)
        self.implicit_tls = parts.scheme.lower() == "imaps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (993 if self.implicit_tls else 143)
        self.user = unquote(parts.username or "")
        self.folder = unquote(parts.path.strip("/")) or "INBOX"
        self.settings = settings
        tls = settings.tls
        if tls == "auto":
            tls = "tls" if self.implicit_tls else "starttls"
        self.tls = tls
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.conn: imaplib.IMAP4 | None = None
        self.uidvalidity: int | None = None
        self.last_uid = 0
        self.can_move = False
        self.can_uidplus = False
        self.waiting: int | None = None

    @property
    def mailbox_url(self) -> str:
        return f"imap://{self.user}@{self.host}:{self.port}/{self.folder}"

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            return await asyncio.to_thread(fn, *args)
        except (imaplib.IMAP4.error, OSError, EOFError) as exc:
            raise SourceError(f"IMAP: {type(exc).__name__}") from exc

    def _connect(self) -> imaplib.IMAP4:
        timeout = self.settings.timeout_seconds
        if self.tls == "tls":
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                self.host, self.port, ssl_context=self.ssl_context, timeout=timeout
            )
        else:
            conn = imaplib.IMAP4(self.host, self.port, timeout=timeout)
        try:
            if self.tls == "starttls":
                conn.starttls(ssl_context=self.ssl_context)
            self._prepare(conn)
        except BaseException:
            with contextlib.suppress(Exception):
                conn.shutdown()
            raise
        return conn

    def _prepare(self, conn: imaplib.IMAP4) -> None:
        conn.login(self.user, self.settings.password.get_secret_value())
        for folder in (self.settings.processed_folder, self.settings.quarantine_folder):
            typ, _ = conn.create(_quote(folder))  # "NO" when it exists already
        typ, _ = conn.select(_quote(self.folder))
        if typ != "OK":
            raise imaplib.IMAP4.error("folder cannot be selected")
        # capabilities change after login (Dovecot adds MOVE, UIDPLUS): ask again
        typ, data = conn.capability()
        caps = {c.upper() for c in conn.capabilities}
        if typ == "OK" and data and isinstance(data[0], bytes):
            caps |= {c.upper() for c in data[0].decode("ascii", "replace").split()}
        self.can_move = "MOVE" in caps
        self.can_uidplus = "UIDPLUS" in caps
        value = conn.response("UIDVALIDITY")[1]
        self.uidvalidity = int(value[0]) if value and value[0] else None

    async def open(self, cursor: Cursor) -> None:
        self.conn = await self._call(self._connect)
        if cursor.uidvalidity is not None and cursor.uidvalidity == self.uidvalidity:
            self.last_uid = int(cursor.last_uid or 0)
        else:
            self.last_uid = 0  # a new or rebuilt folder: read everything (dedupe protects)

    def _search(self) -> list[int]:
        assert self.conn is not None
        typ, data = self.conn.uid("SEARCH", f"UID {self.last_uid + 1}:*")
        if typ != "OK":
            raise imaplib.IMAP4.error("search failed")
        found = [int(x) for x in (data[0] or b"").split() if x.isdigit()]
        # "N:*" always includes the highest UID, even when it is below N
        return sorted(u for u in found if u > self.last_uid)

    def _fetch_one(self, uid: int, limit: int) -> tuple[bytes, int] | None:
        assert self.conn is not None
        typ, data = self.conn.uid("FETCH", str(uid), "(RFC822.SIZE)")
        if typ != "OK" or not data or data[0] is None:
            return None
        head = data[0] if isinstance(data[0], bytes) else data[0][0]
        match = re.search(rb"RFC822\.SIZE (\d+)", head)
        size = int(match.group(1)) if match else 0
        part = "BODY.PEEK[]" if size <= limit else "BODY.PEEK[HEADER]"
        typ, data = self.conn.uid("FETCH", str(uid), f"({part})")
        if typ != "OK":
            raise imaplib.IMAP4.error("fetch failed")
        for piece in data:
            if isinstance(piece, tuple) and len(piece) == 2:
                return bytes(piece[1]), size or len(piece[1])
        return None

    async def fetch(self, limit: int) -> AsyncIterator[Fetched]:
        uids = await self._call(self._search)
        self.waiting = len(uids)
        for uid in uids:
            got = await self._call(self._fetch_one, uid, limit)
            self.waiting -= 1
            if got is None:
                continue  # expunged meanwhile
            raw, size = got
            yield Fetched(key=str(uid), raw=raw, size=size)

    def _move(self, uid: str, folder: str) -> None:
        assert self.conn is not None
        if self.can_move:
            typ, _ = self.conn.uid("MOVE", uid, _quote(folder))
            if typ != "OK":
                raise imaplib.IMAP4.error("move failed")
            return
        typ, _ = self.conn.uid("COPY", uid, _quote(folder))
        if typ != "OK":
            raise imaplib.IMAP4.error("copy failed")
        self.conn.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
        if self.can_uidplus:
            self.conn.uid("EXPUNGE", uid)
        else:
            self.conn.expunge()

    async def settle(self, item: Fetched, *, quarantine: bool) -> None:
        folder = self.settings.quarantine_folder if quarantine else self.settings.processed_folder
        await self._call(self._move, item.key, folder)
        self.last_uid = max(self.last_uid, int(item.key))

    def cursor(self) -> Cursor | None:
        return Cursor(uidvalidity=self.uidvalidity, last_uid=self.last_uid)

    async def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError, EOFError):
                await asyncio.to_thread(conn.logout)
