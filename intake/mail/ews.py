"""Exchange Web Services source and sender, for on-premises Exchange Server
(``LADO_MAIL__SOURCE=ews``). exchangelib is imported here and nowhere else.

exchangelib is synchronous (requests), so every call runs in a worker thread. The
cursor is the inbox's ``sync_items`` state, saved only after a complete pass (a
pass stopped half-way starts again from the last saved state; dedupe protects).
The server's back-off is honoured through ``FaultTolerance(max_wait=…)``. Raw MIME
comes from ``mime_content``; the move to Processed/Quarantine happens only after the
database commit.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any, TypeVar

from exchangelib import (
    DELEGATE,
    Account,
    Build,
    Configuration,
    Credentials,
    FaultTolerance,
    Folder,
    Mailbox,
    Message,
    Version,
)
from exchangelib.errors import ErrorItemNotFound, EWSError
from exchangelib.protocol import BaseProtocol

from intake.mail.config import EwsSettings
from intake.mail.source import Cursor, Fetched, SendError, SourceError

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Exchange 2016 and later: no version probe round-trip
DEFAULT_BUILD = Build(15, 1)


def _adapter_for(ca_bundle: str) -> type[Any]:
    import requests.adapters

    class CaAdapter(requests.adapters.HTTPAdapter):
        def send(self, *args: Any, **kwargs: Any) -> Any:
            kwargs["verify"] = ca_bundle
            return super().send(*args, **kwargs)

    return CaAdapter


def connect(settings: EwsSettings, mailbox: str) -> Any:
    """An exchangelib Account for the mailbox (no autodiscover)."""
    if settings.ca_bundle:
        BaseProtocol.HTTP_ADAPTER_CLS = _adapter_for(settings.ca_bundle)
    credentials = None
    if settings.username:
        credentials = Credentials(settings.username, settings.password.get_secret_value())
    config = Configuration(
        service_endpoint=settings.service_endpoint,
        credentials=credentials,
        auth_type=settings.auth_type,
        version=Version(build=DEFAULT_BUILD),
        retry_policy=FaultTolerance(max_wait=settings.max_wait_seconds),
    )
    return Account(
        primary_smtp_address=mailbox, config=config, autodiscover=False, access_type=DELEGATE
    )


class _Ews:
    """One account, used from worker threads one call at a time."""

    def __init__(self, settings: EwsSettings, mailbox: str) -> None:
        self.settings = settings
        self.mailbox = mailbox
        self.account: Any = None

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        def run() -> T:
            if self.account is None:
                self.account = connect(self.settings, self.mailbox)
            return fn(*args)

        try:
            return await asyncio.to_thread(run)
        except (EWSError, OSError) as exc:
            raise SourceError(f"EWS: {type(exc).__name__}") from exc
        except Exception as exc:  # requests/transport errors raised through exchangelib
            raise SourceError(f"EWS: {type(exc).__name__}") from exc


class EwsSource:
    kind = "ews"

    def __init__(self, settings: EwsSettings, mailbox: str) -> None:
        self.settings = settings
        self.ews = _Ews(settings, mailbox)
        self.sync_state: str | None = None
        self.new_state: str | None = None
        self.complete = False
        self.folders: dict[str, Any] = {}
        self.waiting: int | None = None

    def _folder(self, name: str) -> Any:
        account = self.ews.account
        parent = account.msg_folder_root
        for child in parent.children:
            if child.name == name:
                return child
        folder = Folder(parent=parent, name=name)
        folder.save()
        return folder

    async def open(self, cursor: Cursor) -> None:
        self.sync_state = cursor.sync_state
        self.complete = False
        self.new_state = None
        for name in (self.settings.processed_folder, self.settings.quarantine_folder):
            if name not in self.folders:
                self.folders[name] = await self.ews.call(self._folder, name)

    def _changes(self) -> tuple[list[str], str | None]:
        inbox = self.ews.account.inbox
        ids: list[str] = []
        for change, item in inbox.sync_items(
            sync_state=self.sync_state, only_fields=["id", "changekey"]
        ):
            if change in ("create", "update") and getattr(item, "id", None):
                ids.append(str(item.id))
        return list(dict.fromkeys(ids)), inbox.item_sync_state

    def _mime(self, item_id: str) -> bytes | None:
        account = self.ews.account
        items = list(account.fetch(ids=[(item_id, None)], only_fields=["mime_content"]))
        if not items or isinstance(items[0], Exception):
            return None
        mime = items[0].mime_content
        return bytes(mime) if mime is not None else None

    async def fetch(self, limit: int) -> AsyncIterator[Fetched]:
        ids, state = await self.ews.call(self._changes)
        self.waiting = len(ids)
        for item_id in ids:
            raw = await self.ews.call(self._mime, item_id)
            self.waiting -= 1
            if raw is None:
                continue  # moved or deleted since
            yield Fetched(key=item_id, raw=raw, size=len(raw))
        self.new_state = state
        self.complete = True

    def _move(self, item_id: str, folder: Any) -> None:
        account = self.ews.account
        items = list(account.fetch(ids=[(item_id, None)], only_fields=["id", "changekey"]))
        if not items or isinstance(items[0], ErrorItemNotFound):
            return
        if isinstance(items[0], Exception):
            raise items[0]
        items[0].move(to_folder=folder)

    async def settle(self, item: Fetched, *, quarantine: bool) -> None:
        name = self.settings.quarantine_folder if quarantine else self.settings.processed_folder
        await self.ews.call(self._move, item.key, self.folders[name])

    def cursor(self) -> Cursor | None:
        if self.complete and self.new_state:
            return Cursor(sync_state=self.new_state)
        return None

    async def close(self) -> None:
        account, self.ews.account = self.ews.account, None
        self.folders = {}  # bound to the closed account
        if account is not None:
            await asyncio.to_thread(account.protocol.close)


class EwsSender:
    kind = "ews"

    def __init__(self, settings: EwsSettings, mailbox: str) -> None:
        self.ews = _Ews(settings, mailbox)

    def _send(self, message: EmailMessage) -> None:
        to = [a.strip() for a in str(message.get("To") or "").split(",") if a.strip()]
        Message(
            account=self.ews.account,
            mime_content=message.as_bytes(policy=SMTP),
            to_recipients=[Mailbox(email_address=a) for a in to],
        ).send(save_copy=False)

    async def send(self, message: EmailMessage) -> None:
        try:
            await self.ews.call(self._send, message)
        except SourceError as exc:
            raise SendError(str(exc)) from exc

    async def close(self) -> None:
        account, self.ews.account = self.ews.account, None
        if account is not None:
            await asyncio.to_thread(account.protocol.close)
