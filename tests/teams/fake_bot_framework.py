"""A fake Bot Framework on loopback (HTTPS), built from the documented protocol:

* the Bot Framework token service's OpenID metadata
  (``GET /v1/.well-known/openidconfiguration``) and key set (``GET /v1/keys``): a test
  RSA key, endorsed for ``msteams``, that signs the inbound tokens ``token()`` mints;
* Microsoft Entra ID for the bot's own token: tenant discovery
  (``GET /{tenant}/v2.0/.well-known/openid-configuration``) and client credentials
  (``POST /{tenant}/oauth2/v2.0/token``, secret or certificate assertion);
* the Bot Connector under ``/teams/`` (the allowed service URL):
  ``POST /teams/v3/conversations/{id}/activities[/{replyToId}]``, which records each
  activity the bot posts, checks its bearer token, and can be told to fail.

Anything sent anywhere else on this server (e.g. under ``/elsewhere/``, a service URL
the bot must refuse) is recorded in ``stray``.
"""

from __future__ import annotations

import datetime as dt
import json
import ssl
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.mail.servers import free_port

APP_ID = "5b8f1c2e-4f5a-4b6c-9d7e-1f2a3b4c5d6e"
TENANT = "3c9d2e1f-0a1b-4c2d-8e3f-4a5b6c7d8e9f"
OTHER_TENANT = "99999999-0a1b-4c2d-8e3f-4a5b6c7d8e9f"
SECRET = "bot-test-secret"
ISSUER = "https://api.botframework.com"
KID = "test-key-1"
OUT_TOKEN = "bot-outbound-access-token"
BOT_ID = f"28:{APP_ID}"

_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Posted:
    conversation_id: str
    reply_to: str | None
    authorization: str
    activity: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.activity.get("text") or "")

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def suggested(self) -> list[str]:
        actions = (self.activity.get("suggestedActions") or {}).get("actions") or []
        return [str(a.get("value")) for a in actions]


