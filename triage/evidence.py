"""Evidence spans: what in the text engaged each criterion, category or modifier."""

from __future__ import annotations

from triage.actors import NAME_LEX, PRONOUN_LEX
from triage.attribution import resolve_actor
from triage.decide import Decision
from triage.hits import Analysis, Hit
from triage.outputs import IN_SCOPE
from triage.result import Evidence
from triage.rules.models import ConcernType, Effect, Kind
from triage.vocab import THRESHOLD_SUGGESTIONS, Suggestion

_EFFECT_LABELS = {
    Effect.DENIAL: "context:denial",
    Effect.RETRACTION: "context:retraction",
    Effect.NON_RECENT: "non_recent",
    Effect.HYPOTHETICAL: "context:hypothetical",
    Effect.POLICY_QUESTION: "context:policy_question",
    Effect.REASONABLE: "context:reasonable",
    Effect.UNREASONABLE: "context:unreasonable",
    Effect.COMPLAINT: "context:complaint",
    Effect.NOT_WWC: "context:not_works_with_children",
    Effect.WWC: "context:works_with_children",
    Effect.PATTERN: "context:pattern",
    Effect.IMPACT: "context:impact",
    Effect.NO_ALLEGATION: "context:no_allegation",
    Effect.NO_ALLEGATION_SENTENCE: "context:no_allegation",
    Effect.FORMER_PUPIL: "context:former_pupil",
    Effect.WHILE_PUPIL: "context:former_pupil",
    Effect.NO_IMMEDIACY: "context:no_immediate_danger",
    Effect.STRANGER: "context:stranger",
    Effect.NO_CHILD: "context:no_child",
    Effect.DISCLOSURE: "context:disclosure",
}


def collect_evidence(a: Analysis, d: Decision, modifiers: list[Hit]) -> list[Evidence]:
    """Evidence whose ``text`` is always ``input[start:end]``."""
    out: dict[tuple[str, int, int], Evidence] = {}

    def add(label: str, h: Hit | None) -> None:
        if h is None or h.end_char <= h.start_char:
            return
        key = (label, h.start_char, h.end_char)
        if key not in out:
            out[key] = Evidence(
                label=label,
                start=h.start_char,
                end=h.end_char,
                text=a.text[h.start_char : h.end_char],
            )

    s = d.suggestion
    for c in a.concerns:
        if c.negated:
            add("context:no_marks" if c.lex.type is ConcernType.INJURY else "context:negated", c)
            continue
        if c.hypothetical:
            add("context:hypothetical", c)
            continue
        if c.not_alleged:
            add("context:no_allegation", c)
            continue
        if c.denied:
            add("context:denial", c)
        level = d.levels.get(id(c))
        if c.scope in IN_SCOPE:
            if (
                level is not None
                and level in THRESHOLD_SUGGESTIONS
                and (s in THRESHOLD_SUGGESTIONS or s is Suggestion.URGENT)
            ):
                for crit in c.lex.criteria:
                    add(f"criterion:{crit.value}", c)
                if "private_life" in c.notes or c.lex.private_life:
                    add("criterion:suitability", c)
            if c.lex.type is ConcernType.LLC:
                add("low_level_concern", c)
            elif c.lex.type is ConcernType.PRACTICE:
                add("practice", c)
            if "reasonable" in c.notes:
                add("context:reasonable", c)
            if c.lex.category is not None and c.lex.type is not ConcernType.PRACTICE:
                add(f"category:{c.lex.category.value}", c)
        elif c.scope in ("family", "public", "peer"):
            add("other_experiencer", c)
        elif c.scope in ("adults", "adult"):
            add("not_lado:adults_only", c)
        else:
            add("concern:adult_unknown", c)
        actor = c.actor
        if actor is not None and not c.negated:
            target = resolve_actor(actor)
            if c.scope in IN_SCOPE:
                if actor.lex is NAME_LEX:
                    add("adult", actor)
                if (
                    target is not None
                    and target.kind is Kind.ROLE
                    and target.lex is not PRONOUN_LEX
                ):
                    add("role", target)
                elif actor.lex is not PRONOUN_LEX:
                    add("role", actor)
            elif c.scope in ("family", "public", "peer") and actor.lex is not PRONOUN_LEX:
                add("other_experiencer", actor)
    for m in modifiers:
        eff = m.lex.effect
        if eff is Effect.IMMEDIACY:
            if d.immediate:
                add("immediacy", m)
            continue
        label = _EFFECT_LABELS.get(eff) if eff is not None else None
        if label:
            add(label, m)
    for m in a.mentions:
        if m.kind is Kind.SETTING and m.lex.sector is not None:
            add("sector", m)
            break
    return sorted(out.values(), key=lambda e: (e.start, e.end, e.label))
