"""A fake Microsoft Graph (and Entra token endpoint) on loopback, built from the
documentation of the calls the Graph source and sender make:

* ``GET /{tenant}/v2.0/.well-known/openid-configuration`` and
  ``POST /{tenant}/oauth2/v2.0/token`` (client credentials);
* ``GET /v1.0/users/{mailbox}/mailFolders?$filter=displayName eq '…'`` and
  ``POST …/mailFolders``;
* ``GET …/mailFolders/{folder}/messages/delta`` with ``@odata.nextLink`` pages and a
  final ``@odata.deltaLink``; ``$deltatoken`` links answer only changes since, moved
  messages as ``@removed``; an expired token answers 410 Gone;
* ``GET …/messages/{id}/$value`` (raw MIME), ``POST …/messages/{id}/move``;
* ``POST …/sendMail`` with a base64 MIME body (``Content-Type: text/plain``);
* 429 with ``Retry-After`` when asked to throttle.
"""

from __future__ import annotations

import base64
import json
import ssl
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

from tests.mail.servers import free_port

TENANT = "tenant-0000"
CLIENT_ID = "client-1111"
SECRET = "graph-test-secret"
TOKEN = "fake-access-token"
PAGE = 2


@dataclass
class Item:
    id: str
    raw: bytes
    folder: str
    version: int


