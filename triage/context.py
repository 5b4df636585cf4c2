"""Context of each concern: negation, hypotheticals, denials; and text-wide flags.

Negation is a NegEx-style window: a negation word (no, not, never, nothing, none,
nobody, without...) shortly before a concern in the same clause negates it — unless
the clause reports someone's words ("he says he did not hit her"), which makes it a
*denial*: recorded as context, never a reason to lower the level. "Denies" itself is not
a negation word.
"""

from __future__ import annotations

import re
from datetime import date

from triage.clauses import REPORTING
from triage.hits import Analysis, Hit
from triage.rules.models import ConcernType, Effect, Kind


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NEGATIONS = frozenset(
    {"no", "not", "never", "nothing", "none", "nobody", "neither", "nor", "without"}
)
BREAKERS = _words(
    """
    , ; : but however although though except whereas yet . and or because so then while
    when who that which until unless
    """
)
_WINDOW = 6
_YEAR_PHRASE = re.compile(
    r"\b(?<!born )(?:in|during|between|from|around|circa|since|of)\s+((?:19|20)\d{2})\b"
    r"(?:\s*(?:-|/|and|to)\s*(?:19|20)?\d{2})?",
    re.IGNORECASE,
)
#: Events at least this many years before the date received are non-recent.
NON_RECENT_YEARS = 5


def negation_cue(a: Analysis, h: Hit) -> int | None:
    """Index of a negation word governing ``h`` (before it, or just after an injury)."""
    w = a.w
    s0, s1 = a.sent_bounds[h.sent]
    # "no marks" is negated by its own first word; an act worded with a negation ("not
    # allowed to eat", "nobody likes her") is not
    if (
        w.norm[h.start] in NEGATIONS
        and h.kind is not Kind.MODIFIER  # "not come home" is the cue itself
        and (h.kind is not Kind.CONCERN or h.lex.type is ConcernType.INJURY)
    ):
        return h.start
    j = h.start - 1
    while j >= max(s0, h.start - _WINDOW):
        if w.space[j]:
            j -= 1
            continue
        norm = w.norm[j]
        if norm in NEGATIONS or (norm == "one" and j > s0 and w.norm[j - 1] == "no"):
            return j
        if w.lower[j] in BREAKERS:
            break
        j -= 1
    if h.kind is Kind.CONCERN and h.lex.type is ConcernType.INJURY:
        for k in range(h.end, min(s1, h.end + 4)):
            if w.lower[k] in BREAKERS and w.lower[k] != ":":
                break
            if w.norm[k] in ("none", "not", "no", "nil"):
                return k
    return None


_CLAUSE_ENDS = frozenset({";", "but", "however", "although", "though", "whereas"})


def _reported(a: Analysis, sent: int, before: int) -> bool:
    """Whether a reporting verb ("says", "told") introduces the clause ending at ``before``."""
    s0 = a.sent_bounds[sent][0]
    for k in range(before - 1, s0 - 1, -1):
        low = a.w.lower[k]
        if low in REPORTING:
            return True
        if low in _CLAUSE_ENDS:
            return False
    return False


def _number_in(a: Analysis, h: Hit) -> int | None:
    for k in range(h.start, h.end):
        if a.w.num[k] and a.w.text[k].isdigit():
            return int(a.w.text[k])
    return None


_OR_ANY = frozenset({"or", "nor", "any", "and", ",", "in", "other", "with"})


def _continues_denial(a: Analysis, m: Hit) -> bool:
    """ "no connection with the school or any work with children": a works-with-children
    cue joined by "or" to a does-not-work-with-children cue is part of the denial."""
    w = a.w
    for n in a.modifiers:
        if n.lex.effect is not Effect.NOT_WWC or n.sent != m.sent or n.end > m.start:
            continue
        gap = [w.lower[k] for k in range(n.end, m.start) if not w.space[k]]
        if len(gap) <= 3 and gap and gap[0] in ("or", "nor") and all(g in _OR_ANY for g in gap):
            return True
    return False


_HABITUAL = _words("when whenever if once after until unless")


