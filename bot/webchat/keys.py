"""The web chat's long-lived objects, under a typed application key."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web

from bot.webchat.limits import RateLimiter
from dialogs.config import ChatSettings
from dialogs.engine import Engine


@dataclass
class ChatService:
    engine: Engine
    settings: ChatSettings
    starts: RateLimiter = field(init=False)
    messages: RateLimiter = field(init=False)
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    #: open WebSockets, closed when the service shuts down
    sockets: set[web.WebSocketResponse] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.starts = RateLimiter(self.settings.starts_per_minute)
        self.messages = RateLimiter(self.settings.messages_per_minute)

    def lock(self, conversation_id: str) -> asyncio.Lock:
        """One turn at a time per conversation (in this process)."""
        if len(self.locks) > 10_000:
            for key in [k for k, lock in self.locks.items() if not lock.locked()]:
                del self.locks[key]
        return self.locks.setdefault(conversation_id, asyncio.Lock())


CHAT = web.AppKey("chat", ChatService)
