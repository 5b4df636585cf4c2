"""The web chat's JSON API over real HTTP: a conversation end to end, a WebSocket round
trip, and every bad request answered with a clear JSON error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from bot.app import create_app
from bot.settings import Settings
from store.engine import Database
from tests.dialogs.harness import ACCOUNT, FakeTriager

ClientFactory = Callable[..., Awaitable[TestClient]]
BASE = "/api/chat/conversations"


@pytest.fixture
async def client(aiohttp_client: ClientFactory, sqlite_db: Database) -> TestClient:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        chat={"messages_per_minute": 8, "starts_per_minute": 5, "sweep_seconds": 0},
    )
    return await aiohttp_client(create_app(settings, db=sqlite_db, triager=FakeTriager()))


async def _start(client: TestClient) -> dict[str, Any]:
    response = await client.post(BASE, json={})
    assert response.status == 201, await response.text()
    return dict(await response.json())


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _count(db: Database, sql: str) -> int:
    async with db.session() as session:
        conn = await session.connection()
        return int((await conn.execute(text(sql))).scalar_one())


async def test_a_conversation_over_http(client: TestClient, sqlite_db: Database) -> None:
    started = await _start(client)
    cid, token = started["conversation_id"], started["token"]
    assert started["turn"]["expects"] == "immediate_danger"
    assert {"label": "No", "value": "no"} in started["turn"]["choices"]
    response = await client.post(
        f"{BASE}/{cid}/messages", json={"text": "no"}, headers=_auth(token)
    )
    assert response.status == 200
    assert response.headers["Server-Timing"].startswith("turn;dur=")
    turn = (await response.json())["turn"]
    assert turn["expects"] == "what_happened" and turn["done"] is False
    response = await client.post(
        f"{BASE}/{cid}/messages", json={"text": ACCOUNT}, headers=_auth(token)
    )
    turn = (await response.json())["turn"]
    assert turn["resume_code"] and turn["resume_code"] in turn["text"]
    # catching up after a lost reply: stored turns (codes redacted) and the current question
    response = await client.get(f"{BASE}/{cid}/turns?after=1", headers=_auth(token))
    caught = await response.json()
    assert [t["turn"] for t in caught["turns"]] == [2]
    assert turn["resume_code"] not in caught["turns"][-1]["text"]
    assert caught["current"]["expects"] == "referrer_name"
    # the server decides the channel: every stored turn is a chat message of this conversation
    assert await _count(sqlite_db, "SELECT count(*) FROM message WHERE channel = 'chat'") == 5
    # resume by reference and code gives a new token; the old one stops working
    response = await client.post(
        "/api/chat/resume", json={"reference": cid, "code": turn["resume_code"]}
    )
    assert response.status == 200
    resumed = await response.json()
    assert resumed["conversation_id"] == cid and resumed["turn"]["expects"] == "referrer_name"
    old = await client.post(f"{BASE}/{cid}/messages", json={"text": "Jo"}, headers=_auth(token))
    assert old.status == 401
    new = await client.post(
        f"{BASE}/{cid}/messages", json={"text": "Jo"}, headers=_auth(resumed["token"])
    )
    assert new.status == 200


async def test_websocket_round_trip(client: TestClient, sqlite_db: Database) -> None:
    started = await _start(client)
    cid = started["conversation_id"]
    async with client.ws_connect(f"{BASE}/{cid}/ws") as ws:
        await ws.send_json({"type": "auth", "token": started["token"]})
        assert (await ws.receive_json())["type"] == "ready"
        await ws.send_json({"type": "message", "text": "no"})
        reply = await ws.receive_json()
        assert reply["type"] == "turn" and reply["turn"]["expects"] == "what_happened"
        assert reply["server_ms"] >= 0
        await ws.send_json({"type": "message", "text": ACCOUNT})
        reply = await ws.receive_json()
        assert reply["turn"]["expects"] == "referrer_name"
        await ws.send_json({"type": "message", "text": "x" * 5_001})
        error = await ws.receive_json()
        assert error == {"type": "error", "status": 413, "error": error["error"]}
        await ws.send_str("{not json")
        assert (await ws.receive_json())["status"] == 400
        await ws.send_json({"type": "message", "text": "hi", "channel": "teams"})
        assert (await ws.receive_json())["status"] == 400
    inbound = await _count(
        sqlite_db,
        f"SELECT count(*) FROM message WHERE conversation_id = '{cid}' AND direction = 'in'",
    )
    assert inbound == 2


async def test_websocket_needs_the_token_first(client: TestClient) -> None:
    started = await _start(client)
    cid = started["conversation_id"]
    async with client.ws_connect(f"{BASE}/{cid}/ws") as ws:
        await ws.send_json({"type": "auth", "token": "wrong"})
        error = await ws.receive_json()
        assert error["status"] == 401
        closing = await ws.receive()
        assert ws.closed or closing.data == 4401
    response = await client.get(f"{BASE}/CH-NONE-NONE/ws")
    assert response.status == 404


async def test_missing_token(client: TestClient) -> None:
    cid = (await _start(client))["conversation_id"]
    response = await client.post(f"{BASE}/{cid}/messages", json={"text": "no"})
    assert response.status == 401
    body = await response.json()
    assert body["status"] == 401 and "Authorization" in body["error"]
    response = await client.post(
        f"{BASE}/{cid}/messages", json={"text": "no"}, headers={"Authorization": "Basic abc"}
    )
    assert response.status == 401


async def test_expired_token(client: TestClient, sqlite_db: Database) -> None:
    started = await _start(client)
    cid = started["conversation_id"]
    async with sqlite_db.transaction() as session:
        conn = await session.connection()
        past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).replace(tzinfo=None)
        await conn.execute(
            text("UPDATE conversation_state SET token_expires_at = :t WHERE id = :id"),
            {"t": past, "id": cid},
        )
    response = await client.post(
        f"{BASE}/{cid}/messages", json={"text": "no"}, headers=_auth(started["token"])
    )
    assert response.status == 401
    assert "expired" in (await response.json())["error"]


async def test_oversized_message(client: TestClient, sqlite_db: Database) -> None:
    started = await _start(client)
    cid, token = started["conversation_id"], started["token"]
    response = await client.post(
        f"{BASE}/{cid}/messages", json={"text": "x" * 5_001}, headers=_auth(token)
    )
    assert response.status == 413
    assert "5,000" in (await response.json())["error"]
    response = await client.post(
        f"{BASE}/{cid}/messages",
        data=b'{"text": "' + b"x" * 40_000 + b'"}',
        headers={**_auth(token), "Content-Type": "application/json"},
    )
    assert response.status == 413
    assert await _count(sqlite_db, "SELECT count(*) FROM message WHERE direction = 'in'") == 0


async def test_malformed_json(client: TestClient) -> None:
    started = await _start(client)
    cid, token = started["conversation_id"], started["token"]
    for body in (b"{not json", b"[1, 2]", b"", b'{"text": 5}', b'{"text": "  "}'):
        response = await client.post(
            f"{BASE}/{cid}/messages",
            data=body,
            headers={**_auth(token), "Content-Type": "application/json"},
        )
        assert response.status == 400, body
        assert (await response.json())["status"] == 400
    response = await client.post(
        f"{BASE}", data=b"{oops", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400


async def test_client_routing_fields_are_refused(client: TestClient) -> None:
    started = await _start(client)
    cid, token = started["conversation_id"], started["token"]
    response = await client.post(
        f"{BASE}/{cid}/messages",
        json={"text": "no", "channel": "email", "conversation_id": "CH-OTHE-RONE"},
        headers=_auth(token),
    )
    assert response.status == 400
    body = await response.json()
    assert body["problems"] == ["Unknown field: channel", "Unknown field: conversation_id"]
    response = await client.post(BASE, json={"channel": "teams", "user": "someone"})
    assert response.status == 400


async def test_unknown_conversation(client: TestClient) -> None:
    started = await _start(client)
    response = await client.post(
        f"{BASE}/CH-NOPE-NOPE/messages", json={"text": "no"}, headers=_auth(started["token"])
    )
    assert response.status == 404
    assert (await response.json())["error"] == "There is no conversation with that id."
    response = await client.post(
        "/api/chat/resume", json={"reference": "CH-NOPE-NOPE", "code": "AAAA-BBBB"}
    )
    assert response.status == 401


async def test_rate_limits(client: TestClient) -> None:
    started = await _start(client)
    cid, token = started["conversation_id"], started["token"]
    statuses = []
    for _ in range(10):
        response = await client.post(
            f"{BASE}/{cid}/messages", json={"text": "help"}, headers=_auth(token)
        )
        statuses.append(response.status)
    assert statuses[:8] == [200] * 8 and statuses[8:] == [429, 429]
    assert int(response.headers["Retry-After"]) >= 1
    assert (await response.json())["status"] == 429
    starts = [(await client.post(BASE, json={})).status for _ in range(5)]
    assert starts == [201, 201, 201, 201, 429]  # five per minute per address, one used above


async def test_chat_and_report_pages_are_public(client: TestClient) -> None:
    page = await client.get("/chat")
    assert page.status == 200
    html = await page.text()
    assert "If a child is in immediate danger, call 999." in html
    assert '<script src="/static/chat/chat.js" defer></script>' in html
    assert "<script>" not in html and "//" not in html.split("<script src=")[1][:40]
    script = await client.get("/static/chat/chat.js")
    assert script.status == 200
    assert "cdn" not in (await script.text()).lower()
    report = await client.get("/report")
    assert report.status == 200 and 'name="form_token"' in await report.text()
