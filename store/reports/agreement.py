"""Triage agreement: the suggestion × officer decision matrix, threshold recall,
and the overridden cases.

Counted over concerns received in the period (local date of receipt) that an
officer has decided. A decision *agrees* with the suggestion when it is the one
the suggestion implies (URGENT and REFERRAL → referral, CONSULTATION →
consultation, LOW_LEVEL_CONCERN → low-level concern, ADVICE → advice, NOT_LADO →
not LADO); any other decision is an *override* (the officer had to give a
reason). Duplicates are shown in the matrix but left out of agreement, recall
and overrides (they are not a judgement of the concern); contacts the triage
could not assess (no suggestion) are left out of the rates too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlmodel import col

from store.enums import Decision
from store.models import Officer, Referral
from store.reports import period as p
from store.reports.sql import Dialect, contacts, rows
from store.reports.tables import Column, Row, Table, Value, percent
from store.workdays import local_date

NONE = "none"

#: the decision that agrees with each triage suggestion (the same map as
#: ``intake.review.AGREEING_DECISION``; a test keeps the two equal)
AGREEING: dict[str, str] = {
    "URGENT": Decision.REFERRAL.value,
    "REFERRAL": Decision.REFERRAL.value,
    "CONSULTATION": Decision.CONSULTATION.value,
    "LOW_LEVEL_CONCERN": Decision.LOW_LEVEL_CONCERN.value,
    "ADVICE": Decision.ADVICE.value,
    "NOT_LADO": Decision.NOT_LADO.value,
}
SUGGESTIONS = tuple(AGREEING)
THRESHOLD_SUGGESTIONS = frozenset({"URGENT", "REFERRAL", "CONSULTATION"})
THRESHOLD_DECISIONS = frozenset({Decision.REFERRAL.value, Decision.CONSULTATION.value})
#: how serious each level is (0 = most): decisions are compared with suggestions
RANK: dict[str, int] = {
    "URGENT": 0,
    "REFERRAL": 1,
    "CONSULTATION": 2,
    "LOW_LEVEL_CONCERN": 3,
    "ADVICE": 4,
    "NOT_LADO": 5,
    Decision.REFERRAL.value: 1,
    Decision.CONSULTATION.value: 2,
    Decision.LOW_LEVEL_CONCERN.value: 3,
    Decision.ADVICE.value: 4,
    Decision.NOT_LADO.value: 5,
}
SUGGESTION_LABELS = {
    "URGENT": "Urgent",
    "REFERRAL": "Referral",
    "CONSULTATION": "Consultation",
    "LOW_LEVEL_CONCERN": "Low-level concern",
    "ADVICE": "Advice",
    "NOT_LADO": "Not LADO",
    NONE: "No suggestion",
}
DECISION_COLUMNS = [
    Column(Decision.REFERRAL.value, "Referral"),
    Column(Decision.CONSULTATION.value, "Consultation"),
    Column(Decision.LOW_LEVEL_CONCERN.value, "Low-level concern"),
    Column(Decision.ADVICE.value, "Advice"),
    Column(Decision.NOT_LADO.value, "Not LADO"),
    Column(Decision.NO_FURTHER_ACTION.value, "No further action"),
    Column(Decision.DUPLICATE.value, "Duplicate"),
]

DECISION_SHORT = {c.key: c.label for c in DECISION_COLUMNS}


@dataclass(frozen=True)
class DecisionGroup:
    day: dt.date
    suggestion: str
    decision: str
    n: int


@dataclass(frozen=True)
class Agreement:
    """The rates, from grouped counts (used for the tables and the year-on-year view)."""

    judged: int  # decided, with a suggestion, not a duplicate
    agreed: int
    threshold_decided: int  # judged and decided as referral / consultation
    threshold_found: int  # ... of which the suggestion was at the threshold
    threshold_suggested: int  # judged and suggested at the threshold
    threshold_confirmed: int  # ... of which the officer decided referral / consultation

    @property
    def overridden(self) -> int:
        return self.judged - self.agreed


_DUPLICATE = Decision.DUPLICATE.value


def agreement(groups: Iterable[DecisionGroup]) -> Agreement:
    judged = agreed = t_dec = t_found = t_sug = t_conf = 0
    for g in groups:
        if g.suggestion == NONE or g.decision == _DUPLICATE:
            continue
        judged += g.n
        if AGREEING.get(g.suggestion) == g.decision:
            agreed += g.n
        at_threshold = g.suggestion in THRESHOLD_SUGGESTIONS
        decided_threshold = g.decision in THRESHOLD_DECISIONS
        if decided_threshold:
            t_dec += g.n
            t_found += g.n if at_threshold else 0
        if at_threshold:
            t_sug += g.n
            t_conf += g.n if decided_threshold else 0
    return Agreement(judged, agreed, t_dec, t_found, t_sug, t_conf)


def matrix_table(groups: list[DecisionGroup]) -> Table:
    cells: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g in groups:
        cells[g.suggestion][g.decision] += g.n
    keys = list(SUGGESTIONS) + sorted(k for k in cells if k not in AGREEING and k != NONE)
    if NONE in cells:
        keys.append(NONE)
    columns = [
        *DECISION_COLUMNS,
        Column("total", "Total"),
        Column("agree_percent", "% agreed", "percent"),
    ]
    body: list[Row] = []
    for k in keys:
        found = cells.get(k, {})
        values: dict[str, Value] = {c.key: found.get(c.key, 0) for c in DECISION_COLUMNS}
        total = sum(found.values())
        values["total"] = total
        judged = total - found.get(_DUPLICATE, 0)
        agreeing = AGREEING.get(k)
        values["agree_percent"] = (
            percent(found.get(agreeing, 0), judged) if agreeing is not None else None
        )
        body.append(Row(k, SUGGESTION_LABELS.get(k, k), values))
    totals: dict[str, Value] = {
        c.key: sum(int(r.values.get(c.key) or 0) for r in body)
        for c in [*DECISION_COLUMNS, Column("total", "")]
    }
    overall = agreement(groups)
    totals["agree_percent"] = percent(overall.agreed, overall.judged)
    return Table(
        key="agreement_matrix",
        title="Triage suggestion and officer decision",
        definition="Decided concerns received in the period (local date of receipt): each row "
        "is what the triage suggested, each column what the officer decided. '% agreed' is "
        "the share of the row (duplicates left out) where the decision is the one the "
        "suggestion implies (Urgent and Referral → referral).",
        row_header="Triage suggestion",
        columns=columns,
        rows=[*body, Row("total", "Total", totals, True)],
        row_dimension="short_suggestion",
    )


def recall_table(groups: list[DecisionGroup]) -> Table:
    a = agreement(groups)
    missed = a.threshold_decided - a.threshold_found
    over = a.threshold_suggested - a.threshold_confirmed

    def row(key: str, label: str, n: int, of: int) -> Row:
        return Row(key, label, {"count": n, "of": of, "percent": percent(n, of)})

    return Table(
        key="threshold_recall",
        title="Threshold recall of the triage",
        definition="Decided concerns received in the period with a triage suggestion "
        "(duplicates left out). Recall: of the contacts the officer decided as a referral or "
        "consultation, how many the triage had suggested at the threshold (Urgent, Referral "
        "or Consultation). A threshold decision suggested below the threshold is the failure "
        "that matters most.",
        row_header="Measure",
        columns=[
            Column("count", "Contacts"),
            Column("of", "Out of"),
            Column("percent", "%", "percent"),
        ],
        rows=[
            row("agreement", "Decision agreed with the suggestion", a.agreed, a.judged),
            row(
                "recall",
                "Threshold decisions suggested at the threshold (recall)",
                a.threshold_found,
                a.threshold_decided,
            ),
            row(
                "under_triaged",
                "Threshold decisions suggested below the threshold",
                missed,
                a.threshold_decided,
            ),
            row(
                "precision",
                "Threshold suggestions the officer confirmed (precision)",
                a.threshold_confirmed,
                a.threshold_suggested,
            ),
            row(
                "over_triaged",
                "Threshold suggestions decided below the threshold",
                over,
                a.threshold_suggested,
            ),
            row("overridden", "Decisions that overrode the suggestion", a.overridden, a.judged),
        ],
    )


async def overridden_table(
    d: Dialect, period: p.DateRange, *, include_demo: bool, limit: int | None
) -> Table:
    suggestion = col(Referral.triage_suggestion)
    decision = col(Referral.decision)
    differs = or_(
        suggestion.not_in(SUGGESTIONS),
        *(and_(suggestion == s, decision != a) for s, a in AGREEING.items()),
    )
    stmt = (
        select(
            col(Referral.reference),
            col(Referral.received_at),
            suggestion,
            decision,
            col(Referral.decided_at),
            func.coalesce(func.nullif(col(Officer.display_name), ""), col(Officer.email)),
        )
        .select_from(Referral)
        .outerjoin(Officer, col(Officer.id) == col(Referral.decided_by_id))
        .where(
            *contacts(period, include_demo=include_demo),
            decision.is_not(None),
            decision != Decision.DUPLICATE.value,
            suggestion.is_not(None),
            differs,
        )
        .order_by(col(Referral.received_at), col(Referral.id))
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    out: list[Row] = []
    for ref, received, sug, dec, decided, officer in await rows(d.conn, stmt):
        s_rank, d_rank = RANK.get(str(sug)), RANK.get(str(dec))
        if s_rank is None or d_rank is None:
            direction = "Different"
        elif d_rank < s_rank:
            direction = "Raised"
        else:
            direction = "Lowered"
        out.append(
            Row(
                str(ref),
                str(ref),
                {
                    "received": _day(received),
                    "suggestion": SUGGESTION_LABELS.get(str(sug), str(sug)),
                    "decision": DECISION_SHORT.get(str(dec), str(dec)),
                    "direction": direction,
                    "decided": _day(decided),
                    "officer": None if officer is None else str(officer),
                },
            )
        )
    return Table(
        key="overridden",
        title="Decisions that overrode the triage suggestion",
        definition="Decided concerns received in the period whose decision is not the one the "
        "suggestion implies (duplicates and contacts without a suggestion left out), oldest "
        "first. 'Raised' means the officer chose a more serious level than suggested; "
        "'Lowered', a less serious one. The officer's reasons are on each item in the queue.",
        row_header="Reference",
        columns=[
            Column("received", "Received", "date"),
            Column("suggestion", "Suggestion", "text"),
            Column("decision", "Decision", "text"),
            Column("direction", "Direction", "text"),
            Column("decided", "Decided", "date"),
            Column("officer", "Decided by", "text"),
        ],
        rows=out,
    )


def _day(value: object) -> str | None:
    if not isinstance(value, dt.datetime):
        return None
    return local_date(value).isoformat()
