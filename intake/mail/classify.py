"""Which mail is automatic: auto-replies, out-of-office, bounces, lists, our own mail.

Such mail is stored and shown to officers but never acknowledged (RFC 3834: an
automatic response to an automatic message makes a loop). Returns flag names for
``Message.flags``; ``automated(flags)`` says whether the mail came from a machine.
"""

from __future__ import annotations

import re
from email.message import Message

from intake.mail.headers import all_headers, header_value
from intake.mail.parse import ParsedMail

AUTOMATED_FLAGS = frozenset({"auto_reply", "bounce", "list", "own_mail", "loop"})

#: our outgoing mail carries this header (and X-Loop with our address)
OWN_HEADER = "X-LADO-Intake"

_OOO_SUBJECT = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|"
    r"away from (the )?office|on leave|abwesenheit|absence|réponse automatique)",
    re.I,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(undeliverable|undelivered mail|delivery status notification|mail delivery "
    r"(failed|failure|subsystem)|returned mail|delivery failure|failure notice|"
    r"non[- ]?delivery)",
    re.I,
)
_BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|bounces?)([+@]|$)", re.I)
_SUPPRESS_VALUES = {"all", "oof", "autoreply", "dr", "rn", "nrn", "nrm"}
MAX_RECEIVED = 30


def classify(mail: ParsedMail, *, our_addresses: frozenset[str]) -> dict[str, bool]:
    """Flags describing where the mail came from. Empty for ordinary human mail."""
    msg: Message | None = mail.headers
    flags: dict[str, bool] = {}
    auto = header_value(msg, "Auto-Submitted").split(";")[0].strip().lower()
    if auto and auto != "no":
        flags["auto_reply"] = True
    if header_value(msg, "X-Autoreply") or header_value(msg, "X-Autorespond"):
        flags["auto_reply"] = True
    if header_value(msg, "X-Auto-Response-Suppress"):
        values = {
            v.strip().lower() for v in header_value(msg, "X-Auto-Response-Suppress").split(",")
        }
        if values & _SUPPRESS_VALUES:
            flags["no_auto_response"] = True
    precedence = header_value(msg, "Precedence").lower()
    if precedence in ("bulk", "list", "junk"):
        flags["list" if precedence == "list" else "auto_reply"] = True
    if precedence == "auto_reply":
        flags["auto_reply"] = True
    if any(header_value(msg, h) for h in ("List-Id", "List-Unsubscribe", "List-Post")):
        flags["list"] = True
    if _OOO_SUBJECT.match(mail.subject):
        flags["auto_reply"] = True
    return_path = header_value(msg, "Return-Path")
    if return_path.replace(" ", "") == "<>":
        flags["bounce"] = True
    sender = mail.sender or ""
    if _BOUNCE_SENDERS.match(sender):
        flags["bounce"] = True
    ctype = ""
    report_type = ""
    if msg is not None:
        try:
            ctype = msg.get_content_type()
            report_type = str(msg.get_param("report-type") or "").lower()
        except Exception:
            ctype = ""
    if ctype == "multipart/report":
        if report_type == "disposition-notification":
            flags["auto_reply"] = True
        else:
            flags["bounce"] = True
    if _BOUNCE_SUBJECT.match(mail.subject) and (flags.get("bounce") or not sender):
        flags["bounce"] = True
    elif _BOUNCE_SUBJECT.match(mail.subject) and "auto_reply" not in flags:
        flags["auto_reply"] = True
    ours = {a.lower() for a in our_addresses if a}
    if header_value(msg, OWN_HEADER) or (sender and sender in ours):
        flags["own_mail"] = True
    for loop in all_headers(msg, "X-Loop"):
        if any(a in loop.lower() for a in ours):
            flags["loop"] = True
    if len(all_headers(msg, "Received")) > MAX_RECEIVED:
        flags["loop"] = True
    return flags


def automated(flags: dict[str, bool]) -> bool:
    return any(flags.get(f) for f in AUTOMATED_FLAGS)
