"""The web chat's JSON API (documented in docs/chat-api.md).

- ``POST /api/chat/conversations`` starts a conversation: its id, a short-lived
  per-conversation token and the opening turn.
- ``POST /api/chat/conversations/{id}/messages`` with ``Authorization: Bearer <token>``
  sends one message and answers with the bot's turn (the polling fallback).
- ``GET /api/chat/conversations/{id}/ws`` is the WebSocket: authenticate with the token
  in the first frame, then send messages and receive turns.
- ``GET /api/chat/conversations/{id}/turns?after=N`` lists the turns after N (to catch up).
- ``POST /api/chat/resume`` reopens a conversation by reference and resume code.

The server sets the channel and the identity; a body may hold only ``text`` and
``value``. Tokens travel in a header or the first WebSocket frame, never in a URL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time
from typing import Any

from aiohttp import WSMsgType, web

from bot.web.errors import UserError
from bot.web.keys import DB, SETTINGS
from bot.webchat.keys import CHAT, ChatService
from dialogs.engine import ConversationNotFound
from dialogs.reply import Reply
from dialogs.validate import TEXT_LIMIT
from intake.conversation_records import Conversation
from intake.errors import Conflict
from store.repo import messages as message_repo

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

#: the largest request body accepted by the message endpoints (a 5,000-character
#: message in JSON, with room for escaping and a structured value)
MAX_BODY = 32 * 1024
ALLOWED_FIELDS = frozenset({"text", "value"})
AUTH_TIMEOUT = 10.0
CONVERSATION_ID = r"{conversation_id:[A-Za-z0-9-]{1,36}}"


def _hash(request: web.Request, token: str) -> str:
    key = request.app[SETTINGS].secret_key.get_secret_value().encode()
    return hmac.new(key, b"chat:" + token.encode(), hashlib.sha256).hexdigest()


def _service(request: web.Request) -> ChatService:
    return request.app[CHAT]


def _too_many(retry_after: float) -> web.Response:
    return web.json_response(
        {
            "error": "Too many requests. Please wait a moment and try again.",
            "status": 429,
            "retry_after": round(retry_after, 1),
        },
        status=429,
        headers={"Retry-After": str(max(1, round(retry_after)))},
    )


def _client(request: web.Request) -> str:
    return request.remote or "unknown"


def turn_json(reply: Reply) -> dict[str, Any]:
    data = reply.to_json()
    data["choices"] = [{"label": c.label, "value": c.value} for c in reply.choices]
    return data


async def _issue_token(request: web.Request, conversation: Conversation) -> tuple[str, dt.datetime]:
    service = _service(request)
    token = secrets.token_urlsafe(32)
    expires = service.engine.clock() + dt.timedelta(minutes=service.settings.token_minutes)
    await service.engine.conversations.set_token(
        conversation, token_hash=_hash(request, token), expires_at=expires
    )
    return token, expires


def _bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UserError(401, "Send the conversation token in the Authorization header (Bearer …).")
    return token.strip()


def _check_token(request: web.Request, conversation: Conversation, token: str) -> None:
    """Refuse a token that is not the conversation's current, unexpired one."""
    if conversation.token_hash is None or not hmac.compare_digest(
        conversation.token_hash, _hash(request, token)
    ):
        raise UserError(401, "The conversation token is not valid for this conversation.")
    expires = conversation.token_expires_at
    if expires is None or expires <= _service(request).engine.clock():
        raise UserError(
            401,
            "The conversation token has expired. Resume with your reference and code, "
            "or start a new conversation.",
        )


async def _slide(request: web.Request, conversation: Conversation) -> None:
    """Keep an active conversation's token alive (written at most every half-lifetime)."""
    service = _service(request)
    ttl = dt.timedelta(minutes=service.settings.token_minutes)
    now = service.engine.clock()
    expires = conversation.token_expires_at
    if expires is not None and expires - now < ttl / 2:
        await service.engine.conversations.extend_token(conversation, expires_at=now + ttl)


async def _authorised(request: web.Request, conversation_id: str, token: str) -> Conversation:
    """The conversation, if the token is its current, unexpired one."""
    conversation = await _service(request).engine.conversations.load(conversation_id)
    if conversation is None:
        raise UserError(404, "There is no conversation with that id.")
    _check_token(request, conversation, token)
    return conversation


