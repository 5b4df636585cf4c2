"""The corpus: 45 realistic emails, each with its expected outcome (expected.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from intake.mail.ack import QUESTIONS
from intake.mail.maildir import MaildirSource
from intake.mail.message_ids import header_block, quick_message_id, synthetic_id
from intake.mail.source import Fetched
from store.engine import Database
from store.models import Message, Referral
from store.repo import mail as mail_repo
from store.repo.case import attachments_of
from tests.mail.conftest import ASKED, CORPUS, FakeTriager, RecordingSender, make_poller

EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (CORPUS.parent / "expected.yaml").read_text(encoding="utf-8")
)


def test_the_corpus_is_complete() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.eml"))
    assert len(files) >= 40
    assert sorted(EXPECTED) == files


def _message_id(raw: bytes) -> str:
    if len(raw) > 1024 * 1024:
        raw = header_block(raw)
    return quick_message_id(raw) or synthetic_id(raw)


@pytest.fixture
async def processed(db: Database, tmp_path: Path) -> dict[str, Any]:
    sender = RecordingSender()
    triager = FakeTriager()
    poller = make_poller(db, MaildirSource(tmp_path, min_age_seconds=0), sender, triager=triager)
    assert await poller.acquire()
    results: dict[str, Any] = {}
    for path in sorted(CORPUS.glob("*.eml")):
        raw = path.read_bytes()
        item = Fetched(key=str(tmp_path / path.name), raw=raw, size=len(raw))
        before = len(sender.sent)
        outcome = await poller.process(item)
        mid = _message_id(raw)
        async with db.session() as s:
            stored = await mail_repo.find_message(s, mailbox=poller.mailbox, message_id=mid)
            assert stored is not None, path.name
            referral = await s.get(Referral, stored.referral_id) if stored.referral_id else None
            attachments = (
                [
                    a
                    for a in await attachments_of(s, referral_id=referral.id)
                    if a.message_id == stored.id
                ]
                if referral
                else []
            )
        results[path.name] = {
            "outcome": outcome,
            "stored": stored,
            "referral": referral,
            "attachments": attachments,
            "acks": sender.sent[before:],
        }
    return results


def _check(name: str, want: dict[str, Any], got: dict[str, Any], all_got: dict[str, Any]) -> None:
    stored: Message = got["stored"]
    referral: Referral | None = got["referral"]
    assert got["outcome"] == want["outcome"], name
    assert referral is not None, f"{name}: every email ends on a queue item"
    acks = got["acks"]
    assert bool(acks) == want["ack"], f"{name}: acknowledgement sent = {bool(acks)}"
    for ack in acks:
        assert ack["To"] == stored.sender
        assert f"[{referral.reference}]" in ack["Subject"]
        assert ack["Auto-Submitted"] == "auto-replied"
        assert str(ack["In-Reply-To"]).strip() == stored.message_id
        assert stored.message_id in ack["References"]
        body = ack.get_content()
        assert referral.reference in body
        asked = {k for k in ASKED if QUESTIONS[k] in body}
        if "questions" in want:
            assert asked == set(want["questions"]), name
        assert QUESTIONS["referrer_contact"] not in body
        if want.get("reply_ack"):
            assert "We have added your email" in body and not asked
    for flag in want.get("flags", []):
        assert stored.flags.get(flag), f"{name}: flag {flag}"
    for key, value in want.get("known", {}).items():
        assert referral.details.get(key) == value, f"{name}: {key}"
    for key in want.get("known_absent", []):
        assert key not in referral.details, f"{name}: {key} should not be known"
    for text in want.get("has", []):
        assert text in referral.narrative, f"{name}: {text!r} missing"
    for text in want.get("lacks", []):
        assert text not in referral.narrative, f"{name}: {text!r} present"
    if want.get("html"):
        assert stored.body_html and "<p" in stored.body_html
    if "attachments" in want:
        assert [a.status for a in got["attachments"]] == want["attachments"], name
        for a in got["attachments"]:
            assert (a.data is None) == (a.status == "refused")
            assert a.reason if a.status == "refused" else a.reason is None
    if "auth" in want:
        for key, value in want["auth"].items():
            assert stored.auth_results.get(key) == value, f"{name}: {key}"
    if "error" in want:
        assert referral.kind == "quarantine" and stored.error and want["error"] in stored.error
        assert want["error"] in referral.narrative
    if want.get("synthetic_id"):
        assert stored.message_id and stored.message_id.startswith("<sha256-")
    if "thread" in want:
        assert referral.id == all_got[want["thread"]]["referral"].id, name
    if "new_text" in want:
        assert stored.referral_id == referral.id
    if want["outcome"] == "created":
        assert referral.kind == "concern" and referral.channel == "email"
        assert referral.triage_suggestion == "REFERRAL"
    if want["outcome"] == "automated" and "thread" not in want:
        assert referral.kind in ("automated", "concern")
        assert referral.triage_suggestion is None or referral.kind == "concern"


async def test_corpus_outcomes(processed: dict[str, Any]) -> None:
    for name, want in EXPECTED.items():
        _check(name, want, processed[name], processed)


async def test_reply_keeps_only_the_new_text(processed: dict[str, Any]) -> None:
    from intake.mail.parse import parse

    raw = (CORPUS / "35_reply_with_outlook_quote.eml").read_bytes()
    mail = parse(raw)
    assert mail.new_text.startswith("Further to my email, Mr Carter has now been suspended.")
    assert "Thank you for contacting" not in mail.new_text
    assert "Thank you for contacting" in mail.quoted
    reply = parse((CORPUS / "34_reply_to_ack.eml").read_bytes())
    assert "date of birth is 12/05/1988" in reply.new_text
    assert "To help us decide" not in reply.new_text
    stored = processed["35_reply_with_outlook_quote.eml"]["stored"]
    assert stored.body_text.startswith("Further to my email")


async def test_each_email_is_stored_once_with_its_raw_bytes(
    processed: dict[str, Any], db: Database
) -> None:
    ids = [got["stored"].id for got in processed.values()]
    # the duplicate delivery resolves to the first copy's row
    assert len(set(ids)) == len(ids) - 1
    first = processed["01_plain_teacher_concern.eml"]["stored"]
    assert first.raw == (CORPUS / "01_plain_teacher_concern.eml").read_bytes()
