"""The one module that imports the Bot Framework SDK (botbuilder 4.17, archived upstream).

``BotFrameworkChannel`` runs each authenticated activity through the SDK's
``CloudAdapter`` (turn context, replies through the Bot Connector) and posts proactive
messages with ``continue_conversation``. What it takes and gives is ours: the
activity's JSON (already authenticated by ``bot.teams.tokens``), a ``Handler``
(``Inbound`` → ``Outbound``s), and ``DeliveryError`` for failed posts.

Security decisions live here too:

- the adapter's own request authentication is never used (we pass it the validated
  claims), and our credentials factory never reports authentication as disabled;
- every outbound connector is created by ``_ConnectorFactory``, which refuses any
  service URL outside ``LADO_TEAMS__ALLOWED_SERVICE_URLS`` before any token is fetched
  or any connection made (replies and alerts alike);
- the connector's own retries are off (the alert outbox retries, and a retried POST
  could post twice), and every call has a timeout.

Migrating to the Microsoft 365 Agents SDK (``microsoft-agents-hosting-aiohttp``)
means re-implementing this module's ``BotFrameworkChannel`` on its ``CloudAdapter``;
see docs/teams.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import AsyncIterator
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    ActionTypes,
    Activity,
    ActivityTypes,
    Attachment,
    CallerIdConstants,
    CardAction,
    ConversationReference,
    SuggestedActions,
)
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
)
from msrest.authentication import Authentication
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.teams.activity import DeliveryError, Handler, Inbound, Outbound
from bot.teams.config import BOT_OAUTH_SCOPE, TeamsSettings
from bot.teams.credentials import TokenSource, TokenUnavailable
from bot.teams.guard import allowed_service_url

log = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
USER_AGENT = "LADO-Intake"


class OutboundRefused(PermissionError):
    """The bot refused to call this service URL (not in the allowed list)."""


class _BearerToken(Authentication):
    """A fixed access token (obtained asynchronously beforehand) for msrest."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def signed_session(self, session: Any = None) -> Any:
        session = session if session is not None else super().signed_session()
        session.headers["Authorization"] = f"Bearer {self._token}"
        return session


#: the connector clients opened during the current turn or proactive send
_opened: contextvars.ContextVar[list[ConnectorClient] | None] = contextvars.ContextVar(
    "teams_connectors", default=None
)


@contextlib.asynccontextmanager
async def _closing_connectors() -> AsyncIterator[None]:
    """Close every connector client (and its HTTP session) opened inside the block."""
    opened: list[ConnectorClient] = []
    reset = _opened.set(opened)
    try:
        yield
    finally:
        _opened.reset(reset)
        for client in opened:
            with contextlib.suppress(Exception):
                await client.__aexit__(None, None, None)


class _ConnectorFactory(ConnectorFactory):  # type: ignore[misc]
    def __init__(self, settings: TeamsSettings, tokens: TokenSource) -> None:
        self.settings = settings
        self.tokens = tokens

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        if not allowed_service_url(service_url, self.settings.service_urls):
            log.warning("teams: refused to call a service URL that is not allowed")
            raise OutboundRefused("service_url_not_allowed")
        token = await self.tokens.token()
        client = ConnectorClient(_BearerToken(token), base_url=service_url)
        client.config.connection.timeout = self.settings.timeout_seconds
        if self.settings.ca_bundle:
            client.config.connection.verify = self.settings.ca_bundle
        client.config.retry_policy.retries = 0
        client.config.add_user_agent(USER_AGENT)
        opened = _opened.get()
        if opened is not None:
            opened.append(client)
        return client


class _Authentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """Requests are authenticated before they reach the adapter (``bot.teams.tokens``);
    this only hands the adapter our connector factory."""

    def __init__(self, factory: _ConnectorFactory) -> None:
        self.factory = factory

    async def authenticate_request(self, activity: Activity, auth_header: str) -> Any:
        raise PermissionError("requests are authenticated before the adapter")

    async def authenticate_streaming_request(self, auth_header: str, channel_id: str) -> Any:
        raise PermissionError("streaming connections are not supported")

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self.factory

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> None:
        return None  # the bot has no user sign-in (no OAuth cards)

    def get_originating_audience(self) -> str:
        return BOT_OAUTH_SCOPE


