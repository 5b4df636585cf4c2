"""The officer UI over real HTTP: sign-in, roles, CSRF, the queue, actions, bad input."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from bot.app import create_app
from bot.settings import Settings
from store.engine import Database
from tests.bot.webtools import PASSWORD, csrf_and_version, login, unused_triager
from tests.conftest import add_officer, add_referral

ClientFactory = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def client(aiohttp_client: ClientFactory, sqlite_db: Database) -> TestClient:
    settings = Settings(_env_file=None, web={"login_max_failures": 3})  # type: ignore[call-arg]
    app = create_app(settings, db=sqlite_db, triager=unused_triager())
    return await aiohttp_client(app)


@pytest.fixture
async def officer_client(client: TestClient, sqlite_db: Database) -> TestClient:
    await add_officer(sqlite_db, "officer@example.gov.uk", "officer")
    response = await login(client, "officer@example.gov.uk")
    assert response.status == 303
    return client


async def _count(db: Database, table: str, where: str = "1=1") -> int:
    async with db.session() as session:
        conn = await session.connection()
        return int(
            (await conn.execute(text(f"SELECT count(*) FROM {table} WHERE {where}"))).scalar_one()
        )


# ---------------------------------------------------------------- access


async def test_every_officer_route_refuses_anonymous_users(client: TestClient) -> None:
    from bot.web.keys import PUBLIC_PREFIXES

    public = tuple(p.rstrip("/") for p in client.app[PUBLIC_PREFIXES])
    assert set(public) == {"/login", "/healthz", "/readyz", "/favicon.ico", "/static"} | {
        "/chat",  # the web chat, its API and the report form (bot.webchat)
        "/api/chat",
        "/report",
    }
    checked = 0
    for route in client.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or info.get("prefix")
        if not path or path.startswith(public) or route.method == "HEAD":
            continue
        concrete = path.replace("{reference}", "LADO-2026-000001").replace("{attachment_id}", "1")
        response = await client.request(route.method, concrete, allow_redirects=False)
        if route.method == "GET":
            assert response.status == 303, concrete
            assert response.headers["Location"].startswith("/login")
        else:
            assert response.status == 403, (route.method, concrete)
        checked += 1
    assert checked >= 10


async def test_sign_in_sets_a_strict_http_only_cookie(
    client: TestClient, sqlite_db: Database
) -> None:
    await add_officer(sqlite_db, "a@example.gov.uk")
    response = await login(client, "a@example.gov.uk")
    assert response.status == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # plain http in dev; https base URL turns it on
    assert (await client.get("/queue")).status == 200


async def test_wrong_password_and_lockout(client: TestClient, sqlite_db: Database) -> None:
    await add_officer(sqlite_db, "a@example.gov.uk")
    for _ in range(3):
        failed = await login(client, "a@example.gov.uk", "wrong password!!")
        assert failed.status == 401
        assert "not recognised" in await failed.text()
    locked = await login(client, "a@example.gov.uk", PASSWORD)
    assert locked.status == 401  # right password, but the account is locked
    unknown = await login(client, "nobody@example.gov.uk", PASSWORD)
    assert unknown.status == 401
    assert await _count(sqlite_db, "audit_event", "action = 'login.locked'") == 1


async def test_login_form_needs_its_token(client: TestClient, sqlite_db: Database) -> None:
    await add_officer(sqlite_db, "a@example.gov.uk")
    response = await client.post(
        "/login", data={"email": "a@example.gov.uk", "password": PASSWORD, "form_token": "x"}
    )
    assert response.status == 403


async def test_logout_ends_the_session(officer_client: TestClient) -> None:
    csrf, _ = await csrf_and_version(officer_client, "/queue")
    response = await officer_client.post(
        "/logout", data={"csrf_token": csrf}, allow_redirects=False
    )
    assert response.status == 303
    after = await officer_client.get("/queue", allow_redirects=False)
    assert after.status == 303


async def test_one_time_password_must_be_changed(client: TestClient, sqlite_db: Database) -> None:
    from intake.officers import bootstrap_admin

    result = await bootstrap_admin(sqlite_db)
    assert result.password
    response = await login(client, result.email, result.password)
    assert response.headers["Location"] == "/account/password"
    assert (await client.get("/queue", allow_redirects=False)).headers[
        "Location"
    ] == "/account/password"
    csrf, _ = await csrf_and_version(client, "/account/password")
    changed = await client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current": result.password,
            "new": "a much better password",
            "confirm": "a much better password",
        },
        allow_redirects=False,
    )
    assert changed.status == 303
    assert (await client.get("/queue")).status == 200


# ---------------------------------------------------------------- CSRF and roles


@pytest.mark.parametrize("token", [None, "wrong-token"])
async def test_posts_without_the_right_csrf_token_are_refused(
    officer_client: TestClient, sqlite_db: Database, token: str | None
) -> None:
    referral = await add_referral(sqlite_db)
    data: dict[str, Any] = {"version": "1"}
    if token:
        data["csrf_token"] = token
    response = await officer_client.post(f"/queue/{referral.reference}/claim", data=data)
    assert response.status == 403
    assert await _count(sqlite_db, "referral", "claimed_by_id IS NOT NULL") == 0


async def test_an_auditor_can_read_but_not_change(client: TestClient, sqlite_db: Database) -> None:
    referral = await add_referral(sqlite_db)
    await add_officer(sqlite_db, "audit@example.gov.uk", "auditor")
    await login(client, "audit@example.gov.uk")
    csrf, version = await csrf_and_version(client, f"/queue/{referral.reference}")
    page = await (await client.get(f"/queue/{referral.reference}")).text()
    assert "can view this item but not change it" in page
    for action, data in [
        ("claim", {"version": version}),
        ("decide", {"version": version, "decision": "advice", "reason": "x"}),
        ("note", {"text": "a note"}),
        ("link", {"other": "LADO-2026-000001"}),
        ("wait", {"version": version, "waiting_on": "police", "reason": "x"}),
    ]:
        response = await client.post(
            f"/queue/{referral.reference}/{action}", data={"csrf_token": csrf, **data}
        )
        assert response.status == 403, action
    assert await _count(sqlite_db, "note") == 0
    assert await _count(sqlite_db, "referral", "version > 1") == 0


# ---------------------------------------------------------------- queue and detail


async def test_queue_lists_items_urgent_first(
    officer_client: TestClient, sqlite_db: Database
) -> None:
    normal = await add_referral(sqlite_db)
    urgent = await add_referral(sqlite_db, triage_suggestion="URGENT")
    html = await (await officer_client.get("/queue")).text()
    assert html.index(urgent.reference) < html.index(normal.reference)
    assert "Urgent" in html and "working day" in html
    filtered = await (await officer_client.get("/queue?suggestion=URGENT")).text()
    assert urgent.reference in filtered and normal.reference not in filtered


async def test_unknown_filters_and_pages_are_clear_400s(officer_client: TestClient) -> None:
    assert (await officer_client.get("/queue?channel=fax")).status == 400
    assert (await officer_client.get("/queue?page=-1")).status == 400


async def test_detail_shows_evidence_and_records_the_view(
    officer_client: TestClient, sqlite_db: Database
) -> None:
    referral = await add_referral(sqlite_db)
    response = await officer_client.get(f"/queue/{referral.reference}")
    html = await response.text()
    assert response.status == 200
    assert re.search(r'<mark class="ev ev-criterion"[^>]*>grabbed his arm', html)
    assert "adult&#39;s date of birth" in html  # missing details listed in words
    assert await _count(sqlite_db, "audit_event", "action = 'view'") == 1
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    ["/queue/LADO-2026-999999", "/queue/not-a-reference", "/queue/LADO-2026-000001/attachments/5"],
)
async def test_unknown_references_are_404(officer_client: TestClient, path: str) -> None:
    response = await officer_client.get(path)
    assert response.status == 404
    assert (
        "no referral" in (await response.text()).lower() or "not available" in await response.text()
    )


# ---------------------------------------------------------------- actions


async def test_claim_then_second_officer_is_refused(
    client: TestClient, aiohttp_client: ClientFactory, sqlite_db: Database
) -> None:
    referral = await add_referral(sqlite_db)
    await add_officer(sqlite_db, "a@example.gov.uk")
    await add_officer(sqlite_db, "b@example.gov.uk")
    await login(client, "a@example.gov.uk")
    other = await aiohttp_client(client.server)
    await login(other, "b@example.gov.uk")
    csrf_a, version = await csrf_and_version(client, f"/queue/{referral.reference}")
    csrf_b, _ = await csrf_and_version(other, f"/queue/{referral.reference}")
    first = await client.post(
        f"/queue/{referral.reference}/claim", data={"csrf_token": csrf_a, "version": version}
    )
    assert first.status == 200  # redirected back to the item
    second = await other.post(
        f"/queue/{referral.reference}/claim", data={"csrf_token": csrf_b, "version": version}
    )
    assert second.status == 409
    assert "already claimed" in await second.text()


async def test_decision_that_differs_needs_a_reason(
    officer_client: TestClient, sqlite_db: Database
) -> None:
    referral = await add_referral(sqlite_db)  # suggested REFERRAL
    path = f"/queue/{referral.reference}"
    csrf, version = await csrf_and_version(officer_client, path)
    refused = await officer_client.post(
        f"{path}/decide", data={"csrf_token": csrf, "version": version, "decision": "advice"}
    )
    assert refused.status == 400
    assert "Give a reason" in await refused.text()
    assert await _count(sqlite_db, "referral", "decision IS NOT NULL") == 0
    accepted = await officer_client.post(
        f"{path}/decide",
        data={
            "csrf_token": csrf,
            "version": version,
            "decision": "advice",
            "reason": "Practice issue",
            "categories": ["conduct"],
        },
    )
    assert accepted.status == 200
    html = await accepted.text()
    assert "Advice given" in html and "differs: True" in html
    async with sqlite_db.session() as session:
        conn = await session.connection()
        row = (await conn.execute(text("SELECT status, decision, categories FROM referral"))).one()
    assert row[0] == "decided" and row[1] == "advice" and "conduct" in row[2]


async def test_agreeing_decision_needs_no_reason_and_opens_a_case(
    officer_client: TestClient, sqlite_db: Database
) -> None:
    referral = await add_referral(sqlite_db)
    path = f"/queue/{referral.reference}"
    csrf, version = await csrf_and_version(officer_client, path)
    response = await officer_client.post(
        f"{path}/decide", data={"csrf_token": csrf, "version": version, "decision": "referral"}
    )
    assert response.status == 200
    html = await response.text()
    assert "Open case" in html and "Case record" in html


async def test_stale_version_is_refused(officer_client: TestClient, sqlite_db: Database) -> None:
    referral = await add_referral(sqlite_db)
    path = f"/queue/{referral.reference}"
    csrf, version = await csrf_and_version(officer_client, path)
    await officer_client.post(
        f"{path}/wait",
        data={
            "csrf_token": csrf,
            "version": version,
            "waiting_on": "police",
            "reason": "strategy discussion",
        },
    )
    stale = await officer_client.post(
        f"{path}/decide", data={"csrf_token": csrf, "version": version, "decision": "referral"}
    )
    assert stale.status == 409
    assert "changed since you opened it" in await stale.text()


async def test_lifecycle_close_needs_an_outcome(
    officer_client: TestClient, sqlite_db: Database
) -> None:
    referral = await add_referral(sqlite_db)
    path = f"/queue/{referral.reference}"
    csrf, version = await csrf_and_version(officer_client, path)
    await officer_client.post(
        f"{path}/decide", data={"csrf_token": csrf, "version": version, "decision": "referral"}
    )
    _, version = await csrf_and_version(officer_client, path)
    refused = await officer_client.post(
        f"{path}/lifecycle", data={"csrf_token": csrf, "version": version, "close": "yes"}
    )
    assert refused.status == 400
    assert "Record the outcome" in await refused.text()
    closed = await officer_client.post(
        f"{path}/lifecycle",
        data={
            "csrf_token": csrf,
            "version": version,
            "close": "yes",
            "outcome": "unsubstantiated",
            "police_outcome": "nfa",
            "employer_outcome": "training_support",
            "dbs_referral": "no",
            "strategy_meeting_on": "2026-11-24",
        },
    )
    assert closed.status == 200
    assert "Closed" in await closed.text()


async def test_notes_and_links(officer_client: TestClient, sqlite_db: Database) -> None:
    first = await add_referral(sqlite_db)
    second = await add_referral(sqlite_db)
    path = f"/queue/{first.reference}"
    csrf, _ = await csrf_and_version(officer_client, path)
    noted = await officer_client.post(
        f"{path}/note", data={"csrf_token": csrf, "text": "Rang the DSL."}
    )
    assert "Rang the DSL." in await noted.text()
    linked = await officer_client.post(
        f"{path}/link", data={"csrf_token": csrf, "other": second.reference}
    )
    assert second.reference in await linked.text()
    again = await officer_client.post(
        f"{path}/link", data={"csrf_token": csrf, "other": second.reference}
    )
    assert again.status == 400


# ---------------------------------------------------------------- bad input


async def test_over_long_fields_are_refused_and_nothing_is_written(
    officer_client: TestClient, sqlite_db: Database
) -> None:
    referral = await add_referral(sqlite_db)
    path = f"/queue/{referral.reference}"
    csrf, version = await csrf_and_version(officer_client, path)
    response = await officer_client.post(
        f"{path}/note", data={"csrf_token": csrf, "text": "x" * 10_001}
    )
    assert response.status == 400
    body = await response.text()
    assert "Check the note" in body and "x" * 50 not in body  # says what is wrong, echoes nothing
    decided = await officer_client.post(
        f"{path}/decide",
        data={"csrf_token": csrf, "version": version, "decision": "advice", "reason": "r" * 4001},
    )
    assert decided.status == 400
    assert await _count(sqlite_db, "note") == 0
    assert await _count(sqlite_db, "referral", "decision IS NOT NULL") == 0


@pytest.mark.parametrize(
    "data",
    [
        {"version": "abc"},
        {"version": "1", "decision": "sacked"},
        {"decision": "advice"},
        {"version": "1", "decision": "duplicate", "duplicate_of": "12345", "reason": "x"},
    ],
)
async def test_malformed_decision_posts_are_400(
    officer_client: TestClient, sqlite_db: Database, data: dict[str, str]
) -> None:
    referral = await add_referral(sqlite_db)
    csrf, _ = await csrf_and_version(officer_client, f"/queue/{referral.reference}")
    response = await officer_client.post(
        f"/queue/{referral.reference}/decide", data={"csrf_token": csrf, **data}
    )
    assert response.status == 400
    assert await _count(sqlite_db, "referral", "version > 1") == 0


async def test_json_body_to_a_form_endpoint_is_415(
    officer_client: TestClient, sqlite_db: Database
) -> None:
    referral = await add_referral(sqlite_db)
    csrf, _ = await csrf_and_version(officer_client, f"/queue/{referral.reference}")
    response = await officer_client.post(
        f"/queue/{referral.reference}/note", json={"text": "hi"}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status == 415


# ---------------------------------------------------------------- health


async def test_health_and_readiness(client: TestClient) -> None:
    assert (await client.get("/healthz")).status == 200
    ready = await client.get("/readyz")
    assert ready.status == 200 and (await ready.json())["database"] == "ok"


async def test_readiness_fails_when_the_database_is_unreachable(
    aiohttp_client: ClientFactory,
) -> None:
    dead = Database("postgresql://nobody@127.0.0.1:1/none")
    app = create_app(Settings(_env_file=None), db=dead, triager=unused_triager())  # type: ignore[call-arg]
    client = await aiohttp_client(app)
    assert (await client.get("/readyz")).status == 503
    assert (await client.get("/healthz")).status == 200
    await dead.dispose()
