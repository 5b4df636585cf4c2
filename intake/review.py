"""Officer review actions on a queue item: claim, assign, decide, note, link, wait.

Every action runs in one transaction with its audit event, checks the actor's
role, and refuses to act on a stale version. Nothing here is ever called by a
machine: the service suggests, an officer decides.

What officers read is in ``intake.review_views``, the case record of an open case in
``intake.case_record``, and what the actions share in ``intake.review_common``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake.errors import Conflict, Invalid
from intake.officers import Actor
from intake.review_common import (
    ASSIGNERS,
    CHANGERS,
    STALE,
    TAKEN,
    acting,
    check_holder,
    load,
    load_version,
    log_action,
    require_role,
)
from store import errors
from store.engine import Database
from store.enums import CASE_DECISIONS, Decision, LinkKind, Role, Status, WaitingOn
from store.models import Note, Officer, Referral, ReferralLink
from store.models.case import NOTE_MAX
from store.models.referral import REASON_MAX
from store.repo import case as case_repo
from store.repo import referrals as repo
from store.types import utcnow

#: the decision that agrees with each triage suggestion
AGREEING_DECISION: dict[str, Decision] = {
    "URGENT": Decision.REFERRAL,
    "REFERRAL": Decision.REFERRAL,
    "CONSULTATION": Decision.CONSULTATION,
    "LOW_LEVEL_CONCERN": Decision.LOW_LEVEL_CONCERN,
    "ADVICE": Decision.ADVICE,
    "NOT_LADO": Decision.NOT_LADO,
}


def decision_differs(suggestion: str | None, decision: Decision) -> bool:
    """True when the officer's decision is not the one the suggestion implies."""
    return suggestion is None or AGREEING_DECISION.get(suggestion) != decision


def _first_action(referral: Referral, now: dt.datetime) -> dict[str, Any]:
    return {} if referral.first_action_at else {"first_action_at": now}


async def claim(db: Database, *, actor: Actor, reference: str, version: int) -> Referral:
    require_role(actor, CHANGERS)
    now = utcnow()
    async with acting(db) as session:
        referral = await load(session, reference)
        assert referral.id is not None
        if referral.claimed_by_id is not None:
            raise Conflict(
                "You have already claimed this item."
                if referral.claimed_by_id == actor.officer_id
                else TAKEN
            )
        if referral.version != version:
            raise Conflict(STALE)
        values: dict[str, Any] = {
            "claimed_by_id": actor.officer_id,
            "claimed_at": now,
            **_first_action(referral, now),
        }
        if referral.status == Status.NEW:
            values["status"] = Status.CLAIMED.value
        updated = await repo.update_referral(
            session,
            referral_id=referral.id,
            expected_version=version,
            values=values,
            require_unclaimed=True,
        )
        await log_action(session, actor, "claim", updated)
        return updated


async def assign(
    db: Database, *, actor: Actor, reference: str, version: int, officer_id: int
) -> Referral:
    require_role(actor, ASSIGNERS)
    now = utcnow()
    async with acting(db) as session:
        referral = await load_version(session, reference, version)
        assert referral.id is not None
        target = await session.get(Officer, officer_id)
        if target is None or target.disabled or Role(target.role) not in CHANGERS:
            raise Invalid(["Choose an active officer who can work on referrals."])
        values: dict[str, Any] = {"claimed_by_id": officer_id, "claimed_at": now}
        if referral.status == Status.NEW:
            values["status"] = Status.CLAIMED.value
        updated = await repo.update_referral(
            session, referral_id=referral.id, expected_version=version, values=values
        )
        await log_action(session, actor, "assign", updated, {"to": officer_id})
        return updated


