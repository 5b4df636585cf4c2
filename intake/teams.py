"""Teams conversations and officers, as the Teams channel and the admin commands need them.

- ``seen`` records every conversation the bot is spoken to in, with the conversation
  reference the channel needs to post there later (proactive alerts);
- an administrator maps an officer to a Microsoft Entra object id (``link_officer``,
  ``lado teams link-officer``); only a mapped, enabled officer can put themselves on
  duty from Teams (``set_duty``), and only a mapped manager or admin can make a team
  channel the duty channel from Teams (``set_duty_channel``);
- every change is audited (codes and ids, never names).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from intake.errors import Conflict, Forbidden, Invalid, NotFoundError
from intake.officers import Actor
from store import audit
from store.engine import Database
from store.enums import Role
from store.models import Officer, TeamsConversation
from store.repo import officers as officer_repo
from store.repo import teams as repo
from store.types import utcnow

PERSONAL, CHANNEL, GROUP = "personal", "channel", "group"
#: roles that may choose the duty channel from Teams
DUTY_CHANNEL_ROLES = frozenset({Role.ADMIN.value, Role.MANAGER.value})

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_guid(value: str) -> bool:
    return bool(_GUID.fullmatch(value))


@dataclass(frozen=True)
class Place:
    """Where a Teams message came from, as the channel read it from the activity."""

    conversation_key: str
    kind: str
    service_url: str
    reference: Mapping[str, Any] = field(default_factory=dict)
    aad_object_id: str | None = None
    tenant_id: str | None = None
    team_id: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Target:
    """A Teams conversation the bot knows."""

    id: int
    kind: str
    conversation_key: str
    aad_object_id: str | None
    dialog_id: str | None
    duty_channel: bool
    installed: bool
    title: str | None
    updated_at: dt.datetime


def _target(row: TeamsConversation) -> Target:
    assert row.id is not None
    return Target(
        id=row.id,
        kind=row.kind,
        conversation_key=row.conversation_key,
        aad_object_id=row.aad_object_id,
        dialog_id=row.dialog_id,
        duty_channel=row.duty_channel,
        installed=row.installed,
        title=row.title,
        updated_at=row.updated_at,
    )


@dataclass(frozen=True)
class Link:
    officer_id: int
    email: str
    role: str
    on_duty: bool
    disabled: bool
    aad_object_id: str
    linked_at: dt.datetime


class TeamsDirectory:
    """The store operations of the Teams channel, for one database."""

    def __init__(self, db: Database, *, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.actor = Actor.system("teams")

    # ------------------------------------------------------------ conversations

    async def seen(self, place: Place) -> Target:
        async with self.db.transaction() as session:
            row = await repo.upsert_conversation(
                session,
                conversation_key=place.conversation_key,
                kind=place.kind,
                service_url=place.service_url,
                reference=place.reference,
                now=self.clock(),
                aad_object_id=place.aad_object_id,
                tenant_id=place.tenant_id,
                team_id=place.team_id,
                title=place.title,
            )
            return _target(row)

    async def removed(self, conversation_key: str) -> bool:
        async with self.db.transaction() as session:
            return await repo.mark_uninstalled(
                session, conversation_key=conversation_key, now=self.clock()
            )

    async def set_dialog(self, target: Target, dialog_id: str | None) -> None:
        async with self.db.transaction() as session:
            await repo.set_dialog(
                session, target_id=target.id, dialog_id=dialog_id, now=self.clock()
            )

    async def targets(self) -> list[Target]:
        async with self.db.session() as session:
            return [_target(row) for row in await repo.list_conversations(session)]

    async def officer(self, aad_object_id: str | None) -> Officer | None:
        """The enabled officer mapped to this Teams user, if any."""
        if not aad_object_id:
            return None
        async with self.db.session() as session:
            officer = await repo.officer_for_aad(session, aad_object_id=aad_object_id)
        return officer if officer is not None and not officer.disabled else None

    # ------------------------------------------------------------ from Teams

    async def set_duty(self, aad_object_id: str | None, target: Target, *, on: bool) -> Officer:
        """A mapped officer puts themselves on (or off) duty from their personal chat."""
        if target.kind != PERSONAL:
            raise Invalid(["Register for duty alerts in your personal chat with the bot."])
        officer = await self.officer(aad_object_id)
        if officer is None or officer.id is None:
            raise Forbidden(
                "Only LADO officers whose Teams account an administrator has linked can "
                "receive duty alerts."
            )
        async with self.db.transaction() as session:
            await repo.set_on_duty(session, officer_id=officer.id, on_duty=on)
            await audit.append(
                session,
                actor=Actor.of(officer).name,
                officer_id=officer.id,
                action="teams.duty" if on else "teams.off_duty",
                detail={"target": target.id},
            )
        return officer

    async def set_duty_channel(
        self, aad_object_id: str | None, target: Target, *, on: bool
    ) -> Officer:
        """A mapped manager or admin makes this team channel the duty channel (or not)."""
        if target.kind != CHANNEL:
            raise Invalid(["Use this command in the team channel that should receive alerts."])
        officer = await self.officer(aad_object_id)
        if officer is None or officer.id is None or officer.role not in DUTY_CHANNEL_ROLES:
            raise Forbidden(
                "Only a LADO manager or administrator whose Teams account is linked can "
                "choose the duty channel."
            )
        await self._duty_channel(target.id, on=on, actor=Actor.of(officer))
        return officer

    async def _duty_channel(self, target_id: int, *, on: bool, actor: Actor) -> None:
        async with self.db.transaction() as session:
            await repo.set_duty_channel(session, target_id=target_id, on=on, now=self.clock())
            await audit.append(
                session,
                actor=actor.name,
                officer_id=actor.officer_id,
                action="teams.duty_channel" if on else "teams.duty_channel_off",
                detail={"target": target_id},
            )

    # ------------------------------------------------------------ administration

    async def duty_channel_by_id(self, target_id: int, *, on: bool, actor: Actor) -> Target:
        """``lado teams duty-channel ID``: choose among the channels the bot was added to."""
        async with self.db.session() as session:
            row = await repo.get_target(session, target_id=target_id)
        if row is None or row.kind != CHANNEL:
            raise NotFoundError(
                "There is no team channel with that id (see `lado teams channels`)."
            )
        if on and not row.installed:
            raise Invalid(["The app has been removed from that team; add it again first."])
        await self._duty_channel(target_id, on=on, actor=actor)
        async with self.db.session() as session:
            found = await repo.get_target(session, target_id=target_id)
        assert found is not None
        return _target(found)

    async def link_officer(self, email: str, aad_object_id: str, *, actor: Actor) -> Link:
        aad = aad_object_id.strip().lower()
        if not is_guid(aad):
            raise Invalid(["The Microsoft Entra object id must be a GUID (8-4-4-4-12 hex digits)."])
        async with self.db.transaction() as session:
            officer = await officer_repo.find_by_email(session, email=email)
            if officer is None or officer.id is None:
                raise NotFoundError("There is no officer with that email address.")
            existing = await repo.link_of_aad(session, aad_object_id=aad)
            if existing is not None and existing.officer_id != officer.id:
                raise Conflict("That Teams account is already linked to another officer.")
            now = self.clock()
            await repo.link_officer(
                session, officer_id=officer.id, aad_object_id=aad, by=actor.name, now=now
            )
            await audit.append(
                session,
                actor=actor.name,
                officer_id=actor.officer_id,
                action="teams.link_officer",
                detail={"officer": officer.id},
            )
            return Link(
                officer_id=officer.id,
                email=officer.email,
                role=officer.role,
                on_duty=officer.on_duty,
                disabled=officer.disabled,
                aad_object_id=aad,
                linked_at=now,
            )

    async def unlink_officer(self, email: str, *, actor: Actor) -> None:
        async with self.db.transaction() as session:
            officer = await officer_repo.find_by_email(session, email=email)
            if officer is None or officer.id is None:
                raise NotFoundError("There is no officer with that email address.")
            if not await repo.unlink_officer(session, officer_id=officer.id):
                raise NotFoundError("That officer has no linked Teams account.")
            await repo.set_on_duty(session, officer_id=officer.id, on_duty=False)
            await audit.append(
                session,
                actor=actor.name,
                officer_id=actor.officer_id,
                action="teams.unlink_officer",
                detail={"officer": officer.id},
            )

    async def links(self) -> list[Link]:
        async with self.db.session() as session:
            rows = await repo.links(session)
        return [
            Link(
                officer_id=officer.id or 0,
                email=officer.email,
                role=officer.role,
                on_duty=officer.on_duty,
                disabled=officer.disabled,
                aad_object_id=link.aad_object_id,
                linked_at=link.linked_at,
            )
            for link, officer in rows
        ]

    async def set_on_duty(self, email: str, *, on: bool, actor: Actor) -> None:
        """``lado teams on-duty EMAIL`` (or ``--off``): set who receives personal alerts."""
        async with self.db.transaction() as session:
            officer = await officer_repo.find_by_email(session, email=email)
            if officer is None or officer.id is None:
                raise NotFoundError("There is no officer with that email address.")
            await repo.set_on_duty(session, officer_id=officer.id, on_duty=on)
            await audit.append(
                session,
                actor=actor.name,
                officer_id=actor.officer_id,
                action="teams.duty" if on else "teams.off_duty",
                detail={"officer": officer.id},
            )
