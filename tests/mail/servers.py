"""Real mail servers on loopback for the tests: Dovecot IMAP (Debian dovecot-imapd)
started from a temporary configuration, and an aiosmtpd SMTP sink."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

DOVECOT = shutil.which("dovecot") or (
    "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
)
USER = "lado"
PASSWORD = "imap-test-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Dovecot:
    port: int
    root: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"imap://{USER}@127.0.0.1:{self.port}/INBOX"


def _mail_owner() -> tuple[int, int]:
    """A non-root account to own the mail (Dovecot refuses uid 0 for mail access)."""
    if os.getuid() != 0:
        return os.getuid(), os.getgid()
    for name in ("dovecot", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
    return 65534, 65534


@contextlib.contextmanager
def dovecot(root: Path) -> Iterator[Dovecot]:
    """Dovecot IMAP on a free loopback port, plaintext auth, maildir storage in ``root``."""
    assert DOVECOT is not None
    port = free_port()
    uid, gid = _mail_owner()
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    me = pwd.getpwuid(os.getuid()).pw_name
    config = f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
default_internal_user = {me if os.getuid() != 0 else "dovecot"}
default_login_user = {me if os.getuid() != 0 else "dovenull"}
default_internal_group = {pwd.getpwuid(os.getuid()).pw_name if os.getuid() != 0 else "dovecot"}
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
    conf = root / "dovecot.conf"
    conf.write_text(config)
    if os.getuid() == 0:
        for path in (root / "mail", root / "home"):
            os.chown(path, uid, gid)
        os.chmod(root, 0o755)  # noqa: S103 (Dovecot's own users must reach the mail)
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                raise RuntimeError(f"dovecot did not start: {log[-2000:]}")
            time.sleep(0.05)
        yield Dovecot(port=port, root=root, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class SmtpSink:
    port: int
    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        assert isinstance(msg, EmailMessage)
        self.sink.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink(port=free_port())
    controller = Controller(_Handler(sink), hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
