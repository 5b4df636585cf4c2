"""Fuzzy matching of the adult of concern across referrals ("previous concerns").

Candidates are found by indexed keys — a phonetic key per name token and the
date of birth — then ranked with rapidfuzz on the full name, date of birth and
employer, and each match says why it matched.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import jellyfish
from rapidfuzz import fuzz

_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "rev",
        "revd",
        "sir",
        "dame",
        "mister",
        "madam",
        "the",
        "a",
        "an",
    ]
)
_EMPLOYER_NOISE = frozenset(
    [
        "the",
        "ltd",
        "limited",
        "plc",
        "school",
        "academy",
        "primary",
        "secondary",
        "infant",
        "junior",
        "college",
        "nursery",
        "trust",
        "cic",
        "c",
        "of",
        "e",
        "ce",
        "rc",
        "church",
        "club",
        "home",
        "and",
        "&",
        "of",
    ]
)
_WORD = re.compile(r"[a-z]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def name_tokens(name: str | None) -> list[str]:
    """Meaningful lower-case tokens of a person's name (titles and initials removed)."""
    if not name:
        return []
    return [t for t in _WORD.findall(_fold(name)) if t not in _TITLES and len(t) > 1]


def token_keys(name: str | None) -> list[str]:
    """Phonetic keys (Metaphone) of each name token, deduplicated, in order."""
    keys: list[str] = []
    for token in name_tokens(name):
        key = jellyfish.metaphone(token)[:16] or token[:16]
        if key not in keys:
            keys.append(key)
    return keys


def surname_key(name: str | None) -> str | None:
    keys = token_keys(name)
    return keys[-1] if keys else None


def employer_key(employer: str | None) -> str | None:
    if not employer:
        return None
    words = [w for w in _WORD.findall(_fold(employer)) if w not in _EMPLOYER_NOISE]
    return " ".join(words)[:120] or None


@dataclass
class Candidate:
    referral_id: int
    reference: str
    adult_name: str | None
    adult_dob: dt.date | None
    adult_employer: str | None
    received_at: dt.datetime


@dataclass
class Match:
    candidate: Candidate
    score: float
    reasons: list[str] = field(default_factory=list)


def score_match(
    *,
    name: str | None,
    dob: dt.date | None,
    employer: str | None,
    candidate: Candidate,
) -> Match | None:
    """Score one candidate against the adult of concern; None when it is not a match."""
    reasons: list[str] = []
    a, b = " ".join(name_tokens(name)), " ".join(name_tokens(candidate.adult_name))
    name_score = 0.0
    if a and b:
        name_score = max(fuzz.token_sort_ratio(a, b), 0.9 * fuzz.token_set_ratio(a, b))
        if name_score >= 60:
            reasons.append(f"name {name_score:.0f}% similar")
        sk, ck = surname_key(name), surname_key(candidate.adult_name)
        if sk and sk == ck:
            name_score = max(name_score, 70.0)
            reasons.append("surname sounds the same")
    score = name_score
    dob_differs = False
    if dob and candidate.adult_dob:
        if dob == candidate.adult_dob:
            score += 30
            reasons.append("same date of birth")
        else:
            dob_differs = True
            score -= 40
            reasons.append("but a different date of birth")
    if employer and candidate.adult_employer:
        ek, ck2 = employer_key(employer), employer_key(candidate.adult_employer)
        if ek and ck2 and fuzz.token_set_ratio(ek, ck2) >= 85:
            score += 15
            reasons.append("same employer")
    same_dob_weak_name = dob is not None and dob == candidate.adult_dob and name_score >= 40
    if dob_differs and name_score < 90:
        return None
    if name_score < 60 and not same_dob_weak_name:
        return None
    return Match(candidate=candidate, score=min(score, 150.0), reasons=reasons)
