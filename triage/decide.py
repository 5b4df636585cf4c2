"""From hits to a suggestion: the decision principles, in order.

1. Immediate danger overrides everything (URGENT, whoever the adult is).
2. Concerns about an adult in a position of trust decide the level; the higher level
   wins; a pattern of low-level concerns, or harm to the child's wellbeing after
   humiliating treatment, raises the level.
3. Concerns only about family, the public, another child or a worker with adults only
   are not a LADO matter (NOT_LADO, with where to go instead).
4. Anything else is ADVICE, never NOT_LADO: an uncertain case goes to an officer.

Denials, retractions, the absence of marks and non-recent events are context: they are
recorded as evidence and never lower the level.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.actors import People, find_people
from triage.attribution import local_actor, peer_subject, resolve_actor
from triage.hits import Analysis, Hit
from triage.outputs import IN_SCOPE, outputs
from triage.rules.models import ConcernType, Kind
from triage.scopes import fallback_scope, main_adult, victim_of
from triage.vocab import (
    SUGGESTION_RANK,
    THRESHOLD_SUGGESTIONS,
    Category,
    Criterion,
    Suggestion,
)

OUT_SCOPE = frozenset({"family", "public", "peer", "adults", "adult"})


def rank(s: Suggestion) -> int:
    return SUGGESTION_RANK[s]


def higher(a: Suggestion, b: Suggestion) -> Suggestion:
    return a if rank(a) <= rank(b) else b


@dataclass
class Decision:
    """The suggestion and everything the rationale and evidence need."""

    suggestion: Suggestion
    criteria: list[Criterion] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    immediate: bool = False
    non_recent: bool = False
    works_with_children: bool | None = None
    other_experiencer: bool = False
    confidence: float = 0.5
    flags: set[str] = field(default_factory=set)
    people: People | None = None
    actor: Hit | None = None  # the adult of concern
    drivers: list[Hit] = field(default_factory=list)  # concerns that set the level
    in_scope: list[Hit] = field(default_factory=list)
    out_scope: list[Hit] = field(default_factory=list)
    context: list[tuple[str, Hit]] = field(default_factory=list)
    immediacy: list[Hit] = field(default_factory=list)
    redirect: str | None = None
    advice_reason: str | None = None
    net_score: float | None = None  # the safety net's probability when it raised the level
    raised_from: Suggestion | None = None
    raised_redirect: str | None = None  # where NOT_LADO would have sent it, before a raise
    levels: dict[int, Suggestion] = field(default_factory=dict)


def decide(
    a: Analysis,
    flags: set[str],
    modifiers: list[Hit],
    *,
    known: Mapping[str, Any],
    implicit_scope: str | None,
) -> Decision:
    """Apply the decision principles to an analysed text."""
    if a.organisational:
        flags.add("organisational")
    people = find_people(a, flags)
    d = Decision(suggestion=Suggestion.ADVICE, flags=flags, people=people)
    local: dict[int, Hit] = {}
    previous: tuple[Hit, Hit | None] | None = None
    for c in a.concerns:
        if c.lex.type is ConcernType.INJURY:
            continue
        if _coordinated(a, previous, c):
            # the second of two coordinated verbs has the first one's subject, found or
            # not ("would sit her on his knee and kiss her": not the nearest "she")
            actor = previous[1] if previous is not None else None
        else:
            actor = local_actor(a, people, c)
        previous = (c, actor)
        if c.lex.owner == "subject" and actor is not None:
            c.actor = actor
            resolved = resolve_actor(actor)
            if resolved is not None:
                local[id(c)] = resolved
    main = main_adult(people, dict(local))
    fallback = fallback_scope(people, implicit_scope)
    acts_by_sent: dict[int, list[Hit]] = {}
    for c in a.concerns:
        if c.lex.type in (ConcernType.ACT, ConcernType.INDICATOR) and c.actor is not None:
            acts_by_sent.setdefault(c.sent, []).append(c)
    for c in a.concerns:
        actor = c.actor
        if actor is None and c.lex.type is ConcernType.INJURY and acts_by_sent.get(c.sent):
            actor = acts_by_sent[c.sent][0].actor
        if actor is None and main is None and c.lex.type is ConcernType.LLC:
            actor = peer_subject(a, people, c)
        if actor is None:
            actor = main
        c.actor = actor
        resolved = resolve_actor(actor)
        scope = resolved.scope if resolved is not None else "unknown"
        if scope == "unknown":
            scope = fallback
        if "not_works_with_children" in flags and "works_with_children" not in flags:
            if scope == "trust" and not (c.lex.restraint and _children_only_setting(flags)):
                # ("restraint in a children's home ... no concerns about the staff": the
                # staff of a setting for children hold children, not adults)
                scope = "adults"
            elif scope == "associate":
                # the partner of someone who does not work with children: a family matter
                scope = "family"
        c.scope = scope
        if c.lex.type in (ConcernType.ACT, ConcernType.INDICATOR):
            c.victim = victim_of(a, people, c, flags)
            if c.scope in ("unknown", "trust") and _own_child(a, c):
                doer = resolve_actor(c.actor)
                if doer is None or (doer.kind in (Kind.PERSON, Kind.PUBLIC) and not doer.linked):
                    # "a woman at the pool slapped her own son": a parent
                    c.scope = "family"
        if (
            c.lex.category is Category.NEGLECT
            and c.lex.level is Suggestion.CONSULTATION
            and c.scope == "unknown"
            and flags & {"child_setting", "pupils"}
            and "not_works_with_children" not in flags
        ):
            # "a Year 2 child wandered off at the museum": lost from the care of the
            # setting, whose staff are not named
            c.scope = "trust"
    for c in a.concerns:
        if c.lex.type is ConcernType.INJURY:
            # "pulling a confused 82 year old patient up the bed ..., leaving bruises":
            # the injury is the act's victim's
            acts = [x for x in acts_by_sent.get(c.sent, []) if x.actor is c.actor]
            if acts and all(x.victim in ("adult", "domestic") for x in acts):
                c.victim = acts[0].victim
    d.actor = resolve_actor(main)
    eff = [c for c in a.concerns if not (c.negated or c.hypothetical or c.not_alleged)]
    _levels(d, a, eff, flags)
    _suggest(d, a, eff, flags, modifiers, known)
    return d


def raise_by_net(d: Decision, score: float) -> None:
    """The safety net found the text close to cases that met the threshold: suggest a
    referral (between two levels, the higher) so an officer reads it. Nothing the rules
    found is removed."""
    d.raised_from = d.suggestion
    d.suggestion = Suggestion.REFERRAL
    d.net_score = score
    d.raised_redirect, d.redirect = d.redirect, None
    d.flags.add("safety_net")
    d.advice_reason = None
    d.criteria = []


def _own_child(a: Analysis, c: Hit) -> bool:
    """ "slapped her own son": the act's object is the actor's own child."""
    w = a.w
    s1 = a.sent_bounds[c.sent][1]
    for k in range(c.end, min(s1, c.end + 3)):
        if w.lower[k] == "own" and k > 0 and w.lower[k - 1] in ("his", "her", "their"):
            return True
    return False


def _coordinated(a: Analysis, previous: tuple[Hit, Hit | None] | None, c: Hit) -> bool:
    """ "holding a baby by the arm and shaking him", "would sit her on his knee and kiss
    her": the second act is the first's."""
    if previous is None:
        return False
    first, actor = previous
    if first.sent != c.sent:
        return False
    w = a.w
    between = [w.lower[k] for k in range(first.end, c.start) if not w.space[k]]
    if not between or len(between) > 4:
        return False
    if w.lower[c.start].endswith("ing"):
        return actor is not None and between[-1] in ("and", ",", "then")
    # "would sit her on his knee after rehearsals and kiss her neck": a verb straight
    # after "and" with no new subject shares the first verb's subject
    return between[-1] in ("and", "then") and first.lex.type is not ConcernType.INJURY


