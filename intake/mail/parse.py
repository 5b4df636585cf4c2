"""Parse an email with the standard library (``policy.default``), defensively.

``parse(raw)`` never raises: every part is read inside its own guard, problems are
collected in ``defects``, and a message that cannot be read at all comes back with
``fatal`` set (the poller quarantines it). Bodies are decoded with a charset
fallback (declared → UTF-8 → Windows-1252), HTML is converted to text with
inscriptis (the original HTML is kept for display, sanitised there), forwarded
``message/rfc822`` parts are read as part of the account, and the new text of a
reply is separated from the quoted text and the signature.

Headers are read in ``headers.py``, body text in ``text.py``, Message-IDs in
``message_ids.py``.
"""

from __future__ import annotations

import datetime as dt
import email
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message

from intake.mail.headers import read_headers
from intake.mail.message_ids import id_list
from intake.mail.text import MAX_HTML_CHARS, decode_bytes, html_to_text, split_reply, unwrap

MAX_PARTS = 500
MAX_DEPTH = 10


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes
    inline: bool = False


@dataclass
class ParsedMail:
    message_id: str | None = None
    subject: str = ""
    sender: str | None = None
    sender_name: str | None = None
    #: why the From header cannot be trusted to name one sender (several addresses, defects)
    sender_problem: str | None = None
    reply_to: str | None = None
    recipients: list[str] = field(default_factory=list)
    date: dt.datetime | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    #: the whole body as text (HTML converted)
    text: str = ""
    html: str | None = None
    #: the new text of the message (reply quotes and signature removed)
    new_text: str = ""
    quoted: str = ""
    signature: str = ""
    #: text of forwarded messages (message/rfc822 parts), in order
    forwarded: list[str] = field(default_factory=list)
    #: Message-IDs named by forwarded or returned messages (DSN bounces)
    embedded_ids: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    fatal: str | None = None
    headers: EmailMessage | None = None

    def narrative(self, limit: int = 100_000) -> str:
        """What the sender told us: subject, new text and forwarded messages (hard-wrapped
        lines joined back into sentences)."""
        pieces = []
        if self.subject:
            pieces.append(f"Subject: {self.subject}")
        body = unwrap(self.new_text.strip() or self.text.strip())
        if body:
            pieces.append(body)
        for fwd in self.forwarded:
            if fwd.strip() and unwrap(fwd.strip()) not in body:
                pieces.append("Forwarded message:\n" + unwrap(fwd.strip()))
        return "\n\n".join(pieces)[:limit]


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    name = re.sub(r"[\x00-\x1f/\\]", "_", str(name)).strip()
    return name[:255]


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    if isinstance(payload, str):
        return payload.encode("utf-8", "replace")
    return b""


