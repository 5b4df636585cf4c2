"""Labelled lines of referral forms ("Name of adult: ...") and email signatures."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from triage.rules.models import FormLabel

UNKNOWN_ANSWERS = frozenset(
    {
        "not known", "unknown", "n/a", "na", "n.a.", "none known", "don't know", "dont know",
        "do not know", "not sure", "tbc", "to be confirmed", "?", "-", "not applicable",
        "unsure", "no idea", "i don't know", "i dont know", "not yet known",
    }
)  # fmt: skip
_LINE = re.compile(
    r"^[ \t>*•\-]*(?P<label>[A-Za-z][A-Za-z0-9 '’()/&.,\-]{1,60}?)\s*[:\-–]\s*(?P<value>.*)$"
)
_PHONE = re.compile(r"(?<!\d)(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)")
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
ORG = re.compile(
    r"\b((?:St\.?[ \t]+|The[ \t]+)?(?:[A-Z][\w'’&.-]*[ \t]+){0,5}"
    r"(?:School|Academy|College|Nursery|Pre-?[Ss]chool|Children'?s\s+[Hh]ome|FC|Club|Church|Mosque|"
    r"Trust|Hospital|Centre|Center|Agency|Ltd|Limited|Council|Practice|Surgery|Services?|"
    r"Madras?sa|Temple|Synagogue|Gurdwara|Unit|University|Constabulary|Police|Foundation|"
    r"Federation|Home|Homes|Group|Partnership|Squadron|Troop|Pack))\b"
)
_NOT_ORG_START = frozenset({"The", "A", "An", "Our", "My", "Their", "His", "Her", "This", "That"})


def _norm_label(label: str) -> str:
    out = label.lower().replace("’", "'")
    out = re.sub(r"\s+", " ", out)
    return out.strip(" .*:-–")


@dataclass(frozen=True)
class FormAnswer:
    field: str
    value: str  # "" when answered unknown
    start: int  # offset of the value in the text
    end: int

    @property
    def unknown(self) -> bool:
        return not self.value


_tables: dict[int, dict[str, str]] = {}


def read_form(text: str, labels: Sequence[FormLabel]) -> dict[str, FormAnswer]:
    """The first answer to each labelled field ("Role: Teaching Assistant")."""
    table = _tables.get(id(labels))
    if table is None:
        table = {_norm_label(lab): fl.field for fl in labels for lab in fl.labels}
        _tables[id(labels)] = table
    out: dict[str, FormAnswer] = {}
    if ":" not in text and "-" not in text:
        return out
    pos = 0
    for line in text.split("\n"):
        mt = _LINE.match(line)
        if mt is not None:
            key = _norm_label(mt.group("label"))
            field = table.get(key)
            if field is not None and field not in out:
                raw = mt.group("value")
                value = raw.strip()
                vstart = pos + mt.start("value") + (len(raw) - len(raw.lstrip()))
                answer = "" if value.lower().strip(" .") in UNKNOWN_ANSWERS else value
                if value:
                    out[field] = FormAnswer(field, answer, vstart, vstart + len(value))
        pos += len(line) + 1
    return out


def yes_no(value: str) -> bool | None:
    low = value.strip().lower()
    if re.match(r"^(?:yes|y|yeah|true|informed|told|done)\b", low):
        return True
    if re.match(r"^(?:no|n|not|false|none|nope)\b", low):
        return False
    return None


def first_phone_or_email(text: str) -> str | None:
    hits = [m for m in (_EMAIL.search(text), _PHONE.search(text)) if m is not None]
    if not hits:
        return None
    return min(hits, key=lambda m: m.start()).group(0).strip()


_ORG_SUFFIX = re.compile(
    r"(?:School|Academy|College|Nursery|Home|Homes|FC|Club|Church|Mosque|Trust|Hospital|"
    r"Centre|Center|Agency|Ltd|Limited|Council|Practice|Surgery|Service|Services|Madrasa|"
    r"Madrassa|Temple|Synagogue|Gurdwara|Unit|University|Constabulary|Police|Foundation|"
    r"Federation|Group|Partnership|Squadron|Troop|Pack)\b"
)


def organisation(text: str) -> str | None:
    """The first organisation name ("St Bede's RC Primary School") in the text."""
    for suffix in _ORG_SUFFIX.finditer(text):
        window = text[max(0, suffix.start() - 80) : suffix.end()]
        mt = ORG.search(window)
        if mt is None:
            continue
        name = mt.group(1).strip()
        words = name.split()
        while words and words[0] in _NOT_ORG_START:
            words = words[1:]
        if len(words) >= 2:
            return " ".join(words)
    return None


@dataclass
class Signature:
    name: str | None = None
    role: str | None = None
    organisation: str | None = None


_NAME_LINE = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][A-Za-z'’-]+){0,2}$"
)


def read_signature(block: str) -> Signature:
    """Name, role and organisation from the lines after a sign-off."""
    sig = Signature()
    lines = [ln.strip() for ln in block.split("\n")[1:] if ln.strip()]
    for ln in lines[:6]:
        if _PHONE.search(ln) or _EMAIL.search(ln):
            continue
        if sig.name is None and _NAME_LINE.match(ln) and len(ln.split()) <= 4:
            sig.name = ln
            continue
        org = organisation(ln)
        if org is not None and sig.organisation is None:
            sig.organisation = org
            before = ln.split("|")[0].split(",")[0].strip()
            if sig.role is None and before and before != org and organisation(before) is None:
                sig.role = before
            continue
        if sig.name is not None and sig.role is None and len(ln) <= 60:
            sig.role = ln
    return sig
