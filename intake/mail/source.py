"""The small interfaces every mail source and sender implements.

A source lists the mail waiting in the mailbox and, *after* the poller has
committed a message to the database, moves it out of the way (``settle``). Its
cursor (IMAP UIDVALIDITY + UID, EWS sync state, Graph delta link) is loaded from
and saved to ``MailboxCursor`` by the poller, never by the source itself.

A sender delivers one outgoing RFC 5322 message (acknowledgements, follow-ups).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol


@dataclass
class Cursor:
    """Where a source got to (the MailboxCursor columns a source uses)."""

    uidvalidity: int | None = None
    last_uid: int | None = None
    sync_state: str | None = None
    delta_link: str | None = None


@dataclass
class Fetched:
    """One message as a source hands it over."""

    #: the source's own id for it: a file name, an IMAP UID, an EWS or Graph item id
    key: str
    raw: bytes
    #: the full size; larger than ``len(raw)`` when the source only read the headers
    #: of an oversized message
    size: int = 0
    #: set when the source could not read it at all (the poller quarantines it)
    error: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def truncated(self) -> bool:
        return self.size > len(self.raw)


class SourceError(Exception):
    """The mailbox could not be reached or refused an operation (retried with back-off)."""


class SendError(Exception):
    """A message could not be sent. ``permanent`` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class MailSource(Protocol):
    #: "maildir", "imap", "ews" or "graph"
    kind: str

    async def open(self, cursor: Cursor) -> None:
        """Connect; ``cursor`` is where the last complete pass got to."""

    def fetch(self, limit: int) -> AsyncIterator[Fetched]:
        """The waiting messages, oldest first, at most ``limit`` bytes read in full each."""

    async def settle(self, item: Fetched, *, quarantine: bool) -> None:
        """Move a committed message to Processed (or Quarantine)."""

    def cursor(self) -> Cursor | None:
        """The cursor to save after a complete pass (None: nothing to save)."""

    async def close(self) -> None: ...


class MailSender(Protocol):
    kind: str

    async def send(self, message: EmailMessage) -> None:
        """Deliver one message; raise SendError when it could not be sent."""

    async def close(self) -> None: ...


class NoSender:
    """Acknowledgements are switched off: every send is refused as permanent."""

    kind = "none"

    async def send(self, message: EmailMessage) -> None:
        raise SendError("sending is switched off (LADO_MAIL__SENDER=none)", permanent=True)

    async def close(self) -> None:
        return None
