"""The triage: text (+ details already known) -> :class:`TriageResult`.

``Triager`` holds a rule set and its pipeline; ``assess``/``assess_many`` at module level
use a process-wide default built on first use (about a second), so load it once per
process — the service does that in each worker of :class:`triage.pool.TriagePool`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from triage import evidence, extract, rationale
from triage.actors import is_adult_candidate
from triage.context import concern_context, doc_flags
from triage.dates import local_today, resolve_date
from triage.decide import Decision, decide, raise_by_net
from triage.hits import Analysis, collect
from triage.outputs import IN_SCOPE
from triage.pipeline import get_pipeline
from triage.result import ExtractedFields, TriageResult
from triage.rules import RuleSet, load_rules
from triage.rules.models import Kind
from triage.safety_net import SafetyNet, load_default
from triage.textprep import Prepared, prepare
from triage.vocab import ESSENTIAL_DETAILS, Sector, Suggestion

log = logging.getLogger(__name__)

UNKNOWN_WORDS = frozenset(
    {"unknown", "not known", "don't know", "dont know", "do not know", "n/a", "not sure", ""}
)
_FIELD_NAMES = frozenset(ExtractedFields.model_fields)
_DATE_FIELDS = frozenset({"adult_dob", "incident_date", "aware_date"})


@dataclass(frozen=True)
class Item:
    """One text to assess with its own ``known`` details and time received."""

    text: str
    known: Mapping[str, Any] | None = None
    received_at: dt.datetime | None = None


def _check_text(text: object) -> str:
    if isinstance(text, bytes | bytearray):
        raise ValueError("text must be str, not bytes: decode it first")
    if not isinstance(text, str):
        raise ValueError(f"text must be str, not {type(text).__name__}")
    return text


def _received(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC)
    if not isinstance(value, dt.datetime):
        raise ValueError("received_at must be a datetime")
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _is_unknown(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS)


class Triager:
    """A rule set and its pipeline, ready to assess texts.

    ``safety_net``: True (default) loads the shipped classifier (``triage.safety_net``)
    when it is present; False runs the rules alone; or pass a ``SafetyNet``."""

    def __init__(
        self,
        rules_dir: str | Path | None = None,
        *,
        safety_net: bool | SafetyNet = True,
    ) -> None:
        self.rules: RuleSet = load_rules(rules_dir)
        self.nlp = get_pipeline(self.rules)
        if isinstance(safety_net, SafetyNet):
            self.net: SafetyNet | None = safety_net
        else:
            self.net = load_default() if safety_net else None

    @property
    def rules_version(self) -> str:
        """The rule set's version and content hash, and the safety net's weights hash."""
        if self.net is None:
            return self.rules.version
        return f"{self.rules.version}/net-{self.net.version}"

    def warm(self) -> None:
        """Run a representative text once so the first real request is fast."""
        self.assess("Yesterday the PE teacher grabbed a 9 year old by the arm; no marks seen.")

    def assess(
        self,
        text: str,
        *,
        known: Mapping[str, Any] | None = None,
        received_at: dt.datetime | None = None,
    ) -> TriageResult:
        """Triage one text. ``known`` details override what is extracted."""
        text = _check_text(text)
        received = _received(received_at)
        prep = prepare(text, self.rules.email)
        doc = self.nlp(prep.text)
        return self._finish(text, prep, doc, known or {}, received)

    def assess_many(
        self,
        items: Iterable[str | Item | Mapping[str, Any]],
        *,
        known: Mapping[str, Any] | None = None,
        received_at: dt.datetime | None = None,
        batch_size: int = 64,
    ) -> list[TriageResult]:
        """Triage many texts with ``nlp.pipe``. Each item is a text, an :class:`Item`, or a
        mapping with ``text`` (and optionally ``known`` and ``received_at``); ``known``
        and ``received_at`` given here apply to items that carry none."""
        norm: list[Item] = []
        for it in items:
            if isinstance(it, Item):
                norm.append(it)
            elif isinstance(it, Mapping):
                norm.append(Item(it.get("text"), it.get("known"), it.get("received_at")))  # type: ignore[arg-type]
            else:
                norm.append(Item(it))
        preps: list[tuple[str, Prepared, Mapping[str, Any], dt.datetime]] = []
        for it in norm:
            text = _check_text(it.text)
            preps.append(
                (
                    text,
                    prepare(text, self.rules.email),
                    it.known if it.known is not None else (known or {}),
                    _received(it.received_at if it.received_at is not None else received_at),
                )
            )
        docs = self.nlp.pipe((p.text for _, p, _, _ in preps), batch_size=batch_size)
        return [
            self._finish(text, prep, doc, kn, rec)
            for (text, prep, kn, rec), doc in zip(preps, docs, strict=True)
        ]

    # ------------------------------------------------------------------ internals
    def _implicit_scope(self, known: Mapping[str, Any]) -> str | None:
        role = known.get("adult_role")
        if isinstance(role, str) and not _is_unknown(role):
            doc = self.nlp(role)
            for sp in doc.spans.get("lado", []):
                lex = self.rules.by_name.get(sp.label_)
                if lex is None:
                    continue
                if lex.kind is Kind.ROLE:
                    return "adults" if lex.adults_only else "trust"
                if lex.kind is Kind.FAMILY:
                    return "family"
        sector = known.get("sector")
        if isinstance(sector, str) and sector in {s.value for s in Sector} and sector != "other":
            return "trust"
        return None

    def _finish(
        self,
        text: str,
        prep: Prepared,
        doc: Doc,
        known: Mapping[str, Any],
        received: dt.datetime,
    ) -> TriageResult:
        a: Analysis = collect(doc, text, self.rules, prep.segments, prep.text)
        flags, modifiers = doc_flags(a, local_today(received))
        concern_context(a, modifiers)
        d = decide(a, flags, modifiers, known=known, implicit_scope=self._implicit_scope(known))
        if self.net is not None and self.net.raises(
            d.suggestion,
            d.flags,
            names_someone=_someone_to_refer(a, d),
            names_trust_role=_trust_role_named(d),
        ):
            score = self.net.score(prep.text[: prep.analysed])
            if score >= self.net.threshold_for(d.suggestion):
                raise_by_net(d, score)
        fields, answered, _form = extract.extract(a, d, prep, self.rules, received)
        non_recent = d.non_recent
        incident = fields.get("incident_date")
        if isinstance(incident, dt.date) and incident.year <= local_today(received).year - 5:
            non_recent = True
        fields, answered, non_recent = self._apply_known(
            fields, answered, known, received, non_recent
        )
        if "non_recent" in known and not _is_unknown(known.get("non_recent")):
            non_recent = bool(known.get("non_recent")) and str(
                known.get("non_recent")
            ).lower() not in (
                "no",
                "false",
                "0",
            )
        missing = [k for k in ESSENTIAL_DETAILS if k not in answered]
        result_fields = ExtractedFields.model_validate(
            {k: v for k, v in fields.items() if k in _FIELD_NAMES}
        )
        text_rationale = rationale.build(
            a,
            d,
            modifiers,
            result_fields.model_dump(),
            missing,
            self.rules.where_to_go,
            truncated=prep.analysed < len(text),
        )
        return TriageResult(
            suggestion=d.suggestion,
            criteria=d.criteria,
            categories=d.categories,
            non_recent=non_recent,
            immediate_danger=d.immediate,
            works_with_children=d.works_with_children,
            other_experiencer=d.other_experiencer,
            evidence=evidence.collect_evidence(a, d, modifiers),
            rationale=text_rationale,
            fields=result_fields,
            missing=missing,
            confidence=_confidence(d, prep.analysed < len(text)),
            rules_version=self.rules_version,
            flags=sorted(_public_flags(d)),
            redirect=d.redirect,
            narrative_start=a.narrative.start,
            narrative_end=a.narrative.end,
            truncated=prep.analysed < len(text),
        )

    def _apply_known(
        self,
        fields: dict[str, Any],
        answered: set[str],
        known: Mapping[str, Any],
        received: dt.datetime,
        non_recent: bool,
    ) -> tuple[dict[str, Any], set[str], bool]:
        for key, value in known.items():
            if key not in ESSENTIAL_DETAILS and key not in _FIELD_NAMES and key != "children_ages":
                continue
            if key in ESSENTIAL_DETAILS:
                answered.add(key)
            if key == "children_ages":
                answered.add("child_age")
            if _is_unknown(value):
                if key in _FIELD_NAMES:
                    fields[key] = [] if key == "children_ages" else None
                continue
            if key == "child_age":
                ages = [int(n) for n in str(value).replace(",", " ").split() if n.isdigit()]
                fields["children_ages"] = ages or fields.get("children_ages", [])
            elif key in _DATE_FIELDS:
                if isinstance(value, dt.date):
                    fields[key] = value
                else:
                    fields[key] = resolve_date(str(value), base=received)
            elif key in _FIELD_NAMES:
                fields[key] = _coerce(key, value)
        return fields, answered, non_recent


def _coerce(key: str, value: Any) -> Any:
    info = ExtractedFields.model_fields[key]
    ann = str(info.annotation)
    if "bool" in ann and isinstance(value, str):
        low = value.strip().lower()
        if low in ("yes", "y", "true", "1"):
            return True
        if low in ("no", "n", "false", "0"):
            return False
        return None
    if key == "children_ages" and not isinstance(value, list):
        return [int(n) for n in str(value).replace(",", " ").split() if n.isdigit()]
    try:
        ExtractedFields.model_validate({key: value})
    except ValueError:
        return str(value) if "str" in ann else None
    return value


def _public_flags(d: Decision) -> set[str]:
    wanted = {
        "denial", "retraction", "hypothetical", "policy_question", "reasonable", "unreasonable",
        "complaint", "pattern", "impact", "not_works_with_children", "works_with_children",
        "no_allegation", "former_pupil", "non_recent", "stranger", "no_immediacy",
        "escalated_pattern", "escalated_impact", "known_immediate_danger", "safety_net",
    }  # fmt: skip
    return {f for f in d.flags if f in wanted}


def _confidence(d: Decision, truncated: bool) -> float:
    s = d.suggestion
    if d.net_score is not None:
        return round(0.3 + 0.2 * (d.net_score - 0.5), 2)  # a statistical hunch, not a rule
    distinct = len({c.lex.name for c in d.drivers})
    explicit = any(
        c.actor is not None and c.actor.kind in (Kind.ROLE, Kind.FAMILY, Kind.CHILD, Kind.PUBLIC)
        for c in d.drivers
    )
    if s is Suggestion.URGENT:
        value = 0.9 if any(m.lex.strength == "strong" for m in d.immediacy) else 0.8
    elif s in (Suggestion.REFERRAL, Suggestion.CONSULTATION):
        value = 0.55 + 0.1 * min(3, distinct) + (0.05 if explicit else -0.1)
        if d.out_scope:
            value -= 0.1
        if s is Suggestion.CONSULTATION:
            value -= 0.1
    elif s is Suggestion.LOW_LEVEL_CONCERN:
        value = 0.55 + 0.05 * min(3, distinct) - (0.1 if "pattern" in d.flags else 0)
    elif s is Suggestion.NOT_LADO:
        value = (
            0.6 + (0.15 if "not_works_with_children" in d.flags else 0) + (0.1 if explicit else 0)
        )
        if any(c.scope in IN_SCOPE for c in d.drivers):
            value -= 0.2
    else:
        value = 0.35 if d.advice_reason in (None, "not_enough", "unknown_adult") else 0.55
    if truncated:
        value *= 0.8
    return round(max(0.05, min(0.95, value)), 2)


_default: Triager | None = None
_default_lock = threading.Lock()


def default_triager() -> Triager:
    """The process-wide triager on the shipped rules (built on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Triager()
    return _default


def assess(
    text: str,
    *,
    known: Mapping[str, Any] | None = None,
    received_at: dt.datetime | None = None,
) -> TriageResult:
    """Triage one text with the shipped rules (see :meth:`Triager.assess`)."""
    return default_triager().assess(text, known=known, received_at=received_at)


def assess_many(
    items: Iterable[str | Item | Mapping[str, Any]],
    *,
    known: Mapping[str, Any] | None = None,
    received_at: dt.datetime | None = None,
    batch_size: int = 64,
) -> list[TriageResult]:
    """Triage many texts with ``nlp.pipe`` (see :meth:`Triager.assess_many`)."""
    return default_triager().assess_many(
        items, known=known, received_at=received_at, batch_size=batch_size
    )


def _trust_role_named(d: Decision) -> bool:
    """Someone in a position of trust (not the referrer) is named in the text: "my son's
    kickboxing coach ... his dad", "our contract driver ... mum rang us"."""
    return d.people is not None and any(
        m.scope == "trust" and is_adult_candidate(m) for m in d.people.mentions
    )


def _someone_to_refer(a: Analysis, d: Decision) -> bool:
    """The safety net raises only a text that names an adult or a setting: "a child came
    in with a bruise and won't say how" names no one a LADO could oversee (it stays
    advice, for an officer to ask)."""
    if a.organisational:
        return True
    return d.people is not None and any(is_adult_candidate(m) for m in d.people.mentions)