@dataclass
class FakeBotFramework:
    port: int = 0
    posted: list[Posted] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)
    token_requests: int = 0
    key_requests: int = 0
    #: statuses to answer the next posts with (then 201 again)
    fail_next: list[int] = field(default_factory=list)
    #: the CA certificate the bot must trust to reach this server
    ca_bundle: str = ""
    runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def service_url(self) -> str:
        return f"{self.base}/teams/"

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/v1/.well-known/openidconfiguration"

    def posted_to(self, conversation_id: str) -> list[Posted]:
        return [p for p in self.posted if p.conversation_id == conversation_id]

    # ------------------------------------------------------------ inbound tokens

    def token(
        self,
        *,
        service_url: str | None = None,
        audience: str = APP_ID,
        issuer: str = ISSUER,
        expires_in: int = 3600,
        kid: str = KID,
        key: Any = None,
        algorithm: str = "RS256",
        claims: dict[str, Any] | None = None,
    ) -> str:
        now = dt.datetime.now(dt.UTC)
        payload = {
            "iss": issuer,
            "aud": audience,
            "serviceurl": service_url or self.service_url,
            "nbf": now - dt.timedelta(minutes=1),
            "iat": now - dt.timedelta(minutes=1),
            "exp": now + dt.timedelta(seconds=expires_in),
            **(claims or {}),
        }
        return jwt.encode(payload, key or _KEY, algorithm=algorithm, headers={"kid": kid})

    # ------------------------------------------------------------ activities

    def activity(
        self,
        *,
        kind: str = "personal",
        conversation_id: str = "a:personal-conversation-1",
        aad: str = "11111111-2222-4333-8444-555555555555",
        text: str | None = None,
        value: dict[str, Any] | None = None,
        type: str = "message",
        service_url: str | None = None,
        tenant: str = TENANT,
        team: dict[str, str] | None = None,
        mention: bool = False,
        members_added: list[str] | None = None,
    ) -> dict[str, Any]:
        conversation_type = {"personal": "personal", "channel": "channel", "group": "groupChat"}[
            kind
        ]
        activity: dict[str, Any] = {
            "type": type,
            "id": str(uuid.uuid4()),
            "timestamp": dt.datetime.now(dt.UTC).isoformat(),
            "channelId": "msteams",
            "serviceUrl": service_url or self.service_url,
            "from": {"id": f"29:{aad}", "name": "Test Person", "aadObjectId": aad},
            "conversation": {
                "id": conversation_id,
                "conversationType": conversation_type,
                "tenantId": tenant,
                "isGroup": kind != "personal",
            },
            "recipient": {"id": BOT_ID, "name": "LADO Intake"},
            "channelData": {"tenant": {"id": tenant}},
            "locale": "en-GB",
        }
        if team is not None:
            activity["channelData"]["team"] = team
            activity["channelData"]["channel"] = {"id": conversation_id.split(";")[0]}
        if text is not None:
            activity["text"] = f"<at>LADO Intake</at> {text}" if mention else text
        if mention:
            activity["entities"] = [
                {
                    "type": "mention",
                    "text": "<at>LADO Intake</at>",
                    "mentioned": {"id": BOT_ID, "name": "LADO Intake"},
                }
            ]
        if value is not None:
            activity["value"] = value
        if members_added is not None:
            activity["membersAdded"] = [{"id": m} for m in members_added]
        return activity

    # ------------------------------------------------------------ handlers

    def _json(self, data: Any, status: int = 200) -> web.Response:
        return web.Response(
            status=status, body=json.dumps(data).encode(), content_type="application/json"
        )

    async def metadata(self, request: web.Request) -> web.Response:
        return self._json(
            {
                "issuer": ISSUER,
                "jwks_uri": f"{self.base}/v1/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def keys(self, request: web.Request) -> web.Response:
        self.key_requests += 1
        jwk: dict[str, Any] = jwt.algorithms.RSAAlgorithm.to_jwk(_KEY.public_key(), as_dict=True)
        jwk.update({"kid": KID, "use": "sig", "endorsements": ["msteams"]})
        return self._json({"keys": [jwk]})

    async def entra_metadata(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        return self._json(
            {
                "token_endpoint": f"{self.base}/{tenant}/oauth2/v2.0/token",
                "authorization_endpoint": f"{self.base}/{tenant}/oauth2/v2.0/authorize",
                "issuer": f"{self.base}/{tenant}/v2.0",
            }
        )

    async def entra_token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        form = parse_qs((await request.read()).decode())
        secret_ok = form.get("client_secret") == [SECRET]
        assertion_ok = False
        if form.get("client_assertion"):
            # a certificate credential: a JWT signed with the certificate's key
            assertion = form["client_assertion"][0]
            claims = jwt.decode(assertion, options={"verify_signature": False})
            assertion_ok = claims.get("iss") == APP_ID and claims.get("sub") == APP_ID
        if (
            request.match_info["tenant"] != TENANT
            or form.get("grant_type") != ["client_credentials"]
            or form.get("client_id") != [APP_ID]
            or form.get("scope") != ["https://api.botframework.com/.default"]
            or not (secret_ok or assertion_ok)
        ):
            return self._json({"error": "invalid_client"}, 401)
        return self._json({"access_token": OUT_TOKEN, "token_type": "Bearer", "expires_in": 3599})

    async def post_activity(self, request: web.Request) -> web.Response:
        authorization = request.headers.get("Authorization", "")
        body = await request.json()
        self.posted.append(
            Posted(
                conversation_id=request.match_info["conversation"],
                reply_to=request.match_info.get("reply_to"),
                authorization=authorization,
                activity=body,
            )
        )
        if authorization != f"Bearer {OUT_TOKEN}":
            return self._json({"error": {"code": "Unauthorized"}}, 401)
        if self.fail_next:
            return self._json({"error": {"code": "Failed"}}, self.fail_next.pop(0))
        return self._json({"id": f"1:{uuid.uuid4()}"}, 201)

    async def anything_else(self, request: web.Request) -> web.Response:
        self.stray.append(f"{request.method} {request.path}")
        return self._json({"error": "not here"}, 404)

    async def start(self, context: ssl.SSLContext) -> None:
        app = web.Application()
        app.add_routes(
            [
                web.get("/v1/.well-known/openidconfiguration", self.metadata),
                web.get("/v1/keys", self.keys),
                web.get("/{tenant}/v2.0/.well-known/openid-configuration", self.entra_metadata),
                web.post("/{tenant}/oauth2/v2.0/token", self.entra_token),
                web.post("/teams/v3/conversations/{conversation}/activities", self.post_activity),
                web.post(
                    "/teams/v3/conversations/{conversation}/activities/{reply_to}",
                    self.post_activity,
                ),
                web.route("*", "/{tail:.*}", self.anything_else),
            ]
        )
        self.port = free_port()
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port, ssl_context=context).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
