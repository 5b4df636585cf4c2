"""The person making the referral: their role (from their introduction), name, role
and organisation (from the signature), and a phone number or email address."""

from __future__ import annotations

import re
from typing import Any

from triage.decide import Decision
from triage.forms import first_phone_or_email, organisation, read_signature
from triage.hits import Analysis
from triage.rules.models import Kind
from triage.textprep import Prepared


def _span_text(a: Analysis, start: int, end: int) -> str:
    return a.text[start:end]


def referrer_fields(a: Analysis, d: Decision, prep: Prepared, f: dict[str, Any]) -> None:
    ref = d.people.referrer if d.people else None
    f["referrer_role"] = (
        _span_text(a, ref.start_char, ref.end_char)
        if ref is not None and ref.kind is Kind.ROLE
        else None
    )
    low = (f["referrer_role"] or "").lower()
    f["referrer_is_dsl"] = (
        True
        if re.search(r"\bdsl\b|designated safeguarding|safeguarding lead", low)
        else (False if ref is not None and ref.kind is Kind.ROLE else None)
    )
    sig = None
    if prep.signature is not None:
        s, _ = prep.signature
        block_end = a.text.find("\n\n\n", s)
        sig = read_signature(a.text[s : block_end if block_end > 0 else s + 600])
    name = re.search(
        r"\bmy name is ([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)", a.text[: prep.analysed]
    )
    f["referrer_name"] = name.group(1) if name else (sig.name if sig else None)
    if f["referrer_role"] is None and sig is not None and sig.role:
        f["referrer_role"] = sig.role
        if re.search(r"\bdsl\b|designated safeguarding|safeguarding lead", sig.role.lower()):
            f["referrer_is_dsl"] = True
    f["referrer_organisation"] = sig.organisation if sig and sig.organisation else None
    if f["referrer_organisation"] is None and ref is not None:
        tail = a.text[ref.end_char : ref.end_char + 80]
        mt = re.match(r"\s+(?:at|for|from|of)\s+(.+)", tail)
        if mt:
            f["referrer_organisation"] = organisation(mt.group(1).split("\n")[0])
    usable = "\n".join(
        ln
        for ln in a.text[: prep.analysed].split("\n")
        if not re.match(r"^\s*(?:to|cc|bcc)\s*:", ln, re.IGNORECASE)
        and not ln.lstrip().startswith(">")
    )
    f["referrer_contact"] = first_phone_or_email(usable)
