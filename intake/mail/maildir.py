"""The local mail folder (``LADO_MAIL__SOURCE=maildir:var/mail``), the embedded default.

``.eml`` files dropped into the folder (and standard Maildir ``new/`` and ``cur/``
files) are processed and then moved into ``processed/`` or ``quarantine/`` inside
it. The sender writes outgoing mail as ``.eml`` files into ``outbox/``, named after
the Message-ID, so a re-sent message overwrites its own file instead of doubling.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import time
from collections.abc import AsyncIterator
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from intake.mail.source import Cursor, Fetched, SendError, SourceError

PROCESSED = "processed"
QUARANTINE = "quarantine"
OUTBOX = "outbox"


def folder_of(source: str) -> Path:
    """``maildir:var/mail`` → Path("var/mail")."""
    return Path(source.split(":", 1)[1] or "var/mail").expanduser()


def _read_limited(path: Path, limit: int) -> tuple[bytes, int]:
    size = path.stat().st_size
    with path.open("rb") as fh:
        if size <= limit:
            return fh.read(), size
        head = fh.read(min(size, 256 * 1024))
    for sep in (b"\r\n\r\n", b"\n\n"):
        index = head.find(sep)
        if index >= 0:
            return head[: index + len(sep)], size
    return head[:65536], size


class MaildirSource:
    kind = "maildir"

    def __init__(self, folder: Path, *, min_age_seconds: float = 1.0) -> None:
        self.folder = folder
        self.min_age = min_age_seconds

    async def open(self, cursor: Cursor) -> None:
        try:
            for sub in (PROCESSED, QUARANTINE, OUTBOX):
                (self.folder / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SourceError(f"mail folder not usable ({type(exc).__name__})") from exc

    def _waiting(self) -> list[Path]:
        now = time.time()
        found: list[tuple[float, str, Path]] = []
        candidates = list(self.folder.glob("*.eml"))
        for sub in ("new", "cur"):
            if (self.folder / sub).is_dir():
                candidates += [
                    p for p in (self.folder / sub).iterdir() if not p.name.startswith(".")
                ]
        for path in candidates:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            if not path.is_file() or now - stat.st_mtime < self.min_age:
                continue
            found.append((stat.st_mtime, str(path), path))
        return [p for _, _, p in sorted(found)]

    async def fetch(self, limit: int) -> AsyncIterator[Fetched]:
        for path in await asyncio.to_thread(self._waiting):
            try:
                raw, size = await asyncio.to_thread(_read_limited, path, limit)
            except FileNotFoundError:
                continue
            except OSError as exc:
                yield Fetched(key=str(path), raw=b"", size=0, error=type(exc).__name__)
                continue
            yield Fetched(key=str(path), raw=raw, size=size)

    async def settle(self, item: Fetched, *, quarantine: bool) -> None:
        path = Path(item.key)
        target_dir = self.folder / (QUARANTINE if quarantine else PROCESSED)
        name = path.name if path.suffix == ".eml" else f"{path.name}.eml"
        target = target_dir / name
        if target.exists():
            digest = hashlib.sha256(str(path).encode()).hexdigest()[:8]
            target = target_dir / f"{path.stem}.{digest}.{int(time.time() * 1000)}.eml"
        try:
            await asyncio.to_thread(os.replace, path, target)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise SourceError(f"could not move a processed file ({type(exc).__name__})") from exc

    def cursor(self) -> Cursor | None:
        return None

    async def close(self) -> None:
        return None


class MaildirOutbox:
    """Writes outgoing mail into ``outbox/`` as .eml files, for a newcomer to read."""

    kind = "maildir"

    def __init__(self, folder: Path) -> None:
        self.outbox = folder / OUTBOX

    async def send(self, message: EmailMessage) -> None:
        mid = str(message.get("Message-ID") or "")
        stem = (
            re.sub(r"[^A-Za-z0-9._-]", "_", mid.strip("<>"))[:120]
            or hashlib.sha256(bytes(message)).hexdigest()[:32]
        )
        target = self.outbox / f"{stem}.eml"
        data = message.as_bytes(policy=SMTP)

        def write() -> None:
            self.outbox.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)

        try:
            await asyncio.to_thread(write)
        except OSError as exc:
            raise SendError(f"outbox not writable ({type(exc).__name__})") from exc

    async def close(self) -> None:
        return None
