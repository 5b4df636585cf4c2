"""The IMAP source and SMTP sender against real servers: Dovecot IMAP and an aiosmtpd
sink on loopback. Mail appended over IMAP is ingested, moved only after the commit,
acknowledged over SMTP, and replies are threaded."""

from __future__ import annotations

import imaplib
import shutil
import tempfile
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest

from intake.mail.ack import QUESTIONS
from intake.mail.config import ImapSettings, SmtpSettings
from intake.mail.imap import ImapSource
from intake.mail.smtp import SmtpSender
from intake.mail.source import Fetched, SourceError
from store.engine import Database
from store.models import Message, Referral
from store.repo import mail as mail_repo
from tests.conftest import require_or_skip
from tests.mail.conftest import CORPUS, make_poller
from tests.mail.servers import DOVECOT, PASSWORD, USER, Dovecot, SmtpSink, dovecot, smtp_sink

pytestmark = pytest.mark.mail


@pytest.fixture
def imap_server() -> Iterator[Dovecot]:
    if DOVECOT is None:
        require_or_skip("mail", "Dovecot (dovecot-imapd) is not installed")
    root = Path(tempfile.mkdtemp(prefix="lado-dovecot-"))
    root.chmod(0o755)
    try:
        with dovecot(root) as server:
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with smtp_sink() as sink:
        yield sink


def _client(server: Dovecot) -> imaplib.IMAP4:
    conn = imaplib.IMAP4("127.0.0.1", server.port)
    conn.login(USER, PASSWORD)
    return conn


def append(server: Dovecot, raw: bytes) -> None:
    conn = _client(server)
    try:
        typ, _ = conn.append("INBOX", "", None, raw)
        assert typ == "OK"
    finally:
        conn.logout()


def folder(server: Dovecot, name: str) -> list[tuple[bytes, bytes]]:
    """(flags, raw) of each message in a folder."""
    conn = _client(server)
    try:
        typ, _ = conn.select(f'"{name}"', readonly=True)
        if typ != "OK":
            return []
        typ, data = conn.uid("SEARCH", "ALL")
        out = []
        for uid in (data[0] or b"").split():
            typ, got = conn.uid("FETCH", uid.decode(), "(FLAGS BODY.PEEK[])")
            piece = got[0]
            assert isinstance(piece, tuple)
            out.append((piece[0], piece[1]))
        return out
    finally:
        conn.logout()


def imap_poller(db: Database, server: Dovecot, sink: SmtpSink, **overrides: Any) -> Any:
    source = ImapSource(server.url, ImapSettings(password=PASSWORD, tls="none"))
    sender = SmtpSender(SmtpSettings(host="127.0.0.1", port=sink.port, tls="none"))
    return make_poller(db, source, sender, **overrides)


async def test_imap_mail_is_ingested_moved_and_acknowledged_over_smtp(
    sqlite_db: Database, imap_server: Dovecot, smtp: SmtpSink
) -> None:
    for name in (
        "01_plain_teacher_concern.eml",
        "20_out_of_office_outlook.eml",
        "24_mailing_list.eml",
        "31_malformed_mime_no_boundary.eml",
    ):
        append(imap_server, (CORPUS / name).read_bytes())
    poller = imap_poller(sqlite_db, imap_server, smtp)
    result = await poller.run_once()
    assert result.fetched == 4 and not result.locked_out
    assert result.outcomes == {"created": 1, "automated": 2, "quarantined": 1}

    assert folder(imap_server, "INBOX") == []
    processed = folder(imap_server, "Processed")
    assert len(processed) == 3 and len(folder(imap_server, "Quarantine")) == 1
    # read with BODY.PEEK[]: \Seen was never set, so it is never the work queue
    assert all(b"\\Seen" not in flags for flags, _ in processed)

    # exactly one acknowledgement: to the person, never to the auto-reply or the list
    assert len(smtp.messages) == 1
    mail_from, rcpts, ack = smtp.messages[0]
    assert rcpts == ["j.smith@oakfield.sch.uk"] and mail_from == "lado@example.gov.uk"
    async with sqlite_db.session() as s:
        stored = await mail_repo.find_message(
            s, mailbox=poller.mailbox, message_id="<CAO1plain001@mail.oakfield.sch.uk>"
        )
        assert stored is not None and stored.referral_id is not None
        referral = await s.get(Referral, stored.referral_id)
        assert referral is not None
        cursor = await mail_repo.get_cursor(s, mailbox=poller.mailbox)
    assert ack["Subject"] == f"[{referral.reference}] Re: Concern about a teaching assistant"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert str(ack["In-Reply-To"]).strip() == "<CAO1plain001@mail.oakfield.sch.uk>"
    assert "<CAO1plain001@mail.oakfield.sch.uk>" in str(ack["References"])
    body = ack.get_content()
    for key in ("adult_dob", "child_age", "aware_date", "police_informed"):
        assert QUESTIONS[key] in body
    assert QUESTIONS["referrer_contact"] not in body
    assert "web chat" in body and referral.reference in body
    assert cursor is not None and cursor.uidvalidity and cursor.last_uid == 4
    assert cursor.lock_owner is None and cursor.heartbeat_at is not None

    # the referrer replies to the acknowledgement: threaded, acknowledged briefly
    reply = EmailMessage()
    reply["From"] = "Jane Smith <j.smith@oakfield.sch.uk>"
    reply["To"] = "lado@example.gov.uk"
    reply["Subject"] = f"RE: {ack['Subject']}"
    reply["Message-ID"] = make_msgid(domain="oakfield.sch.uk")
    reply["In-Reply-To"] = str(ack["Message-ID"])
    reply["References"] = f"{ack['References']} {ack['Message-ID']}"
    reply.set_content("His date of birth is 12/05/1988.\n\n> earlier text")
    append(imap_server, bytes(reply))
    second = await poller.run_once()
    assert second.outcomes == {"threaded": 1}
    assert (
        len(smtp.messages) == 2 and "We have added your email" in smtp.messages[1][2].get_content()
    )
    async with sqlite_db.session() as s:
        threaded = await mail_repo.find_message(
            s, mailbox=poller.mailbox, message_id=str(reply["Message-ID"])
        )
    assert threaded is not None and threaded.referral_id == referral.id

    # nothing new: nothing happens, nothing is sent
    third = await poller.run_once()
    assert third.fetched == 0 and len(smtp.messages) == 2