class _Walker:
    def __init__(self, mail: ParsedMail) -> None:
        self.mail = mail
        self.parts = 0
        self.plain: list[str] = []
        self.html: list[str] = []

    def walk(self, part: Message, depth: int = 0, *, top: bool = True) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS or depth > MAX_DEPTH:
            if "too many parts" not in self.mail.defects:
                self.mail.defects.append("too many parts")
            return
        try:
            self._part(part, depth, top)
        except Exception as exc:  # guard each part (iter_attachments AttributeError, …)
            self.mail.defects.append(f"unreadable part ({type(exc).__name__})")

    def _part(self, part: Message, depth: int, top: bool) -> None:
        ctype = part.get_content_type()
        if ctype == "message/rfc822" or (ctype.startswith("message/") and part.is_multipart()):
            inner = part.get_payload()
            inners = inner if isinstance(inner, list) else [inner]
            for sub in inners:
                if isinstance(sub, Message):
                    self._forwarded(sub, depth)
            return
        if ctype in ("text/rfc822-headers", "message/delivery-status") or ctype.startswith(
            "message/"
        ):
            text, _ = decode_bytes(_payload(part), part.get_content_charset())
            self.mail.embedded_ids += id_list(
                " ".join(re.findall(r"(?im)^Message-ID:\s*(\S+)", text))
            )
            return
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                for sub in payload:
                    if isinstance(sub, Message):
                        self.walk(sub, depth + 1, top=False)
            return
        if ctype.startswith("multipart/"):
            # a multipart whose boundary is missing or wrong: its body cannot be split
            if "broken multipart" not in self.mail.defects:
                self.mail.defects.append("broken multipart")
            return
        disposition = (part.get_content_disposition() or "").lower()
        name = _filename(part)
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not name:
            text, note = decode_bytes(_payload(part), part.get_content_charset())
            if note and note not in self.mail.defects:
                self.mail.defects.append(note)
            (self.plain if ctype == "text/plain" else self.html).append(text)
            return
        data = _payload(part)
        inline = disposition != "attachment" and bool(part.get("Content-ID"))
        self.mail.attachments.append(
            ParsedAttachment(
                filename=name or _default_name(ctype),
                content_type=ctype[:200],
                data=data,
                inline=inline,
            )
        )

    def _forwarded(self, sub: Message, depth: int) -> None:
        inner_mail = ParsedMail()
        walker = _Walker(inner_mail)
        walker.parts = self.parts
        if isinstance(sub, EmailMessage):
            read_headers(sub, inner_mail)
        walker.walk(sub, depth + 1)
        self.parts = walker.parts
        _finish_bodies(inner_mail, walker)
        head = []
        if inner_mail.sender:
            head.append(f"From: {inner_mail.sender_name or ''} <{inner_mail.sender}>".strip())
        if inner_mail.subject:
            head.append(f"Subject: {inner_mail.subject}")
        text = "\n".join([*head, "", inner_mail.text.strip()]).strip()
        self.mail.forwarded.append(text)
        self.mail.forwarded += inner_mail.forwarded
        if inner_mail.message_id:
            self.mail.embedded_ids.append(inner_mail.message_id)
        self.mail.attachments += inner_mail.attachments
        self.mail.defects += [d for d in inner_mail.defects if d not in self.mail.defects]


def _default_name(ctype: str) -> str:
    subtype = ctype.split("/", 1)[-1]
    return f"attachment.{re.sub(r'[^a-z0-9]', '', subtype)[:10] or 'bin'}"


def _finish_bodies(mail: ParsedMail, walker: _Walker) -> None:
    plain = "\n\n".join(t for t in walker.plain if t.strip())
    html = "\n".join(walker.html) if walker.html else None
    mail.html = html[:MAX_HTML_CHARS] if html else None
    if plain.strip():
        mail.text = plain
    elif html:
        mail.text = html_to_text(html)


def _is_reply(mail: ParsedMail) -> bool:
    subject = mail.subject.lower()
    if re.match(r"^\s*(\[[^\]]*\]\s*)*(fw|fwd|tr|wg)\s*:", subject):
        return False
    return bool(mail.in_reply_to) or bool(re.match(r"^\s*(\[[^\]]*\]\s*)*(re|aw|sv)\s*:", subject))


def parse(raw: bytes) -> ParsedMail:
    """Read one raw message. Never raises."""
    mail = ParsedMail()
    if not raw or not raw.strip():
        mail.fatal = "the message is empty"
        return mail
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
    except Exception as exc:
        mail.fatal = f"the message could not be read ({type(exc).__name__})"
        return mail
    mail.headers = msg
    try:
        keys = msg.keys()
    except Exception:
        keys = []
    if not keys:
        mail.fatal = "no email headers found"
        return mail
    try:
        read_headers(msg, mail)
    except Exception as exc:
        mail.defects.append(f"unreadable headers ({type(exc).__name__})")
    for defect in getattr(msg, "defects", ()) or ():
        mail.defects.append(type(defect).__name__)
    walker = _Walker(mail)
    walker.walk(msg)
    _finish_bodies(mail, walker)
    try:
        mail.new_text, mail.quoted, mail.signature = split_reply(
            mail.text, is_reply=_is_reply(mail)
        )
    except Exception as exc:
        mail.defects.append(f"reply split failed ({type(exc).__name__})")
        mail.new_text = mail.text
    structural = {
        "broken multipart",
        "StartBoundaryNotFoundDefect",
        "MultipartInvariantViolationDefect",
        "NoBoundaryInMultipartDefect",
    }
    if (
        not mail.text.strip()
        and not mail.attachments
        and not mail.forwarded
        and structural & set(mail.defects)
    ):
        mail.fatal = "malformed MIME: no readable body or attachment"
    return mail
