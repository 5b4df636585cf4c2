"""``POST /api/messages``: the Bot Framework endpoint, and the Teams channel's lifetime.

``setup(app)`` adds the route (when ``LADO_TEAMS__ENABLED``) and a cleanup context
that, when the app starts, opens the channel on the same dialog engine, store and
triage as the web chat, and starts the alert sender.

Every request is refused before anything else happens unless it carries a valid
Bot Framework token for our app id (``bot.teams.tokens``), names an allowed service
URL, comes from the Teams channel and from our own tenant. Every refusal is a 401
with a JSON body, never a 500, and nothing is sent anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from bot.teams.config import TeamsSettings
from bot.teams.credentials import TokenSource, TokenUnavailable
from bot.teams.guard import allowed_service_url
from bot.teams.handler import TeamsBot
from bot.teams.inbound import BadActivity, read_activity
from bot.teams.sdk import BotFrameworkChannel
from bot.teams.sender import AlertSender
from bot.teams.tokens import InvalidToken, KeySet, KeysUnavailable, TokenValidator
from bot.web.errors import UserError
from bot.web.keys import DB, PUBLIC_PREFIXES, SETTINGS, TRIAGER
from dialogs.engine import Engine
from intake.alerts import Outbox
from intake.conversations import Conversations
from intake.teams import TeamsDirectory

log = logging.getLogger(__name__)

PATH = "/api/messages"
TEAMS_CHANNEL = "msteams"
MAX_BODY = 256 * 1024
MAX_METADATA = 512 * 1024


@dataclass
class TeamsService:
    settings: TeamsSettings
    validator: TokenValidator
    channel: BotFrameworkChannel
    sender: AlertSender | None


TEAMS = web.AppKey("teams", TeamsService)


def setup(app: web.Application) -> None:
    """Add the endpoint and the channel's lifetime (after the database and the triage)."""
    if not app[SETTINGS].teams.enabled:
        return
    app[PUBLIC_PREFIXES].append(PATH)  # authenticated by the Bot Framework token instead
    app.router.add_post(PATH, messages)
    app.cleanup_ctx.append(_teams)


def _refuse(code: str) -> UserError:
    log.warning("teams: request refused (%s)", code)
    return UserError(401, "This request is not authorised.")


async def _body(request: web.Request) -> Any:
    if request.content_type != "application/json":
        raise UserError(415, "Send the activity as application/json.")
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise UserError(413, f"The request body is larger than {MAX_BODY // 1024} KB.")
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise UserError(413, f"The request body is larger than {MAX_BODY // 1024} KB.")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(400, "The request body is not valid JSON.") from exc


async def messages(request: web.Request) -> web.StreamResponse:
    service = request.app.get(TEAMS)
    if service is None:
        raise UserError(503, "The Teams channel is not configured on this server.")
    settings = service.settings
    body = await _body(request)
    try:
        inbound = read_activity(body)
    except BadActivity as exc:
        raise UserError(400, str(exc)) from exc
    try:
        claims = await service.validator.validate(
            request.headers.get("Authorization"),
            service_url=inbound.place.service_url,
            channel_id=body.get("channelId") if isinstance(body.get("channelId"), str) else None,
        )
    except InvalidToken as exc:
        raise _refuse(exc.code) from exc
    except KeysUnavailable as exc:
        log.error("teams: cannot check tokens: the signing keys are unavailable")
        raise UserError(503, "The service cannot check requests just now.") from exc
    except Exception as exc:  # whatever else a hostile token provokes is still a refusal
        raise _refuse(f"error:{type(exc).__name__}") from exc
    if body.get("channelId") != TEAMS_CHANNEL:
        raise _refuse("channel")
    if not allowed_service_url(inbound.place.service_url, settings.service_urls):
        raise _refuse("service_url_not_allowed")
    tenant = (inbound.tenant_id or "").lower()
    if not tenant or tenant != settings.tenant_id.lower():
        raise _refuse("tenant")
    try:
        status, payload = await service.channel.process(body, inbound, claims)
    except TokenUnavailable as exc:
        log.error("teams: no token to reply with (%s)", exc)
        raise UserError(503, "The service cannot reply just now.") from exc
    if payload is None:
        return web.Response(status=status)
    return web.json_response(payload, status=status)


# ---------------------------------------------------------------- lifetime


def _ssl(settings: TeamsSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.ca_bundle:
        context.load_verify_locations(settings.ca_bundle)
    return context


def _fetch_json(http: aiohttp.ClientSession) -> Any:
    async def fetch(url: str) -> Any:
        async with http.get(url, allow_redirects=False) as response:
            if response.status != 200:
                raise ValueError(f"http_{response.status}")
            raw = await response.content.read(MAX_METADATA + 1)
        if len(raw) > MAX_METADATA:
            raise ValueError("too_large")
        return json.loads(raw)

    return fetch


async def _teams(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    teams = settings.teams
    problems = teams.problems()
    if problems:
        log.warning("teams: channel not started: %s", "; ".join(problems))
        yield
        return
    http = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=_ssl(teams)),
        timeout=aiohttp.ClientTimeout(total=teams.timeout_seconds),
    )
    keys = KeySet(teams.openid_metadata_url, _fetch_json(http))
    validator = TokenValidator(keys, issuer=teams.token_issuer, audience=teams.app_id)
    engine = Engine(Conversations(app[DB], app.get(TRIAGER), actor="teams"), settings.authority)
    bot = TeamsBot(engine, TeamsDirectory(app[DB]), app_name=teams.app_name)
    tokens = TokenSource(teams)
    channel = BotFrameworkChannel(teams, tokens, bot)
    sender = None
    if teams.alert_poll_seconds > 0:
        outbox = Outbox(
            app[DB],
            settings.authority,
            include_referrals=teams.alert_referrals,
            max_age=dt.timedelta(hours=teams.alert_max_age_hours),
            max_attempts=teams.alert_max_attempts,
            lease=dt.timedelta(seconds=max(120.0, teams.timeout_seconds * 4)),
        )
        sender = AlertSender(
            outbox, channel.send, base_url=settings.base_url, poll_seconds=teams.alert_poll_seconds
        )
    app[TEAMS] = TeamsService(settings=teams, validator=validator, channel=channel, sender=sender)
    task = None
    if sender is not None:
        task = asyncio.create_task(sender.run_forever(), name="teams-alerts")
    log.info("teams: channel started (alerts %s)", "on" if sender else "off in this instance")
    try:
        yield
    finally:
        if task is not None and sender is not None:
            sender.stop.set()
            try:
                async with asyncio.timeout(teams.timeout_seconds * 2 + 5):
                    await asyncio.shield(task)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await http.close()
        tokens.close()
