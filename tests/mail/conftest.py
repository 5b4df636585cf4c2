"""Fixtures for the mail tests: a fake triager, a recording sender, a poller on a
maildir in a temporary folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from intake.config import AuthoritySettings
from intake.mail.config import MailSettings
from intake.mail.maildir import MaildirSource
from intake.mail.poller import Poller
from intake.mail.source import MailSender, MailSource, SendError
from store.engine import Database
from triage.result import ExtractedFields, TriageResult
from triage.vocab import Suggestion

CORPUS = Path(__file__).resolve().parents[1] / "data" / "mail" / "corpus"
ADDRESS = "lado@example.gov.uk"

#: what the fake triage reports missing unless the submission already knows it
ASKED = ("adult_dob", "child_age", "aware_date", "police_informed", "referrer_contact")


class FakeTriager:
    """Stands in for the triage engine: REFERRAL, and a fixed list of missing details
    minus whatever ``known`` holds. Records each call."""

    def __init__(self, *, fail: bool = False) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail

    async def assess(
        self,
        text: str,
        *,
        known: Mapping[str, Any] | None = None,
        received_at: dt.datetime | None = None,
    ) -> TriageResult:
        self.calls.append((text, dict(known or {})))
        if self.fail:
            raise RuntimeError("triage engine down")
        missing = [k for k in ASKED if k not in (known or {})]
        return TriageResult(
            suggestion=Suggestion.REFERRAL,
            rationale="fake",
            fields=ExtractedFields(),
            missing=missing,
            rules_version="fake",
        )


class RecordingSender:
    kind = "test"

    def __init__(self, *, fail: SendError | None = None) -> None:
        self.sent: list[EmailMessage] = []
        self.fail = fail

    async def send(self, message: EmailMessage) -> None:
        if self.fail is not None:
            raise self.fail
        self.sent.append(message)

    async def close(self) -> None:
        return None


def settings(**overrides: Any) -> MailSettings:
    base: dict[str, Any] = {
        "address": ADDRESS,
        "max_message_kb": 1024,
        "max_attachment_kb": 512,
        "maildir": {"min_age_seconds": 0},
        "interval_seconds": 0.1,
    }
    base.update(overrides)
    return MailSettings.model_validate(base)


def make_poller(
    db: Database,
    source: MailSource,
    sender: MailSender,
    *,
    triager: Any = None,
    **overrides: Any,
) -> Poller:
    return Poller(
        db,
        source,
        sender,
        settings=settings(**overrides),
        authority=AuthoritySettings(duty_email=ADDRESS),
        triager=triager if triager is not None else FakeTriager(),
        mailbox=ADDRESS,
        chat_url="http://127.0.0.1:8080/chat",
    )


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def poller_for(sender: RecordingSender) -> Any:
    def build(db: Database, folder: Path, **overrides: Any) -> Poller:
        return make_poller(db, MaildirSource(folder, min_age_seconds=0), sender, **overrides)

    return build