def to_activity(message: Outbound) -> Activity:
    activity = Activity(type=ActivityTypes.message, text_format="markdown")
    if message.text:
        activity.text = message.text
    if message.summary:
        activity.summary = message.summary
    if message.choices:
        activity.suggested_actions = SuggestedActions(
            actions=[
                CardAction(type=ActionTypes.im_back, title=c.label[:60], value=c.value)
                for c in message.choices
            ]
        )
    if message.card is not None:
        activity.attachments = [Attachment(content_type=ADAPTIVE_CARD, content=message.card)]
    return activity


def delivery_error(exc: BaseException) -> DeliveryError:
    """Classify a failed post: permanent or worth retrying (codes are safe to log)."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, OutboundRefused):
        return DeliveryError("service_url_not_allowed", permanent=True)
    if isinstance(exc, TokenUnavailable):
        return DeliveryError(f"token:{exc}")
    if isinstance(exc, TimeoutError):
        return DeliveryError("timeout")
    if isinstance(exc, HttpOperationError):
        status = getattr(getattr(exc, "response", None), "status_code", 0) or 0
        if status in (403, 404):
            return DeliveryError(f"http_{status}", permanent=True, gone=True)
        if status in (400, 413):
            return DeliveryError(f"http_{status}", permanent=True)
        return DeliveryError(f"http_{status}")
    if isinstance(exc, ClientRequestError):
        return DeliveryError("connection")
    return DeliveryError(type(exc).__name__)


class BotFrameworkChannel:
    """The Teams channel over the Bot Framework SDK's CloudAdapter."""

    def __init__(self, settings: TeamsSettings, tokens: TokenSource, handler: Handler) -> None:
        self.settings = settings
        self.handler = handler
        self.adapter = CloudAdapter(_Authentication(_ConnectorFactory(settings, tokens)))
        self.adapter.on_turn_error = self._on_turn_error

    async def process(
        self, body: dict[str, Any], inbound: Inbound, claims: dict[str, Any]
    ) -> tuple[int, Any]:
        """Run one authenticated activity; the HTTP status and JSON body to answer with."""
        activity = Activity().deserialize(body)
        result = AuthenticateRequestResult()
        result.claims_identity = ClaimsIdentity(dict(claims), True)
        result.audience = BOT_OAUTH_SCOPE
        result.caller_id = CallerIdConstants.public_azure_channel.value
        result.connector_factory = self.adapter.bot_framework_authentication.factory

        async def on_turn(context: TurnContext) -> None:
            for message in await self.handler(inbound):
                await context.send_activity(to_activity(message))

        async with _closing_connectors():
            response = await self.adapter.process_activity(result, activity, on_turn)
        if response is None:
            return 200, None
        return int(response.status), response.body

    async def _on_turn_error(self, context: TurnContext, error: Exception) -> None:
        log.error("teams: turn failed: %s", delivery_error(error).code)
        if context.activity.type != ActivityTypes.message:
            return
        try:
            await context.send_activity(
                to_activity(
                    Outbound(
                        text="Sorry, something went wrong on our side. Nothing you sent has "
                        "been lost. Please send your last message again."
                    )
                )
            )
        except Exception as exc:  # the connector itself may be what failed
            log.warning("teams: could not say sorry either (%s)", delivery_error(exc).code)

    async def send(self, reference: dict[str, Any], message: Outbound) -> str | None:
        """Post a message to a stored conversation; the new message's id.

        Raises DeliveryError (``permanent`` when retrying cannot help)."""
        try:
            conversation = ConversationReference().deserialize(reference)
        except Exception as exc:  # a damaged stored reference
            raise DeliveryError("bad_reference", permanent=True) from exc
        if not allowed_service_url(conversation.service_url, self.settings.service_urls):
            raise DeliveryError("service_url_not_allowed", permanent=True)
        outcome: dict[str, Any] = {}

        async def callback(context: TurnContext) -> None:
            # the SDK gives the continuation a random id, which would make the post a
            # "reply" to a message that does not exist: post a new message instead
            context.activity.id = None
            try:
                response = await context.send_activity(to_activity(message))
                outcome["id"] = response.id if response is not None else None
            except Exception as exc:  # reported to the caller below, not swallowed
                outcome["error"] = exc

        try:
            async with _closing_connectors(), asyncio.timeout(self.settings.timeout_seconds * 2):
                await self.adapter.continue_conversation(
                    conversation, callback, bot_app_id=self.settings.app_id
                )
        except Exception as exc:
            raise delivery_error(exc) from exc
        if "error" in outcome:
            raise delivery_error(outcome["error"]) from outcome["error"]
        found = outcome.get("id")
        return str(found) if found else None
