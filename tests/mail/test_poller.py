"""The poller's operation: the single-poller lock, heartbeat and `--check`, the
command line, SIGTERM, the acknowledgement cap, triage failures, and the poller
running inside the web service."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli import main
from intake.mail.maildir import MaildirSource
from store.engine import Database
from store.models import Message, Referral
from store.repo import mail as mail_repo
from tests.mail.conftest import ADDRESS, CORPUS, FakeTriager, RecordingSender, make_poller

LADO = Path(sys.executable).parent / "lado"


def drop(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).write_bytes((CORPUS / name).read_bytes())


async def test_only_one_poller_holds_a_mailbox_and_a_dead_ones_lock_expires(
    db: Database, maildir: Path
) -> None:
    first = make_poller(
        db, MaildirSource(maildir, min_age_seconds=0), RecordingSender(), lock_seconds=1
    )
    second = make_poller(
        db, MaildirSource(maildir, min_age_seconds=0), RecordingSender(), lock_seconds=1
    )
    assert await first.acquire()
    assert not await second.acquire()
    result = await second.run_once()
    assert result.locked_out and result.fetched == 0
    # the first poller "crashes" holding the lock: it expires
    await asyncio.sleep(1.2)
    assert await second.acquire()
    assert not await first._beat()  # the old holder learns it lost the lock


async def test_a_lock_left_by_a_dead_process_on_this_host_is_taken_at_once(
    sqlite_db: Database, maildir: Path
) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: ASYNC220
    dead.wait()
    import socket

    owner = f"{socket.gethostname()[:60]}:{dead.pid}:abcdef"
    ghost = make_poller(sqlite_db, MaildirSource(maildir, min_age_seconds=0), RecordingSender())
    ghost.owner = owner
    assert await ghost.acquire()
    poller = make_poller(sqlite_db, MaildirSource(maildir, min_age_seconds=0), RecordingSender())
    assert await poller.acquire()


async def test_acknowledgements_are_capped_per_sender(sqlite_db: Database, maildir: Path) -> None:
    sender = RecordingSender()
    poller = make_poller(
        sqlite_db, MaildirSource(maildir, min_age_seconds=0), sender, ack_limit_per_sender=2
    )
    raw = (CORPUS / "43_sent_from_iphone.eml").read_bytes()
    for i in range(3):
        (maildir / f"m{i}.eml").write_bytes(raw.replace(b"<iphone-0043@", f"<iphone-{i}@".encode()))
    result = await poller.run_once()
    assert result.outcomes == {"created": 3}
    assert len(sender.sent) == 2 and result.suppressed == 1
    async with sqlite_db.session() as s:
        from sqlmodel import select

        statuses = sorted(
            m.delivery_status or ""
            for m in (await s.exec(select(Message).where(Message.direction == "out"))).all()
        )
    assert statuses == ["sent", "sent", "suppressed"]


async def test_a_triage_failure_files_the_email_untriaged(
    sqlite_db: Database, maildir: Path
) -> None:
    sender = RecordingSender()
    poller = make_poller(
        sqlite_db, MaildirSource(maildir, min_age_seconds=0), sender, triager=FakeTriager(fail=True)
    )
    drop(maildir, "01_plain_teacher_concern.eml")
    result = await poller.run_once()
    assert result.outcomes == {"created": 1}
    async with sqlite_db.session() as s:
        from sqlmodel import select

        referral = (await s.exec(select(Referral))).one()
    assert referral.kind == "concern" and referral.triage_suggestion is None
    assert (
        len(sender.sent) == 1 and (maildir / "processed" / "01_plain_teacher_concern.eml").exists()
    )


def _env(tmp_path: Path, folder: Path, url: str, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LADO_")},
        "LADO_DATABASE_URL": url,
        "LADO_MAIL__SOURCE": f"maildir:{folder}",
        "LADO_MAIL__MAILDIR__MIN_AGE_SECONDS": "0",
        "LADO_MAIL__INTERVAL_SECONDS": "0.2",
        "LADO_LOG_LEVEL": "WARNING",
        **extra,
    }


def test_poll_once_and_check_on_the_command_line(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    drop(
        folder, "01_plain_teacher_concern.eml", "24_mailing_list.eml", "32_not_an_email_binary.eml"
    )
    for key, value in _env(tmp_path, folder, sqlite_url).items():
        if key.startswith("LADO_"):
            monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    stale = runner.invoke(main, ["poll", "--check"])
    assert stale.exit_code == 1 and "stale" in stale.output
    once = runner.invoke(main, ["poll", "--once", "--json"])
    assert once.exit_code == 0, once.output
    summary = json.loads(once.stdout.strip().splitlines()[-1])
    assert summary["created"] == 1 and summary["automated"] == 1 and summary["quarantined"] == 1
    assert summary["acknowledged"] == 1
    assert len(list((folder / "outbox").glob("*.eml"))) == 1
    assert len(list((folder / "quarantine").glob("*.eml"))) == 1
    check = runner.invoke(main, ["poll", "--check", "--json"])
    assert check.exit_code == 0
    record = json.loads(check.stdout)
    assert record["stale"] is False and record["messages_in"] == 3 and record["messages_out"] == 1
    queue = runner.invoke(main, ["queue", "--json", "--kind", "quarantine"])
    assert queue.exit_code == 0 and "quarantine" in queue.output


def test_sigterm_finishes_the_current_message_then_exits(tmp_path: Path, sqlite_url: str) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    raw = (CORPUS / "42_urgent_child_danger.eml").read_bytes()
    for i in range(400):
        (folder / f"m{i:03d}.eml").write_bytes(
            raw.replace(b"<urgent-0042@", f"<urgent-{i}@".encode())
        )
    env = _env(tmp_path, folder, sqlite_url)
    proc = subprocess.Popen(
        [str(LADO), "poll"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while (
            len(list((folder / "processed").glob("*.eml"))) < 3
            if (folder / "processed").exists()
            else True
        ):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()
    assert code == 0
    left = len(list(folder.glob("*.eml")))
    assert 0 < left < 400  # it stopped early
    import sqlite3

    conn = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    try:
        unfiled = conn.execute(
            "SELECT COUNT(*) FROM message WHERE direction='in' AND referral_id IS NULL"
        ).fetchone()[0]
        stored = conn.execute("SELECT COUNT(*) FROM message WHERE direction='in'").fetchone()[0]
        lock = conn.execute("SELECT lock_owner FROM mailbox_cursor").fetchone()[0]
    finally:
        conn.close()
    assert unfiled == 0  # the message in hand was finished
    assert stored == 400 - left and lock is None


async def test_the_service_polls_the_mail_folder_in_the_background(
    tmp_path: Path, sqlite_url: str
) -> None:
    from aiohttp.test_utils import TestServer

    from bot.app import create_app
    from bot.settings import Settings

    folder = tmp_path / "mail"
    folder.mkdir()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=sqlite_url,
        mail={
            "source": f"maildir:{folder}",
            "poll_in_service": True,
            "interval_seconds": 0.2,
            "maildir": {"min_age_seconds": 0},
        },
    )
    app: Any = create_app(settings, triager=FakeTriager())
    server = TestServer(app)
    await server.start_server()
    try:
        drop(folder, "01_plain_teacher_concern.eml")
        deadline = time.monotonic() + 20
        while not (folder / "processed" / "01_plain_teacher_concern.eml").exists():
            assert time.monotonic() < deadline, "the service did not ingest the dropped file"
            await asyncio.sleep(0.1)
        assert len(list((folder / "outbox").glob("*.eml"))) == 1
    finally:
        await server.close()
    db = Database(sqlite_url)
    try:
        async with db.session() as s:
            cursor = await mail_repo.get_cursor(s, mailbox=ADDRESS)
        assert cursor is not None and cursor.heartbeat_at is not None
    finally:
        await db.dispose()


async def test_the_officer_page_shows_sender_checks_and_a_name_mismatch(
    aiohttp_client: Any, sqlite_db: Database, maildir: Path
) -> None:
    from bot.app import create_app
    from bot.settings import Settings
    from tests.bot.webtools import login, unused_triager
    from tests.conftest import add_officer

    poller = make_poller(sqlite_db, MaildirSource(maildir, min_age_seconds=0), RecordingSender())
    drop(maildir, "37_display_name_spoof.eml", "38_auth_results_fail.eml")
    await poller.run_once()
    async with sqlite_db.session() as s:
        from sqlmodel import select

        refs = {
            r.narrative.split("\n")[0]: r.reference for r in (await s.exec(select(Referral))).all()
        }
    app = create_app(Settings(_env_file=None), db=sqlite_db, triager=unused_triager())  # type: ignore[call-arg]
    client = await aiohttp_client(app)
    await add_officer(sqlite_db, "officer@example.gov.uk", "officer")
    assert (await login(client, "officer@example.gov.uk")).status == 303
    spoof = await (await client.get(f"/queue/{refs['Subject: Urgent staff matter']}")).text()
    assert "display name shows a different address" in spoof
    assert "SPF pass · DKIM pass · DMARC pass" in spoof
    failed = await (await client.get(f"/queue/{refs['Subject: Officer arrested']}")).text()
    assert "SPF fail · DKIM none · DMARC fail" in failed
    assert "display name shows a different address" not in failed