def _levels(d: Decision, a: Analysis, eff: list[Hit], flags: set[str]) -> None:
    reasonable = "reasonable" in flags and "unreasonable" not in flags
    for c in eff:
        lex = c.lex
        level = lex.level or Suggestion.ADVICE
        if lex.type is ConcernType.PRACTICE:
            level = Suggestion.ADVICE
        if lex.restraint and reasonable:
            level = Suggestion.ADVICE
            c.notes.append("reasonable")
        elif lex.restraint and "unreasonable" in flags:
            level = higher(level, Suggestion.REFERRAL)
            c.notes.append("unreasonable")
        if lex.type is ConcernType.INJURY and reasonable and lex.category is Category.PHYSICAL:
            level = Suggestion.CONSULTATION
            c.notes.append("reasonable")
        if (
            lex.type is ConcernType.STATUS
            and not lex.child_related
            and {"disclosure", "non_recent"} <= flags
        ):
            # an old conviction for an offence against adults, found on a DBS check:
            # a safer-recruitment question for an officer, not an allegation
            level = Suggestion.ADVICE
            c.notes.append("old_disclosure")
        if lex.relationship and "former_pupil" in flags:
            if "while_pupil" in flags:
                # "messages dated April, when she was 17 and still his student": the
                # conduct began while she was a child in his care; her being an adult
                # now does not lower it
                c.notes.append("while_pupil")
            else:
                level = Suggestion.ADVICE if "after_leaving" in flags else Suggestion.CONSULTATION
        if c.victim in ("adult", "domestic") and lex.type in (
            ConcernType.ACT,
            ConcernType.INDICATOR,
            ConcernType.INJURY,
        ):
            if c.scope == "trust" and c.victim == "adult" and _adults_only(a, d, c, flags):
                # "a support worker at a home for adults with learning disabilities
                # slapped a 45 year old resident": a worker with adults, harm to an
                # adult, no child anywhere: adult safeguarding (PiPoT), not the LADO
                c.scope = "adults"
                c.notes.append("adults_only")
            elif c.scope == "trust":
                violent = lex.category in (Category.PHYSICAL, Category.SEXUAL, Category.EMOTIONAL)
                level = (
                    Suggestion.REFERRAL if c.victim == "domestic" and violent else Suggestion.ADVICE
                )
                c.notes.append("private_life" if c.victim == "domestic" else "adult_victim")
            elif c.scope == "associate":
                level = Suggestion.ADVICE
                if c.victim == "domestic" and not lex.child_related:
                    # "her husband has been violent towards her": the worker is the
                    # victim, a matter for the police and domestic abuse services
                    c.scope = "family"
        if c.scope == "associate":
            child_related = lex.child_related or (
                lex.type in (ConcernType.ACT, ConcernType.INDICATOR)
                and lex.category in (Category.SEXUAL, Category.PHYSICAL)
                and lex.level in THRESHOLD_SUGGESTIONS
                and c.victim == "child"
            )
            level = Suggestion.REFERRAL if child_related else Suggestion.ADVICE
            if not child_related and lex.type is ConcernType.STATUS and "household" in flags:
                # "her husband was arrested for supply ... police searched their house.
                # They have a 2 year old": a worker's partner under criminal investigation
                # in a home with children: the officer considers transferable risk
                level = Suggestion.CONSULTATION
                c.notes.append("household")
        d.levels[id(c)] = level


