"""Microsoft Graph source and sender, for Exchange Online (``LADO_MAIL__SOURCE=graph``).

* Token: client credentials through msal (app-only ``Mail.ReadWrite`` / ``Mail.Send``
  scoped to the shared mailbox), called off the event loop.
* Reading: a delta query per folder (``/mailFolders/{folder}/messages/delta``),
  following ``@odata.nextLink`` to the ``@odata.deltaLink``, which is saved only
  after a complete pass. An expired link answers 410 Gone: start a full sync again
  (the inbox is the work queue and dedupe protects, so nothing is lost or doubled).
* Raw MIME from ``/messages/{id}/$value``; ``Prefer: IdType="ImmutableId"`` keeps ids
  stable when a message is moved; the move to Processed/Quarantine happens only
  after the database commit.
* Throttling: 429 (and 503) with ``Retry-After`` is honoured up to a limit.
* Sending: ``/sendMail`` with the MIME message (base64), so our RFC 3834 headers stay.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import logging
import ssl
from collections.abc import AsyncIterator
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp

from intake.mail.config import GraphSettings
from intake.mail.source import Cursor, Fetched, SendError, SourceError

log = logging.getLogger(__name__)

PREFER = 'IdType="ImmutableId"'
MAX_RETRIES = 5


class GraphError(SourceError):
    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class GraphClient:
    """A small authenticated Graph client for one mailbox."""

    def __init__(self, settings: GraphSettings, mailbox: str) -> None:
        self.settings = settings
        self.mailbox = mailbox
        self.base = f"{settings.graph_url.rstrip('/')}/users/{quote(mailbox)}"
        parts = urlsplit(settings.graph_url)
        self.scope = f"{parts.scheme}://{parts.netloc}/.default"
        self._app: Any = None
        self._requests: Any = None
        self._session: aiohttp.ClientSession | None = None

    def _msal(self) -> Any:
        if self._app is None:
            import msal

            authority = f"{self.settings.authority_url.rstrip('/')}/{self.settings.tenant_id}"
            custom = "login.microsoftonline.com" not in self.settings.authority_url
            self._app = msal.ConfidentialClientApplication(
                self.settings.client_id,
                client_credential=self.settings.client_secret.get_secret_value(),
                authority=authority,
                http_client=self._requests_session(),
                **({"instance_discovery": False} if custom else {}),
            )
        return self._app

    def _requests_session(self) -> Any:
        """The HTTP client msal uses: our CA bundle wins over REQUESTS_CA_BUNDLE (which
        requests would otherwise prefer to a session's own ``verify``)."""
        import requests

        session = requests.Session()
        verify: str | bool = self.settings.ca_bundle or True
        session.request = functools.partial(  # type: ignore[method-assign]
            session.request, verify=verify, timeout=60
        )
        self._requests = session
        return session

    async def token(self) -> str:
        def acquire() -> dict[str, Any]:
            result: dict[str, Any] = self._msal().acquire_token_for_client(scopes=[self.scope])
            return result

        try:
            result = await asyncio.to_thread(acquire)
        except Exception as exc:  # network or TLS failure reaching the authority
            raise GraphError(f"token: {type(exc).__name__}") from exc
        token = result.get("access_token")
        if not token:
            raise GraphError(f"token refused ({result.get('error', 'unknown')})")
        return str(token)

    def _ssl(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.settings.ca_bundle:
            context.load_verify_locations(self.settings.ca_bundle)
        return context

    async def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(ssl=self._ssl()),
                timeout=aiohttp.ClientTimeout(total=120),
            )
        return self._session

    async def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        data: bytes | None = None,
        content_type: str | None = None,
        ok: tuple[int, ...] = (200, 201, 202, 204),
    ) -> tuple[int, bytes]:
        """One call, retried on 429/503 (Retry-After) and once on 401. Returns
        (status, body) for ``ok`` statuses, 404 and 410; raises GraphError otherwise."""
        if not url.startswith("http"):
            url = self.base + url
        session = await self._http()
        refreshed = False
        for _attempt in range(MAX_RETRIES):
            headers = {"Authorization": f"Bearer {await self.token()}", "Prefer": PREFER}
            body = data
            if json_body is not None:
                body = json.dumps(json_body).encode()
                headers["Content-Type"] = "application/json"
            elif content_type:
                headers["Content-Type"] = content_type
            try:
                async with session.request(method, url, data=body, headers=headers) as resp:
                    payload = await resp.read()
                    status = resp.status
                    retry_after = resp.headers.get("Retry-After")
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise GraphError(f"Graph unreachable ({type(exc).__name__})") from exc
            if status in ok or status in (404, 410):
                return status, payload
            if status in (429, 503):
                wait = float(retry_after) if retry_after and retry_after.isdigit() else 5.0
                if wait > self.settings.max_retry_after_seconds:
                    raise GraphError(f"Graph throttled for {wait:.0f}s", status)
                log.info("Graph throttled: waiting %.0fs", wait)
                await asyncio.sleep(wait)
                continue
            if status == 401 and not refreshed:
                refreshed = True
                self._app = None
                continue
            raise GraphError(f"Graph answered {status}", status)
        raise GraphError("Graph kept throttling", 429)

    async def json(self, method: str, url: str, **kwargs: Any) -> tuple[int, Any]:
        status, payload = await self.request(method, url, **kwargs)
        return status, (json.loads(payload) if payload else {})

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._requests is not None:
            self._requests.close()
            self._requests, self._app = None, None


