"""Dates in referral text, resolved against the time a referral was received.

UK conventions: day before month ("03/04/2025" is 3 April), "last Tuesday" is the most
recent Tuesday before the day received, and a date without a year is the most recent
such date not after it. "May" is a month only next to a day number or a year ("3rd
May", "May 2024"); the verb ("it may have been") is never a date. Simple forms are
parsed here (fast, predictable); ``resolve_date`` falls back to dateparser (with
``DATE_ORDER="DMY"``, ``PREFER_DATES_FROM="past"`` and ``RELATIVE_BASE``) for the rest.
Relative dates use the local date in England, not UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "tues": 1, "wednesday": 2, "weds": 2, "thursday": 3,
    "thurs": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "couple of": 2, "few": 3,
}  # fmt: skip

_MONTH = (
    r"(?P<{g}>january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20)\d{{2}})"

_PATTERNS: list[tuple[str, str]] = [
    (
        "dm",
        rf"\b{_DAY.format(g='d')}\s+(?:of\s+)?{_MONTH.format(g='m')}\b"
        rf"(?:,?\s+{_YEAR.format(g='y')})?",
    ),
    (
        "md",
        rf"\b{_MONTH.format(g='m')}\s+(?:the\s+)?{_DAY.format(g='d')}\b"
        rf"(?:,?\s+{_YEAR.format(g='y')})?",
    ),
    ("iso", r"\b(?P<y>(?:19|20)\d{2})-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b"),
    ("num", r"\b(?P<d>[0-3]?\d)[/.\-](?P<m>[01]?\d)[/.\-](?P<y>(?:19|20)?\d{2})\b"),
    ("before_yesterday", r"\bthe\s+day\s+before\s+yesterday\b"),
    ("yesterday", r"\b(?:yesterday(?:\s+(?:morning|afternoon|evening|lunchtime))?|last\s+night)\b"),
    (
        "today",
        r"\b(?:today|this\s+(?:morning|afternoon|evening|lunchtime)|tonight|earlier\s+today)\b",
    ),
    (
        "ago",
        r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple\s+of|few)"
        r"\s+(?P<unit>days?|weeks?|fortnights?)\s+ago\b",
    ),
    (
        "weekday",
        r"\b(?:(?P<rel>last|this\s+past|this|on|past)\s+)?(?P<wd>monday|tuesday|tues|wednesday|"
        r"weds|thursday|thurs|friday|saturday|sunday)\b"
        r"(?:\s+(?:morning|afternoon|evening|night|lunchtime)\b)?",
    ),
    ("nth", r"\bon\s+the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b"),
]
_SUBS = {k: re.compile(p, re.IGNORECASE) for k, p in _PATTERNS}
_MONTH_WORD = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
_WEEKDAY_HINTS = ("day", "tues", "weds", "thurs")
_NUMERIC_DATE = re.compile(r"\d[/.\-]\d")


def _wanted(low: str) -> list[str]:
    """The patterns worth running on this text (cheap substring tests first: running
    every pattern, or one big alternation, costs far more on long texts)."""
    kinds = []
    if _MONTH_WORD.search(low):
        kinds += ["dm", "md"]
    if _NUMERIC_DATE.search(low):
        kinds += ["iso", "num"]
    if "yesterday" in low:
        kinds += ["before_yesterday", "yesterday"]
    elif "last night" in low:
        kinds.append("yesterday")
    if "today" in low or "tonight" in low or "this " in low:
        kinds.append("today")
    if "ago" in low:
        kinds.append("ago")
    if any(h in low for h in _WEEKDAY_HINTS):
        kinds.append("weekday")
    if "on the " in low:
        kinds.append("nth")
    return kinds


@dataclass(frozen=True)
class DateMention:
    """A date phrase found in text, with the date it resolves to."""

    start: int
    end: int
    text: str
    value: dt.date


def local_today(base: dt.datetime) -> dt.date:
    """The date in England at ``base`` (a naive datetime is taken as UTC)."""
    if base.tzinfo is None:
        base = base.replace(tzinfo=dt.UTC)
    return base.astimezone(UK).date()


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _no_year(today: dt.date, m: int, d: int) -> dt.date | None:
    value = _safe(today.year, m, d)
    if value is None:
        value = _safe(today.year - 1, m, d)  # 29 February
        return value
    if value > today:
        value = _safe(today.year - 1, m, d)
    return value


def _value(kind: str, text: str, today: dt.date) -> dt.date | None:
    mt = _SUBS[kind].search(text)
    if mt is None:
        return None
    g = mt.groupdict()
    if kind in ("dm", "md"):
        month = _MONTHS[g["m"].lower()]
        day = int(g["d"])
        if g.get("y"):
            return _safe(int(g["y"]), month, day)
        return _no_year(today, month, day)
    if kind in ("iso", "num"):
        year = int(g["y"])
        if year < 100:
            year += 2000 if year <= today.year % 100 else 1900
        return _safe(year, int(g["m"]), int(g["d"]))
    if kind == "before_yesterday":
        return today - dt.timedelta(days=2)
    if kind == "yesterday":
        return today - dt.timedelta(days=1)
    if kind == "today":
        return today
    if kind == "ago":
        n = g["n"].lower()
        count = int(n) if n.isdigit() else _NUMBERS.get(n, 1)
        unit = g["unit"].lower()
        days = count * (14 if unit.startswith("fortnight") else 7 if unit.startswith("week") else 1)
        return today - dt.timedelta(days=days)
    if kind == "weekday":
        wd = _WEEKDAYS[g["wd"].lower()]
        back = (today.weekday() - wd) % 7
        rel = (g.get("rel") or "").lower()
        if back == 0 and rel != "this":
            back = 7
        return today - dt.timedelta(days=back)
    if kind == "nth":
        day = int(g["d"])
        value = _safe(today.year, today.month, day)
        if value is None or value > today:
            prev = today.replace(day=1) - dt.timedelta(days=1)
            value = _safe(prev.year, prev.month, day)
        return value
    return None  # pragma: no cover - every kind is handled above


def find_dates(text: str, *, base: dt.datetime) -> list[DateMention]:
    """Every date phrase in ``text`` that resolves to a day, in order."""
    today = local_today(base)
    order = {k: i for i, (k, _) in enumerate(_PATTERNS)}
    candidates: list[tuple[int, int, int, str, str]] = []
    for kind in _wanted(text.lower()):
        for mt in _SUBS[kind].finditer(text):
            candidates.append((mt.start(), order[kind], -mt.end(), kind, mt.group(0)))
    out: list[DateMention] = []
    last_end = -1
    ordered = sorted(candidates)
    for n, (start, _, neg_end, kind, found) in enumerate(ordered):
        if start < last_end:
            continue  # overlaps an earlier (or earlier-listed) date
        if kind == "weekday" and any(
            k in ("dm", "md") and 0 <= s2 - (-neg_end) <= 2 for s2, _, _, k, _ in ordered[n + 1 :]
        ):
            continue  # "Thursday 6th February": the date, not the weekday
        value = _value(kind, found, today)
        if value is not None and value.year >= 1900:
            out.append(DateMention(start, -neg_end, found, value))
            last_end = -neg_end
    return out


_MAY_AS_MONTH = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?may\b|\bmay\s+\d{1,2}(?:st|nd|rd|th)?\b|\bmay\s+\d{4}\b",
    re.IGNORECASE,
)
_MAY = re.compile(r"\bmay\b", re.IGNORECASE)
_VAGUE = re.compile(
    r"^\s*(?:last|this|next)\s+(?:week|month|year|term|summer|winter|spring|autumn)\s*$",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=2048)
def _dateparser(text: str, base_iso: str) -> dt.date | None:
    import dateparser

    base = dt.datetime.fromisoformat(base_iso)
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": base,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month"],
    }
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError):
        log.debug("dateparser could not read a date answer")
        return None
    if parsed is None:
        return None
    value: dt.date = parsed.date()
    return value if value.year >= 1900 else None


def resolve_date(text: str, *, base: dt.datetime) -> dt.date | None:
    """The day a short answer names ("yesterday", "last Tuesday", "3rd March",
    "03/04/2025" = 3 April 2025), resolved against ``base``; None if it names no day."""
    if not text or not text.strip() or len(text) > 200:
        return None
    found = find_dates(text, base=base)
    if found:
        return found[0].value
    if _VAGUE.match(text):
        return None
    cleaned = text
    if _MAY.search(cleaned) and not _MAY_AS_MONTH.search(cleaned):
        cleaned = _MAY.sub("   ", cleaned)
    if not re.search(r"\d|[a-z]{3,}", cleaned, re.IGNORECASE):
        return None
    today = local_today(base)
    noon = dt.datetime(today.year, today.month, today.day, 12, 0, tzinfo=dt.UTC)
    return _dateparser(cleaned.strip(), noon.replace(tzinfo=None).isoformat())
