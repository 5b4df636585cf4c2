"""Submit a referral from any channel: triage it, store it, link its messages, audit it.

Every channel (web chat, the report form, Teams, email, the demo loader) ends
here, so every referral is triaged the same way and lands in the same queue.
What a person told us (``known``) always wins over what the triage extracted.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from intake import alerts
from intake.errors import Invalid
from intake.officers import Actor
from intake.triager import Triager
from store import audit
from store.engine import Database
from store.enums import Channel, Kind
from store.models import ChildCreate, MessageCreate, Referral, ReferralCreate
from store.models.referral import NARRATIVE_MAX
from store.repo import messages as message_repo
from store.repo.referrals import create_referral
from store.types import utcnow
from store.workdays import LONDON
from triage.result import TriageResult

log = logging.getLogger(__name__)

#: answers that mean "asked, and the person does not know"
UNKNOWN = "unknown"

#: ``known`` keys copied straight onto referral columns (key -> column)
_DIRECT = {
    "referrer_name": "referrer_name",
    "referrer_role": "referrer_role",
    "referrer_organisation": "referrer_organisation",
    "referrer_org_type": "referrer_org_type",
    "referrer_email": "referrer_email",
    "referrer_phone": "referrer_phone",
    "referrer_is_dsl": "referrer_is_dsl",
    "adult_name": "adult_name",
    "adult_dob": "adult_dob",
    "adult_address": "adult_address",
    "adult_role": "adult_role",
    "employer": "adult_employer",
    "employment_basis": "adult_employment_basis",
    "adult_other_roles": "adult_other_roles",
    "adult_status": "adult_status",
    "adult_informed": "adult_informed",
    "sector": "sector",
    "sector_detail": "sector_detail",
    "location": "location",
    "in_work": "in_work",
    "restraint": "restraint",
    "injury": "injury",
    "previous_concerns": "previous_concerns",
    "police_informed": "police_informed",
    "crime_reference": "crime_reference",
    "csc_informed": "csc_informed",
    "parents_informed": "parents_informed",
}

#: triage ``fields`` names that fill a column when nobody told us otherwise
_FROM_TRIAGE = {
    "adult_name": "adult_name",
    "adult_role": "adult_role",
    "adult_dob": "adult_dob",
    "employer": "adult_employer",
    "sector": "sector",
    "sector_detail": "sector_detail",
    "employment_basis": "adult_employment_basis",
    "location": "location",
    "in_work": "in_work",
    "restraint": "restraint",
    "injury": "injury",
    "police_informed": "police_informed",
    "csc_informed": "csc_informed",
    "parents_informed": "parents_informed",
    "crime_reference": "crime_reference",
    "adult_status": "adult_status",
    "adult_informed": "adult_informed",
}


@dataclass
class Submission:
    """One referral as a channel hands it over."""

    channel: Channel
    narrative: str
    received_at: dt.datetime = field(default_factory=utcnow)
    #: what a person or form told us, keyed like triage.vocab.ESSENTIAL_DETAILS;
    #: a value of None or "unknown" means "asked, and not known"
    known: Mapping[str, Any] = field(default_factory=dict)
    children: Sequence[ChildCreate] = ()
    kind: Kind = Kind.CONCERN
    incomplete: bool = False
    demo: bool = False
    conversation_id: str | None = None
    #: messages already stored (e.g. the raw email) to attach to the referral
    message_ids: Sequence[int] = ()
    #: messages to store with the referral
    new_messages: Sequence[MessageCreate] = ()


def _is_unknown(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() == UNKNOWN)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), LONDON).astimezone(dt.UTC)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def referral_data(submission: Submission, triage: TriageResult | None) -> ReferralCreate:
    """Map a submission and its triage onto the referral's columns."""
    known = dict(submission.known)
    values: dict[str, Any] = {}
    if triage is not None:
        extracted = triage.fields.model_dump()
        for name, column in _FROM_TRIAGE.items():
            if extracted.get(name) not in (None, "", []):
                values[column] = extracted[name]
    for key, column in _DIRECT.items():
        if key in known:
            values[column] = None if _is_unknown(known[key]) else known[key]
    contact = known.get("referrer_contact")
    if isinstance(contact, str) and not _is_unknown(contact):
        values.setdefault("referrer_email" if "@" in contact else "referrer_phone", contact)
    for column in ("adult_dob",):
        if column in values:
            values[column] = _as_date(values[column])

    incident = known.get("incident_date", triage.fields.incident_date if triage else None)
    aware = known.get("aware_date", triage.fields.aware_date if triage else None)
    incident_day, aware_day = _as_date(incident), _as_date(aware)
    immediate = bool(known.get("immediate_danger") is True or (triage and triage.immediate_danger))
    non_recent = bool(known.get("non_recent") is True or (triage and triage.non_recent))
    data: dict[str, Any] = {
        **values,
        "kind": submission.kind.value,
        "channel": submission.channel.value,
        "received_at": submission.received_at,
        "aware_at": _start_of_day(aware_day) if aware_day else None,
        "incident_on": incident_day,
        "demo": submission.demo,
        "incomplete": submission.incomplete,
        "narrative": submission.narrative,
        "non_recent": non_recent,
        "immediate_danger": immediate,
        "conversation_id": submission.conversation_id,
        "details": {k: _json_safe(v) for k, v in known.items()},
    }
    if triage is not None:
        data.update(
            triage_suggestion=triage.suggestion.value,
            triage_criteria=[c.value for c in triage.criteria],
            triage_categories=[c.value for c in triage.categories],
            triage_evidence=[e.model_dump() for e in triage.evidence],
            triage_rationale=triage.rationale,
            triage_missing=list(triage.missing),
            triage_confidence=triage.confidence,
            triage_rules_version=triage.rules_version,
            triage_other_experiencer=triage.other_experiencer,
            triage_works_with_children=triage.works_with_children,
            triaged_at=utcnow(),
        )
    return ReferralCreate.model_validate(data)


