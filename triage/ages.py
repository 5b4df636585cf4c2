"""Children's ages named in a text: "a 13 year old", "aged 12-14", "14yo", "girl (9)",
"when she was 14", "an 18 month old" (1). Only ages under 18 are kept."""

from __future__ import annotations

import re

_AGE_PATTERNS = [
    re.compile(r"\b(?:aged|age)\s+(\d{1,2})(?:\s*(?:-|to|and)\s*(\d{1,2}))?\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,2})\s*(?:-|\s)?\s*(?:year|yr)s?\s*(?:-|\s)?\s*olds?\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,2})\s*(?:yo|yrs?)\b", re.IGNORECASE),
    re.compile(
        r"\b(?:boy|girl|child|pupil|student|yp|young person|son|daughter|teenager|resident|"
        r"player|patient|nephew|niece|lad)s?\s*\((\d{1,2})\)",
        re.IGNORECASE,
    ),
    re.compile(r"\bwhen (?:i|she|he|they) (?:was|were) (\d{1,2})\b", re.IGNORECASE),
    re.compile(r"\b(?:she|he) is (\d{1,2})\b", re.IGNORECASE),
    re.compile(
        r"\b(?:both|are|is) (\d{1,2})\b(?! ?(?:minutes|hours|years|%|pm|am))", re.IGNORECASE
    ),
]
_MONTHS_OLD = re.compile(r"\b(\d{1,2})\s*(?:-|\s)?\s*months?\s*(?:-|\s)?\s*old\b", re.IGNORECASE)
_AGES_ANY = re.compile("|".join(f"(?:{rx.pattern})" for rx in _AGE_PATTERNS), re.IGNORECASE)


_NUMBER = re.compile(r"\d+")
_AGE_REACH = 40  # characters an age pattern may span either side of its number


def _digit_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around numbers, from and to a space (every age pattern has a
    number: the patterns need not run over the rest of the text)."""
    out: list[tuple[int, int]] = []
    for mt in _NUMBER.finditer(text):
        lo = text.rfind(" ", 0, max(0, mt.start() - _AGE_REACH)) + 1
        hi = text.find(" ", mt.end() + _AGE_REACH)
        hi = len(text) if hi < 0 else hi
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def children_ages(text: str) -> list[int]:
    """Children's ages named in the text (under 18), in order of appearance."""
    found: list[tuple[int, int]] = []
    for lo, hi in _digit_windows(text):
        for mt in _AGES_ANY.finditer(text, lo, hi):
            found.extend((mt.start(), int(g)) for g in mt.groups() if g and g.isdigit())
        for mt in _MONTHS_OLD.finditer(text, lo, hi):
            found.append((mt.start(), int(mt.group(1)) // 12))
    ages: list[int] = []
    for _, age in sorted(found):
        if age < 18 and age not in ages:
            ages.append(age)
    return ages
