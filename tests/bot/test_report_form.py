"""The plain report form: same questions and validation as the chat, CSRF-protected,
into the same queue through the same submit and triage."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from bot.app import create_app
from bot.settings import Settings
from store.engine import Database
from tests.dialogs.harness import ACCOUNT, FakeTriager

ClientFactory = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def client(aiohttp_client: ClientFactory, sqlite_db: Database) -> TestClient:
    settings = Settings(_env_file=None, chat={"sweep_seconds": 0})  # type: ignore[call-arg]
    return await aiohttp_client(create_app(settings, db=sqlite_db, triager=FakeTriager()))


async def _token(client: TestClient) -> str:
    page = await client.get("/report")
    found = re.search(r'name="form_token" value="([^"]+)"', await page.text())
    assert found is not None
    return found.group(1)


async def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    async with db.session() as session:
        conn = await session.connection()
        return [tuple(r) for r in (await conn.execute(text(sql))).all()]


async def test_a_report_reaches_the_queue_with_its_triage(
    client: TestClient, sqlite_db: Database
) -> None:
    token = await _token(client)
    response = await client.post(
        "/report",
        data={
            "form_token": token,
            "immediate_danger": "no",
            "referrer_name": "Jo Bloggs",
            "referrer_contact": "jo@oakfield.sch.uk",
            "what_happened": ACCOUNT,
            "adult_name": "David Dean",
            "adult_dob": "unknown",
            "sector": "education",
            "incident_date": "yesterday",
            "child_age": "8",
            "police_informed": "no",
        },
    )
    html = await response.text()
    assert response.status == 200, html
    reference = re.search(r"LADO-\d{4}-\d{6}", html)
    assert reference is not None
    assert "do not interview" in html and "01632 960000" in html
    rows = await _rows(
        sqlite_db,
        "SELECT channel, adult_name, sector, triage_suggestion, referrer_email, incident_on "
        "FROM referral",
    )
    assert rows[0][:5] == ("form", "David Dean", "education", "REFERRAL", "jo@oakfield.sch.uk")
    messages = await _rows(sqlite_db, "SELECT channel, direction, body_text FROM message")
    assert messages[0][:2] == ("form", "in") and "Adult's full name: David Dean" in str(
        messages[0][2]
    )


async def test_the_form_needs_its_csrf_cookie(client: TestClient, sqlite_db: Database) -> None:
    response = await client.post("/report", data={"form_token": "forged-token-xxxxxxxxxxxx"})
    assert response.status == 403
    assert await _rows(sqlite_db, "SELECT count(*) FROM referral") == [(0,)]


async def test_problems_are_listed_and_answers_kept(
    client: TestClient, sqlite_db: Database
) -> None:
    token = await _token(client)
    response = await client.post(
        "/report",
        data={
            "form_token": token,
            "referrer_name": "Jo Bloggs",
            "referrer_contact": "jo@@school",
            "what_happened": "x" * 5_001,
            "incident_date": "the day after tomorrow",
            "adult_name": "Kept Name",
        },
    )
    assert response.status == 400
    html = await response.text()
    assert "There is a problem" in html
    assert 'href="#referrer_contact"' in html and "does not look like an email" in html
    assert "the limit is 5,000" in html and "in the future" in html
    assert 'value="Kept Name"' in html
    assert await _rows(sqlite_db, "SELECT count(*) FROM referral") == [(0,)]
