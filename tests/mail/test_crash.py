"""Crash safety: ``lado poll --once`` killed with SIGKILL at random points, 50 times,
against a maildir and SQLite. After every restart no message is lost and none is
doubled: each email dropped in the folder is stored once, filed once, acknowledged at
most once, and ends in processed/ or quarantine/ only after its row is committed."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from intake.mail.message_ids import quick_message_id, synthetic_id
from store import migrate
from tests.mail.conftest import CORPUS

pytestmark = pytest.mark.slow

LADO = Path(sys.executable).parent / "lado"
RUNS = 50
#: the first runs start the installed `lado` command; the rest fork this process
SUBPROCESS_RUNS = 5
SEED = int(os.environ.get("LADO_TEST_CRASH_SEED", "20261123"))
NAMES = ["Tom Baker", "Sara Lee", "Ali Khan", "Joan Ward", "Ben Cole", "Ruth Moss"]
ROLES = ["teaching assistant", "coach", "youth worker", "foster carer", "nurse", "driver"]


def _mail(i: int, rng: random.Random) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Referrer {i} <referrer{i % 37}@school{i % 11}.example.org>"
    msg["To"] = "lado@example.gov.uk"
    msg["Subject"] = f"Concern {i}"
    msg["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    if i % 10 != 3:
        msg["Message-ID"] = f"<crash-{i}@school.example.org>"
    if i % 20 == 7:
        msg["Auto-Submitted"] = "auto-replied"
        msg.replace_header("Subject", f"Automatic reply: Concern {i}")
    msg.set_content(
        f"A {rng.choice(ROLES)}, {rng.choice(NAMES)}, is alleged to have hurt a child "
        f"aged {rng.randint(3, 16)} (case {i})."
    )
    return bytes(msg)


class Mailroom:
    """Drops emails into the maildir and remembers which Message-IDs must end up stored."""

    def __init__(self, folder: Path, rng: random.Random) -> None:
        self.folder = folder
        self.rng = rng
        self.count = 0
        self.expected: set[str] = set()
        self.quarantined: set[str] = set()
        self.corpus = sorted(CORPUS.glob("*.eml"))
        self.sent: dict[int, bytes] = {}

    def drop(self, n: int) -> None:
        for _ in range(n):
            i = self.count
            self.count += 1
            if i % 15 == 14 and i > 20:  # the same mail delivered twice
                raw = (
                    b"Received: from relay2.example.net by mx; Mon, 23 Nov 2026\r\n"
                    + (self.sent[i - 10])
                )
            elif i % 25 == 12:  # not an email at all
                raw = b"\x00\x01 junk %d \xff\xfe" % i
            elif i % 9 == 4:
                raw = self.corpus[i % len(self.corpus)].read_bytes()
            else:
                raw = _mail(i, self.rng)
            self.sent[i] = raw
            head = raw if len(raw) <= 1024 * 1024 else raw[: raw.find(b"\n\n") + 2]
            mid = quick_message_id(head) or synthetic_id(head)
            self.expected.add(mid)
            tmp = self.folder / f".{i:05d}.tmp"
            tmp.write_bytes(raw)
            tmp.rename(self.folder / f"m{i:05d}.eml")

    def waiting(self) -> int:
        return len(list(self.folder.glob("*.eml")))


def check(db: Path, folder: Path) -> dict[str, int]:
    """The invariants that must hold after any crash."""
    conn = sqlite3.connect(db)
    try:
        q = conn.execute
        inbound = q("SELECT message_id, referral_id FROM message WHERE direction='in'").fetchall()
        ids = [m for m, _ in inbound]
        assert len(ids) == len(set(ids)), "an email was stored twice"
        # every file moved out of the inbox has its row committed and filed
        filed = {m for m, r in inbound if r is not None}
        for sub in ("processed", "quarantine"):
            for path in (folder / sub).glob("*.eml"):
                raw = path.read_bytes()
                head = raw if len(raw) <= 1024 * 1024 else raw[: raw.find(b"\n\n") + 2]
                mid = quick_message_id(head) or synthetic_id(head)
                assert mid in filed, f"{path.name} moved before it was filed"
        # every email referral holds its email; no email is on two referrals
        orphans = q(
            "SELECT COUNT(*) FROM referral r WHERE r.channel='email' AND NOT EXISTS "
            "(SELECT 1 FROM message m WHERE m.referral_id=r.id AND m.direction='in')"
        ).fetchone()[0]
        assert orphans == 0, "a referral lost its email"
        doubled = q(
            "SELECT COUNT(*) FROM (SELECT in_reply_to FROM message WHERE direction='out' "
            "GROUP BY in_reply_to HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        assert doubled == 0, "an email was acknowledged twice"
        outbound = {
            m for (m,) in q("SELECT message_id FROM message WHERE direction='out'").fetchall()
        }
        for path in (folder / "outbox").glob("*.eml"):
            mid = quick_message_id(path.read_bytes())
            assert mid in outbound, "an acknowledgement was sent without being stored"
        referrals = q("SELECT COUNT(*) FROM referral").fetchone()[0]
        return {"inbound": len(ids), "filed": len(filed), "referrals": referrals}
    finally:
        conn.close()


def _start(env: dict[str, str], cwd: Path, *, fork: bool) -> int | subprocess.Popen[bytes]:
    """Start ``lado poll --once``: as a new process (the installed command), or forked
    from this already-imported test process (the same CLI code, without the seconds of
    imports, so that the kill lands while mail is being processed)."""
    if not fork:
        proc = subprocess.Popen(
            [str(LADO), "poll", "--once", "--json"],
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return proc
    pid = os.fork()
    if pid == 0:  # the child: run the CLI, never return into pytest
        code = 70
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(env)
            from bot.cli import main

            try:
                main(["poll", "--once", "--json"], standalone_mode=False)
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
        finally:
            os._exit(code)
    return pid


def _kill(handle: int | subprocess.Popen[bytes]) -> None:
    if isinstance(handle, subprocess.Popen):
        handle.kill()
        handle.wait()
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(handle, signal.SIGKILL)
    os.waitpid(handle, 0)


def _warm_triage() -> None:
    """Load the triage engine's rules here, once, so forked children start warm."""
    from bot.mail import local_triager

    triager = local_triager()
    if triager is not None:
        import asyncio

        asyncio.run(triager.assess("A teacher grabbed a pupil's arm."))


