"""Fuzzing: generated and mutated emails never crash the poller; each one ends as a
queue item (a referral, automatic mail, or a "could not process" quarantine item)."""

from __future__ import annotations

import asyncio
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.mail.maildir import MaildirSource
from intake.mail.message_ids import header_block, quick_message_id, synthetic_id
from intake.mail.parse import parse
from intake.mail.source import Fetched
from store import migrate
from store.engine import Database
from store.models import Referral
from store.repo import mail as mail_repo
from tests.mail.conftest import CORPUS, FakeTriager, RecordingSender, make_poller

SMALL_CORPUS = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml")) if p.stat().st_size < 100_000]
HEADER_NAMES = [
    "From", "To", "Cc", "Subject", "Message-ID", "In-Reply-To", "References", "Date",
    "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Auto-Submitted",
    "Precedence", "List-Id", "Return-Path", "Authentication-Results", "X-Loop", "MIME-Version",
    "Reply-To",
]  # fmt: skip
TRICKY = [
    "multipart/mixed", "multipart/mixed; boundary=", 'multipart/alternative; boundary="b"',
    "text/plain; charset=utf-8", "text/plain; charset=x-nope", "text/html", "message/rfc822",
    "multipart/report; report-type=delivery-status", "application/pdf; name=a.pdf",
    "=?utf-8?B?w6k=?=", "=?x-bad?Q?=ZZ?=", '"a@b" <c@d>, e@f', "<>", "base64", "quoted-printable",
    "attachment; filename*=utf-8''%C3%A9.docx", "<LADO-2026-000001>", "[LADO-2026-000001] Re: x",
]  # fmt: skip


@st.composite
def generated(draw: st.DrawFn) -> bytes:
    """Header lines and bodies built from random and tricky pieces."""
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        name = draw(st.sampled_from(HEADER_NAMES) | st.text(min_size=1, max_size=12))
        value = draw(st.sampled_from(TRICKY) | st.text(max_size=80))
        lines.append(f"{name}: {value}")
    body = draw(st.text(max_size=400))
    raw = "\r\n".join(lines) + "\r\n\r\n" + body
    return raw.encode("utf-8", "surrogatepass")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A corpus email with bytes flipped, cut, inserted or truncated."""
    data = bytearray(draw(st.sampled_from(SMALL_CORPUS)))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "dup"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif action == "insert":
            data[at:at] = draw(
                st.binary(max_size=40) | st.sampled_from([b"\r\n\r\n", b"--", b"=\r\n"])
            )
        elif action == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + 300]
    return bytes(data)


@st.composite
def structured(draw: st.DrawFn) -> bytes:
    """Well-formed MIME with random text and attachments."""
    msg = EmailMessage()
    msg["From"] = draw(st.sampled_from(["a@example.org", "Zoë <z@example.org>", "MAILER-DAEMON@x"]))
    msg["Subject"] = draw(
        st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=60)
    )
    msg.set_content(draw(st.text(max_size=300)))
    for _ in range(draw(st.integers(0, 2))):
        msg.add_attachment(
            draw(st.binary(max_size=300)),
            maintype="application",
            subtype=draw(st.sampled_from(["pdf", "octet-stream", "msword"])),
            filename=draw(st.sampled_from(["form.pdf", "form.docx", "x.exe", "a"])),
        )
    if msg.is_multipart():
        msg.set_boundary("fuzz-boundary")  # the generator would draw one from `random`
    return msg.as_bytes(policy=email.policy.SMTP)


EMAILS = generated() | mutated() | structured() | st.binary(max_size=600)


class Harness:
    def __init__(self, tmp: Path) -> None:
        self.runner = asyncio.Runner()
        url = f"sqlite:///{tmp / 'fuzz.db'}"
        migrate.upgrade(url)
        self.db = Database(url)
        self.sender = RecordingSender()
        self.poller = make_poller(
            self.db, MaildirSource(tmp, min_age_seconds=0), self.sender, triager=FakeTriager()
        )
        assert self.runner.run(self.poller.acquire())
        self.tmp = tmp

    def process(self, raw: bytes) -> tuple[str, Any]:
        async def go() -> tuple[str, Any]:
            item = Fetched(key=str(self.tmp / "none.eml"), raw=raw, size=len(raw))
            outcome = await self.poller.process(item)
            head = header_block(raw) if len(raw) > 1024 * 1024 else raw
            mid = quick_message_id(head) or synthetic_id(head)
            async with self.db.session() as s:
                stored = await mail_repo.find_message(
                    s, mailbox=self.poller.mailbox, message_id=mid
                )
                if stored is not None and stored.referral_id is None:
                    return outcome, None
                if stored is None:
                    # a different message reusing the Message-ID is kept under its own id
                    return outcome, "reused-id"
                referral = await s.get(Referral, stored.referral_id)
            return outcome, referral

        return self.runner.run(go())

    def close(self) -> None:
        self.runner.run(self.db.dispose())
        self.runner.close()


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    h = Harness(tmp_path)
    yield h
    h.close()


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=EMAILS)
def test_any_bytes_end_as_a_queue_item(harness: Harness, raw: bytes) -> None:
    outcome, referral = harness.process(raw)
    assert outcome in ("created", "threaded", "automated", "quarantined", "duplicate")
    assert referral is not None
    if referral != "reused-id":
        assert referral.kind in ("concern", "automated", "quarantine")


@settings(max_examples=300, deadline=None)
@given(raw=EMAILS)
def test_the_parser_never_raises(raw: bytes) -> None:
    mail = parse(raw)
    assert isinstance(mail.text, str) and isinstance(mail.narrative(), str)
    assert mail.fatal is None or isinstance(mail.fatal, str)
