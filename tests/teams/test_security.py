"""``/api/messages`` refuses every request it cannot trust with a 401 (never a 500), and
never calls a service URL outside the allowed list."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.settings import Settings, UnsafeSettings
from bot.teams.guard import allowed_service_url
from store.engine import Database
from tests.dialogs.harness import FakeTriager
from tests.teams.conftest import ClientFactory, post, teams_settings
from tests.teams.fake_bot_framework import (
    APP_ID,
    OTHER_KEY,
    OTHER_TENANT,
    FakeBotFramework,
)


def _nothing_sent(fake: FakeBotFramework) -> None:
    assert fake.posted == []
    assert fake.stray == []
    assert fake.token_requests == 0


async def test_a_valid_request_is_answered(
    client: TestClient, bot_framework: FakeBotFramework
) -> None:
    response = await post(client, bot_framework, bot_framework.activity(text="hello"))
    assert response.status == 200
    assert len(bot_framework.posted) >= 1  # the welcome and the first question


@pytest.mark.parametrize(
    ("case", "header"),
    [
        ("missing", ""),
        ("malformed bearer", "Bearer x"),
        ("three dots", "Bearer a.b.c"),
        ("not bearer", "Basic dXNlcjpwYXNz"),
        ("two tokens", "Bearer a.b.c d.e.f"),
        ("garbage", "Bearer \u00ff\u00fe.!!.~~"),
        ("header not JSON", "Bearer eyJhbGciOiJ9.e30.c2ln"),
        ("no kid", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
        ("huge", "Bearer " + "ab." * 1700),
    ],
)
async def test_missing_or_malformed_tokens_get_401(
    client: TestClient, bot_framework: FakeBotFramework, case: str, header: str
) -> None:
    response = await post(
        client, bot_framework, bot_framework.activity(text="hello"), authorization=header
    )
    assert response.status == 401, case
    body = await response.json()
    assert body == {"error": "This request is not authorised.", "status": 401}
    _nothing_sent(bot_framework)


@pytest.mark.parametrize(
    ("case", "token_args"),
    [
        ("expired", {"expires_in": -3600}),
        ("wrong audience", {"audience": "00000000-0000-4000-8000-000000000000"}),
        ("wrong issuer", {"issuer": "https://evil.example"}),
        ("unknown key id", {"kid": "not-a-key"}),
        ("signed by another key", {"key": OTHER_KEY}),
        ("service url claim differs", {"service_url": "https://smba.trafficmanager.net/uk/"}),
        ("not yet valid", {"claims": {"nbf": 4102444800}}),
        ("no expiry", {"claims": {"exp": None}}),
    ],
)
async def test_invalid_tokens_get_401(
    client: TestClient, bot_framework: FakeBotFramework, case: str, token_args: dict[str, Any]
) -> None:
    claims = token_args.pop("claims", None)
    if claims is not None and claims.get("exp", 1) is None:
        # a token without "exp": signed like the others
        token = bot_framework.token()
        import jwt

        payload = jwt.decode(token, options={"verify_signature": False})
        payload.pop("exp")
        from tests.teams import fake_bot_framework as fbf

        token = jwt.encode(payload, fbf._KEY, algorithm="RS256", headers={"kid": fbf.KID})
    else:
        token = bot_framework.token(claims=claims, **token_args)
    response = await post(client, bot_framework, bot_framework.activity(text="hi"), token=token)
    assert response.status == 401, case
    _nothing_sent(bot_framework)


async def test_unsigned_and_symmetric_tokens_get_401(
    client: TestClient, bot_framework: FakeBotFramework
) -> None:
    import jwt

    claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "exp": 4102444800}
    claims["serviceurl"] = bot_framework.service_url
    for token in (
        jwt.encode(claims, None, algorithm="none", headers={"kid": "test-key-1"}),
        jwt.encode(
            claims,
            "a-shared-secret-of-32-bytes-long!",
            algorithm="HS256",
            headers={"kid": "test-key-1"},
        ),
    ):
        response = await post(client, bot_framework, bot_framework.activity(text="hi"), token=token)
        assert response.status == 401
    _nothing_sent(bot_framework)


async def test_a_disallowed_service_url_gets_401_and_no_outbound_call(
    client: TestClient, bot_framework: FakeBotFramework
) -> None:
    for service_url in (
        f"{bot_framework.base}/elsewhere/",  # same host, outside the allowed path
        "https://127.0.0.1:1/teams/",  # another port
        "http://169.254.169.254/latest/",  # the classic internal target
        f"{bot_framework.base}/teams/../elsewhere/",
    ):
        activity = bot_framework.activity(text="hello", service_url=service_url)
        # the token is genuine and its serviceurl claim matches: only the list refuses it
        token = bot_framework.token(service_url=service_url)
        response = await post(client, bot_framework, activity, token=token)
        assert response.status == 401, service_url
    _nothing_sent(bot_framework)


async def test_other_tenants_and_channels_get_401(
    client: TestClient, bot_framework: FakeBotFramework
) -> None:
    foreign = bot_framework.activity(text="hello", tenant=OTHER_TENANT)
    assert (await post(client, bot_framework, foreign)).status == 401
    emulator = bot_framework.activity(text="hello")
    emulator["channelId"] = "emulator"
    assert (await post(client, bot_framework, emulator)).status == 401
    _nothing_sent(bot_framework)


async def test_bad_bodies_get_clear_4xx(
    client: TestClient, bot_framework: FakeBotFramework
) -> None:
    token = bot_framework.token()
    headers = {"Authorization": f"Bearer {token}"}
    response = await client.post("/api/messages", data="hello", headers=headers)
    assert response.status == 415
    response = await client.post(
        "/api/messages", data="{not json", headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status == 400
    response = await post(client, bot_framework, {"text": "no type"})
    assert response.status == 400
    response = await client.post(
        "/api/messages",
        data='["a", "list"]',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status == 400
    _nothing_sent(bot_framework)


async def test_not_configured_is_503_and_disabled_is_not_there(
    sqlite_db: Database, bot_framework: FakeBotFramework, aiohttp_client: ClientFactory
) -> None:
    unconfigured = teams_settings(bot_framework, app_id="")
    client = await aiohttp_client(create_app(unconfigured, db=sqlite_db, triager=FakeTriager()))
    response = await post(client, bot_framework, bot_framework.activity(text="hi"))
    assert response.status == 503
    disabled = teams_settings(bot_framework, enabled=False)
    client = await aiohttp_client(create_app(disabled, db=sqlite_db, triager=FakeTriager()))
    response = await post(client, bot_framework, bot_framework.activity(text="hi"))
    assert response.status == 403  # no such public endpoint: the officer UI's default deny
    _nothing_sent(bot_framework)


def test_prod_refuses_an_enabled_channel_without_app_id() -> None:
    common = {"env": "prod", "secret_key": "x" * 40, "base_url": "https://lado.example.gov.uk"}
    settings = Settings(_env_file=None, teams={"enabled": True}, **common)  # type: ignore[call-arg]
    with pytest.raises(UnsafeSettings) as caught:
        settings.check()
    assert any("LADO_TEAMS__APP_ID" in p for p in caught.value.problems)
    plain = Settings(  # type: ignore[call-arg]
        _env_file=None,
        teams={
            "enabled": True,
            "app_id": APP_ID,
            "tenant_id": "t",
            "app_password": "p",
            "allowed_service_urls": "http://connector.internal/",
        },
        **common,
    )
    with pytest.raises(UnsafeSettings, match="https"):
        plain.check()
    Settings(_env_file=None, **common).check()  # type: ignore[call-arg]  # Teams off: fine


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://smba.trafficmanager.net/uk/", True),
        ("https://smba.trafficmanager.net/emea/abc/", True),
        ("https://SMBA.trafficmanager.net/uk", True),
        ("https://smba.trafficmanager.net:443/uk/", True),
        ("http://smba.trafficmanager.net/uk/", False),
        ("https://smba.trafficmanager.net.evil.example/", False),
        ("https://evil.example/smba.trafficmanager.net/", False),
        ("https://smba.trafficmanager.net:8443/uk/", False),
        ("https://user@smba.trafficmanager.net/uk/", False),
        ("https://smba.trafficmanager.net/uk/?x=1", False),
        ("https://smba.trafficmanager.net/%2e%2e/", False),
        ("https://smba.trafficmanager.net/uk/../../x", False),
        ("", False),
        (None, False),
    ],
)
def test_service_url_allow_list(url: str | None, allowed: bool) -> None:
    assert allowed_service_url(url, ["https://smba.trafficmanager.net/"]) is allowed