def _suggest(
    d: Decision,
    a: Analysis,
    eff: list[Hit],
    flags: set[str],
    modifiers: list[Hit],
    known: Mapping[str, Any],
) -> None:
    in_scope = [c for c in eff if c.scope in IN_SCOPE]
    out_scope = [c for c in eff if c.scope in OUT_SCOPE]
    if "complaint" in flags and all(c.lex.type is ConcernType.PRACTICE for c in out_scope):
        # a parent threatening to go to the press about a detention: a complaint (advice),
        # not "someone else's conduct"
        out_scope = []
    d.in_scope, d.out_scope = in_scope, out_scope
    if "no_allegation" in flags:
        # "nothing happened and no one alleges anything": what is described is not an
        # allegation of harm; observed conduct (a low-level concern) still stands
        for c in in_scope:
            if d.levels[id(c)] in THRESHOLD_SUGGESTIONS:
                d.levels[id(c)] = Suggestion.ADVICE
                c.notes.append("no_allegation")
    level = None
    for c in in_scope:
        lv = d.levels[id(c)]
        level = lv if level is None else higher(level, lv)
    if level is Suggestion.LOW_LEVEL_CONCERN and "pattern" in flags:
        level = Suggestion.CONSULTATION
        d.flags.add("escalated_pattern")
    if "impact" in flags and level is not None:
        emotional = [
            c
            for c in in_scope
            if c.lex.category in (Category.EMOTIONAL, Category.NEGLECT)
            and d.levels[id(c)] is not Suggestion.ADVICE
        ]
        if emotional and rank(level) > rank(Suggestion.REFERRAL):
            level = Suggestion.REFERRAL
            d.flags.add("escalated_impact")
    # 1. immediate danger overrides everything
    imm = [m for m in modifiers if m.lex.effect is not None and m.lex.effect.value == "immediacy"]
    serious = [
        c
        for c in eff
        if d.levels.get(id(c), c.lex.level or Suggestion.ADVICE) in THRESHOLD_SUGGESTIONS
    ]
    strong = [m for m in imm if m.lex.strength == "strong"]
    contextual = [m for m in imm if m.lex.strength == "contextual"]
    children = any(m.kind is Kind.CHILD for m in a.mentions)
    urgent = bool(strong and (eff or children)) or bool(
        contextual and serious and "no_immediacy" not in flags
    )
    if _truthy(known.get("immediate_danger")):
        urgent = True
        d.flags.add("known_immediate_danger")
    if urgent:
        d.immediate = True
        d.immediacy = strong + contextual
        d.suggestion = Suggestion.URGENT
        d.drivers = [c for c in eff if c in serious] or eff
    elif level is not None:
        d.suggestion = level
        d.drivers = [c for c in in_scope if d.levels[id(c)] == level] or in_scope
        if level is Suggestion.ADVICE:
            d.advice_reason = _advice_reason(in_scope, flags)
    elif out_scope and {"concluded", "nothing_new"} <= flags:
        # "the allegation was concluded as unfounded ... nothing new": a question about a
        # matter the LADO has already concluded (a reference, a re-hire) is advice for an
        # officer, whoever the old account named as the actor
        d.suggestion = Suggestion.ADVICE
        d.drivers = out_scope
        d.advice_reason = "no_allegation"
    elif out_scope and _approved_hold(out_scope, flags):
        # "two trained staff used the hold in his plan ... no concerns about the staff":
        # approved physical intervention is advice for an officer, never "not a LADO
        # matter", whatever else the text says about the staff
        d.suggestion = Suggestion.ADVICE
        d.drivers = out_scope
        d.advice_reason = "reasonable"
    elif out_scope:
        d.suggestion = Suggestion.NOT_LADO
        d.drivers = out_scope
        d.redirect = _redirect(out_scope, flags)
    elif "not_works_with_children" in flags and "works_with_children" not in flags:
        d.suggestion = Suggestion.NOT_LADO
        d.redirect = "pipot" if "adult_setting" in flags else "front_door"
    else:
        d.suggestion = Suggestion.ADVICE
        d.advice_reason = _advice_reason([], flags, unknown=any(c.scope == "unknown" for c in eff))
    outputs(d, eff, flags)


