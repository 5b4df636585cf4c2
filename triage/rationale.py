"""The plain-English paragraph an officer reads in ten seconds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from triage.actors import NAME_LEX, PRONOUN_LEX
from triage.attribution import resolve_actor
from triage.decide import Decision
from triage.hits import Analysis, Hit
from triage.rules.models import Effect, Kind
from triage.vocab import ESSENTIAL_DETAILS, Criterion, Suggestion

_CRITERION_SHORT = {
    Criterion.HARMED: "harmed or may have harmed a child",
    Criterion.CRIMINAL: "a possible criminal offence against or related to a child",
    Criterion.RISK: "may pose a risk of harm to children",
    Criterion.SUITABILITY: "may not be suitable to work with children (transferable risk)",
}
_MISSING_ORDER = [
    "immediate_danger", "what_happened", "adult_name", "adult_role", "employer", "child_age",
    "incident_date", "aware_date", "police_informed", "csc_informed", "adult_status",
    "adult_dob", "referrer_name", "referrer_contact",
]  # fmt: skip
_CONTEXT_TEXT = {
    Effect.DENIAL: "the adult denies it",
    Effect.RETRACTION: "the child has retracted or changed their account",
    Effect.NON_RECENT: "the events appear non-recent",
}


def quote(a: Analysis, h: Hit, limit: int = 48) -> str:
    text = " ".join(a.text[h.start_char : h.end_char].split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"‘{text}’"


def _quotes(a: Analysis, hits: Iterable[Hit], n: int = 3) -> str:
    seen: list[str] = []
    for h in hits:
        q = quote(a, h)
        if q not in seen:
            seen.append(q)
        if len(seen) >= n:
            break
    return ", ".join(seen)


def _who(a: Analysis, d: Decision, fields: Mapping[str, Any]) -> str:
    role = fields.get("adult_role")
    name = fields.get("adult_name")
    if role and name:
        return f"{role} ({name})"
    if role:
        return str(role)
    if name:
        return str(name)
    actor = d.actor
    if actor is not None and actor.lex is not PRONOUN_LEX and actor.lex is not NAME_LEX:
        return quote(a, actor)
    return "not named"


def _out_of_scope_who(a: Analysis, d: Decision) -> str:
    hits = d.out_scope
    actors = [resolve_actor(c.actor) for c in hits if c.actor is not None]
    first = next((x for x in actors if x is not None), None)
    scope = hits[0].scope if hits else ""
    if first is not None and first.lex is not PRONOUN_LEX:
        q = quote(a, first)
        if first.kind is Kind.CHILD or scope == "peer":
            return f"another child ({q})"
        if first.kind is Kind.FAMILY:
            return f"a family member or partner ({q})"
        if first.kind is Kind.PUBLIC or scope == "public":
            return f"a member of the public ({q})"
        if scope in ("adults", "adult"):
            return f"someone who works with adults, not children ({q})"
        return q
    if d.redirect == "pipot":
        return "someone who works with adults, not children"
    return "someone who does not work with children"


def build(
    a: Analysis,
    d: Decision,
    modifiers: list[Hit],
    fields: Mapping[str, Any],
    missing: list[str],
    where: Mapping[str, str],
    *,
    truncated: bool,
) -> str:
    s = d.suggestion
    parts: list[str] = []
    if s is Suggestion.URGENT:
        cue = _quotes(a, d.immediacy, 2)
        parts.append(
            "Urgent: a child may be at risk right now"
            + (f" ({cue})" if cue else " (the person making the referral said so)")
            + f". {where.get('urgent', 'Call 999 if a child is in danger.')}"
        )
        if d.drivers:
            parts.append(f"What is described: {_quotes(a, d.drivers)}.")
        if d.works_with_children:
            parts.append(f"The adult appears to be {_who(a, d, fields)}, who works with children.")
    elif d.net_score is not None and d.raised_from is Suggestion.NOT_LADO:
        parts.append(
            "Referral, raised by the safety net: the rules read the harm as caused by "
            f"{_out_of_scope_who(a, d)}, but the text also names someone in a position of "
            "trust and its wording closely resembles cases that met the harm threshold (a "
            f"text classifier trained on labelled cases gives {d.net_score:.2f}). An officer "
            "should read it to see who is alleged to have done what; the safety net can "
            "raise a suggestion, never lower it. If it is not a LADO matter: "
            f"{where.get(d.raised_redirect or 'front_door', '')}."
        )
        if d.categories:
            parts.append("Category: " + ", ".join(c.value for c in d.categories) + ".")
    elif d.net_score is not None:
        found = (
            f"a low-level concern ({_quotes(a, d.drivers)})"
            if d.raised_from is Suggestion.LOW_LEVEL_CONCERN and d.drivers
            else "no specific harm"
        )
        parts.append(
            f"Referral, raised by the safety net: the rules found {found}, but the "
            "wording closely resembles cases that met the harm threshold (a text classifier "
            f"trained on labelled cases gives {d.net_score:.2f}). An officer should read it "
            "before deciding; the safety net can raise a suggestion, never lower it."
        )
        if d.categories:
            parts.append("Category: " + ", ".join(c.value for c in d.categories) + ".")
    elif s in (Suggestion.REFERRAL, Suggestion.CONSULTATION):
        head = (
            "Referral: the harm threshold appears to be met"
            if s is Suggestion.REFERRAL
            else "Consultation: the threshold is likely met; an employer-led enquiry under LADO "
            "oversight may suffice"
        )
        parts.append(f"{head}. The adult appears to be {_who(a, d, fields)}.")
        crit = []
        for c in d.criteria:
            carriers = [h for h in d.drivers if c in h.lex.criteria] or d.drivers
            crit.append(f"{_CRITERION_SHORT[c]} ({_quotes(a, carriers, 2)})")
        if crit:
            parts.append("Criteria: " + "; ".join(crit) + ".")
        if d.categories:
            parts.append("Category: " + ", ".join(c.value for c in d.categories) + ".")
        if "escalated_pattern" in d.flags:
            parts.append("Raised because the text describes a pattern of concerns.")
        if "escalated_impact" in d.flags:
            parts.append("Raised because of the effect described on the child.")
    elif s is Suggestion.LOW_LEVEL_CONCERN:
        parts.append(
            "Low-level concern: conduct that may breach a code of conduct without meeting the "
            f"harm threshold ({_quotes(a, d.drivers)}), by {_who(a, d, fields)}. Record it under "
            "your low-level concerns policy; patterns matter and the LADO can advise."
        )
    elif s is Suggestion.NOT_LADO:
        parts.append(
            "Not a LADO matter: the person alleged to have caused harm appears to be "
            f"{_out_of_scope_who(a, d)}. Where to go instead: "
            f"{where.get(d.redirect or 'front_door', '')}."
        )
    else:
        parts.append(_advice(a, d, modifiers, where))
    context = _context(a, d, modifiers)
    if context:
        parts.append("Recorded as context, not lowering the level: " + "; ".join(context) + ".")
    if d.other_experiencer and s is not Suggestion.NOT_LADO:
        others = [c for c in d.out_scope if c.scope in ("family", "public", "peer")]
        if others:
            parts.append(
                f"Harm by someone else is also described ({_quotes(a, others, 2)}): "
                f"consider {where.get('front_door', 'the front door')}."
            )
    if s is not Suggestion.NOT_LADO and missing:
        ordered = [k for k in _MISSING_ORDER if k in missing]
        ordered += [k for k in missing if k not in ordered]
        shown = [ESSENTIAL_DETAILS[k] for k in ordered[:4]]
        more = len(ordered) - len(shown)
        parts.append(
            "Still needed: " + "; ".join(shown) + (f"; and {more} more." if more > 0 else ".")
        )
    if truncated:
        parts.append("Only the first part of a very long text was read.")
    return " ".join(parts)


def _advice(a: Analysis, d: Decision, modifiers: list[Hit], where: Mapping[str, str]) -> str:
    reason = d.advice_reason or "not_enough"
    quotes = _quotes(a, d.in_scope)

    def cue(effects: set[Effect]) -> str:
        hits = [m for m in modifiers if m.lex.effect in effects]
        return f" ({_quotes(a, hits, 2)})" if hits else ""

    if reason == "reasonable":
        return (
            "Advice: the physical intervention described appears to follow approved practice"
            f"{cue({Effect.REASONABLE})}. An injury, or a hold that was not approved, would "
            "make it a referral."
        )
    if reason == "old_disclosure":
        return (
            f"Advice: a past offence ({quotes}) disclosed long ago and not against a child; "
            "a safer-recruitment risk assessment for the employer, with LADO advice. An "
            "offence against a child, or a recent one, would change the answer."
        )
    if reason == "hypothetical":
        return (
            "Advice: this reads as a question about policy or a hypothetical"
            f"{cue({Effect.HYPOTHETICAL, Effect.POLICY_QUESTION})}, not an allegation."
        )
    if reason == "no_allegation":
        return (
            "Advice: the text says there is no allegation"
            f"{cue({Effect.NO_ALLEGATION, Effect.NO_ALLEGATION_SENTENCE})}."
        )
    if reason == "complaint":
        return (
            "Advice: this reads as a complaint or practice matter"
            + (f" ({quotes})" if quotes else "")
            + " rather than harm to a child; "
            + where.get("complaints", "the complaints procedure")
            + " may be the route, with LADO advice if in doubt."
        )
    if reason == "adult_victim":
        return (
            f"Advice: the behaviour described ({quotes}) was towards an adult; "
            f"{where.get('employer', 'the employer’s own policies')}."
        )
    if reason == "former_pupil":
        return (
            f"Advice: a relationship with a former pupil who is now an adult ({quotes}); an "
            "officer can advise whether it began while they were a pupil."
        )
    if reason == "practice":
        return (
            f"Advice: a practice or conduct matter ({quotes}) rather than harm to a child; an "
            "officer can advise. Harm to a child would change the answer."
        )
    if reason == "unknown_adult":
        concerns = _quotes(a, [c for c in a.concerns if c.scope == "unknown"])
        return (
            f"Advice: harm is described ({concerns}) but it is not clear who is alleged to have "
            "done it, or whether they work with children. Who the adult is would change the answer."
        )
    return (
        "Advice: not enough information to decide; no harmful behaviour by an adult who works "
        "with children was identified. What the adult did, and to which child, would change "
        "the answer."
    )


def _context(a: Analysis, d: Decision, modifiers: list[Hit]) -> list[str]:
    out: list[str] = []
    for eff, text in _CONTEXT_TEXT.items():
        hits = [m for m in modifiers if m.lex.effect is eff]
        if hits:
            out.append(f"{text} ({_quotes(a, hits, 2)})")
    if "non_recent_year" in d.flags and not any(
        m.lex.effect is Effect.NON_RECENT for m in modifiers
    ):
        out.append("the events appear non-recent (a year long ago is named)")
    no_marks = [
        c
        for c in a.concerns
        if c.negated and c.lex.type is not None and c.lex.type.value == "injury"
    ]
    if no_marks:
        out.append(f"no injury was seen ({_quotes(a, no_marks, 2)})")
    denied = [c for c in a.concerns if c.denied]
    if denied and not any(m.lex.effect is Effect.DENIAL for m in modifiers):
        out.append(f"a denial is reported ({_quotes(a, denied, 2)})")
    return out
