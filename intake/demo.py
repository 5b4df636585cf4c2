"""Load the fictional demo referrals (``lado demo load``), dev mode only.

Each case goes through the real submission path and triage; decisions and case
records are made by a disabled, clearly fictional demo officer through the same
review actions an officer uses, so the audit trail is real too.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from intake import case_record, review
from intake.demo_data import CASES, DemoCase
from intake.officers import Actor, add_officer
from intake.submit import Submission, submit
from intake.triager import Triager
from store.engine import Database
from store.enums import Channel, Decision, EmployerOutcome, Outcome, PoliceOutcome, Role, WaitingOn
from store.models import Referral
from store.repo import officers as officer_repo
from store.repo.referrals import QueueFilter, queue_page
from store.types import utcnow

DEMO_OFFICER = "demo.officer@example.invalid"

__all__ = ["CASES", "DEMO_OFFICER", "has_referrals", "load"]


async def has_referrals(db: Database) -> bool:
    async with db.session() as session:
        _rows, total = await queue_page(session, filters=QueueFilter(status="all"), limit=1)
    return total > 0


async def _demo_officer(db: Database) -> Actor:
    async with db.session() as session:
        officer = await officer_repo.find_by_email(session, email=DEMO_OFFICER)
    if officer is None:
        officer = await add_officer(
            db,
            email=DEMO_OFFICER,
            role=Role.OFFICER,
            password=secrets.token_urlsafe(24),
            display_name="Demo officer (fictional)",
            actor=Actor.system("demo"),
        )
        async with db.transaction() as session:
            assert officer.id is not None
            await officer_repo.set_disabled(session, officer_id=officer.id, disabled=True)
    return Actor.of(officer)


async def _decide(db: Database, officer: Actor, referral: Referral, case: DemoCase) -> None:
    if case.decision is None:
        return
    decision = Decision(case.decision)
    reason = case.reason
    if review.decision_differs(referral.triage_suggestion, decision) and not reason:
        reason = "Demo: decided differently from the suggestion after speaking to the referrer."
    current = await review.decide(
        db,
        actor=officer,
        reference=referral.reference,
        version=referral.version,
        decision=decision,
        reason=reason,
    )
    if case.lifecycle and decision in (Decision.REFERRAL, Decision.CONSULTATION):
        spec = dict(case.lifecycle)
        meeting = spec.get("strategy_meeting_on")
        current = await case_record.update_lifecycle(
            db,
            actor=officer,
            reference=referral.reference,
            version=current.version,
            changes=case_record.Lifecycle(
                strategy_meeting_on=(utcnow() + dt.timedelta(days=meeting)).date()
                if isinstance(meeting, int)
                else None,
                outcome=Outcome(spec["outcome"]) if "outcome" in spec else None,
                police_outcome=PoliceOutcome(spec["police_outcome"])
                if "police_outcome" in spec
                else None,
                employer_outcome=EmployerOutcome(spec["employer_outcome"])
                if "employer_outcome" in spec
                else None,
                dbs_referral=spec.get("dbs_referral"),
                regulator_referral=spec.get("regulator_referral"),
                close=bool(spec.get("close")),
            ),
        )
    if case.waiting_on is not None:
        await review.set_waiting(
            db,
            actor=officer,
            reference=referral.reference,
            version=current.version,
            waiting_on=WaitingOn(case.waiting_on[0]),
            reason=case.waiting_on[1],
        )


async def load(
    db: Database,
    triager: Triager,
    *,
    now: dt.datetime | None = None,
    progress: Callable[[int], object] | None = None,
) -> list[str]:
    """Add every demo case; returns their references."""
    now = now or utcnow()
    officer = await _demo_officer(db)
    references = []
    for case in CASES:
        received = now - dt.timedelta(days=case.days_ago)
        known = dict(case.known)
        known.setdefault("aware_date", received.date())
        referral = await submit(
            db,
            triager,
            Submission(
                channel=Channel(case.channel),
                narrative=case.text,
                received_at=received,
                known=known,
                demo=True,
            ),
            actor=Actor.system("demo"),
        )
        await _decide(db, officer, referral, case)
        references.append(referral.reference)
        if progress is not None:
            progress(1)
    return references
