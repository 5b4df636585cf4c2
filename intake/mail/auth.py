"""``From:`` is not proof of identity: the Authentication-Results verdicts and the
signs of a disguised sender, for officers to see.

Only the Authentication-Results added by our own gateway mean anything (a sender
can write any header): with ``trusted`` authserv-ids we read only those, otherwise
the topmost header (the one added last, by the receiving side).
"""

from __future__ import annotations

import re
from typing import Any

from intake.mail.headers import all_headers
from intake.mail.parse import ParsedMail

METHODS = ("spf", "dkim", "dmarc", "arc")
_RESULT = re.compile(r"\b(spf|dkim|dmarc|arc)\s*=\s*([a-z]+)", re.I)
_EMAIL_IN_NAME = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+", re.I)
_DOMAIN_IN_NAME = re.compile(
    r"\b([a-z0-9-]+(\.[a-z0-9-]+)*\.(uk|com|org|net|gov|nhs|sch|ac)\b)", re.I
)


def _strip_comments(value: str) -> str:
    return re.sub(r"\([^()]*\)", " ", value)


def verdicts(mail: ParsedMail, *, trusted: frozenset[str] = frozenset()) -> dict[str, Any]:
    """{"authserv_id": ..., "spf": "pass", "dkim": "fail", "dmarc": "none"} or {}."""
    headers = all_headers(mail.headers, "Authentication-Results")
    for header in headers:
        cleaned = _strip_comments(header)
        first = cleaned.split(";", 1)[0].split()
        authserv = first[0].lower() if first else ""
        if trusted and authserv not in trusted:
            continue
        found: dict[str, Any] = {"authserv_id": authserv[:200]}
        for method, result in _RESULT.findall(cleaned):
            method = method.lower()
            result = result.lower()
            # with several signatures, one pass is enough for DKIM; keep the best
            if method in found and found[method] == "pass":
                continue
            found[method] = result
        return found
    return {}


def sender_flags(mail: ParsedMail, results: dict[str, Any]) -> dict[str, bool]:
    """Warnings about the sender: display name naming another address or domain,
    a malformed or multi-address From, a Reply-To elsewhere, failed checks."""
    flags: dict[str, bool] = {}
    name = (mail.sender_name or "").lower()
    sender = (mail.sender or "").lower()
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else ""
    named = _EMAIL_IN_NAME.search(name)
    if named and named.group(0).lower() != sender:
        flags["name_mismatch"] = True
    else:
        domains = [m.group(1).lower() for m in _DOMAIN_IN_NAME.finditer(name)]
        if domain and any(d != domain and not domain.endswith("." + d) for d in domains):
            flags["name_mismatch"] = True
    if mail.sender_problem:
        flags["sender_unclear"] = True
    if mail.reply_to and domain and mail.reply_to.rsplit("@", 1)[-1] != domain:
        flags["reply_to_elsewhere"] = True
    if any(results.get(m) in ("fail", "softfail", "permerror") for m in ("spf", "dkim", "dmarc")):
        flags["auth_failed"] = True
    return flags