def _message_fields(payload: Any) -> tuple[str, dict[str, Any] | None]:
    if not isinstance(payload, dict):
        raise UserError(400, "The request body must be a JSON object.")
    unknown = sorted(set(payload) - ALLOWED_FIELDS)
    if unknown:
        raise UserError(
            400,
            "Only “text” and “value” may be sent; the server sets everything else.",
            [f"Unknown field: {name}" for name in unknown[:10]],
        )
    text = payload.get("text", "")
    value = payload.get("value")
    if not isinstance(text, str):
        raise UserError(400, "“text” must be a string.")
    if value is not None and not isinstance(value, dict):
        raise UserError(400, "“value” must be a JSON object.")
    if len(text) > TEXT_LIMIT:
        raise UserError(
            413, f"The message is {len(text):,} characters long; the limit is {TEXT_LIMIT:,}."
        )
    if not text.strip() and not value:
        raise UserError(400, "The message is empty.")
    return text, value


async def _json_body(request: web.Request, *, required: bool = True) -> Any:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise UserError(413, f"The request body is larger than {MAX_BODY // 1024} KB.")
    body = await request.content.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise UserError(413, f"The request body is larger than {MAX_BODY // 1024} KB.")
    if not body.strip():
        if required:
            raise UserError(400, "The request body must be a JSON object.")
        return {}
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(400, "The request body is not valid JSON.") from exc


async def _take_turn(
    request: web.Request, conversation_id: str, token: str, text: str, value: dict[str, Any] | None
) -> tuple[Reply, float]:
    """Run one turn (the token checked in the same transaction that stores the message),
    one at a time per conversation; the server time taken."""
    service = _service(request)
    started = time.perf_counter()
    seen: list[Conversation] = []

    def authorise(conversation: Conversation) -> None:
        _check_token(request, conversation, token)
        seen.append(conversation)

    async with service.lock(conversation_id):
        try:
            reply = await service.engine.handle(
                conversation_id, text, value=value, authorise=authorise
            )
        except Conflict as exc:
            raise UserError(409, str(exc)) from exc
        except ConversationNotFound as exc:
            raise UserError(404, "There is no conversation with that id.") from exc
    elapsed = (time.perf_counter() - started) * 1000
    if seen:
        await _slide(request, seen[0])
    return reply, elapsed


# ---------------------------------------------------------------- routes


@routes.post("/api/chat/conversations")
async def start(request: web.Request) -> web.StreamResponse:
    service = _service(request)
    wait = service.starts.check(f"ip:{_client(request)}")
    if wait:
        return _too_many(wait)
    payload = await _json_body(request, required=False)
    if not isinstance(payload, dict) or payload:
        raise UserError(
            400,
            "Start a conversation with an empty JSON object; the server sets "
            "the channel and identity.",
        )
    reply = await service.engine.start(channel="chat")
    conversation = await service.engine.conversations.load(reply.conversation_id)
    assert conversation is not None
    token, expires = await _issue_token(request, conversation)
    log.info("chat %s started", reply.conversation_id)
    return web.json_response(
        {
            "conversation_id": reply.conversation_id,
            "token": token,
            "token_expires_at": expires.isoformat(),
            "turn": turn_json(reply),
        },
        status=201,
    )


@routes.post(f"/api/chat/conversations/{CONVERSATION_ID}/messages")
async def post_message(request: web.Request) -> web.StreamResponse:
    service = _service(request)
    conversation_id = request.match_info["conversation_id"]
    token = _bearer(request)
    await _authorised(request, conversation_id, token)
    wait = service.messages.check(f"conv:{conversation_id}")
    if wait:
        return _too_many(wait)
    text, value = _message_fields(await _json_body(request))
    reply, elapsed = await _take_turn(request, conversation_id, token, text, value)
    return web.json_response(
        {"turn": turn_json(reply)}, headers={"Server-Timing": f"turn;dur={elapsed:.1f}"}
    )


@routes.get(f"/api/chat/conversations/{CONVERSATION_ID}/turns")
async def turns(request: web.Request) -> web.StreamResponse:
    """Stored bot turns after ``after`` (all of them without it; codes redacted), and the
    current question."""
    service = _service(request)
    conversation_id = request.match_info["conversation_id"]
    await _authorised(request, conversation_id, _bearer(request))
    raw = request.query.get("after")
    if raw is not None and (not raw.isdigit() or len(raw) > 9):
        raise UserError(400, "“after” must be a whole number.")
    after = int(raw) if raw is not None else -1
    async with request.app[DB].session() as session:
        stored = await message_repo.messages_of_conversation(
            session, conversation_id=conversation_id
        )
    found = [
        {"turn": m.flags.get("turn"), "text": m.body_text}
        for m in stored
        if m.direction == "out" and int(m.flags.get("turn", 0)) > after
    ]
    current = await service.engine.current(conversation_id)
    return web.json_response({"turns": found, "current": turn_json(current)})


