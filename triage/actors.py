"""Who is who: the referrer, the adult of concern, and who did each thing alleged.

A blank pipeline has no parser, so this uses shallow, explainable heuristics:

* a mention is in *subject position* when, skipping determiners and possessives, it
  follows the start of a sentence or clause (``that``, ``and``, a comma, ``said``...);
* the actor of an act is the nearest subject-position person before it in the sentence
  (or the agent after ``by`` in a passive), else the main adult of the text;
* pronouns take the nearest earlier person of a compatible gender;
* the referrer introduces themselves ("I'm the DSL at...", "Nursery manager here",
  a short opening line, "Supervising SW reports that...") and is never the actor;
* names, family members and people are linked to a role when the text says so
  ("Mr Dean, one of our PE teachers", "her dad is a PE teacher", "a man who helps out at
  our club"); a partner of a worker ("the childminder's husband") is an *associate*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from triage.clauses import (
    REPORTING,
    SPEECH,
    WITNESS_VERBS,
    is_receiver,
    is_witness,
    subject_position,
)
from triage.hits import Analysis, Hit
from triage.introductions import referrer_starts, self_introduced
from triage.links import (
    kinship_carers,
    link_roles,
    partner_parent,
    possessive_associates,
    roles_said_later,
    staff_nouns,
)
from triage.names import (
    NAME_LEX,
    PRONOUN_LEX,
    child_age,
    find_names,
    find_pronouns,
    gender_of,
    is_plural,
)
from triage.rules.models import Kind
from triage.tokens import Words

__all__ = ["NAME_LEX", "PRONOUN_LEX", "People", "find_people", "is_adult_candidate"]


ADULT_KINDS = frozenset({Kind.ROLE, Kind.FAMILY, Kind.PUBLIC, Kind.PERSON, Kind.ADULT_VICTIM})


@dataclass
class People:
    """The people found in a text and how they relate."""

    mentions: list[Hit]  # role/family/public/person/child/adult_victim + names + pronouns
    referrer: Hit | None
    main_adult: Hit | None
    gender: dict[int, str]  # id(hit) -> "m"/"f"


def _scope(h: Hit, doc_flags: set[str]) -> str:
    if h.lex is NAME_LEX or h.lex is PRONOUN_LEX or h.kind is Kind.PERSON:
        if h.linked is not None and h.linked is not h:
            return _scope(h.linked, doc_flags)
        if "works_with_children" in h.notes:
            return "trust"
        if (
            h.lex is NAME_LEX
            and doc_flags & {"organisational", "pupils"}
            and "stranger" not in doc_flags
        ):
            # "Mr Latham (science)": in a referral about a setting, a titled name is staff
            return "trust"
        return "public" if "stranger" in doc_flags else "unknown"
    if h.kind is Kind.ROLE:
        if h.lex.adults_only:
            return "adults"
        adult_context = "adult_setting" in doc_flags and "child_setting" not in doc_flags
        mixed_sector = h.lex.sector is not None and h.lex.sector.value in (
            "care_provider",
            "health",
            "social_care",
            "residential",
            "supported_accommodation",
        )
        if adult_context and (h.lex.generic or mixed_sector):
            return "adults"
        return "trust"
    if h.kind is Kind.FAMILY:
        if h.linked is not None:
            return "trust"
        if h.associate_of is not None:
            return "associate"
        return "family"
    if h.kind is Kind.PUBLIC:
        return "trust" if "works_with_children" in h.notes else "public"
    if h.kind is Kind.CHILD:
        if h.age is not None and h.age >= 18:
            return "adult"
        if h.lex.ambiguous and "adult_setting" in doc_flags and "child_setting" not in doc_flags:
            return "adult"
        return "peer"
    if h.kind is Kind.ADULT_VICTIM:
        return "adult"
    return "unknown"


def _merge_adjacent(mentions: list[Hit], w: Words) -> list[Hit]:
    """ "a 13 year old" + "girl" is one person: keep the head noun, widened."""
    out: list[Hit] = []
    for m in mentions:
        prev = out[-1] if out else None
        adjacent = prev is not None and (
            m.start == prev.end or (m.start == prev.end + 1 and w.space[prev.end])
        )
        same = prev is not None and prev.kind is Kind.CHILD and m.kind is Kind.CHILD
        # "an adult stranger", "a man" + "neighbour": the more specific noun decides
        stranger = (
            prev is not None and prev.kind is Kind.PERSON and m.kind in (Kind.PUBLIC, Kind.FAMILY)
        )
        if prev is not None and adjacent and (same or stranger):
            merged = Hit(
                lex=m.lex,
                start=prev.start,
                end=m.end,
                start_char=prev.start_char,
                end_char=m.end_char,
                sent=prev.sent,
            )
            out[-1] = merged
            continue
        out.append(m)
    return out


def _pupil_words(w: Words, h: Hit) -> bool:
    for k in range(h.start, h.end):
        low = w.lower[k]
        if low in ("pupil", "pupils", "student", "students", "year", "yr", "sixth", "form"):
            return True
        if len(low) in (2, 3) and low[0] == "y" and low[1:].isdigit():
            return True
    return False


_ROLE_NEG_BREAK = frozenset({",", ".", ";", ":", "but", "and", "who", "that", "which", "because"})
_NO_CONCERN = frozenset({"concerns", "concern", "issues", "worries", "allegation", "allegations"})


def _role_negated(w: Words, start: int, s0: int) -> bool:
    """ "no member of staff", "not a teacher", "no concerns about any staff"."""
    j = start - 1
    while j >= s0 and w.space[j]:
        j -= 1
    if j >= s0 and w.norm[j] in ("no", "not", "nobody"):
        return True
    for k in range(j, max(s0, start - 5) - 1, -1):
        if w.lower[k] in _ROLE_NEG_BREAK:
            return False
        if w.norm[k] == "no" and k + 1 < start and w.lower[k + 1] in _NO_CONCERN:
            return True
    return False


_AUX_SKIP = frozenset({"also", "then", "just", "have", "has", "had", "actually", "personally"})


def _perceives(w: Words, end: int) -> bool:
    """ "a parent saw", "I heard": the person before a verb of perceiving is a witness."""
    k = end
    n = len(w.text)
    while k < n and (w.space[k] or w.lower[k] in _AUX_SKIP):
        k += 1
    return k < n and w.lower[k] in WITNESS_VERBS


_QUOTED = re.compile(
    r"""(?:^|(?<=[\s(:\[]))['‘"“]((?:[^'’"”\n]|(?<=\w)['’](?=\w)){1,160}?)['’"”](?=[\s.,;:!?)\]-]|$)"""
)


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of quoted words ('a pretty one', "find a lad"): a person named
    inside someone's words is spoken about, not someone present."""
    return [(m.start(1), m.end(1)) for m in _QUOTED.finditer(text)]


