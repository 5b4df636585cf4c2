"""The EWS source and sender (exchangelib) against a fake EWS endpoint on loopback
(HTTPS, SOAP), and an opt-in live test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from intake.mail.config import EwsSettings
from intake.mail.ews import EwsSender, EwsSource
from store.engine import Database
from store.repo import mail as mail_repo
from tests.mail.conftest import ADDRESS, CORPUS, make_poller
from tests.mail.fake_ews import PASSWORD, USER, FakeEws
from tests.mail.tls import make_cert


@pytest.fixture
async def ews(tmp_path: Path) -> AsyncIterator[tuple[FakeEws, EwsSettings]]:
    cert, context = make_cert(tmp_path)
    fake = FakeEws()
    await fake.start(context)
    settings = EwsSettings(
        service_endpoint=fake.endpoint,
        username=USER,
        password=PASSWORD,
        auth_type="basic",
        ca_bundle=str(cert),
        max_wait_seconds=10,
    )
    yield fake, settings
    await fake.stop()


async def test_ews_sync_items_ingests_moves_after_commit_and_sends_mime(
    sqlite_db: Database, ews: tuple[FakeEws, EwsSettings]
) -> None:
    fake, settings = ews
    for name in (
        "01_plain_teacher_concern.eml",
        "22_ndr_bounce_dsn.eml",
        "32_not_an_email_binary.eml",
        "42_urgent_child_danger.eml",
    ):
        fake.deliver((CORPUS / name).read_bytes())
    fake.busy = 1  # ErrorServerBusy with a back-off hint: FaultTolerance waits and retries
    poller = make_poller(sqlite_db, EwsSource(settings, ADDRESS), EwsSender(settings, ADDRESS))
    result = await poller.run_once()
    assert result.outcomes == {"created": 2, "automated": 1, "quarantined": 1}
    assert fake.in_folder("Inbox") == []
    assert len(fake.in_folder("Processed")) == 3 and len(fake.in_folder("Quarantine")) == 1
    assert fake.operations.count("SyncFolderItems") == 2  # the busy answer, then the retry
    acks = [message_from_bytes(raw, policy=policy.default) for raw in fake.sent]
    assert sorted(str(a["To"]) for a in acks) == [
        "duty@leisurecentre.example.org",
        "j.smith@oakfield.sch.uk",
    ]
    assert all(a["Auto-Submitted"] == "auto-replied" and "[LADO-" in a["Subject"] for a in acks)
    async with sqlite_db.session() as s:
        cursor = await mail_repo.get_cursor(s, mailbox=ADDRESS)
    assert cursor is not None and cursor.sync_state == "state-4"

    # the next pass starts from the saved sync state: only the new message
    fake.deliver((CORPUS / "43_sent_from_iphone.eml").read_bytes())
    second = await poller.run_once()
    await poller.close()
    assert second.outcomes == {"created": 1}
    assert len(fake.sent) == 3 and len(fake.in_folder("Processed")) == 4


async def test_ews_wrong_password_is_a_source_error(
    sqlite_db: Database, ews: tuple[FakeEws, EwsSettings]
) -> None:
    from pydantic import SecretStr

    from intake.mail.source import SourceError

    _, settings = ews
    bad = settings.model_copy(update={"password": SecretStr("wrong")})
    poller = make_poller(sqlite_db, EwsSource(bad, ADDRESS), EwsSender(bad, ADDRESS))
    with pytest.raises(SourceError):
        await poller.run_once()
    await poller.close()


@pytest.mark.skipif(
    not os.environ.get("LADO_LIVE_EWS_ENDPOINT"),
    reason="live EWS test: set LADO_LIVE_EWS_ENDPOINT, _USERNAME, _PASSWORD, _MAILBOX",
)
async def test_live_ews_lists_the_inbox_changes() -> None:
    from intake.mail.source import Cursor

    settings = EwsSettings(
        service_endpoint=os.environ["LADO_LIVE_EWS_ENDPOINT"],
        username=os.environ["LADO_LIVE_EWS_USERNAME"],
        password=os.environ["LADO_LIVE_EWS_PASSWORD"],
        processed_folder=os.environ.get("LADO_LIVE_EWS_PROCESSED", "LADO test processed"),
        quarantine_folder=os.environ.get("LADO_LIVE_EWS_QUARANTINE", "LADO test quarantine"),
    )
    source = EwsSource(settings, os.environ["LADO_LIVE_EWS_MAILBOX"])
    try:
        await source.open(Cursor())
        ids, state = await source.ews.call(source._changes)
        assert state and isinstance(ids, list)
    finally:
        await source.close()
