"""The Graph source and sender against a fake Graph on loopback (HTTPS, real msal
client-credentials flow), and an opt-in live test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from pydantic import SecretStr

from intake.mail.config import GraphSettings
from intake.mail.graph import GraphClient, GraphSender, GraphSource
from store.engine import Database
from store.repo import mail as mail_repo
from tests.mail.conftest import ADDRESS, CORPUS, make_poller
from tests.mail.fake_graph import CLIENT_ID, SECRET, TENANT, FakeGraph
from tests.mail.tls import make_cert


@pytest.fixture
async def graph(tmp_path: Path) -> AsyncIterator[tuple[FakeGraph, GraphSettings]]:
    cert, context = make_cert(tmp_path)
    fake = FakeGraph(mailbox=ADDRESS)
    await fake.start(context)
    settings = GraphSettings(
        tenant_id=TENANT,
        client_id=CLIENT_ID,
        client_secret=SECRET,
        authority_url=fake.base,
        graph_url=f"{fake.base}/v1.0",
        ca_bundle=str(cert),
        max_retry_after_seconds=5,
    )
    yield fake, settings
    await fake.stop()


def graph_poller(db: Database, settings: GraphSettings):  # type: ignore[no-untyped-def]
    source = GraphSource(GraphClient(settings, ADDRESS), settings)
    sender = GraphSender(GraphClient(settings, ADDRESS))
    return make_poller(db, source, sender)


async def test_graph_delta_ingests_moves_after_commit_and_sends_by_sendmail(
    sqlite_db: Database, graph: tuple[FakeGraph, GraphSettings]
) -> None:
    fake, settings = graph
    for name in (
        "01_plain_teacher_concern.eml",
        "20_out_of_office_outlook.eml",
        "24_mailing_list.eml",
        "31_malformed_mime_no_boundary.eml",
        "42_urgent_child_danger.eml",
    ):
        fake.deliver((CORPUS / name).read_bytes())
    fake.throttle = 1  # the first Graph call answers 429 Retry-After: 1
    poller = graph_poller(sqlite_db, settings)
    result = await poller.run_once()
    assert result.outcomes == {"created": 2, "automated": 2, "quarantined": 1}
    assert fake.in_folder("Inbox") == []
    assert len(fake.in_folder("Processed")) == 4 and len(fake.in_folder("Quarantine")) == 1
    # acknowledgements went through sendMail as MIME, keeping our RFC 3834 headers
    assert len(fake.sent) == 2
    acks = [message_from_bytes(raw, policy=policy.default) for raw in fake.sent]
    assert {str(a["To"]) for a in acks} == {
        "j.smith@oakfield.sch.uk",
        "duty@leisurecentre.example.org",
    }
    assert all(a["Auto-Submitted"] == "auto-replied" for a in acks)
    # every Graph call asked for immutable ids; paging followed nextLink
    graph_calls = [h for m, u, h in fake.requests if u.startswith("/v1.0/")]
    assert graph_calls and all(h.get("Prefer") == 'IdType="ImmutableId"' for h in graph_calls)
    assert any("$skiptoken" in u for _, u, _ in fake.requests)
    async with sqlite_db.session() as s:
        cursor = await mail_repo.get_cursor(s, mailbox=ADDRESS)
    assert cursor is not None and cursor.delta_link and "$deltatoken=" in cursor.delta_link

    # a new message: read through the stored delta link only
    fake.requests.clear()
    fake.deliver((CORPUS / "43_sent_from_iphone.eml").read_bytes())
    second = await poller.run_once()
    assert second.outcomes == {"created": 1}
    delta_calls = [u for _, u, _ in fake.requests if "/delta" in u]
    assert delta_calls and all("$deltatoken=" in u for u in delta_calls)

    # the delta link expires (410 Gone): a full resync, nothing doubled
    fake.expired.add(fake.version)
    fake.deliver((CORPUS / "41_signature_disclaimer.eml").read_bytes())
    third = await poller.run_once()
    await poller.close()
    assert third.outcomes == {"created": 1}
    assert len(fake.sent) == 4
    assert len(fake.in_folder("Processed")) == 6


async def test_graph_wrong_secret_is_a_source_error(
    sqlite_db: Database, graph: tuple[FakeGraph, GraphSettings]
) -> None:
    from intake.mail.source import SourceError

    _, settings = graph
    bad = settings.model_copy(update={"client_secret": SecretStr("wrong")})
    poller = graph_poller(sqlite_db, bad)
    with pytest.raises(SourceError, match="token refused"):
        await poller.run_once()
    await poller.close()


@pytest.mark.skipif(
    not os.environ.get("LADO_LIVE_GRAPH_TENANT_ID"),
    reason="live Graph test: set LADO_LIVE_GRAPH_TENANT_ID, _CLIENT_ID, _CLIENT_SECRET, _MAILBOX",
)
async def test_live_graph_reads_the_mailbox_folders() -> None:
    settings = GraphSettings(
        tenant_id=os.environ["LADO_LIVE_GRAPH_TENANT_ID"],
        client_id=os.environ["LADO_LIVE_GRAPH_CLIENT_ID"],
        client_secret=os.environ["LADO_LIVE_GRAPH_CLIENT_SECRET"],
    )
    client = GraphClient(settings, os.environ["LADO_LIVE_GRAPH_MAILBOX"])
    try:
        status, folders = await client.json("GET", "/mailFolders?$top=5")
        assert status == 200 and "value" in folders
    finally:
        await client.close()
