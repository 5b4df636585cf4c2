"""The web chat (``/chat`` and its JSON/WebSocket API under ``/api/chat``) and the plain
report form (``/report``): public pages, no sign-in.

``setup(app)`` adds the routes, declares the public prefixes, and opens the dialog
engine and the abandonment sweep when the app starts (after the database and the
triage, so call it after those are registered in ``bot.app.create_app``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.web.keys import DB, PUBLIC_PREFIXES, SETTINGS, TRIAGER
from bot.webchat.api import routes as api_routes
from bot.webchat.keys import CHAT, ChatService
from bot.webchat.pages import routes as page_routes
from dialogs.engine import Engine
from dialogs.sweep import sweep
from intake.conversations import Conversations

log = logging.getLogger(__name__)

PUBLIC = ["/chat", "/report", "/api/chat"]


def setup(app: web.Application) -> None:
    app[PUBLIC_PREFIXES].extend(PUBLIC)
    app.add_routes(page_routes)
    app.add_routes(api_routes)
    app.cleanup_ctx.append(_chat)
    app.on_shutdown.append(_close_sockets)


async def _close_sockets(app: web.Application) -> None:
    """Tell open chats the service is going away, so shutdown does not wait on them."""
    service = app.get(CHAT)
    if service is None:
        return
    for ws in list(service.sockets):
        await ws.close(code=1001, message=b"The service is restarting")


async def _chat(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    conversations = Conversations(app[DB], app.get(TRIAGER), actor="chat")
    service = ChatService(
        engine=Engine(conversations, settings.authority),
        settings=settings.chat,
    )
    app[CHAT] = service
    task = None
    if settings.chat.sweep_seconds > 0:
        task = asyncio.create_task(_sweep_forever(service), name="chat-sweep")
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _sweep_forever(service: ChatService) -> None:
    """Queue abandoned conversations as incomplete referrals, every ``sweep_seconds``."""
    conversations = service.engine.conversations
    while True:
        await asyncio.sleep(service.settings.sweep_seconds)
        try:
            await sweep(conversations, service.settings, now=service.engine.clock())
        except Exception as exc:  # keep sweeping; the next run retries
            log.error("chat sweep failed: %s", type(exc).__name__)