@routes.post("/api/chat/resume")
async def resume(request: web.Request) -> web.StreamResponse:
    service = _service(request)
    wait = service.starts.check(f"ip:{_client(request)}")
    if wait:
        return _too_many(wait)
    payload = await _json_body(request)
    if not isinstance(payload, dict) or set(payload) - {"reference", "code"}:
        raise UserError(400, "Send only “reference” and “code”.")
    reference, code = payload.get("reference"), payload.get("code")
    if not isinstance(reference, str) or not isinstance(code, str):
        raise UserError(400, "Send your reference and code as text.")
    if len(reference) > 40 or len(code) > 40:
        raise UserError(400, "That reference or code is too long.")
    reply = await service.engine.resume(reference, code)
    if reply is None:
        raise UserError(
            401,
            "That reference and code do not match a report we can reopen. Check them, or "
            "start a new conversation.",
        )
    conversation = await service.engine.conversations.load(reply.conversation_id)
    assert conversation is not None
    token, expires = await _issue_token(request, conversation)
    return web.json_response(
        {
            "conversation_id": reply.conversation_id,
            "token": token,
            "token_expires_at": expires.isoformat(),
            "turn": turn_json(reply),
        }
    )


@routes.get(f"/api/chat/conversations/{CONVERSATION_ID}/ws")
async def websocket(request: web.Request) -> web.StreamResponse:
    service = _service(request)
    conversation_id = request.match_info["conversation_id"]
    if await service.engine.conversations.load(conversation_id) is None:
        raise UserError(404, "There is no conversation with that id.")
    ws = web.WebSocketResponse(max_msg_size=MAX_BODY, heartbeat=30.0)
    await ws.prepare(request)
    service.sockets.add(ws)
    try:
        token = await _ws_authenticate(request, ws, conversation_id)
        if token is None:
            return ws
        await ws.send_json({"type": "ready", "conversation_id": conversation_id})
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                if message.type == WSMsgType.BINARY:
                    await _ws_error(ws, 400, "Send JSON text frames.")
                continue
            await _ws_message(request, ws, conversation_id, token, message.data)
    except ConnectionResetError:
        # the browser went away mid-reply; the turn is stored and the page catches up
        log.info("chat %s: websocket closed by the client", conversation_id)
    finally:
        service.sockets.discard(ws)
    return ws


async def _ws_authenticate(
    request: web.Request, ws: web.WebSocketResponse, conversation_id: str
) -> str | None:
    """The token from the first frame, checked; None (socket closed) when it is not valid."""
    try:
        first = await ws.receive(timeout=AUTH_TIMEOUT)
    except TimeoutError:
        await _ws_error(ws, 401, "Send the token first.")
        await ws.close(code=4401)
        return None
    token = _ws_token(first)
    try:
        if token is None:
            raise UserError(401, 'Send {"type": "auth", "token": …} first.')
        await _authorised(request, conversation_id, token)
    except UserError as exc:
        await _ws_error(ws, exc.status, exc.message)
        await ws.close(code=4000 + exc.status)
        return None
    return token


def _ws_token(message: Any) -> str | None:
    if message.type != WSMsgType.TEXT:
        return None
    try:
        payload = json.loads(message.data)
    except json.JSONDecodeError:
        return None
    if not isinstance(payload, dict) or payload.get("type") != "auth":
        return None
    token = payload.get("token")
    return token if isinstance(token, str) and 0 < len(token) < 200 else None


async def _ws_error(ws: web.WebSocketResponse, status: int, message: str) -> None:
    await ws.send_json({"type": "error", "status": status, "error": message})


async def _ws_message(
    request: web.Request, ws: web.WebSocketResponse, conversation_id: str, token: str, data: str
) -> None:
    service = _service(request)
    try:
        try:
            payload = json.loads(data)
        except json.JSONDecodeError as exc:
            raise UserError(400, "The message is not valid JSON.") from exc
        if not isinstance(payload, dict) or payload.get("type") != "message":
            raise UserError(400, 'Send {"type": "message", "text": …}.')
        payload = {k: v for k, v in payload.items() if k != "type"}
        text, value = _message_fields(payload)
        wait = service.messages.check(f"conv:{conversation_id}")
        if wait:
            await ws.send_json(
                {
                    "type": "error",
                    "status": 429,
                    "error": "Too many messages. Please wait a moment and try again.",
                    "retry_after": round(wait, 1),
                }
            )
            return
        reply, elapsed = await _take_turn(request, conversation_id, token, text, value)
    except UserError as exc:
        await _ws_error(ws, exc.status, exc.message)
        if exc.status == 401:
            await ws.close(code=4401)
        return
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.error("chat websocket turn failed: %s", type(exc).__name__)
        await _ws_error(
            ws, 500, "Something went wrong on our side. Nothing you sent has been lost."
        )
        return
    await ws.send_json({"type": "turn", "turn": turn_json(reply), "server_ms": round(elapsed, 1)})
