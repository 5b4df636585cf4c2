"""The service with its Teams channel on loopback, talking to a fake Bot Framework."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from bot.app import create_app
from bot.settings import Settings
from store.engine import Database
from tests.dialogs.harness import FakeTriager
from tests.mail.tls import make_cert
from tests.teams.fake_bot_framework import APP_ID, SECRET, TENANT, FakeBotFramework

ClientFactory = Callable[..., Awaitable[TestClient]]
BASE_URL = "https://lado.example.gov.uk"


@pytest.fixture
async def bot_framework(tmp_path: Path) -> AsyncIterator[FakeBotFramework]:
    cert, context = make_cert(tmp_path)
    fake = FakeBotFramework()
    fake.ca_bundle = str(cert)
    await fake.start(context)
    yield fake
    await fake.stop()


def teams_settings(fake: FakeBotFramework, **teams: Any) -> Settings:
    values: dict[str, Any] = {
        "enabled": True,
        "app_id": APP_ID,
        "app_password": SECRET,
        "tenant_id": TENANT,
        "allowed_service_urls": fake.service_url,
        "openid_metadata_url": fake.metadata_url,
        "login_url": fake.base,
        "ca_bundle": fake.ca_bundle,
        "timeout_seconds": 5,
        "alert_poll_seconds": 0.1,
        **teams,
    }
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        base_url=BASE_URL,
        chat={"sweep_seconds": 0},
        web={"secure_cookies": False},  # the test client speaks plain http to the service
        teams=values,
    )


@pytest.fixture
def triager() -> FakeTriager:
    return FakeTriager()


@pytest.fixture
async def client(
    sqlite_db: Database,
    bot_framework: FakeBotFramework,
    triager: FakeTriager,
    aiohttp_client: ClientFactory,
) -> TestClient:
    """The service (set up after the database and the fake, so it stops before them)."""
    app = create_app(teams_settings(bot_framework), db=sqlite_db, triager=triager)
    return await aiohttp_client(app)


async def post(
    client: TestClient,
    fake: FakeBotFramework,
    activity: dict[str, Any],
    *,
    token: str | None = None,
    authorization: str | None = None,
) -> ClientResponse:
    """POST an activity as the Bot Framework would (a valid token unless told otherwise)."""
    header = authorization
    if header is None:
        header = f"Bearer {token or fake.token(service_url=activity.get('serviceUrl'))}"
    headers = {"Content-Type": "application/json"}
    if header:
        headers["Authorization"] = header
    return await client.post("/api/messages", data=json.dumps(activity), headers=headers)


async def state_of(db: Database, conversation_key: str) -> dict[str, Any]:
    """The dialog state behind a Teams chat (what is being asked now)."""
    async with db.session() as session:
        conn = await session.connection()
        row = (
            await conn.execute(
                text(
                    "SELECT s.state FROM teams_conversation t JOIN conversation_state s "
                    "ON s.id = t.dialog_id WHERE t.conversation_key = :key"
                ),
                {"key": conversation_key},
            )
        ).one()
    state = row[0]
    return dict(json.loads(state) if isinstance(state, str) else state)


async def wait_for(predicate: Callable[[], bool], *, seconds: float = 10.0) -> None:
    """Poll ``predicate`` (the fake records posts as they arrive) until true."""
    async with asyncio.timeout(seconds):
        while not predicate():  # noqa: ASYNC110 (the fake has no event to wait on)
            await asyncio.sleep(0.05)
