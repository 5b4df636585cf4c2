"""The Teams channel's parts on their own: rendering, reading activities, the key cache
and the bot's certificate credential."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from bot.teams.activity import INSTALLED, MESSAGE, REMOVED
from bot.teams.config import TeamsSettings
from bot.teams.credentials import TokenSource, TokenUnavailable
from bot.teams.handler import clean_value, command_of
from bot.teams.inbound import BadActivity, read_activity
from bot.teams.render import render_reply, safe
from bot.teams.tokens import InvalidToken, KeySet, KeysUnavailable, TokenValidator
from dialogs.reply import Reply, SummaryItem
from dialogs.script import Choice
from tests.teams.fake_bot_framework import APP_ID, BOT_ID, TENANT, FakeBotFramework


def _reply(**kw: Any) -> Reply:
    return Reply(conversation_id="CH-AAAA-BBBB", turn=1, messages=["Hello.", "Question?"], **kw)


def test_choices_become_suggested_actions_or_buttons() -> None:
    few = render_reply(_reply(choices=[Choice("Yes", "yes"), Choice("No", "no")]))
    assert len(few) == 1 and [c.value for c in few[0].choices] == ["yes", "no"]
    assert few[0].card is None and few[0].text == "Hello.\n\nQuestion?"
    many = render_reply(_reply(choices=[Choice(f"Option {i}", f"o{i}") for i in range(5)]))
    assert many[0].choices == [] and many[0].card is not None
    assert many[0].card["actions"][0]["data"] == {"choice": "o0"}
    assert "• Option 4" in many[0].text  # listed in the text as well


def test_check_answers_is_a_card_with_structured_submits() -> None:
    items = [
        SummaryItem(
            "adult_name",
            "Adult's name",
            "[x](http://evil)",
            "The adult",
            "change adult_name",
            {"command": "change", "key": "adult_name"},
            "told",
        ),
        SummaryItem(
            "adult_role",
            "Their role",
            "Coach",
            "The adult",
            "change adult_role",
            {"command": "change", "key": "adult_role"},
            "found",
        ),
    ]
    out = render_reply(
        Reply("CH-1", 9, ["Noted.", "Please check your answers…"], summary=items, step="confirm")
    )
    assert out[0].text == "Noted."
    card = out[1].card
    assert card is not None and card["fallbackText"] == "Please check your answers…"
    facts = next(b for b in card["body"] if b["type"] == "FactSet")["facts"]
    assert facts[0]["value"] == "[x]\u200b(http://evil)"  # no link from echoed input
    picker = next(b for b in card["body"] if b["type"] == "Input.ChoiceSet")
    assert picker["id"] == "key" and picker["choices"][1]["value"] == "adult_role"
    assert [a["data"] for a in card["actions"]] == [{"choice": "submit"}, {"command": "change"}]


def test_text_keeps_its_line_breaks() -> None:
    assert safe("a\nb\n\nc") == "a  \nb\n\nc"


def test_commands_and_card_values() -> None:
    assert command_of("Register as duty!") == "duty_on"
    assert command_of("register   duty channel") == "channel_on"
    assert command_of("please register as duty") is None
    assert clean_value({"choice": "submit", "msteams": {"x": 1}, "n": 3}) == {"choice": "submit"}
    assert clean_value({"answers": {"adult_name": "Jo", "bad": 1}}) == {
        "answers": {"adult_name": "Jo"}
    }
    assert clean_value("text") is None and clean_value({"msteams": {}}) is None


def test_reading_activities() -> None:
    fake = FakeBotFramework(port=1)
    message = read_activity(fake.activity(text="hi", aad="ABCDEF00-1111-4222-8333-444444444444"))
    assert message.kind == MESSAGE and message.text == "hi"
    assert message.user_aad_id == "abcdef00-1111-4222-8333-444444444444"
    assert message.tenant_id == TENANT
    assert "name" not in message.place.reference["user"]  # no display names kept
    channel = read_activity(
        fake.activity(
            kind="channel",
            conversation_id="19:c@thread.tacv2;messageid=42",
            text="register duty channel",
            mention=True,
            team={"id": "19:t@thread.tacv2", "name": "Team"},
        )
    )
    assert channel.text == "register duty channel"
    assert channel.place.conversation_key == "19:c@thread.tacv2"
    assert channel.place.reference["conversation"]["id"] == "19:c@thread.tacv2"
    assert "user" not in channel.place.reference and channel.place.aad_object_id is None
    added = read_activity(fake.activity(type="conversationUpdate", members_added=[BOT_ID]))
    assert added.kind == INSTALLED
    removed = fake.activity(type="installationUpdate")
    removed["action"] = "remove"
    assert read_activity(removed).kind == REMOVED
    for bad in ([], {"type": "message"}, {"type": "", "conversation": {"id": "x"}}):
        with pytest.raises(BadActivity):
            read_activity(bad)


class Keys:
    def __init__(self, fake: FakeBotFramework, fail: bool = False) -> None:
        self.fake = fake
        self.fail = fail
        self.fetches = 0

    async def __call__(self, url: str) -> Any:
        self.fetches += 1
        if self.fail:
            raise OSError("down")
        if url.endswith("openidconfiguration"):
            return {"jwks_uri": "https://keys.example/v1/keys"}
        import jwt

        from tests.teams import fake_bot_framework as fbf

        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(fbf._KEY.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": fbf.KID, "endorsements": ["msteams"]}]}


async def test_the_key_cache_does_not_hammer_the_metadata_endpoint() -> None:
    fake = FakeBotFramework(port=1)
    now = [dt.datetime(2026, 11, 25, tzinfo=dt.UTC)]
    source = Keys(fake)
    keys = KeySet(
        "https://meta.example/v1/.well-known/openidconfiguration", source, clock=lambda: now[0]
    )
    validator = TokenValidator(keys, issuer="https://api.botframework.com", audience=APP_ID)
    claims = await validator.validate(
        f"Bearer {fake.token()}", service_url=fake.service_url, channel_id="msteams"
    )
    assert claims["aud"] == APP_ID and source.fetches == 2
    for _ in range(20):  # forged key ids: at most one refresh per five minutes
        with pytest.raises(InvalidToken, match="unknown_key"):
            await validator.validate(
                f"Bearer {fake.token(kid='forged')}",
                service_url=fake.service_url,
                channel_id="msteams",
            )
    assert source.fetches == 2
    with pytest.raises(InvalidToken, match="endorsement"):
        await validator.validate(
            f"Bearer {fake.token()}", service_url=fake.service_url, channel_id="slack"
        )
    now[0] += dt.timedelta(minutes=6)
    with pytest.raises(InvalidToken):
        await validator.validate(
            f"Bearer {fake.token(kid='forged')}", service_url=fake.service_url, channel_id="msteams"
        )
    assert source.fetches == 4
    down = KeySet("https://meta.example/x", Keys(fake, fail=True))
    with pytest.raises(KeysUnavailable):
        await TokenValidator(down, issuer="i", audience=APP_ID).validate(
            f"Bearer {fake.token()}", service_url=fake.service_url, channel_id="msteams"
        )


def _certificate(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lado-bot")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        + cert.public_bytes(serialization.Encoding.PEM)
    )


async def test_the_bot_gets_its_token_with_a_secret_or_a_certificate(
    bot_framework: FakeBotFramework, tmp_path: Path
) -> None:
    common = {
        "app_id": APP_ID,
        "tenant_id": TENANT,
        "login_url": bot_framework.base,
        "ca_bundle": bot_framework.ca_bundle,
    }
    pem = tmp_path / "bot.pem"
    _certificate(pem)
    for settings in (
        TeamsSettings(app_password="bot-test-secret", **common),  # type: ignore[arg-type]
        TeamsSettings(certificate_path=str(pem), **common),  # type: ignore[arg-type]
    ):
        source = TokenSource(settings)
        assert await source.token() == "bot-outbound-access-token"
        assert await source.token() == "bot-outbound-access-token"  # reused
        source.close()
    assert bot_framework.token_requests == 2
    wrong = TokenSource(TeamsSettings(app_password="wrong", **common))  # type: ignore[arg-type]
    with pytest.raises(TokenUnavailable, match="invalid_client"):
        await wrong.token()
    wrong.close()
