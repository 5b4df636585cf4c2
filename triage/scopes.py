"""To whom an act was done, and who the text is about.

* ``victim_of``: the child, an adult, or the actor's partner (domestic abuse), from the
  person written just after the act in its clause;
* ``main_adult``: the adult the text is mostly about (the actor of most concerns, else
  the first member of staff in subject position);
* ``fallback_scope``: the scope of concerns nobody is said to have done.
"""

from __future__ import annotations

from collections import Counter

from triage.actors import People, is_adult_candidate
from triage.attribution import resolve_actor
from triage.hits import Analysis, Hit
from triage.names import PRONOUN_LEX
from triage.rules.models import Kind

#: Words that end the clause of an act: a person after them is not its object.
_CLAUSE_BREAK = frozenset(
    [
        *[",", ".", ";", ":", "so", "because", "and", "but", "when", "while", "after"],
        "before",
        # "examined her breasts without a chaperone": a person after a preposition is
        # not the one the act was done to
        *["without", "with", "by", "from", "for", "of", "than", "as", "like", "during"],
    ]
)


def _object_pronoun_word(word: str) -> bool:
    return word in ("him", "her", "them")


def victim_of(a: Analysis, people: People, c: Hit, flags: set[str]) -> str:
    w = a.w
    if "object_actor" in c.notes:
        return "child"
    s1 = a.sent_bounds[c.sent][1]
    doer = resolve_actor(c.actor)
    obj = next(
        (
            m
            for m in people.mentions
            if m.sent == c.sent
            and c.end <= m.start <= c.end + 4
            and (m.lex is not PRONOUN_LEX or _object_pronoun_word(w.lower[m.start]))
            and not (m is c.actor or (doer is not None and resolve_actor(m) is doer))
            and not any(w.lower[k] in _CLAUSE_BREAK for k in range(c.end, m.start))
        ),
        None,
    )
    if (
        obj is None
        and doer is not None
        and doer.kind is Kind.FAMILY
        and doer.lex.domestic
        and c.end < s1
        and w.lower[c.end] in ("him", "her", "them")
    ):
        # "one of our teachers has disclosed that her husband hit her": the partner's
        # victim is the person whose partner he is
        gender = {"him": "m", "her": "f"}.get(w.lower[c.end], "")
        earlier = [
            m
            for m in people.mentions
            if m.start < c.start
            and m.lex is not PRONOUN_LEX
            and resolve_actor(m) is not doer
            and not (gender and people.gender.get(id(m), "") not in ("", gender))
        ]
        if earlier and earlier[-1].kind is Kind.ROLE:
            return "domestic"
    if obj is not None and obj.lex is PRONOUN_LEX:
        obj = resolve_actor(obj)  # "a parent assaulted her": who "her" is
    if obj is not None:
        if obj.kind is Kind.FAMILY and obj.lex.domestic:
            return "domestic"
        if obj.kind is Kind.CHILD and obj.scope == "adult" and "non_recent" in flags:
            # "a 27 year old says that when she was in Year 10 her teacher kissed her":
            # the complainant is an adult now and was a child then
            return "child"
        if obj.kind is Kind.ROLE or obj.scope == "adult":
            return "adult"
        if obj.kind is Kind.CHILD:
            return "child"
    return "adult" if "no_child" in flags else "child"


def main_adult(people: People, local: dict[int, Hit]) -> Hit | None:
    counts: Counter[int] = Counter()
    first: dict[int, Hit] = {}
    for h in local.values():
        r = h
        if not is_adult_candidate(r) and r.lex is not PRONOUN_LEX:
            continue
        if r.lex is PRONOUN_LEX and r.scope == "unknown" and len(local) > 1:
            continue  # an unresolved "I" or "they" is no better than a named adult
        counts[id(r)] += 1
        first.setdefault(id(r), r)
    if counts:
        top = max(counts.values())
        cands = [first[k] for k, v in counts.items() if v == top]
        return min(cands, key=lambda h: h.start)
    cands = [m for m in people.mentions if is_adult_candidate(m) and not m.receiver]
    subj = [m for m in cands if m.subject and not m.lex.reporting]
    # nothing attributed: in a referral the member of staff is the likelier subject than
    # the parents who were informed
    staff = [m for m in subj if m.scope == "trust"] or [
        m for m in cands if m.scope == "trust" and not m.lex.reporting
    ]
    if staff:
        return staff[0]
    if subj:
        return subj[0]
    plain = [m for m in cands if not m.lex.reporting]
    return plain[0] if plain else (cands[0] if cands else None)


def fallback_scope(people: People, implicit: str | None) -> str:
    staff_ruled_out = False
    for m in people.mentions:
        if m.kind is Kind.ROLE and m.negated:
            staff_ruled_out = True  # "no concerns about any staff", "no staff involved"
        if is_adult_candidate(m) and not m.receiver and m.scope == "trust" and not m.lex.reporting:
            return "trust"
    if implicit:
        return implicit
    if staff_ruled_out and any(m.kind is Kind.FAMILY for m in people.mentions):
        # a child's welfare at home, with staff expressly not involved
        return "family"
    return "unknown"