@dataclass
class FakeGraph:
    mailbox: str
    items: dict[str, Item] = field(default_factory=dict)
    folders: dict[str, str] = field(default_factory=lambda: {"inbox": "Inbox"})
    sent: list[bytes] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    expired: set[int] = field(default_factory=set)
    removed: list[tuple[str, int]] = field(default_factory=list)
    throttle: int = 0
    version: int = 0
    port: int = 0
    runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def deliver(self, raw: bytes) -> str:
        self.version += 1
        item_id = f"AAMkImmutable{self.version:04d}=="
        self.items[item_id] = Item(item_id, raw, "inbox", self.version)
        return item_id

    def in_folder(self, name: str) -> list[Item]:
        folder_id = next((k for k, v in self.folders.items() if v == name), name)
        return [i for i in self.items.values() if i.folder == folder_id]

    # ------------------------------------------------------------ handlers

    def _json(self, data: Any, status: int = 200) -> web.Response:
        return web.Response(
            status=status, body=json.dumps(data).encode(), content_type="application/json"
        )

    @web.middleware
    async def gate(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append((request.method, str(request.rel_url), dict(request.headers)))
        if request.path.startswith("/v1.0/"):
            if request.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._json({"error": {"code": "InvalidAuthenticationToken"}}, 401)
            if self.throttle > 0:
                self.throttle -= 1
                return web.Response(status=429, headers={"Retry-After": "1"})
        return await handler(request)

    async def openid(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        return self._json(
            {
                "token_endpoint": f"{self.base}/{tenant}/oauth2/v2.0/token",
                "authorization_endpoint": f"{self.base}/{tenant}/oauth2/v2.0/authorize",
                "issuer": f"{self.base}/{tenant}/v2.0",
                "device_authorization_endpoint": f"{self.base}/{tenant}/oauth2/v2.0/devicecode",
            }
        )

    async def token(self, request: web.Request) -> web.Response:
        form = parse_qs((await request.read()).decode())
        if (
            form.get("grant_type") != ["client_credentials"]
            or form.get("client_id") != [CLIENT_ID]
            or form.get("client_secret") != [SECRET]
            or not form.get("scope", [""])[0].endswith("/.default")
        ):
            return self._json({"error": "invalid_client"}, 401)
        return self._json({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3599})

    def _check_mailbox(self, request: web.Request) -> None:
        if request.match_info["mailbox"].lower() != self.mailbox.lower():
            raise web.HTTPNotFound()

    async def folders_list(self, request: web.Request) -> web.Response:
        self._check_mailbox(request)
        flt = request.query.get("$filter", "")
        name = flt.split("'", 1)[1].rsplit("'", 1)[0].replace("''", "'") if "'" in flt else ""
        found = [{"id": k, "displayName": v} for k, v in self.folders.items() if v == name]
        return self._json({"value": found})

    async def folders_create(self, request: web.Request) -> web.Response:
        self._check_mailbox(request)
        body = await request.json()
        folder_id = f"AAMkFolder{len(self.folders):02d}"
        self.folders[folder_id] = body["displayName"]
        return self._json({"id": folder_id, "displayName": body["displayName"]}, 201)

    async def delta(self, request: web.Request) -> web.Response:
        self._check_mailbox(request)
        if request.match_info["folder"].lower() != "inbox":
            return self._json({"error": {"code": "ErrorInvalidIdMalformed"}}, 400)
        base = f"{self.base}/v1.0/users/{self.mailbox}/mailFolders/inbox/messages/delta"
        if "$deltatoken" in request.query:
            since = int(request.query["$deltatoken"])
            if since in self.expired:
                return self._json({"error": {"code": "SyncStateNotFound"}}, 410)
            changed = [i for i in self.items.values() if i.folder == "inbox" and i.version > since]
            entries = [{"id": i.id} for i in sorted(changed, key=lambda i: i.version)]
            entries += [
                {"id": r, "@removed": {"reason": "deleted"}} for r, v in self.removed if v > since
            ]
            return self._json(
                {"value": entries, "@odata.deltaLink": f"{base}?$deltatoken={self.version}"}
            )
        # a full sync pages through the inbox as it was when the sync began: the
        # skiptoken is the last item returned (moving items meanwhile changes nothing)
        after = int(request.query.get("$skiptoken", "0"))
        began = int(request.query.get("began", str(self.version)))
        listed = sorted(
            (
                i
                for i in self.items.values()
                if i.version > after
                and (i.folder == "inbox" or any(r == i.id and v > began for r, v in self.removed))
            ),
            key=lambda i: i.version,
        )
        page = listed[:PAGE]
        body: dict[str, Any] = {
            "value": [{"id": i.id, "receivedDateTime": "2026-11-23T09:00:00Z"} for i in page]
        }
        if len(listed) > PAGE:
            body["@odata.nextLink"] = f"{base}?$skiptoken={page[-1].version}&began={began}"
        else:
            body["@odata.deltaLink"] = f"{base}?$deltatoken={self.version}"
        return self._json(body)

    async def value(self, request: web.Request) -> web.Response:
        self._check_mailbox(request)
        item = self.items.get(request.match_info["id"])
        if item is None:
            return self._json({"error": {"code": "ErrorItemNotFound"}}, 404)
        return web.Response(body=item.raw, content_type="message/rfc822")

    async def move(self, request: web.Request) -> web.Response:
        self._check_mailbox(request)
        item = self.items.get(request.match_info["id"])
        if item is None:
            return self._json({"error": {"code": "ErrorItemNotFound"}}, 404)
        destination = (await request.json())["destinationId"]
        if destination not in self.folders:
            return self._json({"error": {"code": "ErrorInvalidIdMalformed"}}, 400)
        if item.folder == "inbox":
            self.version += 1
            self.removed.append((item.id, self.version))
        item.folder = destination
        return self._json({"id": item.id}, 201)

    async def send_mail(self, request: web.Request) -> web.Response:
        self._check_mailbox(request)
        if request.content_type != "text/plain":
            return self._json({"error": {"code": "ErrorInvalidRequest"}}, 400)
        self.sent.append(base64.b64decode(await request.read()))
        return web.Response(status=202)

    async def start(self, context: ssl.SSLContext) -> None:
        app = web.Application(middlewares=[self.gate])
        users = "/v1.0/users/{mailbox}"
        app.add_routes(
            [
                web.get("/{tenant}/v2.0/.well-known/openid-configuration", self.openid),
                web.post("/{tenant}/oauth2/v2.0/token", self.token),
                web.get(users + "/mailFolders", self.folders_list),
                web.post(users + "/mailFolders", self.folders_create),
                web.get(users + "/mailFolders/{folder}/messages/delta", self.delta),
                web.get(users + "/messages/{id}/$value", self.value),
                web.post(users + "/messages/{id}/move", self.move),
                web.post(users + "/sendMail", self.send_mail),
            ]
        )
        self.port = free_port()
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port, ssl_context=context).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
