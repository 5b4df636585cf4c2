"""What every officer review action shares: who may change items, the transaction that
turns store errors into messages for the officer, loading an item at the version the
officer saw, and the audit event each action writes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from intake.errors import Conflict, Forbidden, NotFoundError
from intake.officers import Actor
from store import audit, errors
from store.engine import Database, Session
from store.enums import Role
from store.models import Referral
from store.repo import referrals as repo

CHANGERS = frozenset({Role.OFFICER, Role.MANAGER, Role.ADMIN})
ASSIGNERS = frozenset({Role.MANAGER, Role.ADMIN})

STALE = "This item changed since you opened it. Reload the page to see the latest version."
TAKEN = "Another officer has already claimed this item."


def require_role(actor: Actor, allowed: frozenset[Role]) -> None:
    if actor.role not in allowed:
        raise Forbidden("Your role does not allow this action.")


@asynccontextmanager
async def acting(db: Database) -> AsyncIterator[Session]:
    """A transaction that turns store errors into messages for the officer."""
    try:
        async with db.transaction() as session:
            yield session
    except errors.StaleVersion as exc:
        raise Conflict(STALE) from exc
    except errors.AlreadyClaimed as exc:
        raise Conflict(TAKEN) from exc
    except errors.NotFound as exc:
        raise NotFoundError("There is no referral with that reference.") from exc


async def load(session: Session, reference: str) -> Referral:
    return await repo.get_by_reference(session, reference=reference)


async def load_version(session: Session, reference: str, version: int) -> Referral:
    """The referral, or Conflict when it changed since the officer saw ``version``."""
    referral = await load(session, reference)
    if referral.version != version:
        raise Conflict(STALE)
    return referral


async def log_action(
    session: Session,
    actor: Actor,
    action: str,
    referral: Referral,
    detail: Mapping[str, Any] | None = None,
) -> None:
    await audit.append(
        session,
        actor=actor.name,
        officer_id=actor.officer_id,
        action=action,
        referral_id=referral.id,
        detail={"reference": referral.reference, **(detail or {})},
    )


def check_holder(actor: Actor, referral: Referral) -> None:
    """Only the officer holding an item (or a manager) may change it."""
    if (
        referral.claimed_by_id is not None
        and referral.claimed_by_id != actor.officer_id
        and actor.role not in ASSIGNERS
    ):
        raise Conflict("Another officer holds this item. Ask them or a manager to reassign it.")