class FailingMove(ImapSource):
    """Fails the move of the first message once (a crash between commit and move)."""

    failed = False

    async def settle(self, item: Fetched, *, quarantine: bool) -> None:
        if not FailingMove.failed:
            FailingMove.failed = True
            raise SourceError("IMAP: connection lost")
        await super().settle(item, quarantine=quarantine)


async def test_a_message_is_moved_only_after_the_commit_and_never_doubled(
    sqlite_db: Database, imap_server: Dovecot, smtp: SmtpSink
) -> None:
    append(imap_server, (CORPUS / "42_urgent_child_danger.eml").read_bytes())
    source = FailingMove(imap_server.url, ImapSettings(password=PASSWORD, tls="none"))
    sender = SmtpSender(SmtpSettings(host="127.0.0.1", port=smtp.port, tls="none"))
    poller = make_poller(sqlite_db, source, sender)
    with pytest.raises(SourceError):
        await poller.run_once()
    # committed and acknowledged, but the move failed: still in the inbox
    assert len(folder(imap_server, "INBOX")) == 1
    assert len(smtp.messages) == 1
    result = await poller.run_once()
    assert result.outcomes == {"duplicate": 1}
    assert folder(imap_server, "INBOX") == [] and len(folder(imap_server, "Processed")) == 1
    assert len(smtp.messages) == 1  # the acknowledgement is not sent twice
    async with sqlite_db.session() as s:
        from sqlmodel import select

        referrals = (await s.exec(select(Referral))).all()
        inbound = (await s.exec(select(Message).where(Message.direction == "in"))).all()
    assert len(referrals) == 1 and len(inbound) == 1


async def test_smtp_down_keeps_the_acknowledgement_queued_until_it_can_be_sent(
    sqlite_db: Database, imap_server: Dovecot, smtp: SmtpSink
) -> None:
    append(imap_server, (CORPUS / "43_sent_from_iphone.eml").read_bytes())
    source = ImapSource(imap_server.url, ImapSettings(password=PASSWORD, tls="none"))
    dead = SmtpSender(SmtpSettings(host="127.0.0.1", port=1, tls="none", timeout_seconds=2))
    poller = make_poller(sqlite_db, source, dead)
    first = await poller.run_once()
    assert first.outcomes == {"created": 1} and first.send_failures == 1
    assert folder(imap_server, "INBOX") == []  # stored and filed: the mail is safe
    poller.sender = SmtpSender(SmtpSettings(host="127.0.0.1", port=smtp.port, tls="none"))
    second = await poller.run_once()
    assert second.acknowledged == 1 and len(smtp.messages) == 1
    async with sqlite_db.session() as s:
        assert await mail_repo.queued_outbound(s, mailbox=poller.mailbox) == []


async def test_wrong_password_is_a_source_error(
    sqlite_db: Database, imap_server: Dovecot, smtp: SmtpSink
) -> None:
    source = ImapSource(imap_server.url, ImapSettings(password="wrong", tls="none"))
    poller = make_poller(sqlite_db, source, SmtpSender(SmtpSettings(host="127.0.0.1")))
    with pytest.raises(SourceError):
        await poller.run_once()
    async with sqlite_db.session() as s:
        cursor = await mail_repo.get_cursor(s, mailbox=poller.mailbox)
    assert cursor is not None and cursor.lock_owner is None  # the lock is released
