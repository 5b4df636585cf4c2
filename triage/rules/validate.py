"""``lado triage rules check``: every problem in a rule directory, in plain words."""

from __future__ import annotations

import re
from pathlib import Path

import spacy

from triage.matcher import TokenPatternMatcher
from triage.result import ExtractedFields
from triage.rules import DEFAULT_RULES_DIR, RuleSet, _load
from triage.rules.compile import TermError, compile_term
from triage.rules.models import Kind
from triage.vocab import ESSENTIAL_DETAILS, SECTOR_DETAILS

#: Texts the rationale needs from ``where_to_go``.
REQUIRED_REDIRECTS = ("urgent", "front_door", "peer", "police", "pipot", "complaints")
_PEOPLE = (Kind.ROLE, Kind.FAMILY, Kind.PUBLIC, Kind.CHILD, Kind.PERSON, Kind.ADULT_VICTIM)
_EXTRA_FORM_FIELDS = {"child_age", "what_happened"}


def check_rules(path: str | Path | None = None) -> list[str]:
    directory = Path(path).resolve() if path is not None else DEFAULT_RULES_DIR
    rules, problems = _load(directory)
    if rules is None:
        return problems
    problems.extend(_check_terms(rules))
    problems.extend(_check_fields(rules))
    problems.extend(_check_email(rules))
    problems.extend(_check_overlaps(rules))
    if not problems:
        problems.extend(_check_examples(rules))
    return problems


def _check_terms(rules: RuleSet) -> list[str]:
    nlp = spacy.blank("en")
    out: list[str] = []

    def tokenize(s: str) -> list[str]:
        return [t.norm_ for t in nlp.make_doc(s)]

    probe = TokenPatternMatcher("probe", nlp.vocab)
    for lx in rules.lexicons:
        if not lx.terms and lx.enabled:
            out.append(f"lexicon '{lx.name}': no terms")
        seen: set[str] = set()
        for term in lx.terms:
            if term in seen:
                out.append(f"lexicon '{lx.name}': term '{term}' is listed twice")
            seen.add(term)
            try:
                compiled = compile_term(
                    term,
                    irregular=rules.irregular_verbs,
                    plurals=lx.default_plurals,
                    tokenize=tokenize,
                )
                for pattern in compiled.token_patterns:
                    probe.add(lx.name, pattern)
            except (TermError, ValueError) as exc:
                out.append(f"lexicon '{lx.name}': term '{term}': {exc}")
        if lx.sector is not None and lx.sector_detail is not None:
            allowed = SECTOR_DETAILS.get(lx.sector, ())
            if lx.sector_detail not in allowed:
                out.append(
                    f"lexicon '{lx.name}': sector_detail '{lx.sector_detail}' is not one of "
                    f"{', '.join(allowed) or '(none for this sector)'}"
                )
    return out


def _check_fields(rules: RuleSet) -> list[str]:
    out: list[str] = []
    names = set(ExtractedFields.model_fields)
    for lx in rules.of_kind(Kind.FIELD):
        if lx.field not in names:
            out.append(f"lexicon '{lx.name}': field '{lx.field}' is not a triage field")
    allowed = names | set(ESSENTIAL_DETAILS) | _EXTRA_FORM_FIELDS
    for fl in rules.form_labels:
        if fl.field not in allowed:
            out.append(f"form_labels: field '{fl.field}' is not a triage field")
    for key in REQUIRED_REDIRECTS:
        if not rules.where_to_go.get(key):
            out.append(f"where_to_go: '{key}' is missing (the rationale uses it)")
    return out


def _check_email(rules: RuleSet) -> list[str]:
    out: list[str] = []
    email = rules.email
    for name in ("reply_markers", "forward_markers", "signature_openers", "disclaimer_cues",
                 "banner_lines"):  # fmt: skip
        for pattern in getattr(email, name):
            try:
                re.compile(pattern)
            except re.error as exc:
                out.append(f"email.{name}: '{pattern}' is not a valid regular expression ({exc})")
    return out


def _check_overlaps(rules: RuleSet) -> list[str]:
    """The same plain term listed under two kinds of people is ambiguous."""
    owner: dict[str, tuple[Kind, str]] = {}
    out: list[str] = []
    for lx in rules.lexicons:
        if lx.kind not in _PEOPLE:
            continue
        for term in lx.terms:
            key = term.lower()
            if key in owner and owner[key][0] is not lx.kind:
                kind, name = owner[key]
                out.append(
                    f"term '{term}' is a {lx.kind.value} in '{lx.name}' and a {kind.value} "
                    f"in '{name}'"
                )
            owner.setdefault(key, (lx.kind, lx.name))
    return out


def _check_examples(rules: RuleSet) -> list[str]:
    from triage.pipeline import SPANS_KEY, build_pipeline

    nlp = build_pipeline(rules)
    out: list[str] = []
    for lx in rules.lexicons:
        for ex in lx.examples:
            doc = nlp(ex)
            labels = {sp.label_ for sp in doc.spans.get(SPANS_KEY, [])}
            if lx.name not in labels:
                out.append(f"lexicon '{lx.name}': example does not match: {ex!r}")
        for ex in lx.counter_examples:
            doc = nlp(ex)
            labels = {sp.label_ for sp in doc.spans.get(SPANS_KEY, [])}
            if lx.name in labels:
                out.append(f"lexicon '{lx.name}': counter-example matches: {ex!r}")
    return out