def children_from(submission: Submission, triage: TriageResult | None) -> list[ChildCreate]:
    """The children given by the channel; otherwise one per age the triage found."""
    if submission.children:
        return list(submission.children)
    known = submission.known
    if any(k in known for k in ("child_name", "child_age")):
        age = known.get("child_age")
        return [
            ChildCreate(
                name=None if _is_unknown(known.get("child_name")) else known.get("child_name"),
                age=age if isinstance(age, int) and 0 <= age <= 120 else None,
                send=known.get("child_send") if isinstance(known.get("child_send"), bool) else None,
                looked_after=known.get("child_looked_after")
                if isinstance(known.get("child_looked_after"), bool)
                else None,
            )
        ]
    if triage is not None:
        return [ChildCreate(age=age) for age in triage.fields.children_ages if 0 <= age <= 120]
    return []


async def submit(
    db: Database, triager: Triager | None, submission: Submission, *, actor: Actor
) -> Referral:
    """Triage (concerns only), then store the referral with its messages, in one transaction."""
    if len(submission.narrative) > NARRATIVE_MAX:
        raise Invalid([f"The account is longer than {NARRATIVE_MAX:,} characters."])
    triage: TriageResult | None = None
    if submission.kind is Kind.CONCERN and triager is not None:
        triage = await triager.assess(
            submission.narrative, known=submission.known, received_at=submission.received_at
        )
    try:
        data = referral_data(submission, triage)
    except ValueError as exc:
        raise Invalid(["Some details are too long or not valid."]) from exc
    async with db.transaction() as session:
        referral = await create_referral(
            session, data=data, children=children_from(submission, triage)
        )
        assert referral.id is not None
        for message in submission.new_messages:
            await message_repo.add_message(
                session,
                data=message.model_copy(
                    update={
                        "referral_id": referral.id,
                        "conversation_id": submission.conversation_id,
                    }
                ),
            )
        await message_repo.link_to_referral(
            session,
            referral_id=referral.id,
            message_ids=submission.message_ids,
            conversation_id=submission.conversation_id,
        )
        await audit.append(
            session,
            actor=actor.name,
            officer_id=actor.officer_id,
            action="create",
            referral_id=referral.id,
            detail={
                "reference": referral.reference,
                "channel": submission.channel.value,
                "kind": submission.kind.value,
                "suggestion": referral.triage_suggestion,
                "incomplete": submission.incomplete,
            },
        )
        await alerts.enqueue(session, referral)  # duty alert (URGENT/REFERRAL), same commit
    log.info(
        "referral %s created from %s (%s)",
        referral.reference,
        submission.channel.value,
        referral.triage_suggestion or submission.kind.value,
    )
    return referral
