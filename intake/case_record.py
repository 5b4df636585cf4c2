"""The case record of an open case: strategy discussion, outcomes (police, employer),
DBS and regulator referrals, and closing the case (an outcome is required to close).
Nothing is closed by the machine: only an officer's action closes a case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from intake.errors import Invalid
from intake.officers import Actor
from intake.review_common import (
    CHANGERS,
    acting,
    check_holder,
    load_version,
    log_action,
    require_role,
)
from store.engine import Database
from store.enums import EmployerOutcome, Outcome, PoliceOutcome, Status
from store.models import Referral
from store.repo import referrals as repo
from store.types import utcnow


@dataclass(frozen=True)
class Lifecycle:
    """Later case fields for reporting; None leaves a field unchanged."""

    strategy_meeting_on: dt.date | None = None
    outcome: Outcome | None = None
    police_outcome: PoliceOutcome | None = None
    employer_outcome: EmployerOutcome | None = None
    dbs_referral: bool | None = None
    regulator_referral: str | None = None
    close: bool = False


async def update_lifecycle(
    db: Database, *, actor: Actor, reference: str, version: int, changes: Lifecycle
) -> Referral:
    require_role(actor, CHANGERS)
    async with acting(db) as session:
        referral = await load_version(session, reference, version)
        assert referral.id is not None
        check_holder(actor, referral)
        problems: list[str] = []
        if referral.status not in (Status.OPEN, Status.CLOSED):
            problems.append("Record a referral or consultation decision before case outcomes.")
        if changes.regulator_referral is not None and len(changes.regulator_referral) > 100:
            problems.append("Keep the regulator's name under 100 characters.")
        values: dict[str, Any] = {}
        for name in ("strategy_meeting_on", "dbs_referral", "regulator_referral"):
            value = getattr(changes, name)
            if value is not None:
                values[name] = value
        for name in ("outcome", "police_outcome", "employer_outcome"):
            value = getattr(changes, name)
            if value is not None:
                values[name] = value.value
        if changes.close:
            if referral.status == Status.CLOSED:
                problems.append("This case is already closed.")
            if not (changes.outcome or referral.outcome):
                problems.append("Record the outcome before closing the case.")
            values.update(status=Status.CLOSED.value, closed_at=utcnow(), waiting_on=None)
        if problems:
            raise Invalid(problems)
        if not values:
            raise Invalid(["Nothing to change."])
        updated = await repo.update_referral(
            session, referral_id=referral.id, expected_version=version, values=values
        )
        await log_action(
            session,
            actor,
            "close" if changes.close else "lifecycle",
            updated,
            {
                k: (v if isinstance(v, str | bool | int) or v is None else str(v))
                for k, v in values.items()
                if k in {"outcome", "police_outcome", "employer_outcome", "dbs_referral", "status"}
            },
        )
        return updated
