"""The criteria, categories and modifiers reported with a decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from triage.hits import Hit
from triage.rules.models import ConcernType
from triage.vocab import SUGGESTION_RANK, THRESHOLD_SUGGESTIONS, Category, Criterion, Suggestion

if TYPE_CHECKING:
    from triage.decide import Decision

IN_SCOPE = frozenset({"trust", "associate"})


def rank(s: Suggestion) -> int:
    return SUGGESTION_RANK[s]


_CATEGORY_ORDER = list(Category)


_CRITERION_ORDER = list(Criterion)


def outputs(d: Decision, eff: list[Hit], flags: set[str]) -> None:
    """Criteria, categories and the modifiers the result reports for a decision."""
    s = d.suggestion
    crit: set[Criterion] = set()
    cats: set[Category] = set()
    escalated = bool(d.flags & {"escalated_pattern", "escalated_impact"})

    def engage(c: Hit) -> None:
        crit.update(c.lex.criteria)
        cat = c.lex.category
        if cat is not None:
            llc = c.lex.type is ConcernType.LLC and cat is not Category.EMOTIONAL
            cats.add(Category.CONDUCT if llc else cat)
        if "private_life" in c.notes or c.lex.private_life:
            crit.add(Criterion.SUITABILITY)
            cats.add(Category.CONDUCT)
        if c.scope == "associate":
            crit.update({Criterion.SUITABILITY, Criterion.RISK})
        if c.actor is not None and "own_child" in c.actor.notes:
            # a worker's harm to their own child (private life): transferable risk
            crit.add(Criterion.SUITABILITY)

    if s in (Suggestion.REFERRAL, Suggestion.CONSULTATION):
        floor = Suggestion.LOW_LEVEL_CONCERN if escalated else Suggestion.CONSULTATION
        for c in d.in_scope:
            if rank(d.levels[id(c)]) <= rank(floor):
                engage(c)
        if "escalated_pattern" in d.flags:
            crit.add(Criterion.RISK)
            cats.add(Category.CONDUCT)
        if not crit:
            crit.add(Criterion.HARMED)
    elif s is Suggestion.URGENT:
        for c in d.drivers:
            if c.scope in IN_SCOPE:
                engage(c)
            elif c.lex.category is not None and c.victim != "adult":
                cats.add(c.lex.category)
    elif s is Suggestion.LOW_LEVEL_CONCERN:
        cats = {Category.CONDUCT}
    elif s is Suggestion.NOT_LADO:
        for c in d.out_scope:
            if (
                c.lex.category is not None
                and c.lex.category is not Category.CONDUCT
                and c.lex.type is not ConcernType.PRACTICE
                and c.lex.level in THRESHOLD_SUGGESTIONS
                and c.victim != "adult"
            ):
                cats.add(c.lex.category)
    d.criteria = [c for c in _CRITERION_ORDER if c in crit]
    d.categories = [c for c in _CATEGORY_ORDER if c in cats]
    d.non_recent = "non_recent" in flags
    actor_scopes = {c.scope for c in d.in_scope}
    if s is Suggestion.NOT_LADO:
        d.works_with_children = False
    elif actor_scopes & {"trust"}:
        d.works_with_children = True
    else:
        d.works_with_children = None
    d.other_experiencer = any(
        c.scope in ("family", "public", "peer", "associate")
        and (c.lex.level in THRESHOLD_SUGGESTIONS)
        and c.victim == "child"
        for c in eff
    )