def _quote_of(ranges: list[tuple[int, int]], h: Hit) -> int:
    for i, (s, e) in enumerate(ranges):
        if s <= h.start_char and h.end_char <= e:
            return i
    return -1


def find_people(a: Analysis, doc_flags: set[str]) -> People:
    """Mark subject position, referrer, receivers and scope on every person mention."""
    w = a.w
    people = _merge_adjacent([m for m in a.mentions if m.kind is not Kind.SETTING], w)
    people += find_names(a)
    taken = {k for h in people for k in range(h.start, h.end)}
    taken.update(k for m in a.mentions for k in range(m.start, m.end))
    people += staff_nouns(a, taken)
    people.sort(key=lambda h: h.start)
    pronouns = find_pronouns(a)
    gender: dict[int, str] = {}
    setting_tokens = frozenset(
        k for m in a.mentions if m.kind is Kind.SETTING for k in range(m.start, m.end)
    )
    owner = {k: m.start for m in a.mentions for k in range(m.start, m.end)}
    for h in people + pronouns:
        s0 = a.sent_bounds[h.sent][0]
        h.subject = h.lex is PRONOUN_LEX or subject_position(w, h.start, s0, setting_tokens, owner)
        if h.kind is Kind.CHILD:
            h.age = child_age(h, w)
        gender[id(h)] = gender_of(h, w)
        if h.kind is Kind.ROLE and _role_negated(w, h.start, s0):
            h.negated = True
    for h in people:
        s0 = a.sent_bounds[h.sent][0]
        h.receiver = (
            is_receiver(w, h.start, s0, owner)
            or is_witness(w, h.start, s0, owner)
            or _perceives(w, h.end)
        )
    for p in pronouns:
        if w.lower[p.start] in ("i", "we") and _perceives(w, p.end):
            p.receiver = True  # "I heard her tell him...": the referrer heard it
    link_roles(a, people)
    kinship_carers(people)
    partner_parent(a, people)
    ref_starts = referrer_starts(a)
    referrer = None
    for h in people:
        if h.start in ref_starts:
            h.referrer = True
            if referrer is None and h.kind is not Kind.CHILD:
                referrer = h
    possessive_associates(a, people, referrer)
    if any(h.kind is Kind.CHILD and _pupil_words(w, h) for h in people):
        doc_flags.add("pupils")  # "a student", "Y9": a titled name is then staff
    for h in people:
        h.scope = _scope(h, doc_flags)
    # pronouns: the nearest earlier person of a compatible gender, never someone only
    # named inside quoted words ("told her to 'find a lad with a car'. He ...")
    quotes = quoted_ranges(a.text)
    in_quote = {id(h): _quote_of(quotes, h) for h in people + pronouns} if quotes else {}
    # "mum rang us": someone said to have reported is not the writer, "I" or "we"
    writer = referrer
    if writer is not None and writer.start not in self_introduced(a):
        writer = None if writer.kind in (Kind.FAMILY, Kind.PUBLIC) else writer
    for p in pronouns:
        word = w.lower[p.start]
        if word in ("i", "we"):
            if writer is not None and referrer is not None:
                p.linked = referrer
                p.scope = referrer.scope
            elif word == "we" and doc_flags & {"child_setting", "any_setting", "organisational"}:
                p.scope = "trust"
            continue
        g = gender[id(p)]
        singular = word in ("he", "she")
        fits = [
            q
            for q in people
            if q.start < p.start
            and not q.referrer
            and not (q.receiver and q.sent == p.sent)
            and q.kind is not Kind.ADULT_VICTIM
            and not (g and gender.get(id(q), "") and gender[id(q)] != g)
            and not (singular and is_plural(w, q))
            and in_quote.get(id(q), -1) in (-1, in_quote.get(id(p), -1))
        ]
        window = [q for q in fits if p.sent - q.sent <= 2]
        # within a sentence an explicitly gendered noun wins ("to move a boy away from a
        # pupil he was punching"); across sentences, the subject carries on
        chosen = None
        if g:
            chosen = next(
                (q for q in reversed(fits) if q.sent == p.sent and gender.get(id(q)) == g), None
            )
        reported = any(
            w.lower[k] in SPEECH or w.lower[k] in REPORTING
            for k in range(max(0, p.start - 4), p.start)
        )
        if chosen is None and g:
            chosen = next(
                (
                    q
                    for q in reversed(window)
                    if gender.get(id(q)) == g and q.kind is not Kind.CHILD and q.subject
                ),
                None,
            ) or next(
                (q for q in reversed(window) if gender.get(id(q)) == g and q.lex is NAME_LEX),
                None,
            )
        if chosen is None and reported:
            # "the child told his mum she hit him": the person reported on, not the speaker
            chosen = next(
                (q for q in reversed(window) if q.subject and q.kind is not Kind.CHILD), None
            )
        if chosen is None:
            chosen = next((q for q in reversed(window) if q.subject), None)
        if chosen is None and fits:
            chosen = fits[-1]
            if g and chosen.kind is Kind.CHILD and not gender.get(id(chosen)):
                # "she": an adult of no stated gender rather than an ungendered "child"
                chosen = next(
                    (q for q in reversed(window) if q.kind is Kind.ROLE or q.lex is NAME_LEX),
                    chosen,
                )
        if chosen is not None:
            p.linked = chosen
            p.scope = chosen.scope
            if g and not gender.get(id(chosen)):
                gender[id(chosen)] = g  # "she ... her tutor ... He": she is not he
    if roles_said_later(a, pronouns, people):
        for h in people:
            h.scope = _scope(h, doc_flags)
        for p in pronouns:
            target = p.linked
            while target is not None and target.lex is PRONOUN_LEX and target.linked is not None:
                target = target.linked
            if target is not None and target is not referrer:
                p.scope = target.scope
    allp = sorted(people + pronouns, key=lambda h: h.start)
    return People(mentions=allp, referrer=referrer, main_adult=None, gender=gender)


def is_adult_candidate(h: Hit) -> bool:
    if h.negated or h.referrer or h.lex is PRONOUN_LEX:
        return False
    if h.lex is NAME_LEX:
        return True
    return h.kind in ADULT_KINDS and h.kind is not Kind.ADULT_VICTIM