def test_sigkill_at_random_points_loses_and_doubles_nothing(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    folder = tmp_path / "mail"
    folder.mkdir()
    db = tmp_path / "lado.db"
    migrate.upgrade(f"sqlite:///{db}")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LADO_")},
        "LADO_DATABASE_URL": f"sqlite:///{db}",
        "LADO_MAIL__SOURCE": f"maildir:{folder}",
        "LADO_MAIL__MAILDIR__MIN_AGE_SECONDS": "0",
        "LADO_MAIL__MAX_MESSAGE_KB": "1024",
        "LADO_MAIL__MAX_ATTACHMENT_KB": "512",
        "LADO_MAIL__ACK_LIMIT_PER_SENDER": "1000",
        "LADO_MAIL__LOCK_SECONDS": "5",
        "LADO_LOG_LEVEL": "ERROR",
    }
    # how long a run takes to start and finish with nothing to do (imports dominate)
    started = time.monotonic()
    subprocess.run(
        [str(LADO), "poll", "--once", "--json"],
        env=env,
        cwd=tmp_path,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=120,
    )
    startup = time.monotonic() - started
    _warm_triage()
    room = Mailroom(folder, rng)
    room.drop(120)
    killed_mid_work = 0
    stored_before = 0
    for _run in range(RUNS):
        if room.waiting() < 40:
            room.drop(80)
        before = room.waiting()
        fork = _run >= SUBPROCESS_RUNS
        handle = _start(env, tmp_path, fork=fork)
        delay = rng.uniform(0.05, 1.2) if fork else rng.uniform(0.8 * startup, startup + 1.5)
        time.sleep(delay)
        _kill(handle)
        counts = check(db, folder)
        if room.waiting() > 0 and (room.waiting() < before or counts["inbound"] > stored_before):
            killed_mid_work += 1
        stored_before = counts["inbound"]
    # most kills must land while mail was being processed, not before or after
    assert killed_mid_work >= RUNS // 3, killed_mid_work
    done = subprocess.run(
        [str(LADO), "poll", "--once", "--json"], env=env, cwd=tmp_path, timeout=300, check=False
    )
    assert done.returncode == 0
    counts = check(db, folder)
    assert room.waiting() == 0
    assert counts["inbound"] == counts["filed"] == len(room.expected)
    conn = sqlite3.connect(db)
    try:
        stored = {m for (m,) in conn.execute("SELECT message_id FROM message WHERE direction='in'")}
        queued = conn.execute(
            "SELECT COUNT(*) FROM message WHERE direction='out' AND delivery_status='queued'"
        ).fetchone()[0]
    finally:
        conn.close()
    assert stored == room.expected
    assert queued == 0
