"""Presentation helpers for the officer pages: labels, evidence highlighting,
sanitised email HTML."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import nh3
from markupsafe import Markup, escape

from store.enums import (
    Channel,
    Decision,
    EmployerOutcome,
    Kind,
    Outcome,
    PoliceOutcome,
    Role,
    Status,
    WaitingOn,
)
from triage.vocab import (
    CATEGORY_LABELS,
    CRITERION_LABELS,
    ESSENTIAL_DETAILS,
    SECTOR_LABELS,
    SUGGESTION_LABELS,
    Category,
    Criterion,
    Sector,
    Suggestion,
)

STATUS_LABELS = {
    Status.NEW: "New",
    Status.CLAIMED: "In review",
    Status.OPEN: "Open case",
    Status.DECIDED: "Decided",
    Status.CLOSED: "Closed",
}
CHANNEL_LABELS = {
    Channel.CHAT: "Web chat",
    Channel.TEAMS: "Teams",
    Channel.EMAIL: "Email",
    Channel.FORM: "Web form",
    Channel.PHONE: "Phone",
}
KIND_LABELS = {
    Kind.CONCERN: "Concern",
    Kind.CALLBACK: "Callback request",
    Kind.QUARANTINE: "Could not process",
    Kind.AUTOMATED: "Automatic mail",
}
DECISION_LABELS = {
    Decision.ADVICE: "Advice given",
    Decision.LOW_LEVEL_CONCERN: "Low-level concern noted",
    Decision.CONSULTATION: "Consultation",
    Decision.REFERRAL: "Referral to the LADO process",
    Decision.NOT_LADO: "Not a LADO matter / redirected",
    Decision.DUPLICATE: "Duplicate of another referral",
    Decision.NO_FURTHER_ACTION: "No further action",
}
WAITING_LABELS = {
    WaitingOn.POLICE: "the police",
    WaitingOn.EMPLOYER: "the employer",
    WaitingOn.SOCIAL_CARE: "children's social care",
    WaitingOn.REFERRER: "the referrer",
    WaitingOn.OTHER: "others",
}
OUTCOME_LABELS = {
    Outcome.SUBSTANTIATED: "Substantiated",
    Outcome.UNSUBSTANTIATED: "Unsubstantiated",
    Outcome.UNFOUNDED: "Unfounded",
    Outcome.FALSE: "False",
    Outcome.MALICIOUS: "Malicious",
    Outcome.NO_OUTCOME: "No outcome",
}
POLICE_OUTCOME_LABELS = {
    PoliceOutcome.NO_POLICE_ACTION: "No police action",
    PoliceOutcome.NFA: "Investigated, no further action",
    PoliceOutcome.PROSECUTION: "Prosecution",
    PoliceOutcome.CAUTION: "Caution",
    PoliceOutcome.ONGOING: "Ongoing",
}
EMPLOYER_OUTCOME_LABELS = {
    EmployerOutcome.DISMISSED: "Dismissed",
    EmployerOutcome.RESIGNED: "Resigned",
    EmployerOutcome.SANCTION: "Sanction",
    EmployerOutcome.TRAINING_SUPPORT: "Training or support",
    EmployerOutcome.NO_SANCTION: "No sanction",
    EmployerOutcome.NOT_EMPLOYED: "Not employed",
}
ROLE_LABELS = {
    Role.OFFICER: "Officer",
    Role.MANAGER: "Manager",
    Role.AUDITOR: "Auditor",
    Role.ADMIN: "Administrator",
}

SHORT_SUGGESTION = {
    Suggestion.URGENT: "Urgent",
    Suggestion.REFERRAL: "Referral",
    Suggestion.CONSULTATION: "Consultation",
    Suggestion.LOW_LEVEL_CONCERN: "Low-level concern",
    Suggestion.ADVICE: "Advice",
    Suggestion.NOT_LADO: "Not LADO",
}


def label(table: Mapping[Any, str], value: str | None, default: str = "—") -> str:
    if value in (None, ""):
        return default
    for key, text in table.items():
        if key == value:
            return text
    return str(value)


LABELS: dict[str, Mapping[Any, str]] = {
    "status": STATUS_LABELS,
    "channel": CHANNEL_LABELS,
    "kind": KIND_LABELS,
    "decision": DECISION_LABELS,
    "waiting": WAITING_LABELS,
    "outcome": OUTCOME_LABELS,
    "police_outcome": POLICE_OUTCOME_LABELS,
    "employer_outcome": EMPLOYER_OUTCOME_LABELS,
    "role": ROLE_LABELS,
    "suggestion": SUGGESTION_LABELS,
    "short_suggestion": SHORT_SUGGESTION,
    "sector": SECTOR_LABELS,
    "category": CATEGORY_LABELS,
    "criterion": CRITERION_LABELS,
    "detail": ESSENTIAL_DETAILS,
}

#: options for the filter and action forms
CHOICES: dict[str, list[tuple[str, str]]] = {
    "status": [(s.value, STATUS_LABELS[s]) for s in Status],
    "suggestion": [(s.value, SHORT_SUGGESTION[s]) for s in Suggestion],
    "channel": [(c.value, CHANNEL_LABELS[c]) for c in Channel],
    "sector": [(s.value, SECTOR_LABELS[s]) for s in Sector],
    "kind": [(k.value, KIND_LABELS[k]) for k in Kind],
    "decision": [(d.value, DECISION_LABELS[d]) for d in Decision],
    "waiting": [(w.value, WAITING_LABELS[w]) for w in WaitingOn],
    "outcome": [(o.value, OUTCOME_LABELS[o]) for o in Outcome],
    "police_outcome": [(o.value, POLICE_OUTCOME_LABELS[o]) for o in PoliceOutcome],
    "employer_outcome": [(o.value, EMPLOYER_OUTCOME_LABELS[o]) for o in EmployerOutcome],
    "category": [(c.value, CATEGORY_LABELS[c]) for c in Category],
    "criterion": [(c.value, CRITERION_LABELS[c]) for c in Criterion],
}


def evidence_kind(label_text: str) -> str:
    """A CSS class for an evidence label like 'criterion:harmed' or 'context:denial'."""
    head = label_text.split(":", 1)[0]
    return head if head in {"criterion", "category", "context", "role", "immediacy"} else "other"


def highlight(text: str, evidence: Iterable[Mapping[str, Any]]) -> Markup:
    """The text with each evidence span wrapped in <mark>, everything else escaped.

    Spans are validated against the text (out-of-range or mismatching spans are
    skipped) and overlapping spans are merged into the first.
    """
    spans: list[tuple[int, int, str]] = []
    for item in evidence:
        try:
            start, end = int(item["start"]), int(item["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= start < end <= len(text) and text[start:end] == item.get("text", text[start:end]):
            spans.append((start, end, str(item.get("label", ""))))
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[str] = []
    cursor = 0
    for start, end, span_label in spans:
        if start < cursor:
            continue
        out.append(str(escape(text[cursor:start])))
        out.append(
            f'<mark class="ev ev-{evidence_kind(span_label)}" title="{escape(span_label)}">'
            f"{escape(text[start:end])}"
            f'<span class="visually-hidden"> [{escape(span_label)}]</span></mark>'
        )
        cursor = end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))  # noqa: S704 (every piece escaped above)


_ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}


def safe_html(html: str) -> Markup:
    """Email HTML made safe to show: no scripts, styles, images, forms or event handlers."""
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 (sanitised by nh3 just above)
