"""What an officer reads about a queue item: everything on the item's page, and its
attachments. Every read is audited."""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.errors import NotFoundError
from intake.officers import Actor
from intake.review_common import acting, load, log_action
from store.engine import Database
from store.matching import Match
from store.models import (
    Attachment,
    AuditEvent,
    Child,
    Message,
    Note,
    Officer,
    Referral,
    ReferralLink,
)
from store.repo import case as case_repo
from store.repo import officers as officer_repo
from store.repo import referrals as repo


@dataclass
class ReferralView:
    referral: Referral
    children: list[Child]
    messages: list[Message]
    attachments: list[Attachment]
    notes: list[Note]
    links: list[tuple[ReferralLink, str]]
    audit_trail: list[AuditEvent]
    previous: list[Match]
    officers: dict[int, Officer] = field(default_factory=dict)


async def view(db: Database, *, actor: Actor, reference: str) -> ReferralView:
    """Everything an officer sees about one item; the view itself is audited."""
    async with acting(db) as session:
        referral = await load(session, reference)
        assert referral.id is not None
        await log_action(session, actor, "view", referral)
        rid = referral.id
        officers = {
            o.id: o for o in await officer_repo.list_officers(session, include_disabled=True)
        }
        return ReferralView(
            referral=referral,
            children=await repo.children_of(session, referral_id=rid),
            messages=await case_repo.messages_of(session, referral_id=rid),
            attachments=await case_repo.attachments_of(session, referral_id=rid),
            notes=await case_repo.notes_of(session, referral_id=rid),
            links=await case_repo.links_of(session, referral_id=rid),
            audit_trail=await case_repo.audit_of(session, referral_id=rid),
            previous=await repo.previous_concerns(session, referral=referral),
            officers={k: v for k, v in officers.items() if k is not None},
        )


async def view_attachment(
    db: Database, *, actor: Actor, reference: str, attachment_id: int
) -> Attachment:
    async with acting(db) as session:
        referral = await load(session, reference)
        item = await case_repo.attachment(session, attachment_id=attachment_id)
        if item is None or item.referral_id != referral.id or item.data is None:
            raise NotFoundError("That attachment is not available.")
        await log_action(session, actor, "view.attachment", referral, {"attachment": attachment_id})
        return item