class GraphSource:
    kind = "graph"

    def __init__(self, client: GraphClient, settings: GraphSettings) -> None:
        self.client = client
        self.settings = settings
        self.delta_link: str | None = None
        self.new_delta_link: str | None = None
        self.complete = False
        self.folder_ids: dict[str, str] = {}
        self.waiting: int | None = None

    async def _folder_id(self, name: str) -> str:
        flt = quote(f"displayName eq '{name.replace(chr(39), chr(39) * 2)}'")
        _, found = await self.client.json("GET", f"/mailFolders?$filter={flt}")
        values = found.get("value") or []
        if values:
            return str(values[0]["id"])
        status, created = await self.client.json(
            "POST", "/mailFolders", json_body={"displayName": name}
        )
        if status not in (200, 201) or "id" not in created:
            raise GraphError(f"cannot create folder ({status})", status)
        return str(created["id"])

    async def open(self, cursor: Cursor) -> None:
        self.delta_link = cursor.delta_link
        self.new_delta_link = None
        self.complete = False
        for name in (self.settings.processed_folder, self.settings.quarantine_folder):
            if name not in self.folder_ids:
                self.folder_ids[name] = await self._folder_id(name)

    def _initial(self) -> str:
        folder = quote(self.settings.folder)
        return f"/mailFolders/{folder}/messages/delta?$select=id,receivedDateTime"

    async def fetch(self, limit: int) -> AsyncIterator[Fetched]:
        url: str | None = self.delta_link or self._initial()
        restarted = False
        while url:
            status, page = await self.client.json("GET", url)
            if status == 410:
                if restarted:
                    raise GraphError("delta restart failed", 410)
                log.info("Graph delta link expired (410): full resync")
                restarted, url = True, self._initial()
                continue
            if status != 200:
                raise GraphError(f"delta answered {status}", status)
            for entry in page.get("value") or []:
                if "@removed" in entry or "id" not in entry:
                    continue
                item_id = str(entry["id"])
                got, raw = await self.client.request(
                    "GET", f"/messages/{quote(item_id, safe='')}/$value"
                )
                if got == 404:
                    continue  # moved or deleted since the delta page was built
                yield Fetched(key=item_id, raw=raw, size=len(raw))
            url = page.get("@odata.nextLink")
            if not url:
                self.new_delta_link = page.get("@odata.deltaLink")
        self.complete = True

    async def settle(self, item: Fetched, *, quarantine: bool) -> None:
        name = self.settings.quarantine_folder if quarantine else self.settings.processed_folder
        status, _ = await self.client.request(
            "POST",
            f"/messages/{quote(item.key, safe='')}/move",
            json_body={"destinationId": self.folder_ids[name]},
        )
        if status == 404:
            log.info("message already moved")

    def cursor(self) -> Cursor | None:
        if self.complete and self.new_delta_link:
            return Cursor(delta_link=self.new_delta_link)
        return None

    async def close(self) -> None:
        await self.client.close()


class GraphSender:
    kind = "graph"

    def __init__(self, client: GraphClient) -> None:
        self.client = client

    async def send(self, message: EmailMessage) -> None:
        mime = base64.b64encode(message.as_bytes(policy=SMTP))
        try:
            status, _ = await self.client.request(
                "POST", "/sendMail", data=mime, content_type="text/plain"
            )
        except GraphError as exc:
            permanent = exc.status in (400, 403)
            raise SendError(str(exc), permanent=permanent) from exc
        if status not in (200, 202):
            raise SendError(f"Graph sendMail answered {status}", permanent=status == 404)

    async def close(self) -> None:
        await self.client.close()
