"""Body text: decoding with a charset fallback (declared, UTF-8, Windows-1252), HTML
as text (inscriptis), hard-wrapped lines joined again, and the new text of a reply
separated from the quoted text and the signature."""

from __future__ import annotations

import codecs
import re

#: charsets that mean "unknown": decode by trying the fallbacks
_UNKNOWN_CHARSETS = {"unknown-8bit", "x-unknown", "unknown", "8bit", "default", "x-user-defined"}
#: HTML5 treats these labels as Windows-1252, and so do we (Outlook mislabels often)
_AS_CP1252 = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1"}

MAX_HTML_CHARS = 2_000_000


def decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode with the declared charset, then UTF-8, then Windows-1252; never fails.

    Returns the text and a defect note when the declared charset did not fit.
    """
    declared = (charset or "").strip().strip('"').lower()
    candidates: list[str] = []
    note = None
    if declared and declared not in _UNKNOWN_CHARSETS:
        try:
            name = codecs.lookup(declared).name
            candidates.append("cp1252" if declared in _AS_CP1252 else name)
        except LookupError:
            note = "unknown charset"
    if not data.isascii():
        # real UTF-8 almost never decodes by accident, and mislabelled UTF-8 is common
        candidates = ["utf-8", *candidates, "cp1252"]
    elif not candidates:
        candidates = ["utf-8"]
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            if declared and name not in ("utf-8",):
                note = note or "wrong charset"
            continue
        return text, note
    return data.decode("latin-1"), note or "undecodable text"


_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Undo the surrogate escapes the parser uses for raw 8-bit header bytes (decoding
    them as UTF-8 or Windows-1252), and drop NULs."""
    if _SURROGATES.search(value):
        try:
            data = value.encode("utf-8", "surrogateescape")
            value = decode_bytes(data, None)[0]
        except UnicodeError:
            value = _SURROGATES.sub("\ufffd", value)
        value = _SURROGATES.sub("\ufffd", value)
    return value.replace("\x00", "")


def html_to_text(html: str) -> str:
    """HTML as readable text (inscriptis, Apache-2.0)."""
    from inscriptis import get_text

    try:
        return str(get_text(html[:MAX_HTML_CHARS]))
    except Exception:  # a pathological document: strip tags crudely instead
        return re.sub(r"<[^>]{0,2000}>", " ", html[:MAX_HTML_CHARS])


_LIST_OR_LABEL = re.compile(r"^\s*([-*•>]|\d+[.)]\s|[A-Z][\w ’'/-]{0,40}:\s)")


def unwrap(text: str, width: int = 50) -> str:
    """Join lines that a mail client hard-wrapped (a long line followed by more text in
    the same paragraph); lists, labels and short lines such as signatures stay."""
    out: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        prev = out[-1] if out else ""
        if prev.strip() and line.strip() and len(prev) >= width and not _LIST_OR_LABEL.match(line):
            out[-1] = prev.rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------- reply and signature

_QUOTE_HEADS = [
    re.compile(r"^\s*On .{0,200}(wrote|a écrit|schrieb)\s*:?\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*_{10,}\s*$"),
    re.compile(r"^\s*\*?From:\*?\s.+$", re.I),
]
_SENT_LINE = re.compile(r"^\s*\*?(Sent|Date):\*?\s.+$", re.I)
_SIGNATURE_HEADS = [
    re.compile(r"^-- ?$"),
    re.compile(r"^\s*Sent from my (iPhone|iPad|Android|mobile|Samsung|Galaxy).*$", re.I),
    re.compile(r"^\s*Get Outlook for (iOS|Android).*$", re.I),
]
_DISCLAIMER = re.compile(
    r"^\s*(DISCLAIMER|CONFIDENTIALITY( NOTICE)?|This (e-?mail|message) (and any attachments? )?"
    r"(is|are|may be) (confidential|intended|private)|The information (contained )?in this "
    r"(e-?mail|message) is (confidential|intended))",
    re.I,
)


def split_reply(text: str, *, is_reply: bool) -> tuple[str, str, str]:
    """(new text, quoted text, signature). Quotes are only split off a reply: in a
    forward the quoted message *is* the account."""
    lines = text.replace("\r\n", "\n").split("\n")
    cut = len(lines)
    if is_reply:
        for i, line in enumerate(lines):
            if line.lstrip().startswith(">") and all(
                not x.strip() or x.lstrip().startswith(">") for x in lines[i : i + 3]
            ):
                cut = i
                break
            if any(p.match(line) for p in _QUOTE_HEADS[:3]):
                cut = i
                break
            if _QUOTE_HEADS[3].match(line) and any(
                _SENT_LINE.match(x) for x in lines[i + 1 : i + 4]
            ):
                cut = i
                break
    body, quoted = lines[:cut], lines[cut:]
    sig_at = len(body)
    for i, line in enumerate(body):
        if any(p.match(line) for p in _SIGNATURE_HEADS) or (i > 0 and _DISCLAIMER.match(line)):
            sig_at = i
            break
    new = "\n".join(body[:sig_at]).strip()
    signature = "\n".join(body[sig_at:]).strip()
    return new, "\n".join(quoted).strip(), signature
