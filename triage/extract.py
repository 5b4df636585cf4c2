"""The essential referral details found in the text (``TriageResult.fields``).

Referral-form lines win over narrative cues; narrative cues are the field lexicons of
the rule set (``fields.yaml``), names, dates, ages and references found by pattern.
Returns the fields and the set of ``ESSENTIAL_DETAILS`` keys the text answers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from triage.actors import NAME_LEX, PRONOUN_LEX
from triage.ages import children_ages
from triage.attribution import resolve_actor
from triage.context import negation_cue
from triage.dates import find_dates, local_today, resolve_date
from triage.decide import Decision
from triage.forms import (
    FormAnswer,
    organisation,
    read_form,
    yes_no,
)
from triage.hits import Analysis, Hit
from triage.referrer import referrer_fields
from triage.rules import RuleSet
from triage.rules.models import ConcernType, Kind
from triage.textprep import Prepared
from triage.vocab import Category, Sector

_CRIME_REF = re.compile(
    r"\b(?:crime|incident|log|occurrence|crn|police)\s*(?:ref(?:erence)?|number|no\.?|#)?"
    r"\s*(?:number|no\.?)?\s*(?:is|was)?\s*[:\-]?\s*([A-Z0-9][A-Z0-9/\-]{3,}\b)",
    re.IGNORECASE,
)
_DOB = re.compile(
    r"\b(?:dob|d\.o\.b\.?|date of birth|born(?: on)?)\s*[:\-]?\s*"
    r"(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Za-z]+\s+\d{4})",
    re.IGNORECASE,
)
_DISCLOSURE = re.compile(
    r"\b(?:told|tells|disclosed|reported|rang|rung|phoned|called|contacted|raised|informed|"
    r"became aware|found out|emailed|showed|came to see|noticed|complained|alerted|"
    r"brought to (?:our|my) attention|came to light|said)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_MONTH_HINT = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")
_DAY_HINTS = ("day", "night", "morning", "afternoon", "evening", "ago", "tues", "weds", "thurs")


def _date_hint(chunk: str) -> bool:
    """Whether a sentence may name a date (cheap tests before the date patterns run)."""
    if _DIGIT.search(chunk):
        return True
    low = chunk.lower()
    return any(k in low for k in _DAY_HINTS) or bool(_MONTH_HINT.search(low))


_STATUS_ORDER = ["suspended", "redeployed", "left", "working"]
_IN_WORK_ORDER = ["online", "outside_work", "in_work"]
_BOOL_FIELDS = (
    "police_informed", "csc_informed", "parents_informed", "adult_informed", "restraint",
    "child_send", "child_looked_after", "previous_concerns",
)  # fmt: skip


def _span_text(a: Analysis, h: Hit) -> str:
    return a.text[h.start_char : h.end_char]


def _field_values(a: Analysis) -> dict[str, list[tuple[Any, Hit]]]:
    out: dict[str, list[tuple[Any, Hit]]] = {}
    for h in a.fields:
        field = h.lex.field or ""
        value: Any = h.lex.value
        if value is None:
            value = _span_text(a, h)
        negated = negation_cue(a, h) is not None
        if isinstance(value, bool) and negated:
            value = not value
        elif negated:
            continue
        out.setdefault(field, []).append((value, h))
    return out


def _assign_dates(
    a: Analysis, d: Decision, received: dt.datetime
) -> tuple[dt.date | None, dt.date | None]:
    """Incident and aware dates: a date nearer a concern is when it happened, a date
    nearer "told", "reported", "rang"... is when the organisation heard of it."""
    lo, hi = a.narrative.start, a.narrative.end
    text = a.prepared
    incident: dt.date | None = None
    aware: dt.date | None = None
    by_sent: dict[int, list[int]] = {}
    for c in a.concerns:
        if not c.negated:
            by_sent.setdefault(c.sent, []).append(c.start_char)
    today = local_today(received)
    for si, (s0, s1) in enumerate(a.sent_bounds):
        c0 = a.w.idx[s0]
        c1 = a.w.end(s1 - 1)
        if c1 <= lo or c0 >= hi:
            continue
        chunk = text[c0:c1]
        if not _date_hint(chunk):
            continue
        concerns = by_sent.get(si, [])
        disclosures = [c0 + m.start() for m in _DISCLOSURE.finditer(chunk)]
        if not (concerns or disclosures):
            continue
        for dm in find_dates(chunk, base=received):
            start = c0 + dm.start
            before = text[max(c0, start - 25) : start].lower()
            if re.search(r"(?:dob|birth|born)\W*$", before) or dm.value > today:
                continue
            c_dist = min((abs(cs - start) for cs in concerns), default=None)
            d_dist = min((abs(p - start) for p in disclosures), default=None)
            if c_dist is not None and (d_dist is None or c_dist <= d_dist):
                incident = incident or dm.value
            elif d_dist is not None:
                aware = aware or dm.value
    return incident, aware


def _sector(a: Analysis, d: Decision, rules: RuleSet) -> tuple[str | None, str | None]:
    votes: Counter[str] = Counter()
    details: dict[str, str] = {}
    actor = d.actor
    roles = []
    for c in d.drivers or d.in_scope:
        r = resolve_actor(c.actor)
        if r is not None and r.kind is Kind.ROLE:
            roles.append(r)
        elif r is not None and r.linked is not None and r.linked.kind is Kind.ROLE:
            roles.append(r.linked)
    if actor is not None and actor.kind is Kind.ROLE:
        roles.append(actor)
    for r in roles[:2]:
        if r.lex.sector is not None:
            votes[r.lex.sector.value] += 3
            if r.lex.sector_detail:
                details.setdefault(r.lex.sector.value, r.lex.sector_detail)
    for i, m in enumerate(m for m in a.mentions if m.kind is Kind.SETTING):
        if m.lex.sector is not None:
            votes[m.lex.sector.value] += 2 if i == 0 else 1
            if m.lex.sector_detail:
                details.setdefault(m.lex.sector.value, m.lex.sector_detail)
        elif m.lex.adults_only:
            votes[Sector.OTHER.value] += 1
    if not votes:
        for m in a.mentions:
            if m.kind is Kind.ROLE and m.lex.sector is not None and not m.lex.generic:
                votes[m.lex.sector.value] += 1
    if not votes:
        return None, None
    best = max(votes.items(), key=lambda kv: kv[1])[0]
    return best, details.get(best)


def _name_of(a: Analysis, d: Decision) -> str | None:
    people = d.people.mentions if d.people else []
    actor = d.actor
    names = [m for m in people if m.lex is NAME_LEX and not m.referrer]
    for c in d.drivers or d.in_scope:
        act = c.actor
        if act is not None and act.lex is PRONOUN_LEX:
            act = act.linked
        if act is not None and act.lex is NAME_LEX:
            return _span_text(a, act)
        target = resolve_actor(act)
        for n in names:
            if n.linked is not None and n.linked is target:
                return _span_text(a, n)
    if actor is not None:
        for n in names:
            if n.linked is actor:
                return _span_text(a, n)
    if d.suggestion.value != "NOT_LADO" and names:
        return _span_text(a, names[0])
    return None


def extract(
    a: Analysis, d: Decision, prep: Prepared, rules: RuleSet, received: dt.datetime
) -> tuple[dict[str, Any], set[str], dict[str, FormAnswer]]:
    """The fields, the essential-detail keys answered, and the form answers found."""
    f: dict[str, Any] = {}
    answered: set[str] = set()
    form = read_form(prep.text, rules.form_labels)
    cues = _field_values(a)
    narrative = a.prepared[a.narrative.start : a.narrative.end]

    # adult
    f["adult_name"] = _name_of(a, d)
    actor = d.actor
    role_hit = None
    for c in d.drivers or d.in_scope:
        r = resolve_actor(c.actor)
        if r is not None and r.kind is Kind.ROLE:
            role_hit = r
            break
        if r is not None and r.linked is not None and r.linked.kind is Kind.ROLE:
            role_hit = r.linked
            break
    if role_hit is None and actor is not None and actor.kind is Kind.ROLE:
        role_hit = actor
    f["adult_role"] = _span_text(a, role_hit) if role_hit is not None else None
    f["sector"], f["sector_detail"] = _sector(a, d, rules)
    basis: str | None = role_hit.lex.basis if role_hit is not None else None
    if basis is None and cues.get("employment_basis"):
        basis = str(cues["employment_basis"][0][0])
    f["employment_basis"] = basis
    f["employer"] = organisation(narrative) or organisation(a.text[: prep.analysed])
    dob = _DOB.search(narrative)
    f["adult_dob"] = resolve_date(dob.group(1), base=received) if dob else None
    others = [
        _span_text(a, m)
        for m in a.mentions
        if m.kind is Kind.ROLE
        and m is not role_hit
        and m.start > 0
        and a.w.lower[m.start - 1] in ("also", "a", "an")
        and "also" in a.w.lower[max(0, m.start - 3) : m.start]
    ]
    f["adult_other_roles"] = ", ".join(others) if others else None

    # child
    f["children_ages"] = children_ages(narrative)
    for key in ("child_send", "child_looked_after"):
        vals = [v for v, _ in cues.get(key, [])]
        f[key] = (True in vals) if vals else None

    # what happened
    incident, aware = _assign_dates(a, d, received)
    f["incident_date"], f["aware_date"] = incident, aware
    locs = cues.get("location", [])
    driver_sents = {c.sent for c in d.drivers}
    loc = next((v for v, h in locs if h.sent in driver_sents), locs[0][0] if locs else None)
    f["location"] = str(loc).strip() if loc else None
    modes = [v for v, h in cues.get("in_work", []) if h.sent in driver_sents] or [
        v for v, _ in cues.get("in_work", [])
    ]
    f["in_work"] = next((m for m in _IN_WORK_ORDER if m in modes), None)
    restraint = [v for v, _ in cues.get("restraint", [])]
    f["restraint"] = (True in restraint) if restraint else None
    injuries = [
        c for c in a.concerns if c.lex.type is ConcernType.INJURY and c.lex.category is not None
    ]
    real = [c for c in injuries if not c.negated and c.lex.category is Category.PHYSICAL]
    if real:
        f["injury"] = _span_text(a, real[0])
    elif any(c.negated for c in injuries):
        f["injury"] = "none seen"
    else:
        f["injury"] = None

    # what has been done
    for key in ("police_informed", "csc_informed", "parents_informed"):
        vals = [v for v, _ in cues.get(key, [])]
        f[key] = (True in vals) if vals else None
    informed = [v for v, _ in cues.get("adult_informed", [])]
    f["adult_informed"] = (False not in informed) if informed else None
    statuses = [str(v) for v, _ in cues.get("adult_status", [])]
    f["adult_status"] = next((s for s in _STATUS_ORDER if s in statuses), None)
    refs = [m.group(1) for m in _CRIME_REF.finditer(narrative) if _DIGIT.search(m.group(1))]
    f["crime_reference"] = refs[0].rstrip(".,") if refs else None
    if f["crime_reference"]:
        f["police_informed"] = True
    prev = [v for v, _ in cues.get("previous_concerns", [])]
    f["previous_concerns"] = (True in prev) if prev else (True if "pattern" in d.flags else None)

    # the referrer
    referrer_fields(a, d, prep, f)

    # form lines override the narrative
    for key, ans in form.items():
        answered.add("child_age" if key == "child_age" else key)
        _apply_form(f, key, ans, received)

    # which essential details are answered
    answered |= _answered(f, d, a)
    return f, answered, form


def _apply_form(f: dict[str, Any], key: str, ans: FormAnswer, received: dt.datetime) -> None:
    value = ans.value
    if key in ("adult_dob", "incident_date", "aware_date"):
        f[key] = resolve_date(value, base=received) if value else None
    elif key in _BOOL_FIELDS:
        f[key] = yes_no(value) if value else None
    elif key == "child_age":
        ages = children_ages(value) or [
            int(n) for n in re.findall(r"\b(\d{1,2})\b", value) if int(n) < 18
        ]
        if ages:
            f["children_ages"] = ages
    elif key == "adult_status":
        low = value.lower()
        for status, words in (
            ("suspended", ("suspend", "stood down", "sent home")),
            ("redeployed", ("redeploy", "restricted", "moved")),
            ("left", ("resign", "left", "dismiss")),
            ("working", ("working", "at work", "in school", "no action")),
        ):
            if any(w in low for w in words):
                f[key] = status
                break
    elif key == "employment_basis":
        low = value.lower()
        f[key] = next(
            (
                b
                for b, w in (
                    ("volunteer", "volunt"),
                    ("agency", "agency"),
                    ("agency", "supply"),
                    ("self_employed", "self"),
                    ("paid", "perm"),
                    ("paid", "paid"),
                )
                if w in low
            ),
            f.get(key),
        )
    elif key == "sector":
        low = value.lower().replace(" ", "_")
        f[key] = low if low in {s.value for s in Sector} else f.get(key)
    elif key == "what_happened":
        return
    elif key == "crime_reference":
        f[key] = value or None
        if value:
            f["police_informed"] = True
    else:
        f[key] = value or None


def _answered(f: dict[str, Any], d: Decision, a: Analysis) -> set[str]:
    out: set[str] = set()
    direct = (
        "referrer_name", "referrer_role", "referrer_organisation", "referrer_contact",
        "referrer_is_dsl", "adult_name", "adult_dob", "adult_address", "adult_role", "employer",
        "employment_basis", "sector", "adult_other_roles", "child_name", "child_send",
        "child_looked_after", "incident_date", "aware_date", "location", "in_work", "restraint",
        "injury", "previous_concerns", "police_informed", "csc_informed", "parents_informed",
        "adult_status", "adult_informed",
    )  # fmt: skip
    for key in direct:
        if f.get(key) is not None:
            out.add(key)
    if f.get("children_ages"):
        out.add("child_age")
    if d.immediate or "no_immediacy" in d.flags:
        out.add("immediate_danger")
    if a.concerns:
        out.add("what_happened")
    if d.non_recent or f.get("incident_date") is not None:
        out.add("non_recent")
    return out
