"""Form answers as ``Submission.known`` takes them: yes/no as booleans, dates as ISO
strings, "don't know" as ``unknown``, placeholders ("Click or tap here to enter text.")
ignored, codes for the employment basis, status and setting, lengths capped."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from intake.mail.form_labels import key_for

_BOOL_KEYS = {
    "immediate_danger",
    "referrer_is_dsl",
    "police_informed",
    "csc_informed",
    "parents_informed",
    "adult_informed",
    "child_send",
    "child_looked_after",
    "restraint",
}
_DATE_KEYS = {"adult_dob", "incident_date", "aware_date"}
#: longest value kept per key (the referral's column sizes)
_MAX = {
    "referrer_name": 200,
    "referrer_role": 200,
    "referrer_organisation": 300,
    "referrer_email": 320,
    "referrer_phone": 40,
    "adult_name": 200,
    "adult_address": 500,
    "adult_role": 200,
    "employer": 300,
    "adult_other_roles": 1000,
    "location": 300,
    "injury": 500,
    "previous_concerns": 2000,
    "crime_reference": 60,
    "child_name": 100,
    "what_happened": 20_000,
}
_PLACEHOLDER = re.compile(
    r"^(click|tap|choose|select|enter)\b.*(here|text|date|item)|^(n/?a|-+|_+|\.+|tbc|none)$", re.I
)
_UNKNOWN = re.compile(r"^(unknown|not known|don'?t know|do not know|unsure|not sure)\.?$", re.I)
_YES = re.compile(r"^(yes|y|true|☒\s*yes|x\s*yes|checked|on)\b", re.I)
_NO = re.compile(r"^(no|n|false|☒\s*no|x\s*no|off|none)\b", re.I)


def _date(value: str) -> str | None:
    value = value.strip()
    for fmt in (
        "%d/%m/%Y",
        "%d/%m/%y",
        "%d-%m-%Y",
        "%d.%m.%Y",
        "%Y-%m-%d",
        "%d %B %Y",
        "%d %b %Y",
        "%B %d, %Y",
        "%d %B, %Y",
    ):
        try:
            cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value)
            parsed = dt.datetime.strptime(cleaned, fmt)  # noqa: DTZ007 (a calendar date)
            return parsed.date().isoformat()
        except ValueError:
            continue
    return None


def normalise(key: str, value: str) -> Any:
    """A form answer as the value ``Submission.known`` takes (None when empty)."""
    value = re.sub(r"[ \t]+", " ", value).strip()
    if not value or _PLACEHOLDER.match(value):
        return None
    if _UNKNOWN.match(value):
        return "unknown"
    if key in _BOOL_KEYS:
        if _YES.match(value):
            return True
        if _NO.match(value):
            return False
        return None
    if key in _DATE_KEYS:
        return _date(value)
    if key == "child_age":
        match = re.match(r"^(\d{1,2})\b", value)
        if match:
            return int(match.group(1))
        iso = _date(value)
        if iso:
            born = dt.date.fromisoformat(iso)
            today = dt.datetime.now(dt.UTC).date()
            return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return None
    if key == "employment_basis":
        low = value.lower()
        for word, code in (
            ("volunt", "volunteer"),
            ("agency", "agency"),
            ("supply", "agency"),
            ("self", "self_employed"),
            ("paid", "paid"),
            ("employ", "paid"),
        ):
            if word in low:
                return code
        return None
    if key == "adult_status":
        low = value.lower()
        for word, code in (
            ("suspend", "suspended"),
            ("redeploy", "redeployed"),
            ("left", "left"),
            ("resign", "left"),
            ("working", "working"),
            ("work", "working"),
        ):
            if word in low:
                return code
        return None
    if key == "in_work":
        low = value.lower()
        for word, code in (
            ("online", "online"),
            ("outside", "outside_work"),
            ("in work", "in_work"),
            ("at work", "in_work"),
        ):
            if word in low:
                return code
        return None
    return value[: _MAX.get(key, 300)]


def fields_from_pairs(pairs: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """(label, value, section) triples → known details (the first answer for a key wins,
    except free text which is joined)."""
    out: dict[str, Any] = {}
    for label, value, section in pairs:
        key = key_for(label, section)
        if not key:
            continue
        answer = normalise(key, value)
        if answer is None:
            continue
        if key == "what_happened" and key in out and isinstance(out[key], str):
            out[key] = (out[key] + "\n\n" + str(answer))[: _MAX["what_happened"]]
        else:
            out.setdefault(key, answer)
    return out