_NEGATORS = frozenset(["no", "not", "nor", "without", "never"])


def _adults_only(a: Analysis, d: Decision, c: Hit, flags: set[str]) -> bool:
    """An adults-only setting, an adult's worker (a generic or adults-only role) and no
    child in the text but adults ("no children of his own" is not a child)."""
    if "adult_setting" not in flags or "works_with_children" in flags:
        return False
    doer = resolve_actor(c.actor)
    if doer is None or doer.kind is not Kind.ROLE:
        return False
    if not (doer.lex.generic or doer.lex.adults_only):
        return False
    people = d.people
    if people is None:
        return False
    a_w = a.w
    for m in people.mentions:
        if m.kind is not Kind.CHILD or m.lex.ambiguous:
            continue
        if m.age is not None and m.age >= 18:
            continue
        before = {a_w.lower[k] for k in range(max(0, m.start - 4), m.start)}
        if before & _NEGATORS:
            continue
        return False
    return True


def _children_only_setting(flags: set[str]) -> bool:
    return "child_setting" in flags and "adult_setting" not in flags


def _approved_hold(out_scope: list[Hit], flags: set[str]) -> bool:
    """Every concern is physical intervention read as reasonable (an approved hold)."""
    return (
        "reasonable" in flags
        and all(c.lex.restraint or c.lex.type is ConcernType.INJURY for c in out_scope)
        and any(c.lex.restraint for c in out_scope)
    )


def _truthy(v: object) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        return v.strip().lower() in ("yes", "y", "true", "1")
    return False


def _advice_reason(in_scope: list[Hit], flags: set[str], unknown: bool = False) -> str:
    notes = {n for c in in_scope for n in c.notes}
    if "no_allegation" in notes or "no_allegation" in flags:
        return "no_allegation"
    if "reasonable" in notes:
        return "reasonable"
    if "old_disclosure" in notes:
        return "old_disclosure"
    if flags & {"hypothetical", "policy_question"} and not in_scope:
        return "hypothetical"
    if "adult_victim" in notes:
        return "adult_victim"
    if "former_pupil" in flags and in_scope:
        return "former_pupil"
    if "complaint" in flags:
        return "complaint"
    if in_scope:
        return "practice"
    if unknown:
        return "unknown_adult"
    return "not_enough"


def _redirect(out_scope: list[Hit], flags: set[str]) -> str:
    scopes = Counter(c.scope for c in out_scope)
    top = scopes.most_common(1)[0][0]
    if top in ("adults", "adult"):
        return "pipot"
    if top == "peer":
        return "peer"
    if top == "public":
        return "police"
    return "front_door"