def _habitual(a: Analysis, m: Hit) -> bool:
    """ "when he's drunk", "whenever she is with the children": a cue introduced by
    "when" (after its subject) tells what usually happens, not that it is happening."""
    w = a.w
    s0 = a.sent_bounds[m.sent][0]
    k = m.start - 1
    while k >= s0 and w.space[k]:
        k -= 1
    if k >= s0 and w.lower[k] in _HABITUAL:
        return True
    # "when he's drunk": the subject pronoun between the conjunction and the cue
    j = k - 1
    while j >= s0 and w.space[j]:
        j -= 1
    return (
        k >= s0
        and j >= s0
        and w.lower[k] in ("he", "she", "they", "dad", "mum", "it")
        and w.lower[j] in _HABITUAL
    )


def doc_flags(a: Analysis, received: date) -> tuple[set[str], list[Hit]]:
    """Text-wide flags, and the modifiers that count (negated ones dropped)."""
    flags: set[str] = set()
    kept: list[Hit] = []
    hypo_sents = {
        m.sent for m in a.modifiers if m.lex.effect in (Effect.HYPOTHETICAL, Effect.POLICY_QUESTION)
    }
    for m in a.modifiers:
        eff = m.lex.effect
        if (
            eff
            in (
                Effect.PATTERN,
                Effect.IMPACT,
                Effect.WWC,
                Effect.IMMEDIACY,
                Effect.NON_RECENT,
                Effect.COMPLAINT,
                Effect.WHILE_PUPIL,
            )
            and negation_cue(a, m) is not None
        ):
            m.negated = True
            continue
        if eff is Effect.WWC and _continues_denial(a, m):
            m.negated = True
            continue
        if eff in (Effect.NO_ALLEGATION, Effect.NO_ALLEGATION_SENTENCE) and _reported(
            a, m.sent, m.start
        ):
            continue  # "he says nothing happened" is a denial, not the referrer's account
        if eff is Effect.IMMEDIACY and m.sent in hypo_sents:
            m.hypothetical = True
            continue
        if eff is Effect.IMMEDIACY and _habitual(a, m):
            continue  # "when he's drunk he throws things": what happens, not what is
            # happening now
        if eff is Effect.NON_RECENT:
            num = _number_in(a, m)
            text = a.prepared[m.start_char : m.end_char].lower()
            if num is not None and (
                ("ago" in text and num < NON_RECENT_YEARS)
                or ("now" in text and num < 20)
                or ("when" in text and num >= 18)
            ):
                continue
        kept.append(m)
        if eff is Effect.IMMEDIACY:
            flags.add(f"immediacy_{m.lex.strength}")
        elif eff is not None:
            flags.add(eff.value)
    for m in a.mentions:
        if m.kind is Kind.SETTING:
            flags.add("any_setting")
            if m.lex.adults_only:
                flags.add("adult_setting")
            elif not m.lex.generic:
                flags.add("child_setting")  # a generic setting (a ward) says neither
    if {"concluded", "nothing_new"} <= flags:
        # "concluded in March as unfounded ... the same allegation again. Nothing new":
        # a concluded allegation repeated with nothing new is not a new allegation
        flags.add("no_allegation")
    if "partial" in flags:
        flags.discard("no_allegation")
    # years long before the date received ("in 1996", "between 2004 and 2006")
    narrative = a.text[a.narrative.start : a.narrative.end]
    for mt in _YEAR_PHRASE.finditer(narrative):
        year = int(mt.group(1))
        if year <= received.year - NON_RECENT_YEARS:
            flags.add("non_recent")
            flags.add("non_recent_year")
    return flags, kept


def concern_context(a: Analysis, modifiers: list[Hit]) -> None:
    """Mark each concern negated / denied / hypothetical / not alleged."""
    by_sent: dict[int, list[Hit]] = {}
    for m in modifiers:
        by_sent.setdefault(m.sent, []).append(m)
    for c in a.concerns:
        cue = negation_cue(a, c)
        if cue is not None:
            if _reported(a, c.sent, min(cue, c.start)):
                c.denied = True
            else:
                c.negated = True
        for m in by_sent.get(c.sent, ()):
            eff = m.lex.effect
            if (
                eff is Effect.REASONABLE
                and m.start <= c.start
                and c.end <= m.end
                and not c.lex.restraint
            ):
                # "to stop him punching another pupil": what was prevented, not alleged
                # (the approved hold itself stays: the reasonable flag makes it advice)
                c.not_alleged = True
            if eff in (Effect.HYPOTHETICAL, Effect.POLICY_QUESTION) and m.start <= c.start:
                c.hypothetical = True
            elif eff is Effect.NO_ALLEGATION_SENTENCE:
                c.not_alleged = True
