"""Header values read defensively: addresses, text (raw 8-bit bytes decoded, never
raising), and the headers a parsed message keeps (sender and why it may not be trusted,
recipients, date, the ids it answers)."""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import re
from email.message import EmailMessage, Message
from typing import TYPE_CHECKING, Any

from intake.mail.message_ids import id_list, normalise_id
from intake.mail.text import clean_text

if TYPE_CHECKING:
    from intake.mail.parse import ParsedMail


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    try:
        header = msg.get(name)
    except Exception:  # an unparseable header is treated as absent
        return []
    if header is None:
        return []
    addresses = getattr(header, "addresses", None)
    if addresses is None:
        realname, addr = email.utils.parseaddr(clean_text(str(header)))
        return [(realname, addr)] if addr else []
    out = []
    for a in addresses:
        with contextlib.suppress(Exception):  # a malformed address part is skipped
            out.append((clean_text(str(a.display_name or "")), clean_text(str(a.addr_spec or ""))))
    return out


def header_text(msg: Message, name: str, limit: int) -> str:
    try:
        value = msg.get(name)
    except Exception:
        return ""
    if value is None:
        return ""
    text = re.sub(r"\s+", " ", clean_text(str(value))).strip()
    return text[:limit]


def read_headers(msg: EmailMessage, mail: ParsedMail) -> None:
    mail.subject = header_text(msg, "Subject", 998)
    mail.message_id = normalise_id(header_text(msg, "Message-ID", 998))
    mail.in_reply_to = normalise_id(header_text(msg, "In-Reply-To", 998))
    mail.references = id_list(header_text(msg, "References", 20_000))
    senders = _addresses(msg, "From")
    try:
        # raw 8-bit bytes in a display name are common and harmless; an invalid header
        # is not (CVE-2023-27043: a crafted From can read as another address)
        from_defects = [
            d
            for d in (getattr(msg.get("From"), "defects", ()) or ())
            if type(d).__name__ != "UndecodableBytesDefect"
        ]
    except Exception:
        from_defects = ["unreadable"]
    real = [(n, a) for n, a in senders if a and "@" in a]
    if real:
        name, addr = real[0]
        mail.sender = addr.strip().lower()[:320]
        mail.sender_name = name.strip()[:200] or None
    if len(real) > 1:
        mail.sender_problem = "From names more than one address"
    elif from_defects:
        mail.sender_problem = "From header is malformed"
    elif not real:
        mail.sender_problem = "no sender address"
    reply = [a for _, a in _addresses(msg, "Reply-To") if a and "@" in a]
    mail.reply_to = reply[0].lower()[:320] if reply else None
    for name in ("To", "Cc"):
        mail.recipients += [a.lower() for _, a in _addresses(msg, name) if a]
    try:
        date = msg.get("Date")
        parsed = getattr(date, "datetime", None)
        if isinstance(parsed, dt.datetime):
            mail.date = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    except Exception:
        mail.defects.append("unreadable Date")


def header_value(msg: Message | None, name: str) -> str:
    """A header as plain text ('' when absent or unreadable)."""
    if msg is None:
        return ""
    return header_text(msg, name, 4000)


def all_headers(msg: Message | None, name: str) -> list[str]:
    if msg is None:
        return []
    try:
        values: list[Any] = msg.get_all(name) or []
    except Exception:
        return []
    return [re.sub(r"\s+", " ", clean_text(str(v))).strip()[:4000] for v in values]
