"""Message-IDs: read cheaply from the header block, normalised, and made up
deterministically (a hash of the raw bytes) for mail that has none."""

from __future__ import annotations

import hashlib
import re
from email import policy
from email.parser import BytesHeaderParser


def header_block(raw: bytes) -> bytes:
    """The header section of a raw message (up to the first blank line)."""
    for sep in (b"\r\n\r\n", b"\n\n"):
        index = raw.find(sep)
        if index >= 0:
            return raw[: index + len(sep)]
    return raw[:65536]


def quick_message_id(raw: bytes) -> str | None:
    """The Message-ID header, read from the header block alone (cheap, never raises)."""
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(header_block(raw))
        value = headers.get("Message-ID")
    except Exception:  # any malformed header section: no usable Message-ID
        return None
    return normalise_id(str(value)) if value else None


_ID_RE = re.compile(r"<([^<>\s]{1,900})>")


def normalise_id(value: str) -> str | None:
    """``<local@domain>`` from a Message-ID style header value, or None."""
    match = _ID_RE.search(value or "")
    if match:
        return f"<{match.group(1)}>"
    token = (value or "").strip().split()
    if token and 0 < len(token[0]) <= 900 and "@" in token[0]:
        return f"<{token[0].strip('<>')}>"
    return None


def id_list(value: str | None) -> list[str]:
    return [f"<{m}>" for m in _ID_RE.findall(value or "")][:100]


def synthetic_id(raw: bytes) -> str:
    """A deterministic Message-ID for mail without one: the hash of the raw bytes."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()[:40]}@lado-intake.invalid>"