async def decide(
    db: Database,
    *,
    actor: Actor,
    reference: str,
    version: int,
    decision: Decision,
    reason: str,
    duplicate_of: str | None = None,
    categories: list[str] | None = None,
) -> Referral:
    require_role(actor, CHANGERS)
    reason = (reason or "").strip()
    now = utcnow()
    async with acting(db) as session:
        referral = await load_version(session, reference, version)
        assert referral.id is not None
        check_holder(actor, referral)
        problems: list[str] = []
        if referral.decision is not None:
            problems.append("A decision is already recorded for this item.")
        differs = decision_differs(referral.triage_suggestion, decision)
        if differs and not reason:
            problems.append("Give a reason: your decision differs from the triage suggestion.")
        if len(reason) > REASON_MAX:
            problems.append(f"Keep the reason under {REASON_MAX} characters.")
        original: Referral | None = None
        if decision is Decision.DUPLICATE:
            if not duplicate_of:
                problems.append("Give the reference of the referral this duplicates.")
            elif duplicate_of == reference:
                problems.append("A referral cannot be a duplicate of itself.")
            else:
                try:
                    original = await load(session, duplicate_of)
                except errors.NotFound:
                    problems.append(
                        "There is no referral with the reference given as the original."
                    )
        if problems:
            raise Invalid(problems)
        values: dict[str, Any] = {
            "decision": decision.value,
            "decision_reason": reason or None,
            "decided_by_id": actor.officer_id,
            "decided_at": now,
            "status": (Status.OPEN if decision in CASE_DECISIONS else Status.DECIDED).value,
            **_first_action(referral, now),
        }
        if referral.claimed_by_id is None:
            values.update(claimed_by_id=actor.officer_id, claimed_at=now)
        if categories is not None:
            values["categories"] = sorted(set(categories))
        if original is not None:
            assert original.id is not None
            values["duplicate_of_id"] = original.id
            await case_repo.add_link(
                session,
                referral_id=referral.id,
                linked_id=original.id,
                kind=LinkKind.DUPLICATE.value,
                officer_id=actor.officer_id,
            )
        updated = await repo.update_referral(
            session, referral_id=referral.id, expected_version=version, values=values
        )
        await log_action(
            session,
            actor,
            "decide",
            updated,
            {
                "decision": decision.value,
                "suggestion": referral.triage_suggestion,
                "differs": differs,
                "reason_given": bool(reason),
            },
        )
        return updated


async def add_note(db: Database, *, actor: Actor, reference: str, text: str) -> Note:
    require_role(actor, CHANGERS)
    text = (text or "").strip()
    if not text:
        raise Invalid(["Write the note before saving it."])
    if len(text) > NOTE_MAX:
        raise Invalid([f"Keep notes under {NOTE_MAX} characters."])
    async with acting(db) as session:
        referral = await load(session, reference)
        assert referral.id is not None
        assert actor.officer_id is not None
        note = await case_repo.add_note(
            session, referral_id=referral.id, officer_id=actor.officer_id, text=text
        )
        await log_action(session, actor, "note", referral, {"note": note.id})
        return note


async def link(db: Database, *, actor: Actor, reference: str, other: str) -> ReferralLink:
    require_role(actor, CHANGERS)
    if other == reference:
        raise Invalid(["A referral cannot be linked to itself."])
    async with acting(db) as session:
        referral = await load(session, reference)
        try:
            target = await load(session, other)
        except errors.NotFound as exc:
            raise Invalid(["There is no referral with the reference to link to."]) from exc
        assert referral.id is not None
        assert target.id is not None
        existing = await case_repo.links_of(session, referral_id=referral.id)
        if any(ref == other for _link, ref in existing):
            raise Invalid(["These referrals are already linked."])
        created = await case_repo.add_link(
            session,
            referral_id=referral.id,
            linked_id=target.id,
            kind=LinkKind.RELATED.value,
            officer_id=actor.officer_id,
        )
        await log_action(session, actor, "link", referral, {"linked": other})
        return created


async def set_waiting(
    db: Database,
    *,
    actor: Actor,
    reference: str,
    version: int,
    waiting_on: WaitingOn | None,
    reason: str = "",
) -> Referral:
    """Pause an item as waiting on others (with the reason shown), or resume it (None)."""
    require_role(actor, CHANGERS)
    reason = (reason or "").strip()
    if waiting_on is not None and not reason:
        raise Invalid(["Say what you are waiting for."])
    if len(reason) > 500:
        raise Invalid(["Keep the reason under 500 characters."])
    async with acting(db) as session:
        referral = await load_version(session, reference, version)
        assert referral.id is not None
        check_holder(actor, referral)
        values: dict[str, Any] = (
            {"waiting_on": waiting_on.value, "waiting_reason": reason, "waiting_since": utcnow()}
            if waiting_on is not None
            else {"waiting_on": None, "waiting_reason": None, "waiting_since": None}
        )
        updated = await repo.update_referral(
            session, referral_id=referral.id, expected_version=version, values=values
        )
        await log_action(
            session,
            actor,
            "wait" if waiting_on else "resume",
            updated,
            {"waiting_on": waiting_on.value if waiting_on else None},
        )
        return updated
